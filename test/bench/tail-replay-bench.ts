/**
 * What resuming a tail costs: the writer fills a workspace with EVENTS tail-steady records (one
 * per millisecond of event time, so 3,600,000 are an hour at 1,000 events/s), the first BASELINE
 * of them relabelled as an export so the live analytics have a baseline (embedding clusters and
 * all), and a resumed TailRunner's replay of the stored hour (recentLiveRows → observe) is timed
 * RUNS times, with the peak RSS of the process before and after the replays.
 *   node --import tsx test/bench/tail-replay-bench.ts [EVENTS=600000] [BASELINE=100000] [RUNS=3]
 */
import fs from 'node:fs';
import { openDatabase, queryOne } from '../../electron/core/db/duckdb';
import { LiveAnalytics } from '../../electron/core/tail/live-analytics';
import { loadLiveBaseline } from '../../electron/core/tail/live-baseline';
import { recentLiveRows } from '../../electron/core/tail/recent-live-rows';
import { prepareTailTables } from '../../electron/core/tail/tail-tables';
import { TailWriter } from '../../electron/core/tail/tail-writer';
import { guessRoles } from '../../electron/core/workspace/guess-roles';
import { Workspace } from '../../electron/core/workspace/workspace';
import { tempDir } from '../support/make-parquet';
import { median } from './stats';
import { reportResult } from './harness/report-result';
import { tailSteadyRecords } from './tail-steady-records';

const EVENTS = Number(process.argv[2] ?? 600_000);
const BASELINE = Number(process.argv[3] ?? 100_000);
const RUNS = Number(process.argv[4] ?? 3);
const SOURCE = 'tail:bench';
const peakMb = () => Number(/VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'))![1]) / 1024;

const db = await openDatabase({});
const ws = await Workspace.open(db.conn, tempDir('loupe-bench-replay-'), (c) => guessRoles(c).mapping);
const conn = await db.instance.connect();
await prepareTailTables(conn);
const record = await tailSteadyRecords();
const writer = new TailWriter(conn, SOURCE, { batchRows: 5000 });
for (let i = 0; i < EVENTS; i++) {
  const p = writer.add(record(i), i + 1);
  if (p) await p;
}
await writer.flush();
await conn.run(`UPDATE ws.requests SET _file = 'exports/bench.parquet' WHERE request_id IN (SELECT request_id FROM ws.requests ORDER BY ts LIMIT ${BASELINE})`);
const newest = (await queryOne<{ t: number }>(conn, `SELECT epoch_ms(max(ts))::DOUBLE AS t FROM ws.requests WHERE _file = '${SOURCE}'`))!.t;
const baseline = await loadLiveBaseline(conn);
console.log(`${EVENTS} events stored (${BASELINE} as the baseline export, ${baseline.features.length} features); peak RSS before the replays ${peakMb().toFixed(0)} MB`);
const times: number[] = [];
for (let run = 0; run < RUNS; run++) {
  const analytics = new LiveAnalytics(baseline);
  const t0 = performance.now();
  let n = 0;
  for await (const rows of await recentLiveRows(conn, SOURCE, newest - 3_600_000, newest)) {
    analytics.observe(rows);
    n += rows.length;
  }
  const { analytics: a } = analytics.evaluate();
  times.push((performance.now() - t0) / 1000);
  console.log(`  replay ${run + 1}: ${n} rows in ${times.at(-1)!.toFixed(2)} s (${Math.round(n / times.at(-1)!)} rows/s); hour holds ${a.versions.reduce((s, v) => s + v.requests, 0)} requests`);
}
console.log(`median ${median(times).toFixed(2)} s; peak RSS after the replays ${peakMb().toFixed(0)} MB`);
reportResult({ figures: { events: EVENTS, runs: RUNS, replayS: median(times), replayRunsS: times, peakRssMb: peakMb() } });
conn.closeSync();
await ws.close();
db.close();
