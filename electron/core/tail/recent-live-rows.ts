import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, quoteIdent } from '../db/duckdb';
import { REQUESTS, SOURCE_COLUMN } from '../workspace/ingest-partitions';
import type { AnalyticsRecord } from './live-analytics';

/**
 * The rows a service's tail stored from `sinceMs` (event time) on, oldest first, with just the
 * fields the live analytics count: what a resumed tail replays so its rolling hour is whole.
 */
export async function recentLiveRows(conn: DuckDBConnection, source: string, sinceMs: number): Promise<AnalyticsRecord[]> {
  const rows = await queryRows<Omit<AnalyticsRecord, 'input_embedding'> & { input_embedding: number[] | null }>(
    conn,
    `SELECT strftime(ts, '%Y-%m-%dT%H:%M:%S.%gZ') AS ts, deployment, model_version, status, judge_score, input_embedding,
            input_tokens, output_tokens, refused, output_format, format_ok
     FROM ${REQUESTS}
     WHERE ${quoteIdent(SOURCE_COLUMN)} = $1 AND ts >= make_timestamp($2::BIGINT * 1000)
     ORDER BY ts`,
    [source, Math.floor(sinceMs)],
  );
  return rows;
}
