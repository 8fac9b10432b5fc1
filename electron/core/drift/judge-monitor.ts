import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../db/duckdb';
import { SqlParams, timestampSql, type ResolvedSource } from './relation';
import { sqlTimestamp, type DriftWindows } from './windows';

/**
 * Judge monitor: per version, the judge mean of every hour of the current window against the
 * version's baseline. The rule (the design's "mean drops by 2σ over a 1-hour window"):
 *
 *   μ_b = mean of the version's judge scores in the baseline window (n_b scores)
 *   s_b = their sample standard deviation (n_b − 1 in the denominator)
 *   for an hour h of the current window with n_h judge scores and mean m_h:
 *     SE_h      = s_b / √n_h
 *     threshold = μ_b − 2 · SE_h
 *     flagged  ⇔  m_h < threshold
 *
 * i.e. the hour's mean is more than 2 standard errors (of a mean of n_h scores drawn from the
 * baseline distribution) below the baseline mean. A version with fewer than minBaselineJudged
 * (default 30) baseline scores reports 'insufficient_data' and flags nothing; an hour with
 * fewer than minHourJudged (default 10) scores is 'insufficient_data' and never flagged.
 *
 * A version with too few baseline scores of its own (a canary released inside the current
 * window) is held to the baseline of all versions pooled instead (μ_b, s_b over every judged
 * baseline request): a new version must not score below what users got before. Its report
 * says `reference: 'all_versions'`. Only when the pooled baseline is also too small is it
 * 'insufficient_data'.
 */

export const DEFAULT_MIN_BASELINE_JUDGED = 30;
export const DEFAULT_MIN_HOUR_JUDGED = 10;
export const JUDGE_SIGMAS = 2;

export interface JudgeStats {
  n: number;
  mean: number | null;
  sd: number | null;
  /** 95% interval of the mean: mean ± 1.96 · sd / √n (null when n < 2). */
  ci95: [number, number] | null;
}

export interface JudgeHour {
  hour: string;
  n: number;
  mean: number;
  /** s_b / √n_h (null when the baseline is insufficient). */
  se: number | null;
  /** μ_b − 2 · SE_h. */
  threshold: number | null;
  status: 'ok' | 'flagged' | 'insufficient_data';
}

export interface JudgeVersionReport {
  version: string | null;
  status: 'ok' | 'flagged' | 'insufficient_data';
  reason?: string;
  /** Whose baseline the hours are held to: the version's own, or all versions pooled. */
  reference: 'own' | 'all_versions';
  /** The baseline the threshold uses (= baseline when reference is 'own'). */
  referenceBaseline: JudgeStats;
  baseline: JudgeStats;
  current: JudgeStats;
  hours: JudgeHour[];
  flaggedHours: string[];
}

export interface JudgeMonitorReport {
  by: string;
  rule: string;
  minBaselineJudged: number;
  minHourJudged: number;
  versions: JudgeVersionReport[];
}

export interface JudgeMonitorOptions {
  minBaselineJudged?: number;
  minHourJudged?: number;
}

export const JUDGE_RULE = 'flag hour h when mean_h < mean_baseline − 2 · sd_baseline / √n_h';

/** The rule itself, for tests and callers with their own aggregates. */
export function judgeThreshold(baselineMean: number, baselineSd: number, nHour: number): { se: number; threshold: number } {
  const se = baselineSd / Math.sqrt(nHour);
  return { se, threshold: baselineMean - JUDGE_SIGMAS * se };
}

export function judgeStats(n: number, mean: number | null, sd: number | null): JudgeStats {
  const ci95: [number, number] | null =
    n >= 2 && mean !== null && sd !== null ? [mean - (1.96 * sd) / Math.sqrt(n), mean + (1.96 * sd) / Math.sqrt(n)] : null;
  return { n, mean, sd, ci95 };
}

interface Agg {
  v: string | null;
  gv: number;
  w: number;
  h: string | null;
  gh: number;
  n: number;
  m: number | null;
  sd: number | null;
}

/** Runs the monitor over a source; `by` is an SQL expression over alias s (default: model_version). */
export async function judgeMonitor(
  conn: DuckDBConnection,
  src: ResolvedSource,
  windows: DriftWindows,
  by: { sql: string; name: string },
  judgeSql: string,
  opts: JudgeMonitorOptions = {},
): Promise<JudgeMonitorReport> {
  const minB = opts.minBaselineJudged ?? DEFAULT_MIN_BASELINE_JUDGED;
  const minH = opts.minHourJudged ?? DEFAULT_MIN_HOUR_JUDGED;
  const ts = timestampSql(src);
  const p = new SqlParams();
  const [bs, be, cs, ce] = [windows.baseline.start, windows.baseline.end, windows.current.start, windows.current.end].map((t) =>
    p.bind(sqlTimestamp(t)),
  );
  const rows = await queryRows<Agg>(
    conn,
    `WITH j AS (
       SELECT CAST(${by.sql} AS VARCHAR) AS v,
              CASE WHEN t >= CAST(${bs} AS TIMESTAMP) AND t < CAST(${be} AS TIMESTAMP) THEN 0
                   WHEN t >= CAST(${cs} AS TIMESTAMP) AND t < CAST(${ce} AS TIMESTAMP) THEN 1 END AS w,
              date_trunc('hour', t) AS h,
              CAST(${judgeSql} AS DOUBLE) AS score
         FROM (SELECT *, ${ts} AS t FROM ${src.relation} s) s
        WHERE ${judgeSql} IS NOT NULL)
     SELECT v, GROUPING(v) AS gv, w, strftime(h, '%Y-%m-%dT%H:%M:%S.000Z') AS h, GROUPING(h) AS gh,
            count(*) AS n, avg(score) AS m, stddev_samp(score) AS sd
       FROM j WHERE w IS NOT NULL
      GROUP BY GROUPING SETS ((v, w), (v, w, h), (w))
      ORDER BY v NULLS FIRST, w, h`,
    p.values,
  );

  const pooledRow = rows.find((r) => r.gv === 1 && r.w === 0);
  const pooled = judgeStats(Number(pooledRow?.n ?? 0), pooledRow?.m ?? null, pooledRow?.sd ?? null);
  const pooledOk = pooled.n >= minB && pooled.mean !== null && pooled.sd !== null;
  const versions = new Map<string | null, Agg[]>();
  for (const r of rows) {
    if (r.gv === 1) continue;
    if (!versions.has(r.v)) versions.set(r.v, []);
    versions.get(r.v)!.push(r);
  }
  const out: JudgeVersionReport[] = [];
  for (const [version, aggs] of versions) {
    const b = aggs.find((a) => a.w === 0 && a.gh === 1);
    const c = aggs.find((a) => a.w === 1 && a.gh === 1);
    const baseline = judgeStats(Number(b?.n ?? 0), b?.m ?? null, b?.sd ?? null);
    const current = judgeStats(Number(c?.n ?? 0), c?.m ?? null, c?.sd ?? null);
    const ownOk = baseline.n >= minB && baseline.mean !== null && baseline.sd !== null;
    const reference: JudgeVersionReport['reference'] = ownOk || !pooledOk ? 'own' : 'all_versions';
    const ref = reference === 'own' ? baseline : pooled;
    const baselineOk = ownOk || pooledOk;
    const hours: JudgeHour[] = aggs
      .filter((a) => a.w === 1 && a.gh === 0)
      .map((a) => {
        const n = Number(a.n);
        if (!baselineOk || n < minH) {
          return { hour: a.h!, n, mean: a.m!, se: null, threshold: null, status: 'insufficient_data' as const };
        }
        const { se, threshold } = judgeThreshold(ref.mean!, ref.sd!, n);
        return { hour: a.h!, n, mean: a.m!, se, threshold, status: a.m! < threshold ? ('flagged' as const) : ('ok' as const) };
      });
    const flaggedHours = hours.filter((h) => h.status === 'flagged').map((h) => h.hour);
    const report: JudgeVersionReport = {
      version,
      status: !baselineOk ? 'insufficient_data' : flaggedHours.length > 0 ? 'flagged' : 'ok',
      reference,
      referenceBaseline: ref,
      baseline,
      current,
      hours,
      flaggedHours,
    };
    if (!baselineOk) {
      report.reason = `${baseline.n} judged request${baseline.n === 1 ? '' : 's'} of this version and ${pooled.n} of all versions in the baseline window (at least ${minB} needed)`;
    } else if (reference === 'all_versions') {
      report.reason = `${baseline.n} judged request${baseline.n === 1 ? '' : 's'} of its own in the baseline window: held to the baseline of all versions`;
    } else if (hours.length > 0 && hours.every((h) => h.status === 'insufficient_data')) {
      report.reason = `every current hour has fewer than ${minH} judged requests`;
    }
    out.push(report);
  }
  return { by: by.name, rule: JUDGE_RULE, minBaselineJudged: minB, minHourJudged: minH, versions: out };
}
