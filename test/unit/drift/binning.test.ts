import { describe, expect, it } from 'vitest';
import {
  binCaseSql,
  binIndex,
  equalWidthEdges,
  histogram,
  innerEdges,
  quantileCuts,
  sturgesBinCount,
  uniqueCuts,
} from '../../../electron/core/drift/binning';

describe('quantile bins from the baseline', () => {
  it('uses numpy linear quantiles at i/B', () => {
    // 1..10, B = 4: positions 9·q → 2.25, 4.5, 6.75 → 3 + 0.25, 5 + 0.5, 7 + 0.75 (numpy: [3.25, 5.5, 7.75])
    const cuts = quantileCuts([10, 9, 8, 7, 6, 5, 4, 3, 2, 1], 4);
    expect(cuts).toEqual([3.25, 5.5, 7.75]);
    // (−∞,3.25): 1,2,3 · [3.25,5.5): 4,5 · [5.5,7.75): 6,7 · [7.75,∞): 8,9,10
    expect(histogram([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], cuts)).toEqual([3, 2, 2, 3]);
  });

  it('collapses duplicate quantiles of a constant or discrete column', () => {
    expect(quantileCuts([7, 7, 7, 7], 10)).toEqual([7]);
    // The constant lands in bin 1 ([7, ∞)); bin 0 stays empty on both sides, so PSI is 0.
    expect(histogram([7, 7, 7], [7])).toEqual([0, 3]);
    expect(uniqueCuts([0, 0, 1, 1, 1, NaN])).toEqual([0, 1]);
  });

  it('puts a value equal to a cut in the upper bin and skips nulls', () => {
    expect(binIndex(3.25, [3.25, 5.5])).toBe(1);
    expect(binIndex(-1e9, [3.25, 5.5])).toBe(0);
    expect(histogram([null, 3.25, NaN, 6], [3.25, 5.5])).toEqual([0, 1, 1]);
  });
});

describe('equal-width bins (numpy.histogram_bin_edges)', () => {
  it('spans min..max with the last bin closed', () => {
    // np.histogram_bin_edges([0, 1, 2, 10], bins=5) = [0, 2, 4, 6, 8, 10];
    // np.histogram(...)[0] = [2, 1, 0, 0, 1] (2 falls in [2, 4); 10 in the closed last bin)
    const edges = equalWidthEdges(0, 10, 5);
    expect(edges).toEqual([0, 2, 4, 6, 8, 10]);
    expect(histogram([0, 1, 2, 10], innerEdges(edges))).toEqual([2, 1, 0, 0, 1]);
  });

  it('widens a constant column to [x − 0.5, x + 0.5]', () => {
    // np.histogram_bin_edges([3, 3], bins=2) = [2.5, 3, 3.5]; np.histogram → [0, 2]
    const edges = equalWidthEdges(3, 3, 2);
    expect(edges).toEqual([2.5, 3, 3.5]);
    expect(histogram([3, 3], innerEdges(edges))).toEqual([0, 2]);
  });

  it('reproduces linspace rounding and sets the last edge exactly', () => {
    // np.histogram_bin_edges([0.1, 0.7, 0.3], bins=3) = [0.1, 0.3, 0.5, 0.7]
    // linspace: 0.1 + i·0.2 → 0.30000000000000004, 0.5, then the last is set to 0.7.
    const edges = equalWidthEdges(0.1, 0.7, 3);
    expect(edges[1]).toBe(0.1 + 0.19999999999999998);
    expect(edges[3]).toBe(0.7);
  });

  it("counts bins by Sturges' rule as numpy does", () => {
    // n = 1000: log2(1000) + 1 = 10.9658 → width = 1/10.9658 → ceil(1/width) = 11 (numpy: 11 bins)
    expect(sturgesBinCount(1000, 0, 1)).toBe(11);
    // n = 100 over [0, 73.5]: log2(100) + 1 = 7.6439 → 8 bins (numpy: 8, first edge step 9.1875)
    expect(sturgesBinCount(100, 0, 73.5)).toBe(8);
    expect(sturgesBinCount(50, 4, 4)).toBe(1);
  });
});

describe('bin SQL', () => {
  it('binds every cut as a parameter', () => {
    const bound: number[] = [];
    const sql = binCaseSql('x', [1, 2], (v) => {
      bound.push(v);
      return `$${bound.length}`;
    });
    expect(bound).toEqual([1, 2]);
    expect(sql).toBe('CASE WHEN (x) IS NULL THEN NULL WHEN (x) < $1 THEN 0 WHEN (x) < $2 THEN 1 ELSE 2 END');
  });
});
