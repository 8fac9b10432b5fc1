import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { LoupeErrorValue } from '../../../shared/errors';
import { toErrorValue } from '../../../shared/errors';
import type { LiveAlert, LiveAnalytics as LiveAnalyticsValue, TailSnapshot, TailState } from '../../../shared/live';
import { configuredMemoryLimit } from '../db/duckdb';
import { trimTableCache } from '../db/table-cache';
import type { AnalyticsRecord } from './live-analytics';
import { newestLiveRow, recentLiveRows } from './recent-live-rows';
import { parseTailEvent } from './parse-tail-event';
import { runTailClient, type TailClientOptions } from './tail-client';
import { NewestRows, RateMeter } from './tail-stats';
import { loadTailPosition, prepareTailTables, quarantineCount, tailSource } from './tail-tables';
import { TailWriter, type TailWriterOptions } from './tail-writer';

/** What the runner needs from the live analytics (live-analytics.ts implements it). */
export interface LiveAnalyticsSink {
  /**
   * True when an alert condition changed: the runner evaluates at once instead of on its timer.
   * `replayed`: stored rows a resumed tail counts in again; an alert they raise is not news.
   */
  observe(records: readonly AnalyticsRecord[], opts?: { replayed?: boolean }): boolean;
  /** While on, alerts raised (on any score) are marked as coming from the replay. */
  replaying(on: boolean): void;
  evaluate(): { analytics: LiveAnalyticsValue; alerts: LiveAlert[] };
}

export interface TailRunOptions {
  instance: DuckDBInstance;
  serviceUrl: string;
  token: string;
  /** 'resume' continues after the saved cursor (or at the head when there is none). */
  from: 'resume' | 'head' | number;
  analytics?: (conn: DuckDBConnection) => Promise<LiveAnalyticsSink>;
  writer?: Omit<TailWriterOptions, 'onCommitted'>;
  client?: Pick<TailClientOptions, 'baseMs' | 'maxMs' | 'idleTimeoutMs' | 'random'>;
  /**
   * How often the hour's numbers and PSI are re-evaluated (ms). A judge alert does not wait for
   * it: the CUSUM is updated score by score and a crossing is evaluated in the same batch.
   */
  evaluateEveryMs?: number;
  /** Something changed: a caller throttles its snapshots on this. */
  onChange?: () => void;
}

const emptyAnalytics: LiveAnalyticsValue = { window: null, baseline: null, rule: '', versions: [], psi: [], minutes: [] };
/** Numbers the evaluations of every runner in the process, so a renderer tells a new one from a resend. */
let evaluations = 0;
const HOUR = 3_600_000;
/** Table blocks DuckDB may keep cached while a tail runs (see db/table-cache.ts), checked every 10 s. */
export const TAIL_TABLE_CACHE_BYTES = 32 * 2 ** 20;
const TRIM_EVERY_MS = 10_000;

/**
 * One live tail into the open workspace: the reconnecting client, validation and quarantine,
 * the batching writer, the rolling analytics and the counters the view and CLI show. It has
 * its own DuckDB connection, so its transactions never mix with the app's queries.
 */
export class TailRunner {
  readonly source: string;
  private conn: DuckDBConnection | null = null;
  private writer: TailWriter | null = null;
  private analytics: LiveAnalyticsSink | null = null;
  private readonly ac = new AbortController();
  private state: TailState = 'idle';
  private error: LoupeErrorValue | null = null;
  private received = 0;
  private ingested = 0;
  private duplicates = 0;
  private quarantined = 0;
  private reconnects = 0;
  private retry: TailSnapshot['retry'] = null;
  private cursor: number | null = null;
  private newestTs: number | null = null;
  /** The newest event time the workspace held from this service when the tail started. */
  private storedNewest: number | null = null;
  private readonly rate = new RateMeter();
  private readonly rows = new NewestRows();
  private readonly gaps: TailSnapshot['gaps'] = [];
  private pendingGap: { requested: number; oldest: number; before: number | null } | null = null;
  private evaluated: { analytics: LiveAnalyticsValue; alerts: LiveAlert[]; seq: number } = { analytics: emptyAnalytics, alerts: [], seq: 0 };
  private evalTimer: NodeJS.Timeout | null = null;
  private trimTimer: NodeJS.Timeout | null = null;
  private trimConn: DuckDBConnection | null = null;
  private trimming: Promise<void> | null = null;
  private replaying: Promise<void> | null = null;
  private readonly replayAc = new AbortController();
  private startRss = 0;
  /** Settles when the stream ends (stopped, or a refusal no retry can fix). */
  done: Promise<void> = Promise.resolve();

  constructor(private readonly o: TailRunOptions) {
    this.source = tailSource(o.serviceUrl);
  }

  async start(): Promise<void> {
    this.startRss = process.memoryUsage.rss();
    this.conn = await this.o.instance.connect();
    await prepareTailTables(this.conn);
    this.quarantined = await quarantineCount(this.conn, this.source);
    const saved = await loadTailPosition(this.conn, this.source);
    this.cursor = this.o.from === 'head' ? null : this.o.from === 'resume' ? saved.cursor : this.o.from;
    if (this.o.from === 'resume' && saved.cursor !== null) {
      // Cursors saved before the newest event time was recorded with them: read it once.
      this.storedNewest = saved.newestMs ?? (await newestLiveRow(this.conn, this.source));
    }
    this.analytics = this.o.analytics ? await this.o.analytics(this.conn) : null;
    if (this.analytics && this.storedNewest !== null) {
      const analytics = this.analytics;
      const newest = this.storedNewest;
      // Its query starts here, before the stream, so it sees only rows stored before this run;
      // reading them goes on beside the stream.
      const replay = await this.openReplay(newest).catch((err: Error) => {
        console.warn(`live tail: the last hour's stored rows could not be read: ${err.message}`);
        return null;
      });
      if (replay) this.replaying = this.replayStoredHour(analytics, replay);
    }
    this.writer = new TailWriter(this.conn, this.source, {
      ...this.o.writer,
      onCommitted: (added, b) => {
        this.ingested += added.length;
        this.duplicates += b.duplicates;
        this.rows.push(added);
        if (this.analytics?.observe(added)) this.evaluate();
        else this.o.onChange?.();
      },
    });
    this.evalTimer = setInterval(() => this.evaluate(), this.o.evaluateEveryMs ?? 2000);
    const limit = configuredMemoryLimit(this.o.instance);
    if (limit) {
      // Its own connection: a SET between the writer's statements would wait for its batch.
      const trimConn = (this.trimConn = await this.o.instance.connect());
      let warned = false;
      this.trimTimer = setInterval(() => {
        if (this.trimming) return;
        this.trimming = trimTableCache(trimConn, limit, TAIL_TABLE_CACHE_BYTES)
          .then(() => undefined)
          .catch((err: unknown) => {
            // A cache that stays is not worth stopping the stream for; say so once.
            if (!warned) console.warn(`live tail: could not trim DuckDB's table cache: ${(err as Error).message}`);
            warned = true;
          })
          .finally(() => (this.trimming = null));
      }, TRIM_EVERY_MS);
    }
    this.state = 'connecting';
    this.done = runTailClient({
      ...this.o.client,
      serviceUrl: this.o.serviceUrl,
      token: this.o.token,
      cursor: this.cursor,
      signal: this.ac.signal,
      onState: (s, detail) => {
        if (s === 'reconnecting') {
          this.reconnects++;
          if (detail) this.retry = { attempt: detail.attempt, reason: detail.reason, nextAt: new Date(Date.now() + detail.delayMs).toISOString() };
        } else if (s === 'live') this.retry = null;
        this.state = s;
        this.o.onChange?.();
      },
      onGap: (g) => {
        this.pendingGap = { ...g, before: this.newestTs };
        this.o.onChange?.();
      },
      onEvent: (e, cursor) => {
        this.received++;
        this.rate.add(1);
        if (cursor != null) this.cursor = cursor;
        const parsed = parseTailEvent(e.data, cursor, e.event);
        if (!parsed.ok) {
          this.quarantined++;
          return this.writer!.quarantine(parsed.quarantined);
        }
        const t = Date.parse(parsed.record.ts);
        if (this.pendingGap) this.closeGap(t);
        if (this.newestTs === null || t > this.newestTs) this.newestTs = t;
        return this.writer!.add(parsed.record, cursor);
      },
    }).then(
      () => this.finish(null),
      (err) => this.finish(toErrorValue(err)),
    );
  }

  /** Stops reading, commits what was received, and releases the connection. */
  async stop(): Promise<void> {
    this.ac.abort();
    await this.done;
  }

  snapshot(): TailSnapshot {
    const now = Date.now();
    return {
      state: this.state,
      service: this.o.serviceUrl,
      error: this.error,
      received: this.received,
      ingested: this.ingested,
      duplicates: this.duplicates,
      quarantined: this.quarantined,
      reconnects: this.reconnects,
      retry: this.retry,
      cursor: this.cursor,
      eventsPerSecond: this.rate.perSecond(now),
      lagMs: this.newestTs === null ? null : now - this.newestTs,
      newestEventTime: this.newestTs === null ? null : new Date(this.newestTs).toISOString(),
      gaps: this.gaps.slice(-20),
      rows: this.rows.drain(),
      analytics: this.evaluated.analytics,
      analyticsSeq: this.evaluated.seq,
      alerts: this.evaluated.alerts,
      memory: { rssBytes: process.memoryUsage.rss(), startRssBytes: this.startRss },
      at: new Date(now).toISOString(),
    };
  }

  /**
   * Resuming continues the analysis too: the rolling hour (and each version's CUSUM) takes in
   * the rows this service's tail already stored. On its own connection, beside the stream rather
   * than before it (an hour at 1,000 events/s takes most of a minute to replay, at ~70,000 rows/s,
   * test/bench/tail-replay-bench.ts); the buckets do not mind the order, and live scores that
   * reach a CUSUM before older replayed ones only make it look at the newest first.
   */
  private async openReplay(newestMs: number): Promise<{ conn: DuckDBConnection; rows: AsyncGenerator<AnalyticsRecord[]> }> {
    const conn = await this.o.instance.connect();
    try {
      return { conn, rows: await recentLiveRows(conn, this.source, newestMs - HOUR, newestMs) };
    } catch (err) {
      conn.closeSync();
      throw err;
    }
  }

  private async replayStoredHour(analytics: LiveAnalyticsSink, replay: { conn: DuckDBConnection; rows: AsyncGenerator<AnalyticsRecord[]> }): Promise<void> {
    analytics.replaying(true);
    try {
      for await (const rows of replay.rows) {
        // Stopped, or the stream ended on an error: the replay is not worth waiting for.
        if (this.replayAc.signal.aborted) break;
        analytics.observe(rows, { replayed: true });
      }
      // Evaluated while still replaying: what the stored hour raises (drift it already had) is
      // marked as such, not notified as news.
      this.evaluate();
    } catch (err) {
      console.warn(`live tail: the last hour's stored rows could not be replayed: ${(err as Error).message}`);
    } finally {
      analytics.replaying(false);
      replay.conn.closeSync();
      this.replaying = null;
    }
  }

  /** Settles when the replay of the stored hour is done (at once when there is none). */
  replayed(): Promise<void> {
    return this.replaying ?? Promise.resolve();
  }

  /** Re-evaluates the analytics now (the timer does it every few seconds). */
  evaluate(): void {
    if (!this.analytics) return;
    this.evaluated = { ...this.analytics.evaluate(), seq: ++evaluations };
    this.o.onChange?.();
  }

  private closeGap(firstAfter: number): void {
    const g = this.pendingGap!;
    this.pendingGap = null;
    // The hours the stream skipped: from the last event before the gap (this run's, or after a
    // restart the newest the workspace holds) to the first after it.
    const from = g.before ?? this.storedNewest ?? firstAfter;
    const hours: string[] = [];
    for (let h = Math.floor(from / HOUR) * HOUR; h <= firstAfter; h += HOUR) hours.push(new Date(h).toISOString());
    this.gaps.push({ requested: g.requested, oldest: g.oldest, at: new Date().toISOString(), hours });
  }

  private async finish(error: LoupeErrorValue | null): Promise<void> {
    if (this.evalTimer) clearInterval(this.evalTimer);
    if (this.trimTimer) clearInterval(this.trimTimer);
    await this.trimming; // its connection is closed below
    this.replayAc.abort();
    await this.replaying;
    try {
      await this.writer?.flush();
    } catch (err) {
      error ??= toErrorValue(err);
    }
    this.evaluate();
    this.error = error;
    this.retry = null;
    this.state = error ? 'error' : 'stopped';
    this.conn?.closeSync();
    this.conn = null;
    this.trimConn?.closeSync();
    this.trimConn = null;
    this.o.onChange?.();
  }
}
