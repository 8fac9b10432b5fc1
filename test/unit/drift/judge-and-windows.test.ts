import { describe, expect, it } from 'vitest';
import { judgeStats, judgeThreshold } from '../../../electron/core/drift/judge-monitor';
import { defaultWindows, parseWindow } from '../../../electron/core/drift/windows';
import { sphericalKMeans } from '../../../electron/core/drift/embedding-clusters';
import { mulberry32 } from '../../../shared/mulberry32';
import { sliceSets } from '../../../electron/core/drift/slice-counts';
import { trafficShare } from '../../../electron/core/drift/slices';

describe('the 2σ judge rule', () => {
  it('flags an hour whose mean is below baseline mean − 2 · sd / √n_hour', () => {
    // μ_b = 0.8, s_b = 0.1, n_h = 25 → SE = 0.1/5 = 0.02 → threshold = 0.8 − 0.04 = 0.76
    const { se, threshold } = judgeThreshold(0.8, 0.1, 25);
    expect(se).toBeCloseTo(0.02, 15);
    expect(threshold).toBeCloseTo(0.76, 15);
    expect(0.75 < threshold).toBe(true);
    expect(0.77 < threshold).toBe(false);
    // Fewer judged requests in the hour → wider band: n_h = 4 → SE 0.05 → threshold 0.7
    expect(judgeThreshold(0.8, 0.1, 4).threshold).toBeCloseTo(0.7, 15);
  });

  it('gives a 95% interval of the mean', () => {
    // mean 0.8, sd 0.2, n 100 → ± 1.96 · 0.02 = ± 0.0392
    const s = judgeStats(100, 0.8, 0.2);
    expect(s.ci95![0]).toBeCloseTo(0.7608, 12);
    expect(s.ci95![1]).toBeCloseTo(0.8392, 12);
    expect(judgeStats(1, 0.8, null).ci95).toBeNull();
  });
});

describe('windows', () => {
  it('default to the 24 h up to the hour after the latest row and the 7 days before', () => {
    const w = defaultWindows('2026-11-08T23:59:30.000Z');
    expect(w.current).toEqual({ start: '2026-11-08T00:00:00.000Z', end: '2026-11-09T00:00:00.000Z' });
    expect(w.baseline).toEqual({ start: '2026-11-01T00:00:00.000Z', end: '2026-11-08T00:00:00.000Z' });
  });

  it('parse A..B as UTC and refuse malformed or overlapping windows', () => {
    expect(parseWindow('2026-11-01..2026-11-02T12:00', 'baseline')).toEqual({ start: '2026-11-01T00:00:00.000Z', end: '2026-11-02T12:00:00.000Z' });
    expect(() => parseWindow('2026-11-01', 'baseline')).toThrow(/A\.\.B/);
    expect(() => parseWindow('2026-11-03..2026-11-01', 'current')).toThrow(/ends before/);
    expect(() => parseWindow('yesterday..today', 'current')).toThrow(/not a date/);
    expect(() =>
      defaultWindows('2026-11-08T12:00:00Z', { baseline: { start: '2026-11-01T00:00:00.000Z', end: '2026-11-08T06:00:00.000Z' } }),
    ).toThrow(/overlap/);
  });
});

describe('slices and ranking', () => {
  it('has 1 + n + n(n−1)/2 grouping sets: 16 for five dimensions', () => {
    expect(sliceSets(5)).toHaveLength(16);
    expect(sliceSets(2)).toEqual([[], [0], [1], [0, 1]]);
  });

  it('weights by the smaller share of traffic', () => {
    expect(trafficShare(50, 10, { baseline: 100, current: 40 })).toBe(0.25);
    expect(trafficShare(50, 10, { baseline: 100, current: 0 })).toBe(0);
  });
});

describe('seeded spherical k-means', () => {
  it('is deterministic and separates well-separated directions', () => {
    const rand = mulberry32(7);
    const pts: number[][] = [];
    for (let i = 0; i < 300; i++) {
      const axis = i % 3;
      pts.push([0, 1, 2].map((j) => (j === axis ? 1 : 0) + (rand() - 0.5) * 0.1));
    }
    const a = sphericalKMeans(pts, 3, 42);
    const b = sphericalKMeans(pts, 3, 42);
    expect(a.centroids).toEqual(b.centroids);
    // every point of one direction shares a cluster, and the three directions differ
    const byAxis = [0, 1, 2].map((axis) => new Set(a.assignments.filter((_, i) => i % 3 === axis)));
    expect(byAxis.every((s) => s.size === 1)).toBe(true);
    expect(new Set(byAxis.map((s) => [...s][0])).size).toBe(3);
    expect(a.meanDistance).toBeLessThan(0.01);
  });
});
