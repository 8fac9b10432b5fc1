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
 * requests, errors, the judge mean and sample sd, the z histogram and the judged rate, in two
 * grouped queries.
 */
export async function judgeBaselines(
  conn: DuckDBConnection,
  where: string,
  params: string[],
  group: readonly string[],
): Promise<Array<JudgeBaseline & { key: string[]; requests: number; errors: number }>> {
  const cols = group.join(', ');
  const stats = await queryRows<{ key: string[]; requests: number; errors: number; n: number; mean: number | null; sd: number | null; span_s: number | null }>(
    conn,
    `SELECT [${cols}] AS key, count(*) AS requests, count(*) FILTER (status = 'error') AS errors, count(judge_score) AS n, avg(judge_score) AS mean, stddev_samp(judge_score) AS sd,
            epoch(max(ts) FILTER (judge_score IS NOT NULL)) - epoch(min(ts) FILTER (judge_score IS NOT NULL)) AS span_s
       FROM ${REQUESTS} WHERE ${where} GROUP BY ALL`,
    params,
  );
  const p = params.length;
  const bins = await queryRows<{ key: string[]; bin: number; n: number }>(
    conn,
    `WITH s AS (
       SELECT ${cols}, avg(judge_score) AS mean, stddev_samp(judge_score) AS sd
         FROM ${REQUESTS} WHERE ${where} AND judge_score IS NOT NULL GROUP BY ALL HAVING stddev_samp(judge_score) > 0
     )
     SELECT [${group.map((c) => `r.${c}`).join(', ')}] AS key,
            CAST(round((least(greatest((s.mean - r.judge_score) / s.sd, -$${p + 1}), $${p + 1}) + $${p + 1}) / $${p + 2}) AS INTEGER) AS bin,
            count(*) AS n
       FROM ${REQUESTS} r JOIN s USING (${cols})
      WHERE ${where} AND r.judge_score IS NOT NULL
      GROUP BY ALL`,
    [...params, Z_CLIP, Z_STEP],
  );
  const counts = new Map<string, number[]>();
  for (const b of bins) {
    const k = b.key.join('\u0000');
    let c = counts.get(k);
    if (!c) counts.set(k, (c = new Array<number>(Z_BINS).fill(0)));
    c[b.bin] += b.n;
  }
  return stats.map((s) => ({
    key: s.key,
    requests: s.requests,
    errors: s.errors,
    n: s.n,
    mean: s.mean,
    sd: s.sd,
    zCounts: counts.get(s.key.join('\u0000')) ?? new Array<number>(Z_BINS).fill(0),
    // Scores crowded into less than an hour (or one instant) say little about the rate: count
    // them over an hour at least, which errs towards fewer false alerts.
    perSecond: s.n > 1 ? (s.n - 1) / Math.max(3600, s.span_s ?? 0) : 0,
  }));
}
