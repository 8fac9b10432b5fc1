/**
 * `npm run bench:report`: renders docs/benchmarks.md from bench-results/*.jsonl. `--check`
 * exits non-zero when the page is out of date instead.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readBenchResults } from './bench-record';
import { renderBenchmarks } from './render-benchmarks';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const resultsDir = path.join(repoRoot, 'bench-results');
export const reportFile = path.join(repoRoot, 'docs', 'benchmarks.md');

export function renderReport(): string {
  return renderBenchmarks(readBenchResults(resultsDir));
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
