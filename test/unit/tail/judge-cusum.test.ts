import { describe, expect, it } from 'vitest';
import {
  averageRunLength,
  calibrateThreshold,
  cusumStep,
  cusumThresholds,
  standardise,
  Z_BINS,
  Z_CLIP,
  Z_STEP,
  zBin,
  zDistribution,
} from '../../../electron/core/tail/judge-cusum';

/** A standard normal on the z grid the baselines use. */
const normal = zDistribution(Array.from({ length: Z_BINS }, (_, i) => Math.exp(-((-Z_CLIP + i * Z_STEP) ** 2) / 2)));

describe('judge CUSUM', () => {
  it('standardises below-baseline scores as positive z, clamped at ±4', () => {
    expect(standardise(0.6, 0.8, 0.1)).toBeCloseTo(2, 12);
    expect(standardise(0.9, 0.8, 0.1)).toBeCloseTo(-1, 12);
    expect(standardise(0, 0.8, 0.1)).toBe(4);
    expect(zBin(-4)).toBe(0);
    expect(zBin(0)).toBe(40);
    expect(zBin(4)).toBe(Z_BINS - 1);
  });

  it('accumulates evidence above k and forgets it with good scores (hand-run)', () => {
    // k = 0.5 and z = 2, 1.5, −1, −3: S = 1.5, 2.5, 1.0, 0 (never below zero).
    const steps = [2, 1.5, -1, -3].reduce<number[]>((acc, z) => [...acc, cusumStep(acc.at(-1) ?? 0, z, 0.5)], []);
    expect(steps).toEqual([1.5, 2.5, 1, 0]);
  });

  it('reproduces the textbook run lengths of a one-sided normal CUSUM', () => {
    // k = 0.5: h = 4 → ~336 and h = 5 → ~930 in-control (Montgomery, Table 9.3 doubled for one
    // side; Siegmund's approximation gives 338 and 938). Scores binned to 0.1 make S move in
    // steps of 0.05, which lengthens them by ~6 % (355 and 988 exactly for the binned normal).
    expect(averageRunLength(normal, 0.5, 4)).toBeGreaterThan(336 * 0.97);
    expect(averageRunLength(normal, 0.5, 4)).toBeLessThan(336 * 1.1);
    expect(averageRunLength(normal, 0.5, 5)).toBeGreaterThan(930 * 0.97);
    expect(averageRunLength(normal, 0.5, 5)).toBeLessThan(930 * 1.1);
    // After a one-sd shift (every z moves up by 1): h = 4 → 8.4 and h = 5 → 10.4 (same table).
    const shifted = normal.map(({ z, p }) => ({ z: z + 1, p }));
    expect(averageRunLength(shifted, 0.5, 4)).toBeCloseTo(8.4, 0);
    expect(averageRunLength(shifted, 0.5, 5)).toBeCloseTo(10.4, 0);
  });

  it('matches a simulated run length on a skewed, lumpy score distribution', () => {
    // Judge-like: most scores near the mean, a heavy low tail (refusals, broken formats).
    const dist = [
      { z: -1, p: 0.3 },
      { z: 0, p: 0.4 },
      { z: 1, p: 0.25 },
      { z: 3, p: 0.05 },
    ];
    const h = 6;
    let state = 0x9e3779b9;
    const rand = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    let total = 0;
    const runs = 4000;
    for (let r = 0; r < runs; r++) {
      let s = 0;
      let n = 0;
      while (s <= h) {
        let u = rand();
        const { z } = dist.find((d) => (u -= d.p) < 0) ?? dist[dist.length - 1];
        s = cusumStep(s, z, 0.5);
        n++;
      }
      total += n;
    }
    const simulated = total / runs;
    expect(averageRunLength(dist, 0.5, h) / simulated).toBeGreaterThan(0.92);
    expect(averageRunLength(dist, 0.5, h) / simulated).toBeLessThan(1.08);
  });

  it('picks the smallest threshold that reaches the target run length', () => {
    const h = calibrateThreshold(normal, 0.5, 930)!;
    expect(h).toBeGreaterThan(4.7);
    expect(h).toBeLessThan(5.1);
    expect(averageRunLength(normal, 0.5, h)).toBeGreaterThanOrEqual(930);
    expect(averageRunLength(normal, 0.5, h - 0.05)).toBeLessThan(930);
    // Scores that never rise k above the baseline cannot raise an alert: no threshold.
    expect(calibrateThreshold([{ z: 0, p: 1 }], 0.25, 1000)).toBeNull();
  });

  it('sets both detectors from the baseline rate and a 30-day budget, not below 30 scores', () => {
    const counts = Array.from({ length: Z_BINS }, (_, i) => Math.round(1e4 * Math.exp(-((-Z_CLIP + i * Z_STEP) ** 2) / 2)));
    const t = cusumThresholds(counts, 1)!;
    expect(t.runLength).toBe(30 * 86_400);
    // Each detector gets half the budget: run length ≥ 2 × 30 days of scores at 1 a second.
    const dist = zDistribution(counts);
    expect(averageRunLength(dist, 0.25, t.h[0]!)).toBeGreaterThanOrEqual(2 * 30 * 86_400);
    expect(averageRunLength(dist, 1, t.h[1]!)).toBeGreaterThanOrEqual(2 * 30 * 86_400);
    // A busier version gets a higher threshold for the same false alerts per day.
    expect(cusumThresholds(counts, 10)!.h[0]!).toBeGreaterThan(t.h[0]!);
    expect(cusumThresholds([5, 5, 5], 1)).toBeNull();
  });
});
