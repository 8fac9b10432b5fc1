/**
 * `npm run bench:report`: renders docs/benchmarks.md from bench-results/*.jsonl and the dated
 * pages in docs/benchmarks/. `--check` exits non-zero when the page is out of date instead.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readBenchResults } from './bench-record';
import { renderBenchmarks, type Story } from './render-benchmarks';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const resultsDir = path.join(repoRoot, 'bench-results');
export const reportFile = path.join(repoRoot, 'docs', 'benchmarks.md');

/** The dated pages under docs/benchmarks/, titled by their first heading. */
export function readStories(docsDir = path.join(repoRoot, 'docs')): Story[] {
  const dir = path.join(docsDir, 'benchmarks');
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.md'))
    .map((f) => {
      const first = fs.readFileSync(path.join(dir, f), 'utf8').match(/^#\s+(.+)$/m);
      return { file: `benchmarks/${f}`, title: first ? first[1].trim() : f };
    });
}

export function renderReport(): string {
  return renderBenchmarks(readBenchResults(resultsDir), readStories());
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const text = renderReport();
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(reportFile) ? fs.readFileSync(reportFile, 'utf8') : '';
    if (current !== text) {
      console.error('docs/benchmarks.md is out of date: run npm run bench:report');
      process.exit(1);
    }
  } else {
    fs.writeFileSync(reportFile, text);
    console.log(`wrote ${path.relative(repoRoot, reportFile)}`);
  }
}
