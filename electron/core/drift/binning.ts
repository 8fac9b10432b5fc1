/**
 * How a numeric column becomes bins. Every rule ends as strictly increasing cut points
 * c_1 < … < c_m; a value x falls in bin (number of cuts ≤ x), so bins are
 * (−∞, c_1), [c_1, c_2), …, [c_m, +∞) — m + 1 bins. Bins always come from the whole baseline
 * (or baseline + current) and are shared by every slice, so slices compare on one grid.
 *
 * - 'quantile' (default): cuts are the baseline quantiles at i/B, i = 1 … B−1 (linear
 *   interpolation, numpy's default = DuckDB quantile_cont), duplicates dropped, so a
 *   discrete or constant column gets fewer bins.
 * - 'equal-width': numpy.histogram_bin_edges(baseline ∪ current, bins=B): edges
 *   e_i = min + i·(max − min)/B (linspace, last edge set to max exactly); when min = max the
 *   range becomes [min − 0.5, max + 0.5]. numpy's bins are [e_i, e_(i+1)) with the last closed,
 *   which is exactly "number of inner edges e_1 … e_(B−1) ≤ x" for data inside [e_0, e_B].
 * - 'evidently': Evidently's compatibility mode. ≤ 20 distinct baseline values → categorical;
 *   otherwise equal-width over baseline ∪ current with Sturges' bin count
 *   (numpy 'sturges': width = ptp / (log2(n) + 1), bins = ceil(ptp / width)).
 */

export type BinningRule = 'quantile' | 'equal-width' | 'evidently';

export const DEFAULT_BINS = 10;
/** Evidently treats numeric columns with at most this many distinct reference values as categories. */
export const EVIDENTLY_CATEGORICAL_MAX_DISTINCT = 20;

export interface NumericBinning {
  kind: 'numeric';
  rule: Exclude<BinningRule, 'evidently'> | 'sturges';
  /** Strictly increasing cut points; bins = cuts.length + 1. */
  cuts: number[];
  /** Display edges: [lowest, ...cuts, highest] from the data seen (null when no data). */
  edges: number[] | null;
  labels: string[];
}

/** Drops duplicate and non-finite values from sorted cut candidates. */
export function uniqueCuts(values: readonly number[]): number[] {
  const out: number[] = [];
  for (const v of [...values].filter(Number.isFinite).sort((a, b) => a - b)) {
    if (out.length === 0 || v > out[out.length - 1]) out.push(v);
  }
  return out;
}

/** The quantile probabilities i/B for i = 1 … B−1. */
export function quantileProbabilities(bins: number): number[] {
  return Array.from({ length: Math.max(0, bins - 1) }, (_, i) => (i + 1) / bins);
}

/** numpy.quantile(values, q) with linear interpolation (the default 'linear' method). */
export function quantileLinear(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

/** Quantile cuts from the baseline values (for tests and small inputs; the engine asks DuckDB). */
export function quantileCuts(baseline: readonly number[], bins: number): number[] {
  const sorted = baseline.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return [];
  return uniqueCuts(quantileProbabilities(bins).map((q) => quantileLinear(sorted, q)));
}

/** numpy.histogram_bin_edges(a, bins) for an integer bin count, from a's min and max. */
export function equalWidthEdges(min: number, max: number, bins: number): number[] {
  let first = min;
  let last = max;
  if (first === last) {
    first -= 0.5;
    last += 0.5;
  }
  // numpy.linspace(first, last, bins + 1): y_i = i * step + first, then y[-1] = last.
  const step = (last - first) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => i * step + first);
  edges[bins] = last;
  return edges;
}

/** numpy's 'sturges' bin count over n values spanning [min, max]. */
export function sturgesBinCount(n: number, min: number, max: number): number {
  const ptp = max - min;
  if (n <= 0) return 1;
  const width = ptp / (Math.log2(n) + 1);
  return width > 0 ? Math.ceil(ptp / width) : 1;
}

/** Bin index of x under cut points: the number of cuts ≤ x. */
export function binIndex(x: number, cuts: readonly number[]): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cuts[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Counts values into the bins of a cut list (nulls and NaN skipped). */
export function histogram(values: readonly (number | null)[], cuts: readonly number[]): number[] {
  const counts = new Array<number>(cuts.length + 1).fill(0);
  for (const v of values) if (v !== null && Number.isFinite(v)) counts[binIndex(v, cuts)]++;
  return counts;
}

export function numericBinning(
  rule: NumericBinning['rule'],
  cuts: number[],
  lowest: number | null,
  highest: number | null,
): NumericBinning {
  const edges = lowest === null || highest === null ? null : [lowest, ...cuts, highest];
  const fmt = (v: number) => (Number.isInteger(v) ? String(v) : Number(v.toPrecision(4)).toString());
  const labels: string[] = [];
  for (let i = 0; i <= cuts.length; i++) {
    const lo = i === 0 ? (rule === 'quantile' ? '−∞' : fmt(edges?.[0] ?? -Infinity)) : fmt(cuts[i - 1]);
    const hi = i === cuts.length ? (rule === 'quantile' ? '+∞' : fmt(edges?.[edges.length - 1] ?? Infinity)) : fmt(cuts[i]);
    labels.push(i === cuts.length && rule !== 'quantile' ? `[${lo}, ${hi}]` : `[${lo}, ${hi})`);
  }
  return { kind: 'numeric', rule, cuts, edges, labels };
}

/** Inner edges of an equal-width grid: the cut points that reproduce numpy's assignment. */
export function innerEdges(edges: readonly number[]): number[] {
  return edges.slice(1, -1);
}

/**
 * SQL for "bin of value": CASE WHEN v < c1 THEN 0 … ELSE m END, cuts bound as parameters
 * through `bind` (which returns the placeholder). NULL stays NULL.
 */
export function binCaseSql(valueSql: string, cuts: readonly number[], bind: (v: number) => string): string {
  const v = `(${valueSql})`;
  const whens = cuts.map((c, i) => `WHEN ${v} < ${bind(c)} THEN ${i}`).join(' ');
  // The value expression repeats per branch; DuckDB evaluates it as a common subexpression.
  return `CASE WHEN ${v} IS NULL THEN NULL ${whens} ELSE ${cuts.length} END`;
}
