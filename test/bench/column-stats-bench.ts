/**
 * The workspace summary's column statistics over a table the live tail filled: N synthetic
 * tail-steady records written by the TailWriter (as a tail writes them), then, alternating, RUNS
 * times each: computeTableStats as the summary runs it (estimates, then exact counts for columns
 * with few values) and the one-pass exact count of every column it replaced. Prints each
 * variant's median time and median peak RSS above the RSS before it (sampled every 20 ms while
 * the query runs), and which columns came out estimated.
 *   node --import tsx test/bench/column-stats-bench.ts [N=1500000] [RUNS=3]
 */
import { openDatabase, queryOne, queryRows, quoteIdent } from '../../electron/core/db/duckdb';
import { prepareTailTables } from '../../electron/core/tail/tail-tables';
import { TailWriter } from '../../electron/core/tail/tail-writer';
import { computeTableStats } from '../../electron/core/workspace/column-stats';
import { guessRoles } from '../../electron/core/workspace/guess-roles';
import { Workspace } from '../../electron/core/workspace/workspace';
import { tempDir } from '../support/make-parquet';
import { median } from './stats';
import { reportResult } from './harness/report-result';
import { tailSteadyRecords } from './tail-steady-records';

const N = Number(process.argv[2] ?? 1_500_000);
const RUNS = Number(process.argv[3] ?? 3);
const MB = 2 ** 20;

const db = await openDatabase({});
const ws = await Workspace.open(db.conn, tempDir('loupe-bench-colstats-'), (c) => guessRoles(c).mapping);
const conn = await db.instance.connect();
await prepareTailTables(conn);
const record = await tailSteadyRecords();
const writer = new TailWriter(conn, 'tail:bench', { batchRows: 2000, flushMs: 3_600_000 });
for (let i = 0; i < N; i++) {
  const pending = writer.add(record(i), i + 1);
  if (pending) await pending;
}
await writer.flush();
conn.closeSync();
await db.conn.run('CHECKPOINT');

const columns = (await queryRows<{ column_name: string; column_type: string }>(db.conn, 'DESCRIBE ws.requests')).map((c) => ({
  name: c.column_name,
  type: c.column_type,
}));
const allExact = `SELECT count(*), ${columns.map((c) => `count(${quoteIdent(c.name)}), count(DISTINCT ${quoteIdent(c.name)})`).join(', ')} FROM ws.requests`;

const rss = () => process.memoryUsage().rss / MB;
async function measure(run: () => Promise<unknown>): Promise<{ s: number; mb: number }> {
  // Give the previous run's freed memory time to go back (DuckDB's purging threads, ~1 s).
  await new Promise((r) => setTimeout(r, 3000));
  const before = rss();
  let peak = before;
  const sampler = setInterval(() => (peak = Math.max(peak, rss())), 20);
  const start = performance.now();
  await run();
  clearInterval(sampler);
  return { s: (performance.now() - start) / 1000, mb: Math.max(peak, rss()) - before };
}

const summary: Array<{ s: number; mb: number }> = [];
const exact: Array<{ s: number; mb: number }> = [];
for (let i = 0; i < RUNS; i++) {
  summary.push(await measure(() => computeTableStats(db.conn, 'ws.requests', columns, 'ts')));
  exact.push(await measure(() => queryOne(db.conn, allExact)));
}
const line = (name: string, xs: Array<{ s: number; mb: number }>) =>
  console.log(
    `${name}: median ${median(xs.map((x) => x.s)).toFixed(1)} s, peak RSS +${median(xs.map((x) => x.mb)).toFixed(0)} MB` +
      `  (runs: ${xs.map((x) => `${x.s.toFixed(1)} s/+${x.mb.toFixed(0)} MB`).join(', ')})`,
  );
console.log(`${N} tail rows, ${columns.length} columns`);
line('summary (estimates, then exact where few)', summary);
line('every column exact, one pass', exact);
const stats = await computeTableStats(db.conn, 'ws.requests', columns, 'ts');
console.log(`estimated: ${stats.columns.filter((c) => c.distinctApprox).map((c) => `${c.name} ≈${c.distinct}`).join(', ')}`);
const figs = (xs: Array<{ s: number; mb: number }>) => ({ medianS: median(xs.map((x) => x.s)), peakRssAddedMb: median(xs.map((x) => x.mb)) });
reportResult({
  figures: { rows: N, columns: columns.length, runs: RUNS, ...figs(summary), estimatedColumns: stats.columns.filter((c) => c.distinctApprox).length },
  peers: { 'every column exact, one pass': figs(exact) },
});
await ws.close();
db.close();
