// `loupe inspect` on generated 1M- and 10M-row request logs, median of 5 end-to-end CLI runs
// (process start included). Run: node --import tsx test/bench/inspect-bench.ts
import fs from 'node:fs';
import path from 'node:path';
import { tempDir, writeRequestLog } from '../support/make-parquet';
import { runLoupe } from '../support/run-cli';
import { median, ms, timeRuns } from './stats';
import { reportResult } from './harness/report-result';

const dir = tempDir('loupe-bench-inspect-');
const figures: Record<string, number> = {};
for (const rows of [1_000_000, 10_000_000]) {
  const file = path.join(dir, `log-${rows}.parquet`);
  await writeRequestLog(file, rows);
  const mb = fs.statSync(file).size / 2 ** 20;
  const times = await timeRuns(5, async () => {
    const res = await runLoupe(['inspect', file, '--json']);
    if (res.code !== 0) throw new Error(res.stderr);
    if (JSON.parse(res.stdout).rows !== rows) throw new Error('wrong row count');
  });
  figures[`inspect ${rows} rows (ms)`] = median(times);
  console.log(`inspect ${rows.toLocaleString('en-US')} rows (${mb.toFixed(0)} MB, 8 columns): median ${ms(median(times))}  runs ${times.map(ms).join(', ')}`);
}
reportResult({ figures });
fs.rmSync(dir, { recursive: true, force: true });
