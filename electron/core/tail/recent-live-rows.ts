import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteIdent } from '../db/duckdb';
import { REQUESTS, SOURCE_COLUMN } from '../workspace/ingest-partitions';
import type { AnalyticsRecord } from './live-analytics';

/** Rows handed over at a time: memory holds one batch, however long the hour was. */
const BATCH_ROWS = 20_000;

/**
 * The rows a service's tail stored from `sinceMs` (event time) on, in batches, with just the
 * fields the live analytics count: what a resumed tail replays so its rolling hour is whole.
 * Streamed from DuckDB in the order they were stored (the order the tail saw them, which the
 * CUSUM needs), without a sort, so an hour at 1,000 events/s is never in memory at once.
 */
export async function* recentLiveRows(conn: DuckDBConnection, source: string, sinceMs: number): AsyncGenerator<AnalyticsRecord[]> {
  const result = await conn.stream(
    `SELECT strftime(ts, '%Y-%m-%dT%H:%M:%S.%gZ') AS ts, deployment, model_version, status, judge_score, input_embedding,
            input_tokens, output_tokens, refused, output_format, format_ok
     FROM ${REQUESTS}
     WHERE ${quoteIdent(SOURCE_COLUMN)} = $1 AND ts >= make_timestamp($2::BIGINT * 1000)`,
    [source, BigInt(Math.floor(sinceMs))],
  );
  let batch: AnalyticsRecord[] = [];
  for await (const rows of result.yieldRowObjectJs()) {
    for (const r of rows) batch.push(r as unknown as AnalyticsRecord);
    if (batch.length >= BATCH_ROWS) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}
