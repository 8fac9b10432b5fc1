import type { DuckDBConnection } from '@duckdb/node-api';
import { quoteLiteral } from '../../../electron/core/db/duckdb';

/**
 * Schema-v1-like request logs with planted drift, written by DuckDB (deterministic: every
 * random draw is hash(i, salt), not random()). Eight days from 2026-11-01; the last 24 h
 * (from 2026-11-08) is the current window under the default windows.
 *
 * Planted incidents, all in the current window only:
 * - format break:          route = 'billing'   → format_ok false 60 % (else 2 %)     → output axis
 * - retrieval regression:  locale = 'de'       → judge mean 0.45 (else 0.80)          → quality axis
 * - topic shift:           route = 'search'    → 70 % of prompts on a new topic        → input axis
 * - bad version:           model_version 'v2'  → judge mean −0.25 in the last 3 hours → judge alert
 * Everything else (output tokens, refusals, other slices) is stationary.
 */
export const DATA_START = '2026-11-01 00:00:00';
export const CURRENT_START = '2026-11-08 00:00:00';
export const DATA_END = '2026-11-09 00:00:00';
export const EMBEDDING_DIMS = 16;

export interface DriftDataOptions {
  rows: number;
  /** Share of requests with a judge score (default 0.1). */
  judgeRate?: number;
  /**
   * 'small' (default): route 3, locale 4, tenant_tier 3, model_version 2, deployment 2 values
   * (91 slices). 'wide': 12, 16, 4, 6, 6 values — 769 slices, the issue's "about 800".
   */
  cardinality?: 'small' | 'wide';
  embeddingDims?: number;
  /** Which planted incidents are on (default: all). */
  incidents?: Partial<Record<Incident, boolean>>;
}

export type Incident = 'format' | 'retrieval' | 'topic' | 'badVersion';

/** SELECT producing the rows (no trailing semicolon). */
const u = (k: number) => `((hash(i, ${k}) % 1000003) / 1000003.0)`;

export function driftDataSql(opts: DriftDataOptions): string {
  const n = Math.floor(opts.rows);
  const judgeRate = opts.judgeRate ?? 0.1;
  const wide = opts.cardinality === 'wide';
  const dims = opts.embeddingDims ?? EMBEDDING_DIMS;
  const values = (first: string[], total: number, prefix: string) =>
    [...first, ...Array.from({ length: Math.max(0, total - first.length) }, (_, k) => `${prefix}${k + first.length}`)];
  const pick = (list: string[], k: number) => `[${list.map(quoteLiteral).join(', ')}][1 + CAST(floor(${u(k)} * ${list.length}) AS INTEGER)]`;
  const routes = values(['support', 'search', 'billing'], wide ? 12 : 3, 'route-');
  const locales = values(['en', 'de', 'fr', 'ja'], wide ? 16 : 4, 'loc-');
  const tiers = values(['free', 'pro', 'enterprise'], wide ? 4 : 3, 'tier-');
  const versions = wide ? ['v1', 'v2', 'v3', 'v4', 'v5', 'v6'] : ['v1', 'v2'];
  const deployments = values(['prod-a', 'prod-b'], wide ? 6 : 2, 'prod-');
  const on = (i: Incident) => (opts.incidents?.[i] === false ? 'false' : 'true');
  const spanMicros = 8 * 24 * 3600 * 1_000_000;
  // u(i, k): uniform [0, 1) from a hash; z(i, k): standard normal by Box–Muller.
  const z = (k: number) => `(sqrt(-2 * ln(1 - ${u(k)})) * cos(2 * pi() * ${u(k + 100)}))`;
  return `
    WITH r AS (
      SELECT i,
             TIMESTAMP ${quoteLiteral(DATA_START)} + to_microseconds(CAST(i * (${spanMicros} / ${n}) AS BIGINT)) AS ts,
             ${pick(routes, 1)} AS route,
             ${pick(locales, 2)} AS locale,
             ${pick(tiers, 3)} AS tenant_tier,
             ${pick(versions, 4)} AS model_version,
             ${pick(deployments, 5)} AS deployment
        FROM range(${n}) t(i)
    ), f AS (
      SELECT *,
             ts >= TIMESTAMP ${quoteLiteral(CURRENT_START)} AS cur,
             ${on('badVersion')} AND ts >= TIMESTAMP ${quoteLiteral(DATA_END)} - INTERVAL 3 HOUR AND model_version = 'v2' AS bad_hours
        FROM r
    ), g AS (
      SELECT *,
             CASE WHEN ${on('topic')} AND cur AND route = 'search' AND ${u(11)} < 0.7 THEN 4 ELSE CAST(floor(${u(12)} * 4) AS INTEGER) END AS topic
        FROM f
    )
    SELECT 'req-' || i AS request_id, ts, deployment, model_version, 'p1' AS prompt_revision,
           route, locale, tenant_tier,
           'sess-' || (i // 5) AS session_id, 'trace-' || i AS trace_id,
           'prompt ' || i AS prompt, '[]' AS retrieval, '[]' AS tool_calls, 'response ' || i AS response,
           CAST(200 + 40 * ${z(20)} AS INTEGER) AS latency_ms,
           CAST(300 + 50 * ${z(22)} AS INTEGER) AS input_tokens,
           greatest(1, CAST(round(120 + 30 * ${z(24)}) AS INTEGER)) AS output_tokens,
           'ok' AS status, CAST(NULL AS VARCHAR) AS error_code,
           ${u(8)} < 0.03 AS refused,
           CASE WHEN route = 'billing' THEN 'json' ELSE 'text' END AS output_format,
           CASE WHEN ${on('format')} AND cur AND route = 'billing' THEN ${u(9)} >= 0.6 ELSE ${u(9)} >= 0.02 END AS format_ok,
           CASE WHEN ${u(13)} < 0.05 THEN 'up' WHEN ${u(13)} < 0.07 THEN 'down' END AS feedback,
           CASE WHEN ${u(10)} < ${judgeRate}
                THEN least(1.0, greatest(0.0,
                       (CASE WHEN ${on('retrieval')} AND cur AND locale = 'de' THEN 0.45 ELSE 0.80 END)
                       - (CASE WHEN bad_hours THEN 0.25 ELSE 0 END)
                       + 0.1 * ${z(30)}))
           END AS judge_score,
           CAST(NULL AS VARCHAR) AS judge_rationale,
           CASE WHEN ${u(14)} < 0.02 THEN NULL
                ELSE CAST(list_transform(range(${dims}),
                       lambda j: (CASE WHEN j // 3 = topic THEN 1.0 ELSE 0.0 END) + 0.25 * ((hash(i, 1000 + j) % 1000003) / 1000003.0 - 0.5))
                     AS FLOAT[])
           END AS input_embedding
      FROM g`;
}

/** Writes the data as Parquet: one file, or hive partitions by day (or hour) when `partitioned`. */
export async function writeDriftData(
  conn: DuckDBConnection,
  target: string,
  opts: DriftDataOptions & { partitioned?: boolean | 'day' | 'hour' },
): Promise<void> {
  if (opts.partitioned) {
    const hourly = opts.partitioned === 'hour';
    await conn.run(
      `COPY (SELECT *, strftime(ts, '%Y-%m-%d') AS day${hourly ? `, strftime(ts, '%H') AS hour` : ''} FROM (${driftDataSql(opts)}))
         TO ${quoteLiteral(target)} (FORMAT parquet, PARTITION_BY (day${hourly ? ', hour' : ''}), COMPRESSION zstd, OVERWRITE_OR_IGNORE)`,
    );
  } else {
    await conn.run(`COPY (${driftDataSql(opts)}) TO ${quoteLiteral(target)} (FORMAT parquet, COMPRESSION zstd)`);
  }
}
