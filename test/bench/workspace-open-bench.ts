// Opening the 14-day sample workspace (electron/sample-data.ts) with Workspace.open: cold (the
// first import of every partition into loupe.duckdb) and warm (a reopen in a fresh DuckDB
// instance, as after an app restart: attach, find nothing new), and the refresh cost of one
// new hourly partition. Median of 5, on a copy of the sample so the real one is untouched.
// Needs the sample (npm start, or electron/sample-data.ts ensureSampleData) under sample-data/.
// Run: node --import tsx test/bench/workspace-open-bench.ts
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { openDatabase } from '../../electron/core/db/duckdb';
import { sampleServiceDir } from '../../electron/sample-data';
import { guessRoles } from '../../electron/core/workspace/guess-roles';
import { Workspace } from '../../electron/core/workspace/workspace';
import { workspaceLayout } from '../../electron/core/workspace/layout';
import { readManifest } from '../../service/exports/write-partitions';
import { tempDir } from '../support/make-parquet';
import { median, ms } from './stats';
import { reportResult } from './harness/report-result';

const root = tempDir('loupe-bench-wsopen-');
process.env.LOUPE_HOME = path.join(root, 'home'); // keep the bench out of the recent-workspaces list
const sample = path.join(sampleServiceDir, 'exports');
const manifest = await readManifest(sample);
if (manifest.length === 0) throw new Error(`no sample under ${sample}: run npm start once (or ensureSampleData)`);
const rel = (id: string) => path.join(`date=${id.slice(0, 10)}`, `hour=${id.slice(11)}`, 'part-0.parquet');
const HELD = 5; // the last 5 hours arrive one at a time for the refresh figure
const layout = workspaceLayout(path.join(root, 'ws'));
const copy = async (id: string) => {
  await fsp.mkdir(path.join(layout.exportsDir, path.dirname(rel(id))), { recursive: true });
  await fsp.copyFile(path.join(sample, rel(id)), path.join(layout.exportsDir, rel(id)));
};
for (const e of manifest.slice(0, -HELD)) await copy(e.id);
const initial = manifest.slice(0, -HELD);
const rows = initial.reduce((s, e) => s + e.rows, 0);
const mb = initial.reduce((s, e) => s + e.bytes, 0) / 2 ** 20;
console.log(`${initial.length} partitions, ${rows.toLocaleString('en-US')} rows, ${mb.toFixed(0)} MB`);
const guess = (columns: Parameters<typeof guessRoles>[0]) => guessRoles(columns).mapping;

async function timedOpen(): Promise<{ ms: number; rows: number }> {
  const db = await openDatabase();
  try {
    const t0 = performance.now();
    const ws = await Workspace.open(db.conn, layout.root, guess);
    const t = performance.now() - t0;
    const n = ws.current.dataset?.summary.rows ?? 0;
    await ws.close();
    return { ms: t, rows: n };
  } finally {
    db.close();
  }
}

const cold: number[] = [];
for (let i = 0; i < 5; i++) {
  fs.rmSync(layout.stateFile, { force: true });
  fs.rmSync(`${layout.stateFile}.wal`, { force: true });
  const r = await timedOpen();
  if (r.rows !== rows) throw new Error(`cold open saw ${r.rows} rows, expected ${rows}`);
  cold.push(r.ms);
}
const warm: number[] = [];
for (let i = 0; i < 5; i++) warm.push((await timedOpen()).ms);

const refresh: number[] = [];
{
  const db = await openDatabase();
  const ws = await Workspace.open(db.conn, layout.root, guess);
  for (const e of manifest.slice(-HELD)) {
    await copy(e.id);
    const t0 = performance.now();
    const s = await ws.refresh();
    refresh.push(performance.now() - t0);
    if (s.lastIngest.filesIngested !== 1) throw new Error(`refresh imported ${s.lastIngest.filesIngested} files`);
  }
  await ws.close();
  db.close();
}
const fileMb = fs.statSync(layout.stateFile).size / 2 ** 20;
console.log('\n| Workspace.open on the sample | median | runs |\n|---|---:|---|');
console.log(`| cold: first import of ${initial.length} partitions (${rows.toLocaleString('en-US')} rows) | ${ms(median(cold))} | ${cold.map(ms).join(', ')} |`);
console.log(`| warm: reopen in a new DuckDB instance, nothing new | ${ms(median(warm))} | ${warm.map(ms).join(', ')} |`);
console.log(`| refresh with one new hourly partition (~${Math.round(manifest.at(-1)!.rows)} rows) | ${ms(median(refresh))} | ${refresh.map(ms).join(', ')} |`);
console.log(`\nloupe.duckdb: ${fileMb.toFixed(0)} MB for ${mb.toFixed(0)} MB of Parquet`);
reportResult({
  figures: {
    partitions: initial.length,
    rows,
    parquetMb: mb,
    duckdbMb: fileMb,
    coldMs: median(cold),
    warmMs: median(warm),
    refreshOnePartitionMs: median(refresh),
    coldRunsMs: cold,
  },
});
fs.rmSync(root, { recursive: true, force: true });
