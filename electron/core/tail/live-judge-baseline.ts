import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from '../db/duckdb';
import { REQUESTS } from '../workspace/ingest-partitions';
import { Z_BINS, Z_CLIP, Z_STEP } from './judge-cusum';

/** A baseline's judge scores: what the 2σ rule and the CUSUM (judge-cusum.ts) compare with. */
export interface JudgeBaseline {
  n: number;
  mean: number | null;
  sd: number | null;
  /** Counts of z = (mean − score) / sd in Z_BINS slots over [−Z_CLIP, Z_CLIP] (clamped). */
  zCounts: number[];
  /** Judged scores per second over the span the baseline's scores cover. */
  perSecond: number;
}

/**
 * Judge baselines per `group` (e.g. deployment, model_version) over the rows `where` selects:
 * requests, errors, the judge mean and sample sd, the z histogram and the judged rate.
 */
export async function judgeBaselines(
  conn: DuckDBConnection,
  where: string,
  params: string[],
  group: readonly string[],
): Promise<Array<JudgeBaseline & { key: string[]; requests: number; errors: number }>> {
  const cols = group.join(', ');
  const p = params.length;
  // One statement: the stats, then the z histogram against them (two scans of the window).
  const stats = await queryRows<{
    key: string[];
    requests: number;
    errors: number;
    n: number;
    mean: number | null;
    sd: number | null;
    span_s: number | null;
    bins: Array<{ bin: number; n: number }> | null;
  }>(
    conn,
    `WITH s AS (
       SELECT ${cols}, count(*) AS requests, count(*) FILTER (status = 'error') AS errors, count(judge_score) AS n,
              avg(judge_score) AS mean, stddev_samp(judge_score) AS sd,
              epoch(max(ts) FILTER (judge_score IS NOT NULL)) - epoch(min(ts) FILTER (judge_score IS NOT NULL)) AS span_s
         FROM ${REQUESTS} WHERE ${where} GROUP BY ALL
     ), b AS (
       SELECT ${group.map((c) => `r.${c}`).join(', ')},
              CAST(round((least(greatest((s.mean - r.judge_score) / s.sd, -$${p + 1}), $${p + 1}) + $${p + 1}) / $${p + 2}) AS INTEGER) AS bin,
              count(*) AS n
         FROM ${REQUESTS} r JOIN s USING (${cols})
        WHERE ${where} AND r.judge_score IS NOT NULL AND s.sd > 0
        GROUP BY ALL
     ), h AS (
       SELECT ${cols}, list({'bin': bin, 'n': n}) AS bins FROM b GROUP BY ALL
     )
     SELECT [${cols}] AS key, requests, errors, n, mean, sd, span_s, bins FROM s LEFT JOIN h USING (${cols})`,
    [...params, Z_CLIP, Z_STEP],
  );
  const histogram = (bins: Array<{ bin: number; n: number }> | null) => {
    const c = new Array<number>(Z_BINS).fill(0);
    for (const b of bins ?? []) c[b.bin] += b.n;
    return c;
  };
  return stats.map((s) => ({
    key: s.key,
    requests: s.requests,
    errors: s.errors,
    n: s.n,
    mean: s.mean,
    sd: s.sd,
    zCounts: histogram(s.bins),
    // Scores crowded into less than an hour (or one instant) say little about the rate: count
    // them over an hour at least, which errs towards fewer false alerts.
    perSecond: s.n > 1 ? (s.n - 1) / Math.max(3600, s.span_s ?? 0) : 0,
  }));
}
