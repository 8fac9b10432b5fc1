/**
 * Distribution distances between a baseline (reference) and a current histogram, given as bin
 * counts over the same bins. Definitions (ARCHITECTURE.md, "Analytics definitions"):
 *
 *   PSI = Σ (cur_i − ref_i) · ln(cur_i / ref_i)     on filled proportions (not renormalised)
 *   KL  = Σ ref_i · ln(ref_i / cur_i)               on filled, renormalised proportions
 *                                                  (= scipy.stats.entropy(ref, cur))
 *   JS  = sqrt( ½ KL(ref ‖ m) + ½ KL(cur ‖ m) ),  m = ½ (ref + cur), natural log, raw
 *         proportions, no fill (= scipy.spatial.distance.jensenshannon(ref, cur))
 *
 * Fill rules for empty bins:
 *   'loupe'     — every zero proportion becomes 0.0001.
 *   'evidently' — per array: 0.0001, unless that array's smallest non-zero share is ≤ 0.0001,
 *                 then (that share) / 10⁶ (Evidently's get_binned_data, feel_zeroes=True).
 */

export type FillRule = 'loupe' | 'evidently';

export const FILL = 0.0001;

export interface DistributionMetrics {
  psi: number;
  kl: number;
  js: number;
}

/** Counts → shares of their total; an all-zero array has no distribution (null). */
export function proportions(counts: readonly number[]): number[] | null {
  const total = counts.reduce((a, b) => a + b, 0);
  if (!(total > 0)) return null;
  return counts.map((c) => c / total);
}

/** The fill value a rule uses for one array of proportions. */
export function fillValue(shares: readonly number[], rule: FillRule): number {
  if (rule === 'loupe') return FILL;
  let smallest = Infinity;
  for (const s of shares) if (s > 0 && s < smallest) smallest = s;
  if (!Number.isFinite(smallest)) return FILL;
  return smallest <= FILL ? smallest / 1e6 : FILL;
}

/** Replaces zero shares with the rule's fill value (no renormalisation). */
export function fillZeros(shares: readonly number[], rule: FillRule = 'loupe'): number[] {
  const f = fillValue(shares, rule);
  return shares.map((s) => (s === 0 ? f : s));
}

export function psiOf(ref: readonly number[], cur: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < ref.length; i++) sum += (cur[i] - ref[i]) * Math.log(cur[i] / ref[i]);
  return sum;
}

/** KL(p ‖ q) after renormalising both to sum 1; terms with p_i = 0 contribute 0. */
export function klOf(p: readonly number[], q: readonly number[]): number {
  const sp = p.reduce((a, b) => a + b, 0);
  const sq = q.reduce((a, b) => a + b, 0);
  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i] / sp;
    const qi = q[i] / sq;
    if (pi > 0) sum += pi * Math.log(pi / qi);
  }
  return sum;
}

/** Jensen–Shannon distance (natural log): sqrt of the JS divergence. In [0, sqrt(ln 2)]. */
export function jsDistanceOf(p: readonly number[], q: readonly number[]): number {
  const m = p.map((pi, i) => (pi + q[i]) / 2);
  const div = (klOf(p, m) + klOf(q, m)) / 2;
  return Math.sqrt(Math.max(0, div));
}

/**
 * PSI, KL and JS of two histograms over the same bins. Null when either side has no
 * observations (an empty window has no distribution to compare).
 */
export function compareCounts(
  refCounts: readonly number[],
  curCounts: readonly number[],
  rule: FillRule = 'loupe',
): DistributionMetrics | null {
  if (refCounts.length !== curCounts.length) throw new Error('histograms must have the same bins');
  const ref = proportions(refCounts);
  const cur = proportions(curCounts);
  if (!ref || !cur) return null;
  const refF = fillZeros(ref, rule);
  const curF = fillZeros(cur, rule);
  return { psi: psiOf(refF, curF), kl: klOf(refF, curF), js: jsDistanceOf(ref, cur) };
}

/** The design's PSI thresholds: < 0.1 quiet, 0.1–0.2 watch, > 0.2 alert. */
export const PSI_WATCH = 0.1;
export const PSI_ALERT = 0.2;
export type DriftLevel = 'quiet' | 'watch' | 'alert';

export function driftLevel(psi: number | null): DriftLevel {
  if (psi === null || psi < PSI_WATCH) return 'quiet';
  return psi > PSI_ALERT ? 'alert' : 'watch';
}

/**
 * Expected PSI between two samples of one distribution over k non-empty bins:
 * E[PSI] ≈ (k − 1) · (1/n_ref + 1/n_cur) (PSI ≈ Σ (c − r)²/r for small differences, whose
 * multinomial expectation is Σ p(1−p)/p · (1/n_r + 1/n_c)). Small slices get large PSI by
 * chance; the ranking score subtracts this.
 */
export function expectedNoisePsi(bins: number, nRef: number, nCur: number): number {
  if (nRef <= 0 || nCur <= 0 || bins <= 1) return 0;
  return (bins - 1) * (1 / nRef + 1 / nCur);
}
