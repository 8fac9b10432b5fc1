import type { DuckDBConnection } from '@duckdb/node-api';
import { queryOne, queryRows } from '../db/duckdb';
import { binCaseSql, DEFAULT_BINS, quantileProbabilities, uniqueCuts } from '../drift/binning';
import { DEFAULT_K, DEFAULT_SEED, sphericalKMeans } from '../drift/embedding-clusters';
import { REQUESTS, SOURCE_COLUMN } from '../workspace/ingest-partitions';
import { judgeBaselines, type JudgeBaseline } from './live-judge-baseline';

/**
 * The reference the live numbers are compared with: the workspace's exported rows (not live
 * ones) in the 7 days before the newest exported request. Computed once when the tail starts,
 * with DuckDB; the live side then only counts into these bins.
 */
export const BASELINE_DAYS = 7;
const EMBEDDING_SAMPLE = 5000;

export type { JudgeBaseline };

export interface VersionBaseline extends JudgeBaseline {
  deployment: string;
  version: string;
  requests: number;
  errors: number;
}

export type FeatureBaseline =
  | { id: string; axis: 'input' | 'output' | 'quality'; kind: 'numeric'; cuts: number[]; counts: number[] }
  | { id: string; axis: 'input' | 'output' | 'quality'; kind: 'categorical'; categories: string[]; counts: number[] }
  | { id: 'input_cluster'; axis: 'input'; kind: 'cluster'; centroids: number[][]; counts: number[] };

export interface LiveBaseline {
  window: { start: string; end: string } | null;
  requests: number;
  versions: VersionBaseline[];
  deployments: Map<string, JudgeBaseline>;
  features: FeatureBaseline[];
}

const exported = `coalesce(${SOURCE_COLUMN}, '') NOT LIKE 'tail:%'`;

export async function loadLiveBaseline(conn: DuckDBConnection): Promise<LiveBaseline> {
  const empty: LiveBaseline = { window: null, requests: 0, versions: [], deployments: new Map(), features: [] };
  const span = await queryOne<{ end_ts: string | null }>(conn, `SELECT CAST(max(ts) AS VARCHAR) AS end_ts FROM ${REQUESTS} WHERE ${exported}`);
  if (!span?.end_ts) return empty;
  const end = new Date(`${span.end_ts.replace(' ', 'T')}Z`).getTime() + 1;
  const start = end - BASELINE_DAYS * 86_400_000;
  const [bs, be] = [start, end].map((t) => new Date(t).toISOString().replace('T', ' ').replace('Z', ''));
  const where = `${exported} AND ts >= CAST($1 AS TIMESTAMP) AND ts < CAST($2 AS TIMESTAMP)`;

  const versions: VersionBaseline[] = (await judgeBaselines(conn, where, [bs, be], ['deployment', 'model_version'])).map(({ key, ...j }) => ({
    deployment: key[0],
    version: key[1],
    ...j,
  }));
  const deployments = new Map<string, JudgeBaseline>(
    (await judgeBaselines(conn, where, [bs, be], ['deployment'])).map(({ key, requests: _r, errors: _e, ...j }) => [key[0], j]),
  );
  const features: FeatureBaseline[] = [];
  const clusters = await clusterBaseline(conn, where, [bs, be]);
  features.push(clusters ?? (await numericBaseline(conn, where, [bs, be], 'input_length', 'input', 'input_tokens')));
  features.push(await numericBaseline(conn, where, [bs, be], 'output_length', 'output', 'output_tokens'));
  features.push(await categoricalBaseline(conn, where, [bs, be], 'refused', 'output', 'CAST(refused AS VARCHAR)'));
  features.push(await categoricalBaseline(conn, where, [bs, be], 'format', 'output', formatSql));
  features.push(await numericBaseline(conn, where, [bs, be], 'judge_score', 'quality', 'judge_score'));
  return {
    window: { start: new Date(start).toISOString(), end: new Date(end).toISOString() },
    requests: versions.reduce((s, v) => s + v.requests, 0),
    versions,
    deployments,
    features,
  };
}

/** The same expression the drift engine's format feature uses, for live records too. */
export const formatSql = `coalesce(output_format, '(none)') || ' · ' || CASE WHEN format_ok THEN 'ok' WHEN NOT format_ok THEN 'broken' ELSE 'unchecked' END`;
export function formatOf(r: { output_format: string; format_ok: boolean }): string {
  return `${r.output_format} · ${r.format_ok ? 'ok' : 'broken'}`;
}

async function numericBaseline(
  conn: DuckDBConnection,
  where: string,
  params: string[],
  id: string,
  axis: 'input' | 'output' | 'quality',
  column: string,
): Promise<FeatureBaseline> {
  // Quantile bins from the baseline (the drift engine's default: 10 bins, linear interpolation).
  const q = await queryOne<{ cuts: number[] | null }>(
    conn,
    `SELECT quantile_cont(CAST(${column} AS DOUBLE), $3::DOUBLE[]) AS cuts FROM ${REQUESTS} WHERE ${where} AND ${column} IS NOT NULL`,
    [...params, quantileProbabilities(DEFAULT_BINS)],
  );
  const cuts = uniqueCuts(q?.cuts ?? []);
  const binds: number[] = [];
  const binSql = binCaseSql(`CAST(${column} AS DOUBLE)`, cuts, (v) => {
    binds.push(v);
    return `$${params.length + binds.length}`;
  });
  const rows = await queryRows<{ b: number; n: number }>(
    conn,
    `SELECT ${binSql} AS b, count(*) AS n FROM ${REQUESTS} WHERE ${where} AND ${column} IS NOT NULL GROUP BY 1`,
    [...params, ...binds],
  );
  const counts = new Array<number>(cuts.length + 1).fill(0);
  for (const r of rows) counts[r.b] = r.n;
  return { id, axis, kind: 'numeric', cuts, counts };
}

async function categoricalBaseline(
  conn: DuckDBConnection,
  where: string,
  params: string[],
  id: string,
  axis: 'input' | 'output' | 'quality',
  sql: string,
): Promise<FeatureBaseline> {
  const rows = await queryRows<{ v: string; n: number }>(
    conn,
    `SELECT coalesce(${sql}, '(null)') AS v, count(*) AS n FROM ${REQUESTS} WHERE ${where} GROUP BY 1 ORDER BY 1`,
    params,
  );
  return { id, axis, kind: 'categorical', categories: rows.map((r) => r.v), counts: rows.map((r) => r.n) };
}

/**
 * Input drift on embeddings, as the drift engine does it (spherical k-means, k = 8, seed 42),
 * fitted on a deterministic sample of up to 5,000 baseline embeddings; the baseline shares are
 * the sample's cluster shares, and live requests join the nearest centroid in TypeScript.
 */
async function clusterBaseline(conn: DuckDBConnection, where: string, params: string[]): Promise<FeatureBaseline | null> {
  const rows = await queryRows<{ e: number[] }>(
    conn,
    `SELECT CAST(input_embedding AS DOUBLE[]) AS e FROM ${REQUESTS}
      WHERE ${where} AND input_embedding IS NOT NULL ORDER BY hash(request_id, $3::INTEGER) LIMIT ${EMBEDDING_SAMPLE}`,
    [...params, String(DEFAULT_SEED)],
  );
  if (rows.length < DEFAULT_K * 10) return null;
  const fit = sphericalKMeans(rows.map((r) => r.e), DEFAULT_K, DEFAULT_SEED);
  const counts = new Array<number>(fit.centroids.length).fill(0);
  for (const a of fit.assignments) counts[a]++;
  return { id: 'input_cluster', axis: 'input', kind: 'cluster', centroids: fit.centroids, counts };
}

/** Nearest centroid by inner product (unit centroids: the smallest cosine distance). */
export function nearestCentroid(v: readonly number[], centroids: readonly number[][]): number {
  let best = 0;
  let bestDot = -Infinity;
  for (let c = 0; c < centroids.length; c++) {
    const cen = centroids[c];
    if (cen.length !== v.length) return -1;
    let dot = 0;
    for (let i = 0; i < v.length; i++) dot += v[i] * cen[i];
    if (dot > bestDot) {
      bestDot = dot;
      best = c;
    }
  }
  return best;
}
