import type { DuckDBConnection, DuckDBDataChunk } from '@duckdb/node-api';
import type { LogRecord } from '../../../shared/log-schema';
import type { Quarantined } from './parse-tail-event';
import { SOURCE_COLUMN } from '../workspace/ingest-partitions';
import { WS } from '../workspace/layout';
import { CHUNK_ROWS, chunkLayout, fillChunks, sameLayout, v1Layout, type ChunkColumn } from './record-chunks';
import { createStaging, existingIds, moveStagedRows, quarantineRows, requestsColumns, saveCursor, STAGING } from './tail-tables';

export interface TailWriterOptions {
  /** Flush when this many events wait… */
  batchRows?: number;
  /** …or this long after the first one arrived (the issue's ~250 ms). */
  flushMs?: number;
  /** Called after each commit with the records that were new to the workspace. */
  onCommitted?: (added: LogRecord[], batch: { duplicates: number; quarantined: number; cursor: number | null }) => void;
}

/**
 * Batches tail events into the workspace: one transaction per batch finds the request ids the
 * workspace already holds, appends the new rows into `requests` with the DuckDB Appender (as
 * data chunks, record-chunks.ts), records the quarantined events and saves the cursor. Rows and
 * cursor commit together, so after a crash the stream resumes exactly after the last committed
 * event. Commits never overlap; while one runs the next batch is filled into chunks, and a
 * producer that outruns them waits in `add`, which backs the socket up instead of growing memory.
 */
export class TailWriter {
  private records: LogRecord[] = [];
  private bad: Quarantined[] = [];
  private cursor: number | null = null;
  private dirtyCursor = false;
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<void> = Promise.resolve();
  private failure: Error | null = null;
  /** Batches handed to the commit chain and not committed yet. */
  private queued = 0;
  private readonly batchRows: number;
  private readonly flushMs: number;
  /** How records fill `requests` as last seen (null: not looked yet, or it needs staging). */
  private layout: ChunkColumn[] | null = null;
  /** Filled chunks go back here once appended; dropped when the layout changes. */
  private pool: DuckDBDataChunk[] = [];
  /** The pool keeps at most the chunks of the batches that may be filled at once (see flush). */
  private readonly poolMax: number;

  constructor(
    private readonly conn: DuckDBConnection,
    private readonly source: string,
    private readonly opts: TailWriterOptions = {},
  ) {
    this.batchRows = opts.batchRows ?? 5000;
    this.flushMs = opts.flushMs ?? 250;
    this.poolMax = FILLED_AHEAD * Math.ceil(this.batchRows / CHUNK_ROWS);
  }

  add(r: LogRecord, cursor: number | null): Promise<void> | void {
    this.records.push(r);
    return this.noted(cursor);
  }

  quarantine(q: Quarantined): Promise<void> | void {
    this.bad.push(q);
    return this.noted(q.cursor);
  }

  /** Waits for everything received so far to be committed. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const records = this.records;
    const bad = this.bad;
    const cursor = this.dirtyCursor ? this.cursor : null;
    this.records = [];
    this.bad = [];
    this.dirtyCursor = false;
    if (records.length === 0 && bad.length === 0 && cursor === null) return this.chain;
    // The batch's chunks are filled now, on this thread, while the previous batch may still be
    // committing on DuckDB's: the two overlap instead of taking turns. Only the committing batch
    // and the two behind it (as many as the back-pressure in `noted` lets through) are filled
    // ahead: during a stall (a checkpoint) the timer keeps cutting batches, and filling each
    // ahead made a chunk per batch, which the pool then kept for good — the pool grew with the
    // longest stall yet (5 → 22 chunks in six minutes at 1,000 events/s).
    const batch = this.prepare(records, this.queued < FILLED_AHEAD);
    this.queued++;
    this.chain = this.chain
      .then(() => this.commit(batch, bad, cursor))
      .catch((err: Error) => {
        this.failure = err;
      })
      .finally(() => this.queued--);
    return this.chain.then(() => {
      if (this.failure) throw this.failure;
    });
  }

  private noted(cursor: number | null): Promise<void> | void {
    if (this.failure) throw this.failure;
    if (cursor != null && (this.cursor == null || cursor > this.cursor)) {
      this.cursor = cursor;
      this.dirtyCursor = true;
    }
    if (this.records.length + this.bad.length >= this.batchRows) {
      // One batch commits while the next waits its turn and a third fills. A full batch that
      // finds an older one still queued waits for that one only (not for its own commit, which
      // left the reader idle while two commits ran back to back): memory stays at three batches
      // and the socket backs up instead.
      const older = this.chain;
      void this.flush().catch(() => {});
      if (this.queued >= 2) {
        return older.then(() => {
          if (this.failure) throw this.failure;
        });
      }
      return;
    }
    if (!this.timer) this.timer = setTimeout(() => void this.flush().catch(() => {}), this.flushMs);
  }

  private prepare(records: LogRecord[], fillAhead: boolean): Batch {
    // Repeats inside the batch (a resent event) keep their first occurrence.
    const ids = new Set<string>();
    const unique: LogRecord[] = [];
    let min = Infinity;
    let max = -Infinity;
    for (const r of records) {
      if (ids.has(r.request_id)) continue;
      ids.add(r.request_id);
      unique.push(r);
      const t = Date.parse(r.ts);
      if (t < min) min = t;
      if (t > max) max = t;
    }
    const layout = this.layout;
    let chunks: DuckDBDataChunk[] | null = null;
    try {
      if (fillAhead && layout && unique.length) chunks = fillChunks(layout, unique, this.pool);
    } catch {
      // The commit fills them again, where a failure stops the stream as any commit error does.
    }
    return { received: records.length, unique, ids: [...ids], min, max, layout, chunks };
  }

  private async commit(batch: Batch, bad: Quarantined[], cursor: number | null): Promise<void> {
    let fresh = batch.unique;
    await this.conn.run('BEGIN TRANSACTION');
    try {
      if (fresh.length) {
        const skip = new Set(await existingIds(this.conn, toSqlTs(batch.min), toSqlTs(batch.max), batch.ids));
        if (skip.size) {
          fresh = fresh.filter((r) => !skip.has(r.request_id));
          this.release(batch); // filled with the rows the workspace already holds
        }
        if (fresh.length) await this.insert(fresh, batch);
      }
      await quarantineRows(this.conn, this.source, bad);
      if (cursor != null) await saveCursor(this.conn, this.source, cursor, fresh.length ? toSqlTs(batch.max) : null);
      await this.conn.run('COMMIT');
    } catch (err) {
      await this.conn.run('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      this.release(batch);
    }
    this.opts.onCommitted?.(fresh, { duplicates: batch.received - fresh.length, quarantined: bad.length, cursor });
  }

  /**
   * Appends the rows into `requests` in the open transaction, through staging if need be. Going
   * straight in also keeps memory flat: the TEMP staging table every batch used to pass through
   * kept every row it ever held (see moveStagedRows).
   */
  private async insert(rows: LogRecord[], batch: Batch): Promise<void> {
    let appender = await this.conn.createAppender('requests', 'main', WS);
    try {
      if (!this.layout || !sameLayout(appender, this.layout)) {
        // First batch, a table that needs staging, or one that changed under us (an export sync
        // added columns): look again.
        const { names, constrained } = await requestsColumns(this.conn);
        this.layout = chunkLayout(appender, names, { [SOURCE_COLUMN]: this.source }, constrained);
        this.pool = [];
      }
      const layout = this.layout;
      if (layout) {
        const chunks = batch.chunks && batch.layout === layout ? batch.chunks : fillChunks(layout, rows, this.pool);
        batch.chunks = chunks;
        batch.layout = layout;
        for (const chunk of chunks) appender.appendDataChunk(chunk);
        appender.flushSync();
        return;
      }
    } finally {
      appender.closeSync();
    }
    await createStaging(this.conn);
    appender = await this.conn.createAppender(STAGING, 'main', 'temp');
    try {
      const types = Array.from({ length: appender.columnCount }, (_, i) => appender.columnType(i));
      for (const chunk of fillChunks(v1Layout(types), rows, [])) appender.appendDataChunk(chunk);
      appender.flushSync();
    } finally {
      appender.closeSync();
    }
    await moveStagedRows(this.conn, this.source);
  }

  /** Gives a batch's chunks back to the pool, if they still fit the current layout and it has room. */
  private release(batch: Batch): void {
    if (batch.chunks && batch.layout === this.layout) {
      for (const chunk of batch.chunks) {
        if (this.pool.length >= this.poolMax) break;
        // Emptied now rather than at the next fill: a pooled chunk would otherwise hold its last
        // batch's text, in DuckDB's vectors and in the JS values its vectors cache.
        chunk.reset();
        chunk.rowCount = 0;
        this.pool.push(chunk);
      }
    }
    batch.chunks = null;
  }
}

/** Batches whose chunks may be filled at once: the committing one and two waiting. */
const FILLED_AHEAD = 3;

interface Batch {
  /** Events in the batch, repeats included. */
  received: number;
  unique: LogRecord[];
  ids: string[];
  min: number;
  max: number;
  /** `unique` filled into chunks of `layout` ahead of the commit (null when it was not known yet). */
  layout: ChunkColumn[] | null;
  chunks: DuckDBDataChunk[] | null;
}

/** Epoch ms → the naive UTC timestamp text the table stores. */
export function toSqlTs(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}
