/**
 * The live judge alert's sequential rule: a one-sided CUSUM on each version's standardised
 * judge scores, with its threshold set from the version's own baseline scores so that a steady
 * version raises a false alert about once per FALSE_ALERT_DAYS.
 *
 * Why not the hourly 2σ rule alone: re-checked every few seconds, "window mean < μ − 2σ/√n" is
 * below its threshold ~2.3 % of the time on steady traffic, and with the short windows that see
 * a drop early it flagged a steady version every few minutes (test/bench/judge-rule-sim.ts).
 * A CUSUM accumulates evidence score by score and forgets it only as good scores arrive, so it
 * can be checked after every score with a false-alert rate fixed in advance.
 *
 * For each judged score x of a version with baseline mean μ_b and sd s_b:
 *
 *   z = clamp((μ_b − x) / s_b, −4, 4) to 0.1 (positive below the baseline; one score moves S by ≤ 4)
 *   S ← max(0, S + z − k)                   flagged ⇔ S > h
 *
 * Two detectors run side by side: k = 0.25 is tuned to drops of about half a baseline sd, k = 1
 * to drops of about two, each with half the false-alert budget. h is the smallest threshold
 * whose average run length on the baseline's own z distribution (its histogram, not a normal
 * curve: judge scores are skewed and lumpy) reaches the baseline's judged rate × the budget
 * (per version; a canary held to its deployment's baseline gets the deployment's rate, so its
 * false alerts are rarer and its alerts a little slower). The run length comes from the Markov
 * chain of S (Brook & Evans, Biometrika 1972); live z is put on the histogram's grid too, which
 * makes that chain exact for the detector that runs.
 */
export const FALSE_ALERT_DAYS = 30;
export const CUSUM_KS = [0.25, 1] as const;
export const Z_CLIP = 4;
/** Baseline z histograms use bins of this width over [−Z_CLIP, Z_CLIP]. */
export const Z_STEP = 0.1;
export const Z_BINS = Math.round((2 * Z_CLIP) / Z_STEP) + 1;
/** Below this many judged baseline scores the histogram is too coarse to set h from. */
export const MIN_CALIBRATION_SCORES = 30;

export function standardise(score: number, mean: number, sd: number): number {
  const z = (mean - score) / sd;
  return z > Z_CLIP ? Z_CLIP : z < -Z_CLIP ? -Z_CLIP : z;
}

/** The histogram slot of a standardised score. */
export function zBin(z: number): number {
  return Math.round((z + Z_CLIP) / Z_STEP);
}

export function cusumStep(s: number, z: number, k: number): number {
  const next = s + z - k;
  return next > 0 ? next : 0;
}

/** Probabilities of the z values −Z_CLIP + i·Z_STEP from histogram counts. */
export function zDistribution(counts: readonly number[]): Array<{ z: number; p: number }> {
  const total = counts.reduce((a, b) => a + b, 0);
  return counts.flatMap((n, i) => (n > 0 ? [{ z: -Z_CLIP + i * Z_STEP, p: n / total }] : []));
}

/**
 * Average number of scores until S first exceeds h, starting at S = 0, when scores follow
 * `dist`. With z on the histogram grid and k a multiple of LATTICE, S only takes the values
 * 0, g, 2g, … (g = LATTICE), so the Markov chain of S on [0, h] is exact: ARL = (I − R)⁻¹ · 1
 * at S = 0, R the transition probabilities between those values. A step moves S by at most
 * (Z_CLIP + k) / g cells, so I − R is banded and is solved in the band (rows are diagonally
 * dominant: no pivoting needed).
 */
export const LATTICE = 0.05;
export function averageRunLength(dist: ReadonlyArray<{ z: number; p: number }>, k: number, h: number): number {
  const g = LATTICE;
  const m = Math.floor(h / g + 1e-9) + 1;
  const moves = dist.map(({ z, p }) => ({ d: Math.round((z - k) / g), p }));
  const below = Math.max(0, ...moves.map((x) => -x.d));
  const above = Math.max(0, ...moves.map((x) => x.d));
  // Band storage: row i keeps columns i − below … i + above.
  const width = below + above + 1;
  const a = new Float64Array(m * width);
  const at = (i: number, j: number) => i * width + (j - i + below);
  for (let i = 0; i < m; i++) {
    a[at(i, i)] += 1;
    for (const { d, p } of moves) {
      const j = Math.max(0, i + d);
      if (j >= m) continue; // S > h: the alert
      a[at(i, j)] -= p;
    }
  }
  const b = new Float64Array(m).fill(1);
  for (let c = 0; c < m; c++) {
    const pivot = a[at(c, c)];
    if (pivot <= 1e-300) return Infinity; // S can never leave [0, h]: no alert is ever possible
    for (let r = c + 1; r <= Math.min(m - 1, c + below); r++) {
      const f = a[at(r, c)] / pivot;
      if (f === 0) continue;
      for (let x = c; x <= Math.min(m - 1, c + above); x++) a[at(r, x)] -= f * a[at(c, x)];
      b[r] -= f * b[c];
    }
  }
  const arl = new Float64Array(m);
  for (let r = m - 1; r >= 0; r--) {
    let s = b[r];
    for (let x = r + 1; x <= Math.min(m - 1, r + above); x++) s -= a[at(r, x)] * arl[x];
    arl[r] = s / a[at(r, r)];
  }
  return arl[0];
}

/**
 * The smallest h (to one lattice step) whose run length on `dist` is at least `targetRunLength` scores,
 * by bisection (the run length grows with h). Null when the distribution never lets S grow
 * (every z ≤ k): no threshold is needed, no drop of that shape has been seen.
 */
export function calibrateThreshold(dist: ReadonlyArray<{ z: number; p: number }>, k: number, targetRunLength: number): number | null {
  if (!dist.some((d) => d.z > k)) return null;
  let lo = 0.01;
  let hi = 1;
  while (averageRunLength(dist, k, hi) < targetRunLength) {
    lo = hi;
    hi *= 2;
    if (hi > 512) return hi; // far beyond any baseline with a finite sd: never alerts
  }
  while (hi - lo > LATTICE) {
    const mid = (lo + hi) / 2;
    if (averageRunLength(dist, k, mid) < targetRunLength) lo = mid;
    else hi = mid;
  }
  return hi;
}

export interface CusumThresholds {
  /** One h per CUSUM_KS entry (null: that detector cannot move on this baseline). */
  h: Array<number | null>;
  /** Judged scores per false alert the thresholds were set for (both detectors together). */
  runLength: number;
}

/**
 * Thresholds for a baseline with these z counts, judged at `perSecond` scores a second: the
 * false-alert budget (one per `falseAlertDays`) in scores, split evenly between the detectors.
 * Null below MIN_CALIBRATION_SCORES.
 */
export function cusumThresholds(zCounts: readonly number[], perSecond: number, falseAlertDays = FALSE_ALERT_DAYS): CusumThresholds | null {
  const total = zCounts.reduce((a, b) => a + b, 0);
  if (total < MIN_CALIBRATION_SCORES) return null;
  const runLength = Math.max(100, perSecond * falseAlertDays * 86_400);
  const dist = zDistribution(zCounts);
  return { h: CUSUM_KS.map((k) => calibrateThreshold(dist, k, runLength * CUSUM_KS.length)), runLength };
}
