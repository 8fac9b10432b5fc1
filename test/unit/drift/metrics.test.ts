import { describe, expect, it } from 'vitest';
import { compareCounts, driftLevel, expectedNoisePsi, fillValue, fillZeros, proportions } from '../../../electron/core/drift/metrics';

describe('PSI, KL and JS', () => {
  it('match hand-computed values on a three-bin example', () => {
    // ref = [50, 30, 20] → [0.5, 0.3, 0.2]; cur = [30, 30, 40] → [0.3, 0.3, 0.4]; no empty bins.
    // PSI = (0.3−0.5)·ln(0.3/0.5) + 0 + (0.4−0.2)·ln(0.4/0.2)
    //     = (−0.2)(−0.5108256) + 0.2·0.6931472 = 0.1021651 + 0.1386294 = 0.2407946
    // KL(ref‖cur) = 0.5·ln(0.5/0.3) + 0.3·ln 1 + 0.2·ln(0.2/0.4) = 0.2554128 − 0.1386294 = 0.1167834
    // JS: m = [0.4, 0.3, 0.3]; KL(ref‖m) = 0.5·ln(1.25) + 0.2·ln(2/3) = 0.1115718 − 0.0810930 = 0.0304788
    //     KL(cur‖m) = 0.3·ln(0.75) + 0.4·ln(4/3) = 0.1·0.2876821 = 0.0287682
    //     JS distance = sqrt((0.0304788 + 0.0287682) / 2) = sqrt(0.0296235) = 0.1721147
    // (scipy: 0.24079456, entropy 0.11678338, jensenshannon 0.17211473)
    const m = compareCounts([50, 30, 20], [30, 30, 40])!;
    expect(m.psi).toBeCloseTo(0.2407946, 6);
    expect(m.kl).toBeCloseTo(0.1167834, 6);
    expect(m.js).toBeCloseTo(0.1721147, 6);
  });

  it('replaces an empty bin by 0.0001 for PSI and KL (renormalised) but not for JS', () => {
    // ref = [100, 0] → [1, 0] → filled [1, 0.0001]; cur = [50, 50] → [0.5, 0.5].
    // PSI = (0.5−1)·ln(0.5) + (0.5−0.0001)·ln(0.5/0.0001) = 0.3465736 + 0.4999·8.5171932 = 4.6043185
    // KL on renormalised [1, 0.0001]/1.0001 vs [0.5, 0.5]:
    //   0.99990·ln(0.99990/0.5) + 0.00009999·ln(0.00009999/0.5) = 0.6929778 − 0.0008516 = 0.6921262
    // JS on raw [1, 0] vs [0.5, 0.5]: m = [0.75, 0.25]; KL(p‖m) = ln(4/3) = 0.2876821;
    //   KL(q‖m) = 0.5·ln(2/3) + 0.5·ln 2 = 0.1438410; sqrt((0.2876821 + 0.1438410)/2) = 0.4645014
    const m = compareCounts([100, 0], [50, 50])!;
    expect(m.psi).toBeCloseTo(4.6043185, 6);
    expect(m.kl).toBeCloseTo(0.6921262, 6);
    expect(m.js).toBeCloseTo(0.4645014, 6);
  });

  it('is zero for identical distributions and symmetric in PSI', () => {
    expect(compareCounts([10, 20, 0], [1, 2, 0])!.psi).toBe(0);
    expect(compareCounts([10, 20, 0], [1, 2, 0])!.js).toBe(0);
    const a = compareCounts([50, 30, 20], [30, 30, 40])!.psi;
    const b = compareCounts([30, 30, 40], [50, 30, 20])!.psi;
    expect(a).toBeCloseTo(b, 12);
  });

  it('scores a category seen only in the current window', () => {
    // ref a:50 b:50 c:0 → [0.5, 0.5, 0.0001]; cur a:40 b:40 c:20 → [0.4, 0.4, 0.2]
    // PSI = 2·(−0.1)·ln(0.8) + (0.2 − 0.0001)·ln(2000) = 0.0446287 + 1.5194204 = 1.5640491
    // JS (raw, c = 0 in ref): scipy jensenshannon([.5,.5,0],[.4,.4,.2]) = 0.2736453
    const m = compareCounts([50, 50, 0], [40, 40, 20])!;
    expect(m.psi).toBeCloseTo(1.5640491, 6);
    expect(m.js).toBeCloseTo(0.2736453, 6);
  });

  it('has no value when a window is empty', () => {
    expect(compareCounts([5, 5], [0, 0])).toBeNull();
    expect(compareCounts([0, 0], [5, 5])).toBeNull();
    expect(proportions([0, 0])).toBeNull();
  });

  it("uses Evidently's fill when asked: 0.0001 unless the smallest share is ≤ 0.0001, then that/10⁶", () => {
    // ref counts [199990, 10, 0] → shares [0.99995, 0.00005, 0]; smallest non-zero 0.00005 ≤ 0.0001
    // → fill 0.00005 / 1e6 = 5e-11. cur [100, 0, 0] → [1, 0, 0]; smallest 1 > 0.0001 → fill 0.0001.
    expect(fillValue([0.99995, 0.00005, 0], 'evidently')).toBeCloseTo(5e-11, 20);
    expect(fillValue([1, 0, 0], 'evidently')).toBe(0.0001);
    expect(fillValue([0.99995, 0.00005, 0], 'loupe')).toBe(0.0001);
    expect(fillZeros([0.5, 0, 0.5])).toEqual([0.5, 0.0001, 0.5]);
    // PSI = (1−0.99995)·ln(1/0.99995) + (1e-4 − 5e-5)·ln 2 + (1e-4 − 5e-11)·ln(1e-4/5e-11)
    //     = 2.5e-9 + 3.4657e-5 + 1.450873e-3 = 1.4855249e-3  (numpy with Evidently's np.place: 0.00148552)
    const m = compareCounts([199990, 10, 0], [100, 0, 0], 'evidently')!;
    expect(m.psi).toBeCloseTo(0.0014855249, 9);
    // The default rule fills both zeros with 0.0001: third bin (1e-4 − 1e-4)·ln 1 = 0; second bin differs.
    expect(compareCounts([199990, 10, 0], [100, 0, 0])!.psi).toBeCloseTo(2.5e-9 + (1e-4 - 5e-5) * Math.log(2), 9);
  });

  it('maps PSI to the design thresholds and estimates chance PSI', () => {
    expect(driftLevel(0.05)).toBe('quiet');
    expect(driftLevel(0.15)).toBe('watch');
    expect(driftLevel(0.2)).toBe('watch');
    expect(driftLevel(0.21)).toBe('alert');
    expect(driftLevel(null)).toBe('quiet');
    // (k − 1)(1/n_r + 1/n_c) = 9 · (1/1000 + 1/100) = 0.099
    expect(expectedNoisePsi(10, 1000, 100)).toBeCloseTo(0.099, 12);
  });
});
