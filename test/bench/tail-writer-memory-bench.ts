/**
 * The TailWriter alone, by event count: synthetic tail-steady records through JSON (as the tail
 * receives them) into a file-backed workspace, in commits of BATCH rows (250 is what 1,000
 * events/s makes with the 250 ms flush), as fast as it goes or PACE commits a second, with the
 * table-cache trim every 10,000 events as a running tail has it. Every EVERY events: RSS, DuckDB's
 * own accounting, the V8 heap total, and the rest; glibc's heaps and the other anonymous memory
 * (smaps.ts); and the table's persistent storage (pragma_storage_info: column segments, distinct
 * blocks): DuckDB keeps C++ objects per segment for as long as the table is open (~0.6 KB per
 * block still allocated, by heaptrack), so glibc's heaps grow with it. Tells memory that grows
 * with events from memory that grows with time (tail-rss-bench.ts runs in real time), in a
 * fraction of the time.
 *   node --import tsx test/bench/tail-writer-memory-bench.ts [EVENTS=3600000] [EVERY=150000] [BATCH=250] [PACE=0]
 * NO_TRIM=1 leaves the table cache alone; FORCE_GC=1 (with node --expose-gc) collects before each
 * sample; EXIT_HARD=1 exits without closing, for `DUCKDB_JE_MALLOC_CONF=stats_print:true` (DuckDB's own
 * jemalloc prints its totals at exit) or heaptrack. REATTACH=1 ends by detaching the workspace
 * and attaching it again (Workspace.open, as a restart of the app does), printing glibc's heaps
 * and RSS after each step, 3 s later, and after a forced purge: does dropping the table give its
 * bookkeeping back, and does the open's summary query leave memory resident?
 */
import { configuredMemoryLimit, openDatabase, queryOne } from '../../electron/core/db/duckdb';
import { trimTableCache } from '../../electron/core/db/table-cache';
import { TAIL_TABLE_CACHE_BYTES } from '../../electron/core/tail/tail-runner';
import { prepareTailTables } from '../../electron/core/tail/tail-tables';
import { TailWriter } from '../../electron/core/tail/tail-writer';
import { guessRoles } from '../../electron/core/workspace/guess-roles';
import { Workspace } from '../../electron/core/workspace/workspace';
import { tempDir } from '../support/make-parquet';
import { rssByKind } from './smaps';
import { tailSteadyRecords } from './tail-steady-records';

const EVENTS = Number(process.argv[2] ?? 3_600_000);
const EVERY = Number(process.argv[3] ?? 150_000);
const BATCH = Number(process.argv[4] ?? 250);
const PACE = Number(process.argv[5] ?? 0);
const MB = 2 ** 20;

const db = await openDatabase({});
const wsDir = tempDir('loupe-bench-writer-mem-');
let ws = await Workspace.open(db.conn, wsDir, (c) => guessRoles(c).mapping);
const conn = await db.instance.connect();
const trimConn = await db.instance.connect();
await prepareTailTables(conn);
const record = await tailSteadyRecords();
const writer = new TailWriter(conn, 'tail:bench', { batchRows: BATCH, flushMs: 3_600_000 });
const start = Date.now();
console.log(`${EVENTS} events in commits of ${BATCH}, ${PACE ? `${PACE} commits/s` : 'full speed'}`);
console.log('  events      s   RSS MB   DuckDB MB   V8 heap total MB   rest MB   glibc MB   other anon MB   segments   blocks');
for (let i = 0; i < EVENTS; i++) {
  const pending = writer.add(record(i), i + 1);
  if (pending) await pending;
  const n = i + 1;
  if (PACE && n % BATCH === 0) {
    const due = start + (n / BATCH / PACE) * 1000;
    if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
  }
  if (n % 10_000 === 0 && !process.env.NO_TRIM) await trimTableCache(trimConn, configuredMemoryLimit(db.instance)!, TAIL_TABLE_CACHE_BYTES);
  if (n % EVERY === 0) {
    await writer.flush();
    if (process.env.FORCE_GC) (globalThis as { gc?: () => void }).gc?.();
    const m = process.memoryUsage();
    const duck = ((await queryOne<{ b: number }>(db.conn, 'SELECT sum(memory_usage_bytes)::DOUBLE AS b FROM duckdb_memory()'))?.b ?? 0) / MB;
    const rss = m.rss / MB;
    const heap = m.heapTotal / MB;
    const kinds = rssByKind(process.pid);
    const storage = (await queryOne<{ segments: number; blocks: number }>(
      db.conn,
      "SELECT count(*)::INT AS segments, count(DISTINCT block_id)::INT AS blocks FROM pragma_storage_info('ws.requests') WHERE persistent",
    ))!;
    console.log(
      `${String(n).padStart(8)} ${((Date.now() - start) / 1000).toFixed(0).padStart(6)} ${rss.toFixed(0).padStart(8)} ${duck.toFixed(0).padStart(11)} ${heap.toFixed(0).padStart(18)} ${(rss - duck - heap).toFixed(0).padStart(9)}` +
        ` ${kinds.glibc.toFixed(0).padStart(10)} ${kinds.otherAnon.toFixed(0).padStart(15)} ${String(storage.segments).padStart(10)} ${String(storage.blocks).padStart(8)}`,
    );
  }
}
await writer.flush();
if (process.env.EXIT_HARD) process.exit(0);
conn.closeSync();
if (process.env.REATTACH) {
  const step = async (name: string) => {
    const duck = ((await queryOne<{ b: number }>(db.conn, 'SELECT sum(memory_usage_bytes)::DOUBLE AS b FROM duckdb_memory()'))?.b ?? 0) / MB;
    console.log(`${name}: glibc's heaps ${rssByKind(process.pid).glibc.toFixed(1)} MB, RSS ${(process.memoryUsage().rss / MB).toFixed(0)} MB, DuckDB ${duck.toFixed(0)} MB`);
  };
  await step('before the detach');
  await ws.close();
  await step('after the detach');
  ws = await Workspace.open(db.conn, wsDir, (c) => guessRoles(c).mapping);
  await step('after the attach (Workspace.open, its summary query included)');
  await new Promise((r) => setTimeout(r, 3000));
  await step('3 s later');
  // Setting memory_limit makes DuckDB purge all of its jemalloc arenas and malloc_trim: what is
  // left after it is in use, not merely unreturned.
  await db.conn.run(`SET memory_limit = '${configuredMemoryLimit(db.instance)}'`);
  await step('after a forced purge (SET memory_limit)');
}
trimConn.closeSync();
await ws.close();
db.close();
