import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';
import { queryOne, queryRows, quoteIdent, quoteLiteral } from '../db/duckdb';
import { refSql, refType, roleRef, roleSql, timestampSql, type ResolvedSource } from './relation';
import { sqlTimestamp, type TimeWindow } from './windows';
import { mulberry32 } from '../../../shared/mulberry32';

/**
 * Input drift on embeddings: the baseline's embeddings are clustered, and the input axis is
 * the PSI of cluster shares. The model:
 *
 * - sample: up to `sampleSize` (default 20 000) non-null baseline embeddings, chosen by
 *   ORDER BY hash(request id (or the embedding), seed) — deterministic for a seed;
 * - distance: cosine (spherical k-means: vectors and centroids L2-normalised, a point joins the
 *   centroid with the largest inner product, i.e. the smallest cosine distance);
 * - fit: k-means++ seeding from a seeded PRNG (mulberry32), then Lloyd iterations until no
 *   assignment changes or 50 iterations; k defaults to 8;
 * - assignment: in DuckDB, argmax of list_inner_product(embedding, centroid_i) over the k
 *   centroids (the embedding need not be normalised: a positive scale keeps the argmax).
 *
 * The model is fitted once per (source cache key, embedding column, k, seed, sample size) and
 * stored with its assignments (hash of the request id → cluster); later runs only assign
 * request ids not in the cache, and skip even that check when the counts already match.
 * Without a request id role nothing is cached and assignment happens inline.
 */

export interface ClusterOptions {
  k?: number;
  sampleSize?: number;
  seed?: number;
  maxIterations?: number;
  /** Schema (attached database) for the model and assignment tables; default: the connection's. */
  cacheSchema?: string;
  /** Refit even if a stored model exists. */
  refit?: boolean;
}

export interface ClusterModel {
  key: string;
  k: number;
  dims: number;
  sampleSize: number;
  seed: number;
  distance: 'cosine';
  iterations: number;
  /** Mean cosine distance of the sample to its centroid. */
  meanDistance: number;
  fittedOn: TimeWindow;
  centroids: number[][];
}

export interface ClusterAssignments {
  model: ClusterModel;
  /** SQL expression (over alias s) giving the cluster of a row, or NULL. */
  valueSql: string;
  /** Extra join (LEFT JOIN … ON …) the value expression needs, or ''. */
  joinSql: string;
  cachedRows: number;
  newlyAssigned: number;
}

export const DEFAULT_K = 8;
export const DEFAULT_SAMPLE_SIZE = 20_000;
export const DEFAULT_SEED = 42;

function normalize(v: readonly number[]): number[] {
  let s = 0;
  for (const x of v) s += x * x;
  const n = Math.sqrt(s);
  return n > 0 ? v.map((x) => x / n) : v.map(() => 0);
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

export interface KMeansResult {
  centroids: number[][];
  assignments: number[];
  iterations: number;
  meanDistance: number;
}

/** Spherical k-means (cosine distance) with k-means++ seeding from `seed`. */
export function sphericalKMeans(points: readonly number[][], k: number, seed: number, maxIterations = 50): KMeansResult {
  const xs = points.map(normalize);
  const n = xs.length;
  if (n === 0) return { centroids: [], assignments: [], iterations: 0, meanDistance: 0 };
  const kk = Math.min(k, n);
  const rand = mulberry32(seed);
  const centroids: number[][] = [xs[Math.floor(rand() * n)]];
  const d2 = new Float64Array(n).fill(Infinity);
  while (centroids.length < kk) {
    const last = centroids[centroids.length - 1];
    let total = 0;
    for (let i = 0; i < n; i++) {
      const d = Math.max(0, 1 - dot(xs[i], last));
      if (d < d2[i]) d2[i] = d;
      total += d2[i];
    }
    let r = rand() * total;
    let pick = n - 1;
    for (let i = 0; i < n; i++) {
      r -= d2[i];
      if (r <= 0) {
        pick = i;
        break;
      }
    }
    centroids.push(xs[pick]);
  }
  const assign = new Int32Array(n).fill(-1);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    let changed = 0;
    for (let i = 0; i < n; i++) {
      let best = 0;
      let bestIp = -Infinity;
      for (let c = 0; c < kk; c++) {
        const ip = dot(xs[i], centroids[c]);
        if (ip > bestIp) {
          bestIp = ip;
          best = c;
        }
      }
      if (assign[i] !== best) {
        assign[i] = best;
        changed++;
      }
    }
    if (changed === 0 && iterations > 0) break;
    const dims = xs[0].length;
    const sums = Array.from({ length: kk }, () => new Array<number>(dims).fill(0));
    const counts = new Array<number>(kk).fill(0);
    for (let i = 0; i < n; i++) {
      counts[assign[i]]++;
      const s = sums[assign[i]];
      for (let j = 0; j < dims; j++) s[j] += xs[i][j];
    }
    for (let c = 0; c < kk; c++) {
      // An emptied cluster restarts at the point farthest from its centroid.
      if (counts[c] === 0) {
        let far = 0;
        let farD = -1;
        for (let i = 0; i < n; i++) {
          const d = 1 - dot(xs[i], centroids[assign[i]]);
          if (d > farD) {
            farD = d;
            far = i;
          }
        }
        centroids[c] = xs[far];
      } else centroids[c] = normalize(sums[c]);
    }
  }
  let total = 0;
  for (let i = 0; i < n; i++) total += 1 - dot(xs[i], centroids[assign[i]]);
  return { centroids, assignments: [...assign], iterations, meanDistance: total / n };
}

const MODELS = 'loupe_drift_cluster_models';

function qualified(schema: string | undefined, table: string): string {
  return schema ? `${quoteIdent(schema)}.${quoteIdent(table)}` : quoteIdent(table);
}

/** The embedding as a variable-length list (fixed-size ARRAY columns are cast). */
function embeddingSql(src: ResolvedSource): string | undefined {
  const ref = roleRef(src, 'input_embedding');
  if (!ref) return undefined;
  const sql = refSql(src, ref);
  return /\[\d+\]$/.test(refType(src, ref)) ? `CAST(${sql} AS DOUBLE[])` : sql;
}

/**
 * Fits (or loads) the cluster model and brings the assignment cache up to date.
 * Returns undefined when the source has no embedding role or the baseline has no embeddings.
 */
export async function prepareEmbeddingClusters(
  conn: DuckDBConnection,
  src: ResolvedSource,
  baseline: TimeWindow,
  opts: ClusterOptions = {},
): Promise<ClusterAssignments | undefined> {
  const emb = embeddingSql(src);
  if (!emb) return undefined;
  const k = opts.k ?? DEFAULT_K;
  const sampleSize = opts.sampleSize ?? DEFAULT_SAMPLE_SIZE;
  const seed = opts.seed ?? DEFAULT_SEED;
  const ridSql = roleSql(src, 'request_id');
  const key = createHash('sha256')
    .update(JSON.stringify([src.cacheKey, roleRef(src, 'input_embedding'), k, sampleSize, seed]))
    .digest('hex')
    .slice(0, 16);
  const models = qualified(opts.cacheSchema, MODELS);
  await conn.run(
    `CREATE TABLE IF NOT EXISTS ${models} (key VARCHAR PRIMARY KEY, k INTEGER, dims INTEGER, sample_size INTEGER,
       seed INTEGER, iterations INTEGER, mean_distance DOUBLE, fitted_start VARCHAR, fitted_end VARCHAR, centroids DOUBLE[][])`,
  );
  const assignTable = qualified(opts.cacheSchema, `loupe_drift_clusters_${key}`);

  let model = opts.refit ? undefined : await loadModel(conn, models, key);
  if (!model) {
    model = await fitModel(conn, src, emb, ridSql, baseline, { key, k, sampleSize, seed, maxIterations: opts.maxIterations ?? 50 });
    if (!model) return undefined;
    await conn.run(`DELETE FROM ${models} WHERE key = $1`, [key]);
    await conn.run(`DROP TABLE IF EXISTS ${assignTable}`);
    await conn.run(
      `INSERT INTO ${models} VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, CAST($10 AS DOUBLE[][]))`,
      [key, model.k, model.dims, model.sampleSize, model.seed, model.iterations, model.meanDistance, model.fittedOn.start, model.fittedOn.end, JSON.stringify(model.centroids)],
    );
  }

  const centroid = (i: number) => `(SELECT centroids[${i + 1}] FROM ${models} WHERE key = ${quoteLiteral(key)})`;
  const assignSql = (e: string) => {
    const ips = `[${model!.centroids.map((_, i) => `list_inner_product(${e}, ${centroid(i)})`).join(', ')}]`;
    return `CASE WHEN ${e} IS NULL OR len(${e}) <> ${model!.dims} THEN NULL ELSE list_position(${ips}, list_max(${ips})) - 1 END`;
  };

  if (!ridSql) {
    return { model, valueSql: assignSql(emb), joinSql: '', cachedRows: 0, newlyAssigned: 0 };
  }
  // The cache is keyed by the 64-bit hash of the request id: joins on an integer are several
  // times faster than on strings (a collision among 10M ids has probability ~3·10⁻⁶).
  const ridKey = `hash(CAST(${ridSql} AS VARCHAR))`;
  await conn.run(`CREATE TABLE IF NOT EXISTS ${assignTable} (rh UBIGINT, cluster UTINYINT)`);
  const count = async (sql: string) => Number((await queryOne<{ n: number }>(conn, sql))?.n ?? 0);
  const before = await count(`SELECT count(*) AS n FROM ${assignTable}`);
  // Fast path: as many cached ids as ids in the source means nothing is new (request ids are
  // unique and rows are appended, as in the workspace table; a replaced row keeps its cluster).
  const sourceIds = await count(`SELECT count(${ridSql}) AS n FROM ${src.relation} s`);
  if (sourceIds !== before) {
    // Only request ids not seen before are assigned (incremental for new rows).
    await conn.run(`
      INSERT INTO ${assignTable}
      SELECT rh, CAST(${assignSql('e')} AS UTINYINT)
        FROM (SELECT ${ridKey} AS rh, ${emb} AS e FROM ${src.relation} s WHERE ${ridSql} IS NOT NULL) n
       WHERE NOT EXISTS (SELECT 1 FROM ${assignTable} a WHERE a.rh = n.rh)`);
  }
  const after = sourceIds === before ? before : await count(`SELECT count(*) AS n FROM ${assignTable}`);
  return {
    model,
    valueSql: 'ec.cluster',
    joinSql: `LEFT JOIN ${assignTable} ec ON ec.rh = ${ridKey}`,
    cachedRows: before,
    newlyAssigned: after - before,
  };
}

async function loadModel(conn: DuckDBConnection, models: string, key: string): Promise<ClusterModel | undefined> {
  const row = await queryOne<{
    k: number; dims: number; sample_size: number; seed: number; iterations: number; mean_distance: number;
    fitted_start: string; fitted_end: string; centroids: number[][];
  }>(conn, `SELECT * FROM ${models} WHERE key = $1`, [key]);
  if (!row) return undefined;
  return {
    key, k: row.k, dims: row.dims, sampleSize: row.sample_size, seed: row.seed, distance: 'cosine',
    iterations: row.iterations, meanDistance: row.mean_distance,
    fittedOn: { start: row.fitted_start, end: row.fitted_end }, centroids: row.centroids,
  };
}

async function fitModel(
  conn: DuckDBConnection,
  src: ResolvedSource,
  emb: string,
  ridSql: string | undefined,
  baseline: TimeWindow,
  o: { key: string; k: number; sampleSize: number; seed: number; maxIterations: number },
): Promise<ClusterModel | undefined> {
  const ts = timestampSql(src);
  const rows = await queryRows<{ e: number[] }>(
    conn,
    `SELECT ${emb} AS e FROM ${src.relation} s
      WHERE ${ts} >= CAST($1 AS TIMESTAMP) AND ${ts} < CAST($2 AS TIMESTAMP) AND ${emb} IS NOT NULL AND len(${emb}) > 0
      ORDER BY hash(${ridSql ?? emb}, $3)
      LIMIT $4`,
    [sqlTimestamp(baseline.start), sqlTimestamp(baseline.end), o.seed, o.sampleSize],
  );
  if (rows.length === 0) return undefined;
  // The most common dimension wins; other lengths are unusable for this model.
  const lengths = new Map<number, number>();
  for (const r of rows) lengths.set(r.e.length, (lengths.get(r.e.length) ?? 0) + 1);
  const dims = [...lengths.entries()].sort((a, b) => b[1] - a[1])[0][0];
  const points = rows.map((r) => r.e).filter((e) => e.length === dims);
  const fit = sphericalKMeans(points, o.k, o.seed, o.maxIterations);
  return {
    key: o.key, k: fit.centroids.length, dims, sampleSize: points.length, seed: o.seed, distance: 'cosine',
    iterations: fit.iterations, meanDistance: fit.meanDistance, fittedOn: baseline, centroids: fit.centroids,
  };
}
