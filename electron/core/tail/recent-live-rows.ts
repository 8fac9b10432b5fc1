import type { DuckDBConnection } from '@duckdb/node-api';
import { queryOne, quoteIdent } from '../db/duckdb';
import { REQUESTS, SOURCE_COLUMN } from '../workspace/ingest-partitions';
import type { AnalyticsRecord } from './live-analytics';

/** Rows handed over at a time: memory holds one batch, however long the hour was. */
const BATCH_ROWS = 20_000;

/**
 * The rows a service's tail stored with event times in [fromMs, toMs], in batches, with just the
 * fields the live analytics count: what a resumed tail replays so its rolling hour is whole.
 * Streamed from DuckDB in the order they were stored (the order the tail saw them, which the
 * CUSUM needs), without a sort, so an hour at 1,000 events/s is never in memory at once. The
 * query starts, and so sees the table as it is, before this returns: rows committed afterwards
 * (by the resumed stream) are not replayed as well.
 */
export async function recentLiveRows(conn: DuckDBConnection, source: string, fromMs: number, toMs: number): Promise<AsyncGenerator<AnalyticsRecord[]>> {
  const result = await conn.stream(
    `SELECT epoch_ms(ts)::DOUBLE AS ms, deployment, model_version, status, judge_score, input_embedding,
            input_tokens, output_tokens, refused, output_format, format_ok
     FROM ${REQUESTS}
     WHERE ${quoteIdent(SOURCE_COLUMN)} = $1 AND ts BETWEEN make_timestamp($2::BIGINT * 1000) AND make_timestamp($3::BIGINT * 1000)`,
    [source, BigInt(Math.floor(fromMs)), BigInt(Math.ceil(toMs))],
  );
  return (async function* () {
    let batch: AnalyticsRecord[] = [];
    for await (const rows of result.yieldRowObjectJs()) {
      for (const { ms, ...r } of rows) batch.push({ ...(r as Omit<AnalyticsRecord, 'ts'>), ts: new Date(ms as number).toISOString() });
      if (batch.length >= BATCH_ROWS) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length) yield batch;
  })();
}

/** The newest event time this service's tail stored (for cursors saved before it was recorded). */
export async function newestLiveRow(conn: DuckDBConnection, source: string): Promise<number | null> {
  const row = await queryOne<{ ms: number | null }>(conn, `SELECT epoch_ms(max(ts))::DOUBLE AS ms FROM ${REQUESTS} WHERE ${quoteIdent(SOURCE_COLUMN)} = $1`, [source]);
  return row?.ms ?? null;
}
