import { describe, expect, it } from 'vitest';
import { chiSquareSf, chiSquareTest, gammaQ, lnGamma } from '../../../electron/core/drift/significance';

describe('chi-square survival function', () => {
  it('equals exp(−x/2) for 2 degrees of freedom', () => {
    for (const x of [0.1, 1, 5.991, 20, 80]) expect(chiSquareSf(x, 2)).toBeCloseTo(Math.exp(-x / 2), 12);
  });

  it('matches scipy.stats.chi2.sf', () => {
    expect(chiSquareSf(3.841458820694124, 1)).toBeCloseTo(0.05, 12); // the 95% critical value
    expect(chiSquareSf(10, 5)).toBeCloseTo(0.07523524614651217, 12);
    expect(chiSquareSf(40, 30)).toBeCloseTo(0.10486428110798468, 12);
    expect(chiSquareSf(0.5, 7)).toBeCloseTo(0.9994464813904249, 12);
    expect(chiSquareSf(1e-3, 1)).toBeCloseTo(0.9747728793699604, 12);
    const tiny = chiSquareSf(500, 9);
    expect(tiny / 5.7494139030446954e-102).toBeCloseTo(1, 8);
  });

  it('has sane limits', () => {
    expect(chiSquareSf(0, 3)).toBe(1);
    expect(chiSquareSf(5, 0)).toBe(1);
    expect(gammaQ(1, Infinity)).toBe(0);
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(lnGamma(0.5)).toBeCloseTo(Math.log(Math.sqrt(Math.PI)), 12);
  });
});

describe('chi-square test of two histograms', () => {
  it('matches a hand computation', () => {
    // [[50, 30, 20], [30, 30, 40]]: column totals 80, 60, 60; row totals 100, 100 → E = 40, 30, 30 per row.
    // χ² = 10²/40 + 0 + 10²/30 + 10²/40 + 0 + 10²/30 = 2.5 + 3.3333 + 2.5 + 3.3333 = 11.6667, df = 2
    // p = exp(−11.6667/2) = 0.0029283 (scipy chi2_contingency, correction=False: 0.0029282997)
    const r = chiSquareTest([50, 30, 20], [30, 30, 40]);
    expect(r.statistic).toBeCloseTo(11.6666667, 6);
    expect(r.df).toBe(2);
    expect(r.pValue).toBeCloseTo(0.0029282996948, 10);
  });

  it('drops bins empty on both sides and has no test for an empty window', () => {
    expect(chiSquareTest([50, 0, 30, 20], [30, 0, 30, 40]).df).toBe(2);
    expect(chiSquareTest([5, 5], [0, 0])).toEqual({ statistic: 0, df: 0, pValue: 1 });
  });

  it('finds a small sample with a large PSI not significant', () => {
    // 3 vs 3 requests: the shift is total, but p is far from any Bonferroni bar.
    const r = chiSquareTest([3, 0], [0, 3]);
    expect(r.statistic).toBeCloseTo(6, 12); // E = 1.5 everywhere: 4 · 1.5²/1.5 = 6
    expect(r.pValue).toBeCloseTo(0.014305878435429641, 10); // scipy chi2.sf(6, 1)
  });
});
