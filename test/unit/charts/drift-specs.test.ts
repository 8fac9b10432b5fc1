import { describe, expect, it } from 'vitest';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { expressionInterpreter } from 'vega-interpreter';
import type { VisualizationSpec } from 'vega-embed';
import { binsSpec, judgeTimelineSpec } from '../../../renderer/charts/drift-specs';
import type { SliceDetail } from '../../../shared/drift-schemas';

async function render(spec: VisualizationSpec): Promise<{ svg: string; view: vega.View }> {
  const compiled = vl.compile({ ...(spec as vl.TopLevelSpec), width: 400 } as vl.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled, undefined, { ast: true }), { renderer: 'none', expr: expressionInterpreter } as never);
  return { svg: await view.toSVG(), view };
}

const feature: SliceDetail['features'][number] = {
  id: 'format', axis: 'output', label: 'format', status: 'ok', psi: 1.2, kl: 0.5, js: 0.3, pValue: 0, significant: true, level: 'alert',
  bins: [
    { label: 'json · ok', baseline: 90, current: 20 },
    { label: 'json · broken', baseline: 10, current: 30 },
  ],
};

const hours = (window: 'baseline' | 'current', start: number, n: number, mean: number) =>
  Array.from({ length: n }, (_, i) => ({
    hour: new Date(Date.UTC(2026, 10, 1) + (start + i) * 3.6e6).toISOString(),
    window, n: 100, judged: 25, judgeMean: mean, refusalRate: 0, formatOkRate: 1, mainVersion: start + i >= 30 ? 'v2' : 'v1',
  }));

const detail = (changes: SliceDetail['versionChanges']): SliceDetail => ({
  slice: { id: 'route=sql', dims: [{ dimension: 'route', value: 'sql' }], support: { baseline: 100, current: 50 }, judge: { baselineMean: 0.8, currentMean: 0.5, baselineJudged: 500, currentJudged: 300 }, axes: {}, score: 1 },
  windows: { baseline: { start: '2026-11-01T00:00:00.000Z', end: '2026-11-02T00:00:00.000Z' }, current: { start: '2026-11-02T00:00:00.000Z', end: '2026-11-03T00:00:00.000Z' } },
  features: [feature],
  hours: [...hours('baseline', 0, 24, 0.8), ...hours('current', 24, 12, 0.5)],
  judgeBaseline: { mean: 0.8, sd: 0.1, n: 600 },
  versionChanges: changes,
  requests: [],
  ms: 1,
});

describe('drift chart specs', () => {
  it('puts baseline and current shares side by side for every bin', async () => {
    const { view } = await render(binsSpec(feature));
    const rows = view.data('data_0') as Array<{ bin: string; window: string; share: number }>;
    expect(rows).toHaveLength(4);
    // Shares of each window: 90/100 and 20/50.
    expect(rows.find((r) => r.bin === 'json · ok' && r.window === 'baseline')!.share).toBeCloseTo(0.9, 12);
    expect(rows.find((r) => r.bin === 'json · ok' && r.window === 'current')!.share).toBeCloseTo(0.4, 12);
  });

  it('draws the judge mean with the 2σ band mean ± 2·sd/√n and the version change', async () => {
    const spec = judgeTimelineSpec(detail([{ hour: hours('current', 30, 1, 0)[0].hour, from: null, to: 'v2' }]))!;
    const { svg, view } = await render(spec);
    const rows = view.data('data_0') as Array<{ low: number; high: number; n: number }>;
    // 0.8 ± 2 · 0.1 / √25 = 0.8 ± 0.04
    expect(rows[0].low).toBeCloseTo(0.76, 12);
    expect(rows[0].high).toBeCloseTo(0.84, 12);
    expect(svg).toContain('+v2');
  });

  it('has no timeline without judged hours', () => {
    const d = detail([]);
    expect(judgeTimelineSpec({ ...d, hours: d.hours.map((h) => ({ ...h, judged: 0, judgeMean: null })) })).toBeNull();
  });
});
