/**
 * `npm run bench -- NAME [args]`: runs test/bench/NAME.ts with its args, and appends one JSON
 * line — commit, dirty flag, date, machine, load average before and after, args, the figures
 * and the peers the bench reported (reportResult) — to bench-results/NAME.jsonl, then renders
 * docs/benchmarks.md again.
 */
import fs from 'node:fs';
import path from 'node:path';
import { renderReport, reportFile, repoRoot, resultsDir } from './report';
import { runBench } from './run-bench';

const [name = '', ...args] = process.argv.slice(2);
const outcome = runBench({ name, args, benchDir: path.join(repoRoot, 'test', 'bench'), resultsDir, repoRoot });
if (!outcome.ok) {
  console.error(`\n${outcome.message}\nusage: npm run bench -- NAME [args]`);
  process.exit(outcome.exitCode);
}
fs.writeFileSync(reportFile, renderReport());
const r = outcome.record;
console.log(
  `\nrecorded in ${path.relative(repoRoot, outcome.file)} (commit ${r.commit.slice(0, 10)}${r.dirty ? ', uncommitted changes' : ''}, load ${r.load.before[0]} → ${r.load.after[0]}); docs/benchmarks.md updated`,
);
