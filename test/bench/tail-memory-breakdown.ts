/**
 * Where the core's memory goes on a long live tail (the companion of tail-rss-bench.ts): the
 * reference service (own process, tail-steady at RATE events/s) streams into a TailRunner in
 * this process, writing a file-backed workspace, with the live analytics on. Every EVERY
 * seconds: RSS, the V8 heap, DuckDB's own accounting (sum of duckdb_memory()), and the workspace
 * file. Opens the database as the core does (createCore → openDatabase, default memory limit)
 * unless MEMORY_LIMIT is given (e.g. 256MB). EXIT_HARD=1 exits without closing anything, so a
 * native heap profiler sees what the tail still holds (`heaptrack node … ; heaptrack_print -d`).
 *   node --import tsx test/bench/tail-memory-breakdown.ts [MINUTES=3] [RATE=1000] [EVERY_S=20] [MEMORY_LIMIT]
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, queryOne, queryRows } from '../../electron/core/db/duckdb';
import { workspaceLiveAnalytics } from '../../electron/core/tail/live-analytics';
import { TailRunner } from '../../electron/core/tail/tail-runner';
import { guessRoles } from '../../electron/core/workspace/guess-roles';
import { Workspace } from '../../electron/core/workspace/workspace';
import { tempDir } from '../support/make-parquet';
import { rssByKind } from './smaps';
import { spawnService } from './spawn-service';

const MINUTES = Number(process.argv[2] ?? 3);
const RATE = Number(process.argv[3] ?? 1000);
const EVERY_S = Number(process.argv[4] ?? 20);
const MEMORY_LIMIT = process.argv[5];
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const MB = 2 ** 20;

const svc = await spawnService(['--scenario', path.join(root, 'test/fixtures/scenarios/tail-steady.yaml'), '--rate', String(RATE), '--speed', '1', '--data-dir', tempDir('loupe-bench-mem-svc-'), '--token', 'tok']);
const db = await openDatabase(MEMORY_LIMIT ? { memoryLimit: MEMORY_LIMIT } : {});
const dir = tempDir('loupe-bench-mem-ws-');
const ws = await Workspace.open(db.conn, dir, (c) => guessRoles(c).mapping);
for (const stmt of (process.env.DUCKDB_SET ?? '').split(';').filter(Boolean)) await queryOne(db.conn, stmt);
const limit = await queryOne<{ v: string }>(db.conn, "SELECT current_setting('memory_limit') AS v");
const runner = new TailRunner({
  instance: db.instance, serviceUrl: svc.url, token: 'tok', from: 'head',
  analytics: workspaceLiveAnalytics,
});
const dirBytes = (d: string): number =>
  fs.readdirSync(d, { withFileTypes: true }).reduce((s, e) => s + (e.isDirectory() ? dirBytes(path.join(d, e.name)) : fs.statSync(path.join(d, e.name)).size), 0);
try {
  await runner.start();
  const t0 = Date.now();
  console.log(`memory_limit ${limit?.v}; ${MINUTES} min at ${RATE} events/s`);
  console.log('   t s   ingested   RSS MB   V8 heap MB   external MB   DuckDB MB   workspace files MB   glibc MB   other anon MB');
  for (let k = 1; k * EVERY_S <= MINUTES * 60; k++) {
    await new Promise((r) => setTimeout(r, t0 + k * EVERY_S * 1000 - Date.now()));
    // FORCE_GC=1 with node --expose-gc: a full GC before each sample, to tell native memory
    // waiting on finalizers (DuckDB results, appenders) from memory that is really held.
    if (process.env.FORCE_GC) (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    const duck = await queryOne<{ b: number }>(db.conn, 'SELECT sum(memory_usage_bytes)::DOUBLE AS b FROM duckdb_memory()');
    const snap = runner.snapshot();
    const kinds = rssByKind(process.pid);
    if (process.env.TAGS) {
      const tags = await queryRows<{ tag: string; mb: number }>(db.conn, 'SELECT tag, round(memory_usage_bytes / 2^20) AS mb FROM duckdb_memory() WHERE memory_usage_bytes > 2^20');
      console.log(`   heapTotal ${(m.heapTotal / MB).toFixed(0)} MB; DuckDB ${tags.map((t) => `${t.tag} ${t.mb}`).join(', ')}`);
    }
    console.log(
      `${String(Math.round((Date.now() - t0) / 1000)).padStart(6)} ${String(snap.ingested).padStart(10)} ${(m.rss / MB).toFixed(0).padStart(8)} ${(m.heapUsed / MB).toFixed(0).padStart(12)} ${((m.external + m.arrayBuffers) / MB).toFixed(0).padStart(13)} ${((duck?.b ?? 0) / MB).toFixed(0).padStart(11)} ${(dirBytes(dir) / MB).toFixed(0).padStart(20)} ${kinds.glibc.toFixed(0).padStart(10)} ${kinds.otherAnon.toFixed(0).padStart(15)}`,
    );
  }
} finally {
  if (process.env.EXIT_HARD) {
    // Under heaptrack: what is still allocated at exit is what the tail holds (closing would free it).
    await svc.stop();
    process.exit(0);
  }
  await runner.stop();
  await ws.close();
  db.close();
  await svc.stop();
}
