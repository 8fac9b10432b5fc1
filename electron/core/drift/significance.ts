/**
 * Significance of a histogram difference: Pearson's chi-square test of homogeneity on the
 * 2 × B table of bin counts (baseline row, current row). Bins empty in both rows are dropped;
 * df = (non-empty bins − 1). The p-value is the chi-square survival function
 *
 *   P(X ≥ x | df) = Q(df/2, x/2),   Q = the regularized upper incomplete gamma function,
 *
 * computed here (series for x < a + 1, Lentz continued fraction otherwise — Numerical
 * Recipes §6.2), so no statistics library is needed. Checks: df = 2 gives exp(−x/2) exactly;
 * sf(3.841459, 1) = 0.05.
 */

export interface ChiSquareResult {
  statistic: number;
  df: number;
  pValue: number;
}

const LANCZOS = [
  676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos, g = 7; ~15 significant digits). */
export function lnGamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  const z = x - 1;
  let a = 0.99999999999980993;
  const t = z + 7.5;
  for (let i = 0; i < LANCZOS.length; i++) a += LANCZOS[i] / (z + i + 1);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

const EPS = 1e-15;
const MAX_ITER = 10_000;

/** Regularized upper incomplete gamma Q(a, x) = Γ(a, x) / Γ(a). */
export function gammaQ(a: number, x: number): number {
  if (a <= 0) throw new Error('gammaQ needs a > 0');
  if (x <= 0) return 1;
  if (!Number.isFinite(x)) return 0;
  const logPrefix = -x + a * Math.log(x) - lnGamma(a);
  if (x < a + 1) {
    // P(a, x) by its series: e^(−x) x^a / Γ(a+1) · Σ x^n / ((a+1)…(a+n)).
    let term = 1 / a;
    let sum = term;
    let ap = a;
    for (let n = 0; n < MAX_ITER; n++) {
      ap += 1;
      term *= x / ap;
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * EPS) break;
    }
    return Math.max(0, 1 - sum * Math.exp(logPrefix));
  }
  // Q(a, x) by the continued fraction (modified Lentz).
  const tiny = 1e-300;
  let b = x + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < MAX_ITER; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) break;
  }
  return Math.exp(logPrefix) * h;
}

/** Chi-square survival function P(X ≥ x) with df degrees of freedom. */
export function chiSquareSf(x: number, df: number): number {
  if (df <= 0) return 1;
  return gammaQ(df / 2, x / 2);
}

/** Pearson chi-square test of homogeneity between two count vectors over the same bins. */
export function chiSquareTest(ref: readonly number[], cur: readonly number[]): ChiSquareResult {
  const nRef = ref.reduce((a, b) => a + b, 0);
  const nCur = cur.reduce((a, b) => a + b, 0);
  const n = nRef + nCur;
  if (nRef === 0 || nCur === 0) return { statistic: 0, df: 0, pValue: 1 };
  let stat = 0;
  let bins = 0;
  for (let i = 0; i < ref.length; i++) {
    const col = ref[i] + cur[i];
    if (col === 0) continue;
    bins++;
    const eRef = (col * nRef) / n;
    const eCur = (col * nCur) / n;
    stat += (ref[i] - eRef) ** 2 / eRef + (cur[i] - eCur) ** 2 / eCur;
  }
  const df = bins - 1;
  return { statistic: stat, df, pValue: chiSquareSf(stat, df) };
}
