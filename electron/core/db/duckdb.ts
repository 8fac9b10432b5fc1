import { DuckDBInstance, listValue, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import os from 'node:os';
import path from 'node:path';

/** Bound values; plain JS arrays of strings or numbers bind as DuckDB lists. */
export type Param = DuckDBValue | string[] | number[];
export type Params = Param[] | Record<string, Param>;
export type Row = Record<string, unknown>;

export interface Database {
  readonly instance: DuckDBInstance;
  readonly conn: DuckDBConnection;
  close(): void;
}

export interface OpenOptions {
  /** File path for a persistent database; omit for in-memory. */
  file?: string;
  /** e.g. '4GB'; DuckDB's default (~80% of RAM) is too greedy for a desktop app. */
  memoryLimit?: string;
  threads?: number;
}

const memoryLimits = new WeakMap<DuckDBInstance, string>();

/** The memory_limit an instance was opened with, to restore it exactly after a trim. */
export function configuredMemoryLimit(instance: DuckDBInstance): string | undefined {
  return memoryLimits.get(instance);
}

export async function openDatabase(opts: OpenOptions = {}): Promise<Database> {
  const memoryLimit = opts.memoryLimit ?? defaultMemoryLimit();
  const instance = await DuckDBInstance.create(opts.file ?? ':memory:', {
    memory_limit: memoryLimit,
    // Checkpoint after 64 MB of WAL instead of DuckDB's 16 MB. The live tail appends a few
    // thousand rows per commit, and every automatic checkpoint rewrites the table's last,
    // partly filled row group (122,880 rows) from its start: at 16 MB (~13k tail rows of ~1.2 KB)
    // each row group was rewritten ~4 times before it filled. Measured on 150k rows of tail
    // records: checkpoints every 15k rows cost 5.0 s in all, every 50k 3.1 s, one at the end
    // 1.2 s; tail ingest 75–88 → 57–63 µs of CPU per event. The price: up to 64 MB of WAL on
    // disk to replay after a crash, and its rows held in memory until the checkpoint.
    wal_autocheckpoint: '64MB',
    // Give freed memory back to the OS about a second after a query frees it. DuckDB's bundled
    // jemalloc otherwise purges an arena only when that arena allocates again, so what a big
    // one-off query freed (the workspace summary at open, a drift scan) stayed resident until
    // the next big query: opening a workspace of 600k tail rows left RSS at 567 MB three
    // seconds later, 300 MB with these threads (test/bench/tail-writer-memory-bench.ts,
    // REATTACH=1). jemalloc's own purging threads; nothing else changes.
    allocator_background_threads: 'true',
    temp_directory: path.join(os.tmpdir(), 'loupe-duckdb-spill'),
    ...(opts.threads ? { threads: String(opts.threads) } : {}),
  });
  memoryLimits.set(instance, memoryLimit);
  const conn = await instance.connect();
  return {
    instance,
    conn,
    close() {
      conn.closeSync();
      instance.closeSync();
    },
  };
}

export function bind(params?: Params): DuckDBValue[] | Record<string, DuckDBValue> | undefined {
  if (!params) return undefined;
  const one = (v: Param): DuckDBValue => (Array.isArray(v) ? listValue(v) : v);
  return Array.isArray(params) ? params.map(one) : Object.fromEntries(Object.entries(params).map(([k, v]) => [k, one(v)]));
}

function defaultMemoryLimit(): string {
  const gb = Math.max(1, Math.floor((os.totalmem() / 2 ** 30) * 0.4));
  return `${gb}GB`;
}

/**
 * Runs a query with bound parameters and returns plain JS rows. BIGINT/HUGEINT become
 * numbers (precision beyond 2^53 is not needed for counts and ids we show), so results
 * can cross JSON boundaries; the one conversion rule lives here.
 */
export async function queryRows<T extends object = Row>(
  conn: DuckDBConnection,
  sql: string,
  params?: Params,
): Promise<T[]> {
  const reader = await conn.runAndReadAll(sql, bind(params));
  return reader.getRowObjectsJS().map((r) => normalizeRow(r) as T);
}

export async function queryOne<T extends object = Row>(
  conn: DuckDBConnection,
  sql: string,
  params?: Params,
): Promise<T | undefined> {
  const rows = await queryRows<T>(conn, sql, params);
  return rows[0];
}

export function normalizeValue(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (Array.isArray(v)) return v.map(normalizeValue);
  if (v instanceof Date) return v.toISOString();
  if (v && typeof v === 'object') return normalizeRow(v as Row);
  return v;
}

function normalizeRow(r: Row): Row {
  const out: Row = {};
  for (const [k, v] of Object.entries(r)) out[k] = normalizeValue(v);
  return out;
}

/** Quotes an identifier taken from a workspace schema (never from free user text). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A SQL string literal, for the few places DuckDB cannot bind (e.g. read_parquet's file list). */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
