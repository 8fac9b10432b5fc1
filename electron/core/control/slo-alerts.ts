import type { DuckDBConnection } from '@duckdb/node-api';
import type { Deployment } from '../../../shared/service-contract';
import { queryRows } from '../db/duckdb';
import type { DeploymentScope } from './deployment-scope';

export interface SloAlert {
  version: string;
  /** When the breach was first visible: the end of the first minute whose trailing window breaks the rule. */
  at: string;
  rule: 'judge' | 'error' | 'format';
  value: number;
  threshold: number;
  message: string;
}

/** Format-ok rate this many points below the baseline version's counts as a break. */
export const FORMAT_DROP = 0.1;

/**
 * The first time each version broke a rule, read from the workspace's requests, over a
 * trailing window of `slo.window_minutes` evaluated at the end of every minute:
 *
 *   judge:  judged ≥ slo.min_judged  and  mean judge score < slo.judge_mean_min
 *   error:  requests ≥ slo.min_requests  and  error rate > slo.error_rate_max
 *   format: rows with format_ok ≥ slo.min_requests  and  format-ok rate < (baseline version's
 *           format-ok rate over the evidence window) − 0.10
 *
 * The first two are the service's own auto-rollback rule (service/control/control-plane.ts),
 * so Loupe sees what the automation sees; the third is Loupe's: a prompt that breaks JSON
 * keeps the judge mean up and the automation misses it.
 */
export async function firstSloBreaches(
  conn: DuckDBConnection,
  scope: DeploymentScope,
  slo: Deployment['slo'],
  baselineVersion: string | null,
): Promise<SloAlert[]> {
  const ts = scope.col('timestamp');
  const version = scope.col('model_version');
  if (!ts || !version) return [];
  const judge = scope.col('judge_score');
  const formatOk = scope.col('format_ok');
  const status = scope.col('status');
  const error = scope.col('error');
  // The same error definition as the per-version stats (overview/version-stats.ts).
  const isError = status
    ? `lower(${status}::VARCHAR) NOT IN ('ok', 'success', '200', 'status_code_ok', 'unset')`
    : error
      ? `${error} IS NOT NULL AND ${error}::VARCHAR <> ''`
      : 'false';
  // A whole number of minutes from the service's SLO, not user text.
  const minutes = Math.max(1, Math.floor(slo.window_minutes));
  const rows = await queryRows<{
    version: string;
    m: string;
    n: number;
    nj: number;
    sj: number | null;
    ne: number;
    nf: number;
    cf: number;
  }>(
    conn,
    `WITH per_minute AS (
       SELECT ${version}::VARCHAR AS version, date_trunc('minute', ${ts}::TIMESTAMP) AS m,
              count(*) AS n,
              ${judge ? `count(${judge})` : '0'} AS nj,
              ${judge ? `sum(${judge})::DOUBLE` : 'NULL::DOUBLE'} AS sj,
              sum(CASE WHEN ${isError} THEN 1 ELSE 0 END) AS ne,
              ${formatOk ? `sum(CASE WHEN ${formatOk} THEN 1 ELSE 0 END)` : '0'} AS nf,
              ${formatOk ? `count(${formatOk})` : '0'} AS cf
         FROM ${scope.table} GROUP BY ALL)
     SELECT version, strftime(m + INTERVAL 1 MINUTE, '%Y-%m-%dT%H:%M:%SZ') AS m,
            sum(n) OVER w AS n, sum(nj) OVER w AS nj, sum(sj) OVER w AS sj,
            sum(ne) OVER w AS ne, sum(nf) OVER w AS nf, sum(cf) OVER w AS cf
       FROM per_minute
     WINDOW w AS (PARTITION BY version ORDER BY m RANGE BETWEEN INTERVAL (${minutes - 1}) MINUTE PRECEDING AND CURRENT ROW)
     ORDER BY version, m`,
  );
  let baselineFormat: number | null = null;
  if (baselineVersion && formatOk) {
    const b = await queryRows<{ r: number | null }>(
      conn,
      `SELECT avg(CASE WHEN ${formatOk} THEN 1.0 ELSE 0.0 END)::DOUBLE AS r FROM ${scope.table} WHERE ${version}::VARCHAR = $1`,
      [baselineVersion],
    );
    baselineFormat = b[0]?.r ?? null;
  }
  const out: SloAlert[] = [];
  const seen = new Set<string>();
  const add = (a: SloAlert) => {
    const key = `${a.version}\u0000${a.rule}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push(a);
  };
  for (const r of rows) {
    if (r.nj >= slo.min_judged && r.sj != null && r.sj / r.nj < slo.judge_mean_min) {
      const mean = r.sj / r.nj;
      add({ version: r.version, at: r.m, rule: 'judge', value: mean, threshold: slo.judge_mean_min, message: `${r.version}: judge mean ${mean.toFixed(3)} over ${minutes} min (${r.nj} judged) below the SLO ${slo.judge_mean_min}` });
    }
    if (r.n >= slo.min_requests && r.ne / r.n > slo.error_rate_max) {
      const rate = r.ne / r.n;
      add({ version: r.version, at: r.m, rule: 'error', value: rate, threshold: slo.error_rate_max, message: `${r.version}: error rate ${(rate * 100).toFixed(1)}% over ${minutes} min above the SLO ${(slo.error_rate_max * 100).toFixed(1)}%` });
    }
    if (baselineFormat != null && r.version !== baselineVersion && r.cf >= slo.min_requests && r.nf / r.cf < baselineFormat - FORMAT_DROP) {
      const rate = r.nf / r.cf;
      add({ version: r.version, at: r.m, rule: 'format', value: rate, threshold: baselineFormat - FORMAT_DROP, message: `${r.version}: format-ok ${(rate * 100).toFixed(1)}% over ${minutes} min, more than ${FORMAT_DROP * 100} points below ${baselineVersion}'s ${(baselineFormat * 100).toFixed(1)}%` });
    }
  }
  return out.sort((a, b) => a.at.localeCompare(b.at));
}
