import { describe, expect, it } from 'vitest';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { expressionInterpreter } from 'vega-interpreter';
import type { VisualizationSpec } from 'vega-embed';
import { errorData, errorSpec, judgeData, judgeSpec, psiData, psiSpec, type ChartData } from '../../../renderer/views/live/live-specs';
import type { LiveAnalytics } from '../../../shared/live';

/** What VegaChart does: the spec with its datasets, compiled once; later data replaces them in the view. */
async function embed(spec: VisualizationSpec, data: ChartData): Promise<vega.View> {
  const compiled = vl.compile({ ...(spec as vl.TopLevelSpec), width: 400, datasets: data } as vl.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled, undefined, { ast: true }), { renderer: 'none', expr: expressionInterpreter } as never);
  await view.runAsync();
  return view;
}

async function replace(view: vega.View, data: ChartData): Promise<void> {
  for (const [name, values] of Object.entries(data)) view.data(name, values);
  await view.runAsync();
}

const version = (v: string, threshold: number | null) => ({
  deployment: 'assistant', version: v, requests: 100, errors: 2, errorRate: 0.02, judged: 20, judgeMean: 0.8, baselineOf: 'version' as const,
  baselineMean: 0.85, baselineSd: 0.1, baselineN: 500, baselineErrorRate: 0.01, threshold, hourBelowThreshold: false, status: 'ok' as const, evidence: 0.1, flaggedAt: null,
});

const minute = (m: number, v: string, requests: number, errors: number, judgeMean: number | null) => ({
  minute: new Date(Date.UTC(2026, 10, 20, 6, m)).toISOString(), version: v, requests, errors, judged: judgeMean === null ? 0 : 4, judgeMean,
});

const analytics = (minutes: LiveAnalytics['minutes']): LiveAnalytics => ({
  window: { start: '2026-11-20T05:10:00.000Z', end: '2026-11-20T06:10:00.000Z' },
  baseline: { start: '2026-11-13T00:00:00.000Z', end: '2026-11-20T00:00:00.000Z', requests: 1000 },
  rule: 'CUSUM',
  versions: [version('v1', 0.78), version('v2', null)],
  psi: [
    { axis: 'input', feature: 'topic', psi: 0.05, current: 300, baseline: 5000, level: 'quiet' },
    { axis: 'output', feature: 'tokens', psi: null, current: 50, baseline: 5000, level: 'quiet' },
  ],
  minutes,
});

describe('Live view charts', () => {
  it('derive their data from the analytics: judged minutes only, each version\'s 2σ line, error share, PSI (none shown as 0)', () => {
    const a = analytics([minute(0, 'v1', 10, 1, 0.8), minute(0, 'v2', 20, 0, null), minute(1, 'v1', 8, 2, 0.9)]);
    expect(judgeData(a)).toEqual({
      points: [
        { minute: '2026-11-20T06:00:00.000Z', version: 'v1', mean: 0.8, n: 4 },
        { minute: '2026-11-20T06:01:00.000Z', version: 'v1', mean: 0.9, n: 4 },
      ],
      rules: [{ version: 'v1', threshold: 0.78 }],
    });
    expect(errorData(a).points.map((p) => (p as { rate: number }).rate)).toEqual([0.1, 0, 0.25]);
    expect(psiData(a)).toEqual({ bars: [{ feature: 'input: topic', psi: 0.05, level: 'quiet' }, { feature: 'output: tokens', psi: 0, level: 'quiet' }] });
  });

  it('are compiled once and take new data in place, scales following it', async () => {
    const first = analytics([minute(0, 'v1', 10, 1, 0.8), minute(1, 'v1', 10, 1, 0.7)]);
    const judge = await embed(judgeSpec, judgeData(first));
    expect(judge.data('points')).toHaveLength(2);
    const later = analytics([minute(0, 'v1', 10, 1, 0.8), minute(1, 'v1', 10, 1, 0.7), minute(2, 'v2', 10, 0, 0.4), minute(3, 'v2', 10, 0, 0.3)]);
    await replace(judge, judgeData(later));
    expect(judge.data('points')).toHaveLength(4);
    // The x scale now reaches minute 3, and the colours cover both versions.
    expect((judge.scale('x').domain() as Date[])[1].getTime()).toBe(Date.UTC(2026, 10, 20, 6, 3));
    expect(judge.scale('color').domain()).toEqual(['v1', 'v2']);

    const errors = await embed(errorSpec, errorData(first));
    await replace(errors, errorData(later));
    expect(errors.data('points')).toHaveLength(4);
    const psi = await embed(psiSpec, psiData(first));
    await replace(psi, psiData({ ...later, psi: [{ axis: 'quality', feature: 'judge', psi: 0.4, current: 300, baseline: 5000, level: 'alert' }] }));
    expect(psi.data('bars')).toEqual([expect.objectContaining({ feature: 'quality: judge', psi: 0.4 })]);
    expect(psi.scale('y').domain()).toEqual(['quality: judge']);
  });
});
