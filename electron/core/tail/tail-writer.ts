import { DuckDBTimestampValue, type DuckDBAppender, type DuckDBConnection } from '@duckdb/node-api';
import type { LogRecord } from '../../../shared/log-schema';
import type { Quarantined } from './parse-tail-event';
import { clearStaging, existingIds, moveStagedRows, quarantineRows, saveCursor, STAGING } from './tail-tables';

export interface TailWriterOptions {
  /** Flush when this many events wait… */
  batchRows?: number;
  /** …or this long after the first one arrived (the issue's ~250 ms). */
  flushMs?: number;
  /** Called after each commit with the records that were new to the workspace. */
  onCommitted?: (added: LogRecord[], batch: { duplicates: number; quarantined: number; cursor: number | null }) => void;
}

/**
 * Batches tail events into the workspace: the DuckDB Appender fills the staging table, then
 * one transaction moves the new rows into `requests`, records the quarantined events and saves
 * the cursor. Rows and cursor commit together, so after a crash the stream resumes exactly
 * after the last committed event. Flushes never overlap; a full batch makes `add` wait for its
 * flush, which backs the socket up instead of growing memory.
 */
export class TailWriter {
  private records: Array<{ r: LogRecord; cursor: number | null }> = [];
  private bad: Quarantined[] = [];
  private cursor: number | null = null;
  private dirtyCursor = false;
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<void> = Promise.resolve();
  private failure: Error | null = null;
  private inFlight = 0;
  private readonly batchRows: number;
  private readonly flushMs: number;

  constructor(
    private readonly conn: DuckDBConnection,
    private readonly source: string,
    private readonly opts: TailWriterOptions = {},
  ) {
    this.batchRows = opts.batchRows ?? 5000;
    this.flushMs = opts.flushMs ?? 250;
  }

  add(r: LogRecord, cursor: number | null): Promise<void> | void {
    this.records.push({ r, cursor });
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
    this.chain = this.chain.then(() => this.commit(records, bad, cursor)).catch((err: Error) => {
      this.failure = err;
    });
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
      // One batch commits while the next fills; only a second full batch waits for it.
      const committing = this.flush();
      if (this.inFlight++ >= 1) return committing.finally(() => this.inFlight--);
      void committing.catch(() => {}).finally(() => this.inFlight--);
      return;
    }
    if (!this.timer) this.timer = setTimeout(() => void this.flush().catch(() => {}), this.flushMs);
  }

  private async commit(batch: Array<{ r: LogRecord; cursor: number | null }>, bad: Quarantined[], cursor: number | null): Promise<void> {
    const received = batch.length;
    // Repeats inside the batch (a resent event) keep their first occurrence.
    const seen = new Set<string>();
    batch = batch.filter(({ r }) => !seen.has(r.request_id) && Boolean(seen.add(r.request_id)));
    let skip = new Set<string>();
    if (batch.length) {
      const appender = await this.conn.createAppender(STAGING, 'main', 'temp');
      try {
        for (const { r, cursor: c } of batch) appendRecord(appender, r, c);
        appender.flushSync();
      } finally {
        appender.closeSync();
      }
    }
    await this.conn.run('BEGIN TRANSACTION');
    try {
      if (batch.length) {
        let min = Infinity;
        let max = -Infinity;
        for (const { r } of batch) {
          const t = Date.parse(r.ts);
          if (t < min) min = t;
          if (t > max) max = t;
        }
        skip = new Set(await existingIds(this.conn, toSqlTs(min), toSqlTs(max)));
        await moveStagedRows(this.conn, this.source, [...skip]);
      }
      await quarantineRows(this.conn, this.source, bad);
      if (cursor != null) await saveCursor(this.conn, this.source, cursor);
      await this.conn.run('COMMIT');
    } catch (err) {
      await this.conn.run('ROLLBACK').catch(() => {});
      throw err;
    } finally {
      if (batch.length) await clearStaging(this.conn);
    }
    const fresh = skip.size ? batch.filter(({ r }) => !skip.has(r.request_id)).map(({ r }) => r) : batch.map(({ r }) => r);
    this.opts.onCommitted?.(fresh, { duplicates: received - fresh.length, quarantined: bad.length, cursor });
  }
}

/** Epoch ms → the naive UTC timestamp text the table stores. */
export function toSqlTs(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

function str(a: DuckDBAppender, v: string | null): void {
  if (v === null) a.appendNull();
  else a.appendVarchar(v);
}

function int(a: DuckDBAppender, v: number | null): void {
  if (v === null) a.appendNull();
  else a.appendInteger(v);
}

/** Column by column in schema-v1 order (logColumnsV1), then the cursor. */
function appendRecord(a: DuckDBAppender, r: LogRecord, cursor: number | null): void {
  a.appendVarchar(r.request_id);
  a.appendTimestamp(new DuckDBTimestampValue(BigInt(Date.parse(r.ts)) * 1000n));
  a.appendVarchar(r.deployment);
  a.appendVarchar(r.model_version);
  a.appendVarchar(r.prompt_revision);
  a.appendVarchar(r.route);
  a.appendVarchar(r.locale);
  a.appendVarchar(r.tenant_tier);
  a.appendVarchar(r.session_id);
  a.appendVarchar(r.trace_id);
  a.appendVarchar(r.prompt);
  str(a, r.retrieval);
  str(a, r.tool_calls);
  a.appendVarchar(r.response);
  int(a, r.latency_ms);
  int(a, r.input_tokens);
  int(a, r.output_tokens);
  a.appendVarchar(r.status);
  str(a, r.error_code);
  a.appendBoolean(r.refused);
  a.appendVarchar(r.output_format);
  a.appendBoolean(r.format_ok);
  str(a, r.feedback);
  if (r.judge_score === null) a.appendNull();
  else a.appendDouble(r.judge_score);
  str(a, r.judge_rationale);
  if (r.input_embedding === null) a.appendNull();
  else a.appendVarchar(JSON.stringify(r.input_embedding));
  if (cursor === null) a.appendNull();
  else a.appendBigInt(BigInt(cursor));
  a.endRow();
}
