import { describe, expect, it } from 'vitest';
import { denseGroups } from '../../../electron/core/drift/dense-groups';
import { NO_VALUE, type DriftFrame } from '../../../electron/core/drift/frame';
import { sliceHistograms, sliceSupport } from '../../../electron/core/drift/slice-counts';

/**
 * Eight requests over two dimensions (route: 0 search, 1 sql; locale: 0 en, 1 de, 2 fr) and one
 * feature with three bins; the expected counts below are tallied by hand from the table.
 *
 *   r  w  route locale  bin  judge
 *   0  0  0     0       0    0.8
 *   1  0  0     1       1    —
 *   2  0  1     0       2    0.6
 *   3  1  0     0       0    —
 *   4  1  1     0       2    0.2
 *   5  1  1     0       —    —        (no value for the feature)
 *   6  1  1     2       1    0.4
 *   7  0  0     0       0    —
 */
function frame(): DriftFrame {
  const w = [0, 0, 0, 1, 1, 1, 1, 0];
  const route = Uint8Array.from([0, 0, 1, 0, 1, 1, 1, 0]);
  const locale = Uint8Array.from([0, 1, 0, 0, 0, 0, 2, 0]);
  const bin = Uint8Array.from([0, 1, 2, 0, 2, NO_VALUE, 1, 0]);
  const judge = Float32Array.from([0.8, NaN, 0.6, NaN, 0.2, NaN, 0.4, NaN]);
  const cards = [2, 3];
  const { groups, groupCodes, groupOf } = denseGroups([route, locale], cards, 8);
  const gw = Uint32Array.from(groupOf, (g, r) => g * 2 + w[r]);
  return { rows: 8, nDims: 2, cards, groups, groupCodes, gw, features: [bin], judge };
}

describe('dense groups', () => {
  it('numbers the occurring tuples in order of first appearance and keeps their codes', () => {
    const g = denseGroups([Uint8Array.from([0, 0, 1, 0, 1, 1, 1, 0]), Uint8Array.from([0, 1, 0, 0, 0, 0, 2, 0])], [2, 3], 8);
    expect(g.groups).toBe(4); // (0,0) (0,1) (1,0) (1,2)
    expect(Array.from(g.groupOf)).toEqual([0, 1, 2, 0, 2, 2, 3, 0]);
    expect(Array.from(g.groupCodes)).toEqual([0, 0, 0, 1, 1, 0, 1, 2]);
  });

  it('has one group without dimensions', () => {
    const g = denseGroups([], [], 5);
    expect(g.groups).toBe(1);
    expect(Array.from(g.groupOf)).toEqual([0, 0, 0, 0, 0]);
  });
});

describe('slice counts from the frame', () => {
  it('counts bins per slice and window, skipping rows without a value', () => {
    const h = sliceHistograms(frame(), 0, 3);
    expect(h.get('')).toEqual({ baseline: [2, 1, 1], current: [1, 1, 1] });
    expect(h.get('0:0')).toEqual({ baseline: [2, 1, 0], current: [1, 0, 0] }); // route=search
    expect(h.get('0:1')).toEqual({ baseline: [0, 0, 1], current: [0, 1, 1] }); // route=sql
    expect(h.get('1:0')).toEqual({ baseline: [2, 0, 1], current: [1, 0, 1] }); // locale=en
    expect(h.get('1:2')).toEqual({ baseline: [0, 0, 0], current: [0, 1, 0] }); // locale=fr: current only
    expect(h.get('0:1|1:0')).toEqual({ baseline: [0, 0, 1], current: [0, 0, 1] }); // sql × en
    expect(h.has('0:0|1:2')).toBe(false); // search × fr never occurs
    expect(h.size).toBe(1 + 2 + 3 + 4);
  });

  it('counts rows, judged rows and judge sums per slice and window', () => {
    const s = sliceSupport(frame());
    expect(s.get('')).toMatchObject({ baseline: 4, current: 4, judgedBaseline: 2, judgedCurrent: 2 });
    expect(s.get('')!.judgeSumBaseline).toBeCloseTo(1.4, 6);
    expect(s.get('')!.judgeSumCurrent).toBeCloseTo(0.6, 6);
    // route=sql × locale=en: r2 (baseline, 0.6), r4 (current, 0.2), r5 (current, not judged)
    expect(s.get('0:1|1:0')).toMatchObject({ baseline: 1, current: 2, judgedBaseline: 1, judgedCurrent: 1 });
    expect(s.get('0:1|1:0')!.judgeSumCurrent).toBeCloseTo(0.2, 6);
    expect(s.get('1:1')).toMatchObject({ baseline: 1, current: 0, judgedBaseline: 0 }); // locale=de
  });
});
