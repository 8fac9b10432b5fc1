import { describe, expect, it } from 'vitest';
import { versionMarkers } from '../../../electron/core/drift/drift-service';
import { pooledJudge } from '../../../electron/core/drift/pooled-judge';
import { sliceLabel } from '../../../shared/slice-label';

describe('the slice detail helpers', () => {
  it('pools hourly judge means and sds into the exact mean and sample sd', () => {
    // Scores {0.2, 0.4} in one hour and {0.6, 0.8, 1.0} in the next: mean 0.6,
    // sample sd = √(Σ(x−0.6)² / 4) = √(0.4 / 4) = √0.1.
    const h1 = { judged: 2, judgeMean: 0.3, judgeSd: Math.sqrt(0.02) };
    const h2 = { judged: 3, judgeMean: 0.8, judgeSd: 0.2 };
    const p = pooledJudge([h1, h2, { judged: 0, judgeMean: null, judgeSd: null }]);
    expect(p.n).toBe(5);
    expect(p.mean!).toBeCloseTo(0.6, 12);
    expect(p.sd!).toBeCloseTo(Math.sqrt(0.1), 12);
    expect(pooledJudge([])).toEqual({ mean: null, sd: null, n: 0 });
  });

  it('marks where a version starts and stops serving, not every majority flip', () => {
    const hour = (i: number) => `2026-11-01T${String(i).padStart(2, '0')}:00:00.000Z`;
    const hours: Array<{ hour: string; versions: Record<string, number> }> = [
      { hour: hour(0), versions: { v1: 50, v2: 50 } },
      { hour: hour(1), versions: { v1: 40, v2: 60 } },
      { hour: hour(2), versions: { v1: 60, v2: 40, v3: 2 } },
      { hour: hour(3), versions: { v2: 50, v3: 10 } },
      { hour: hour(4), versions: { v2: 50, v3: 0 } },
    ];
    expect(versionMarkers(hours)).toEqual([
      { hour: hour(2), from: null, to: 'v3' },
      { hour: hour(3), from: 'v1', to: null },
      { hour: hour(4), from: 'v3', to: null },
    ]);
  });

  it('names a slice the way the triage queue does', () => {
    expect(sliceLabel([{ dimension: 'route', value: 'search' }, { dimension: 'locale', value: null }])).toBe('route=search × locale=(null)');
    expect(sliceLabel([])).toBe('all requests');
  });
});

describe('the Slices table filter', () => {
  it('hides a pair that holds exactly the requests of one of its slices', async () => {
    const { visibleSlices, defaultFilter } = await import('../../../renderer/store/slice-filter');
    const row = (id: string, baseline: number, current: number) => ({
      id,
      dims: id.split('&').map((p) => ({ dimension: p.split('=')[0], value: p.split('=')[1] })),
      support: { baseline, current },
      judge: { baselineMean: null, currentMean: null, baselineJudged: 0, currentJudged: 0 },
      axes: {},
      score: 0,
    });
    const report = {
      config: { minSupport: 1 },
      slices: [row('route=sql', 500, 70), row('deployment=assistant', 2000, 300), row('route=sql&deployment=assistant', 500, 70), row('route=sql&locale=de', 100, 14)],
    } as unknown as Parameters<typeof visibleSlices>[0];
    const ids = (f: typeof defaultFilter) => visibleSlices(report, f).map((s) => s.id).sort();
    expect(ids(defaultFilter)).toEqual(['deployment=assistant', 'route=sql', 'route=sql&locale=de']);
    expect(ids({ ...defaultFilter, hideSamePairs: false })).toHaveLength(4);
  });
});

