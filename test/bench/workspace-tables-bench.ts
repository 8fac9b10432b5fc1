// Views over Parquet vs a materialised DuckDB table for a workspace: cold open (import),
// refresh per new hourly partition, and the queries the views run (slice aggregates, judge by
// version). Median of 5. Run: node --import tsx test/bench/workspace-tables-bench.ts [rowsPerHour]
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../electron/core/db/duckdb';
import { ingestNewPartitions, REQUESTS } from '../../electron/core/workspace/ingest-partitions';
import { workspaceLayout } from '../../electron/core/workspace/layout';
import { attachWorkspaceDb } from '../../electron/core/workspace/state-db';
import { tempDir } from '../support/make-parquet';
import { writeHourlyExport } from '../support/make-export';
import { median, ms, timeRuns } from './stats';
import { reportResult } from './harness/report-result';

const rowsPerHour = Number(process.argv[2] ?? 3000);
const hours = 14 * 24;
const root = tempDir('loupe-bench-ws-');
const layout = workspaceLayout(root);
console.log(`generating ${hours} hourly partitions × ${rowsPerHour} rows…`);
await writeHourlyExport(layout.exportsDir, hours, rowsPerHour);
const bytes = fs.readdirSync(layout.exportsDir, { recursive: true }).reduce<number>((s, f) => {
  const p = path.join(layout.exportsDir, String(f));
  return s + (fs.statSync(p).isFile() ? fs.statSync(p).size : 0);
}, 0);
console.log(`${(hours * rowsPerHour).toLocaleString('en-US')} rows, ${(bytes / 2 ** 20).toFixed(0)} MB of Parquet`);

const queries: Record<string, (rel: string) => string> = {
  'slices (1- and 2-way over route, locale, tier, version)': (rel) => `
    SELECT route, locale, tenant_tier, model_version, count(*) n, avg(judge_score) j, avg(format_ok::INT) f
      FROM ${rel} GROUP BY GROUPING SETS ((route), (locale), (tenant_tier), (model_version),
        (route, locale), (route, tenant_tier), (route, model_version), (locale, tenant_tier), (locale, model_version), (tenant_tier, model_version))`,
  'judge by version and hour': (rel) => `
    SELECT model_version, date_trunc('hour', ts) h, count(judge_score) n, avg(judge_score) m, stddev_samp(judge_score) sd
      FROM ${rel} GROUP BY ALL`,
  'last 24 h output lengths by route': (rel) => `
    SELECT route, quantile_cont(output_tokens, [0.5, 0.95]) q FROM ${rel}
     WHERE ts >= (SELECT max(ts) FROM ${rel}) - INTERVAL 24 HOUR GROUP BY route`,
};

const viewsFig: Record<string, number> = {};
const tableFig: Record<string, number> = {};
// Views over Parquet.
{
  const db = await openDatabase();
  const glob = path.join(layout.exportsDir, '**', '*.parquet');
  const open = await timeRuns(5, async () => {
    await db.conn.run(`CREATE OR REPLACE VIEW v AS SELECT * FROM read_parquet('${glob}', union_by_name = true)`);
    await db.conn.run('SELECT count(*) FROM v');
  });
  console.log(`views:  open ${ms(median(open))}`);
  viewsFig.openMs = median(open);
  for (const [name, q] of Object.entries(queries)) {
    const t = await timeRuns(5, async () => void (await db.conn.run(q('v'))));
    console.log(`views:  ${name}: ${ms(median(t))}`);
    viewsFig[`${name} (ms)`] = median(t);
  }
  db.close();
}

// Materialised table in the workspace file.
{
  const coldTimes: number[] = [];
  for (let i = 0; i < 5; i++) {
    fs.rmSync(layout.stateFile, { force: true });
    fs.rmSync(`${layout.stateFile}.wal`, { force: true });
    const db = await openDatabase();
    await attachWorkspaceDb(db.conn, layout.stateFile);
    const t0 = performance.now();
    await ingestNewPartitions(db.conn, layout, { requestIdColumn: 'request_id', timestampColumn: 'ts' });
    coldTimes.push(performance.now() - t0);
    db.close();
  }
  console.log(`table:  cold import of ${hours} partitions ${ms(median(coldTimes))}`);
  tableFig.coldImportMs = median(coldTimes);

  const db = await openDatabase();
  const warm = await timeRuns(5, async () => {
    await db.conn.run('DETACH DATABASE IF EXISTS ws');
    await attachWorkspaceDb(db.conn, layout.stateFile);
    await ingestNewPartitions(db.conn, layout, { requestIdColumn: 'request_id', timestampColumn: 'ts' });
  });
  console.log(`table:  warm open (attach + check for new partitions) ${ms(median(warm))}`);
  tableFig.openMs = median(warm);
  for (const [name, q] of Object.entries(queries)) {
    const t = await timeRuns(5, async () => void (await db.conn.run(q(REQUESTS))));
    console.log(`table:  ${name}: ${ms(median(t))}`);
    tableFig[`${name} (ms)`] = median(t);
  }
  const refresh: number[] = [];
  for (let i = 0; i < 5; i++) {
    await writeHourlyExport(layout.exportsDir, 1, rowsPerHour, hours + i);
    const t0 = performance.now();
    const r = await ingestNewPartitions(db.conn, layout, { requestIdColumn: 'request_id', timestampColumn: 'ts' });
    refresh.push(performance.now() - t0);
    if (r.filesIngested !== 1) throw new Error(`expected one new partition, got ${r.filesIngested}`);
  }
  console.log(`table:  refresh with one new hourly partition ${ms(median(refresh))}`);
  tableFig.refreshOnePartitionMs = median(refresh);
  const size = fs.statSync(layout.stateFile).size;
  console.log(`table:  workspace file ${(size / 2 ** 20).toFixed(0)} MB`);
  tableFig.fileMb = size / 2 ** 20;
  db.close();
}
reportResult({ figures: { rows: hours * rowsPerHour, parquetMb: bytes / 2 ** 20, ...tableFig }, peers: { 'views over Parquet': viewsFig } });
fs.rmSync(root, { recursive: true, force: true });
