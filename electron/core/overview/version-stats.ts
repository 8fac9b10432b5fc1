import type { DuckDBConnection } from '@duckdb/node-api';
import type { RoleMapping, SingleRole } from '../../../shared/roles';
import { queryRows, quoteIdent } from '../db/duckdb';

export interface VersionStats {
  version: string | null;
  requests: number;
  judged: number;
  judgeMean: number | null;
  /** 95% interval of the judge mean: mean ± 1.96 · sd / √n (normal approximation). */
  judgeLow: number | null;
  judgeHigh: number | null;
  errorRate: number | null;
  refusalRate: number | null;
  formatOkRate: number | null;
  latencyP50: number | null;
  latencyP95: number | null;
  firstSeen: string | null;
  lastSeen: string | null;
}

/**
 * Per model version: volume, judge mean with its 95% interval, error, refusal and format-ok
 * rates, latency percentiles. One GROUP BY in DuckDB; roles that are not mapped give nulls.
 * `since`/`until` bound the time window when a timestamp role exists.
 */
export async function versionStats(
  conn: DuckDBConnection,
  relation: string,
  roles: RoleMapping,
  window?: { since?: string; until?: string },
): Promise<VersionStats[]> {
  const col = (r: SingleRole) => (roles.roles[r] ? quoteIdent(roles.roles[r]!.column) : null);
  const version = col('model_version') ?? 'NULL';
  const judge = col('judge_score');
  const status = col('status');
  const error = col('error');
  const refused = col('refused');
  const formatOk = col('format_ok');
  const latency = col('latency');
  const ts = col('timestamp');
  // An error is a non-ok status, or any error value when there is no status column.
  const isError = status
    ? `lower(${status}::VARCHAR) NOT IN ('ok', 'success', '200', 'status_code_ok', 'unset')`
    : error
      ? `${error} IS NOT NULL AND ${error}::VARCHAR <> ''`
      : null;
  const where: string[] = [];
  const params: string[] = [];
  if (ts && window?.since) {
    params.push(window.since);
    where.push(`${ts} >= $${params.length}::TIMESTAMP`);
  }
  if (ts && window?.until) {
    params.push(window.until);
    where.push(`${ts} < $${params.length}::TIMESTAMP`);
  }
  const rows = await queryRows<{
    version: string | null;
    requests: number;
    judged: number;
    mean: number | null;
    sd: number | null;
    error_rate: number | null;
    refusal_rate: number | null;
    format_ok_rate: number | null;
    p50: number | null;
    p95: number | null;
    first_seen: string | null;
    last_seen: string | null;
  }>(
    conn,
    `SELECT ${version}::VARCHAR AS version,
            count(*) AS requests,
            ${judge ? `count(${judge})` : '0'} AS judged,
            ${judge ? `avg(${judge})::DOUBLE` : 'NULL'} AS mean,
            ${judge ? `stddev_samp(${judge})::DOUBLE` : 'NULL'} AS sd,
            ${isError ? `avg(CASE WHEN ${isError} THEN 1.0 ELSE 0.0 END)` : 'NULL'} AS error_rate,
            ${refused ? `avg(${refused}::INTEGER)::DOUBLE` : 'NULL'} AS refusal_rate,
            ${formatOk ? `avg(${formatOk}::INTEGER)::DOUBLE` : 'NULL'} AS format_ok_rate,
            ${latency ? `quantile_cont(${latency}, 0.5)::DOUBLE` : 'NULL'} AS p50,
            ${latency ? `quantile_cont(${latency}, 0.95)::DOUBLE` : 'NULL'} AS p95,
            ${ts ? `strftime(min(${ts})::TIMESTAMP, '%Y-%m-%dT%H:%M:%SZ')` : 'NULL'} AS first_seen,
            ${ts ? `strftime(max(${ts})::TIMESTAMP, '%Y-%m-%dT%H:%M:%SZ')` : 'NULL'} AS last_seen
       FROM ${relation} ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
      GROUP BY 1 ORDER BY first_seen NULLS LAST, version`,
    params,
  );
  return rows.map((r) => {
    const half = r.mean != null && r.sd != null && r.judged > 1 ? (1.96 * r.sd) / Math.sqrt(r.judged) : null;
    return {
      version: r.version,
      requests: r.requests,
      judged: r.judged,
      judgeMean: r.mean,
      judgeLow: half != null ? r.mean! - half : null,
      judgeHigh: half != null ? r.mean! + half : null,
      errorRate: r.error_rate,
      refusalRate: r.refusal_rate,
      formatOkRate: r.format_ok_rate,
      latencyP50: r.p50,
      latencyP95: r.p95,
      firstSeen: r.first_seen,
      lastSeen: r.last_seen,
    };
  });
}
