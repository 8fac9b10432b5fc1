import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows, quoteIdent } from '../db/duckdb';
import type { Axis } from './axes';
import type { FrameLayout } from './frame';
import { compareCounts, driftLevel, expectedNoisePsi, type FillRule } from './metrics';
import { chiSquareTest } from './significance';
import type { AxisDrift, FeatureDrift, SliceDim, SliceDrift, SliceStatus } from './types';

/**
 * Slices: all rows, every value of every dimension, and every pair of values of every pair
 * of dimensions. Counts come from the drift frame in one scan per feature:
 *
 *   1. base   = GROUP BY (d0 … dn, w, bin)         — one pass over the frame, small result
 *   2. slices = GROUPING SETS ((w, bin), (d_i, w, bin), (d_i, d_j, w, bin)) over base
 *
 * The second step rolls the (at most a few hundred thousand) base rows up into every slice, so
 * the cost is one aggregation of the frame instead of 1 + n + n(n−1)/2 of them. The base step
 * groups by the packed dimension key dk (frame.ts) with DuckDB's perfect hash aggregation
 * allowed up to 24 key bits, and the rollup unpacks d_i = (dk // stride_i) % card_i. PSI, KL, JS and the
 * chi-square test then run in TypeScript over the small count table.
 */

/** Grouping sets as lists of dimension indexes: [], [i], [i, j]. */
export function sliceSets(nDims: number): number[][] {
  const sets: number[][] = [[]];
  for (let i = 0; i < nDims; i++) sets.push([i]);
  for (let i = 0; i < nDims; i++) for (let j = i + 1; j < nDims; j++) sets.push([i, j]);
  return sets;
}

/** Canonical key of a slice from its (dimension index, code) pairs. */
export function codeKey(pairs: Array<[number, number]>): string {
  return pairs.map(([d, c]) => `${d}:${c}`).join('|');
}

function groupingSql(nDims: number, extra: string[]): { select: string; sets: string } {
  const dims = Array.from({ length: nDims }, (_, i) => `d${i}`);
  const sets = sliceSets(nDims).map((s) => `(${[...s.map((i) => dims[i]), ...extra].join(', ')})`).join(', ');
  const select = nDims > 0 ? `GROUPING(${dims.join(', ')}) AS g, ${dims.join(', ')}` : '0 AS g';
  return { select, sets };
}

/** Decodes a result row's grouping bitmask into the slice key. */
function rowKey(row: Record<string, unknown>, nDims: number): string {
  const g = Number(row.g);
  const pairs: Array<[number, number]> = [];
  for (let i = 0; i < nDims; i++) {
    // GROUPING(d0 … d(n−1)): bit (n−1−i) is set when d_i is rolled up (not part of the set).
    if (((g >> (nDims - 1 - i)) & 1) === 0) pairs.push([i, Number(row[`d${i}`])]);
  }
  return codeKey(pairs);
}

export interface SliceSupport {
  baseline: number;
  current: number;
  judgedBaseline: number;
  judgedCurrent: number;
  judgeSumBaseline: number;
  judgeSumCurrent: number;
}

/** Rows and judge sums per slice and window. */
export async function sliceSupport(conn: DuckDBConnection, frame: FrameLayout): Promise<Map<string, SliceSupport>> {
  const { select, sets } = groupingSql(frame.nDims, ['w']);
  const rows = await withPerfectHash(conn, frame, 1, () =>
    queryRows(
      conn,
      `WITH base AS (
         SELECT ${baseKeys(frame)}, w, count(*) AS n, count(jv) AS nj, sum(jv) AS sj
           FROM ${quoteIdent(frame.table)} GROUP BY ALL),
       u AS (SELECT ${unpacked(frame)}, w, n, nj, sj FROM base)
       SELECT ${select}, w, sum(n) AS n, sum(nj) AS nj, sum(sj) AS sj
         FROM u GROUP BY GROUPING SETS (${sets})`,
    ),
  );
  const out = new Map<string, SliceSupport>();
  for (const r of rows) {
    const key = rowKey(r, frame.nDims);
    let s = out.get(key);
    if (!s) out.set(key, (s = { baseline: 0, current: 0, judgedBaseline: 0, judgedCurrent: 0, judgeSumBaseline: 0, judgeSumCurrent: 0 }));
    if (Number(r.w) === 0) {
      s.baseline = Number(r.n);
      s.judgedBaseline = Number(r.nj);
      s.judgeSumBaseline = Number(r.sj ?? 0);
    } else {
      s.current = Number(r.n);
      s.judgedCurrent = Number(r.nj);
      s.judgeSumCurrent = Number(r.sj ?? 0);
    }
  }
  return out;
}

/** Base grouping columns: the packed key, or the code columns when not packed. */
function baseKeys(frame: FrameLayout): string {
  if (frame.packed) return 'dk';
  return Array.from({ length: frame.nDims }, (_, i) => `d${i}`).join(', ') || 'w AS _none';
}

/** d0 … dn from the base rows (unpacking dk when packed). */
function unpacked(frame: FrameLayout): string {
  if (frame.nDims === 0) return '0 AS _none';
  if (!frame.packed) return Array.from({ length: frame.nDims }, (_, i) => `d${i}`).join(', ');
  const { cards, strides } = frame.packed;
  return cards.map((c, i) => `CAST((dk // ${strides[i]}) % ${c} AS UTINYINT) AS d${i}`).join(', ');
}

const MAX_PERFECT_HASH_BITS = 24;

/**
 * Lets DuckDB use a perfect hash table for the base aggregation when the key ranges (dk, w and
 * the bin) fit in 24 bits (at most 16M slots) and the frame has at least two rows per slot
 * (allocating the table costs more than it saves on small frames), then restores the
 * connection's setting.
 */
async function withPerfectHash<T>(conn: DuckDBConnection, frame: FrameLayout, extraBits: number, body: () => Promise<T>): Promise<T> {
  const bits = (frame.packed?.bits ?? 64) + extraBits + 1;
  if (bits > MAX_PERFECT_HASH_BITS || 2 ** bits > frame.rows / 2) return body();
  const before = await queryRows<{ v: number }>(conn, `SELECT CAST(current_setting('perfect_ht_threshold') AS INTEGER) AS v`).catch(() => []);
  if (before.length === 0) return body();
  await conn.run(`SET perfect_ht_threshold = ${Math.max(bits, Number(before[0].v))}`);
  try {
    return await body();
  } finally {
    await conn.run(`SET perfect_ht_threshold = ${Number(before[0].v)}`);
  }
}

export interface SliceHistogram {
  baseline: number[];
  current: number[];
}

/** Bin counts of one feature column (f<i>) per slice and window: one scan of the frame. */
export async function sliceHistograms(
  conn: DuckDBConnection,
  frame: FrameLayout,
  featureCol: string,
  nBins: number,
): Promise<Map<string, SliceHistogram>> {
  const { select, sets } = groupingSql(frame.nDims, ['w', 'b']);
  const f = quoteIdent(featureCol);
  const rows = await withPerfectHash(conn, frame, 1 + Math.ceil(Math.log2(nBins + 1)), () =>
    queryRows(
      conn,
      `WITH base AS (
         SELECT ${baseKeys(frame)}, w, ${f} AS b, count(*) AS n
           FROM ${quoteIdent(frame.table)} WHERE ${f} IS NOT NULL GROUP BY ALL),
       u AS (SELECT ${unpacked(frame)}, w, b, n FROM base)
       SELECT ${select}, w, b, sum(n) AS n
         FROM u GROUP BY GROUPING SETS (${sets})`,
    ),
  );
  const out = new Map<string, SliceHistogram>();
  for (const r of rows) {
    const key = rowKey(r, frame.nDims);
    let h = out.get(key);
    if (!h) out.set(key, (h = { baseline: new Array(nBins).fill(0), current: new Array(nBins).fill(0) }));
    const b = Number(r.b);
    if (b >= nBins) continue;
    (Number(r.w) === 0 ? h.baseline : h.current)[b] = Number(r.n);
  }
  return out;
}

export interface FeatureCountsInput {
  id: string;
  axis: Axis;
  histograms: Map<string, SliceHistogram>;
  nBins: number;
}

export interface SliceScoringOptions {
  minSupport: number;
  alpha: number;
  fill: FillRule;
  includeCounts: boolean;
}

/** PSI, KL, JS, chi-square and score for one slice histogram (significance set later). */
export function featureDrift(
  feature: string,
  axis: Axis,
  h: SliceHistogram | undefined,
  nBins: number,
  opts: SliceScoringOptions,
  totals?: { baseline: number; current: number },
): FeatureDrift {
  const baseline = h?.baseline ?? new Array(nBins).fill(0);
  const current = h?.current ?? new Array(nBins).fill(0);
  const nB = baseline.reduce((a, b) => a + b, 0);
  const nC = current.reduce((a, b) => a + b, 0);
  const status: SliceStatus = nB > 0 && nC > 0 ? 'ok' : nB > 0 ? 'baseline_only' : nC > 0 ? 'current_only' : 'empty';
  const m = status === 'ok' ? compareCounts(baseline, current, opts.fill) : null;
  const chi = status === 'ok' ? chiSquareTest(baseline, current) : null;
  const occupied = baseline.filter((v, i) => v + current[i] > 0).length;
  const effect = m ? Math.max(0, m.psi - expectedNoisePsi(occupied, nB, nC)) : 0;
  const fd: FeatureDrift = {
    feature,
    axis,
    status,
    nBaseline: nB,
    nCurrent: nC,
    psi: m?.psi ?? null,
    kl: m?.kl ?? null,
    js: m?.js ?? null,
    chiSquare: chi?.statistic ?? null,
    df: chi?.df ?? null,
    pValue: chi?.pValue ?? null,
    significant: false,
    meetsSupport: Math.min(nB, nC) >= opts.minSupport,
    level: driftLevel(m?.psi ?? null),
    score: effect * trafficShare(nB, nC, totals),
  };
  if (opts.includeCounts) {
    fd.baselineCounts = baseline;
    fd.currentCounts = current;
  }
  return fd;
}

/**
 * The slice's share of the feature's rows: min(n_b / N_b, n_c / N_c) (1 without totals).
 * The ranking score is max(0, PSI − E[PSI | no drift]) × this share — "drift mass": a slice
 * that holds the whole change outranks its sub-slices (same PSI, smaller share) and its
 * parents (diluted PSI), and chance PSI of tiny slices is both corrected and down-weighted.
 */
export function trafficShare(nB: number, nC: number, totals?: { baseline: number; current: number }): number {
  if (!totals) return 1;
  if (totals.baseline <= 0 || totals.current <= 0) return 0;
  return Math.min(nB / totals.baseline, nC / totals.current);
}

/**
 * Assembles every slice's drift. Significance is Bonferroni-corrected per feature:
 * significant ⇔ p < alpha / (number of slices with data in both windows for that feature).
 */
export function assembleSlices(
  support: Map<string, SliceSupport>,
  features: FeatureCountsInput[],
  decode: (key: string) => SliceDim[],
  opts: SliceScoringOptions,
): SliceDrift[] {
  const keys = new Set<string>(support.keys());
  for (const f of features) for (const k of f.histograms.keys()) keys.add(k);

  const perFeature = features.map((f) => {
    const drifts = new Map<string, FeatureDrift>();
    const all = f.histograms.get('');
    const totals = all ? { baseline: sum(all.baseline), current: sum(all.current) } : undefined;
    for (const key of keys) drifts.set(key, featureDrift(f.id, f.axis, f.histograms.get(key), f.nBins, opts, totals));
    const tested = [...drifts.values()].filter((d) => d.status === 'ok').length;
    const bar = opts.alpha / Math.max(1, tested);
    for (const d of drifts.values()) d.significant = d.pValue !== null && d.status === 'ok' && d.pValue < bar;
    return drifts;
  });

  const slices: SliceDrift[] = [];
  for (const key of keys) {
    const s = support.get(key);
    const axes: SliceDrift['axes'] = {};
    features.forEach((f, i) => {
      const fd = perFeature[i].get(key)!;
      const ax = axes[f.axis];
      if (!ax) {
        axes[f.axis] = axisFrom(f.axis, [fd]);
      } else {
        axes[f.axis] = axisFrom(f.axis, [...ax.features, fd]);
      }
    });
    const dims = decode(key);
    slices.push({
      id: sliceId(dims),
      dims,
      support: { baseline: s?.baseline ?? 0, current: s?.current ?? 0 },
      judge: {
        baselineMean: s && s.judgedBaseline > 0 ? s.judgeSumBaseline / s.judgedBaseline : null,
        currentMean: s && s.judgedCurrent > 0 ? s.judgeSumCurrent / s.judgedCurrent : null,
        baselineJudged: s?.judgedBaseline ?? 0,
        currentJudged: s?.judgedCurrent ?? 0,
      },
      axes,
      score: Math.max(0, ...Object.values(axes).map((a) => a.score)),
    });
  }
  slices.sort((a, b) => b.score - a.score || a.dims.length - b.dims.length || a.id.localeCompare(b.id));
  return slices;
}

/** The axis takes its figures from the feature with the highest score (then highest PSI). */
export function axisFrom(axis: Axis, features: FeatureDrift[]): AxisDrift {
  const ranked = [...features].sort((a, b) => b.score - a.score || (b.psi ?? -1) - (a.psi ?? -1));
  const top = ranked[0];
  return {
    axis,
    feature: top.feature,
    psi: top.psi,
    pValue: top.pValue,
    significant: top.significant,
    meetsSupport: top.meetsSupport,
    level: top.level,
    score: top.score,
    features,
  };
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

export function sliceId(dims: SliceDim[]): string {
  return dims.map((d) => `${encodeURIComponent(d.dimension)}=${d.value === null ? '%00' : encodeURIComponent(d.value)}`).join('&');
}

/** Slices eligible to be ranked on an axis: support met and significant. Best score first. */
export function rankOnAxis(slices: SliceDrift[], axis: Axis, limit = 20): SliceDrift[] {
  return slices
    .filter((s) => s.dims.length > 0)
    .filter((s) => s.axes[axis]?.features.some((f) => f.meetsSupport && f.significant))
    .sort((a, b) => axisEligibleScore(b, axis) - axisEligibleScore(a, axis))
    .slice(0, limit);
}

function axisEligibleScore(s: SliceDrift, axis: Axis): number {
  return Math.max(0, ...(s.axes[axis]?.features ?? []).filter((f) => f.meetsSupport && f.significant).map((f) => f.score));
}
