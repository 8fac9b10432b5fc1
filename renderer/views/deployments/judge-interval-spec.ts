import type { VisualizationSpec } from 'vega-embed';

export interface JudgeRow {
  version: string;
  mean: number;
  low: number;
  high: number;
}

/** Judge mean per version with its 95 % interval, and the SLO as a rule: is the newer version below it? */
export function judgeIntervalSpec(rows: JudgeRow[], sloMin: number): VisualizationSpec {
  const lo = Math.max(0, Math.min(sloMin, ...rows.map((r) => r.low)) - 0.05);
  const hi = Math.min(1, Math.max(sloMin, ...rows.map((r) => r.high)) + 0.05);
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 260,
    height: 24 * Math.max(2, rows.length),
    background: 'transparent',
    config: { axis: { labelColor: '#8a93a6', titleColor: '#8a93a6', gridColor: '#2a3140' }, view: { stroke: null } },
    layer: [
      {
        data: { values: rows },
        mark: { type: 'rule', color: '#6aa6ff' },
        encoding: {
          y: { field: 'version', type: 'nominal', title: null, sort: null },
          x: { field: 'low', type: 'quantitative', title: 'judge mean (95% interval)', scale: { domain: [lo, hi] } },
          x2: { field: 'high' },
        },
      },
      {
        data: { values: rows },
        mark: { type: 'point', filled: true, color: '#6aa6ff' },
        encoding: {
          y: { field: 'version', type: 'nominal', sort: null },
          x: { field: 'mean', type: 'quantitative' },
          tooltip: [
            { field: 'version', type: 'nominal' },
            { field: 'mean', type: 'quantitative', format: '.3f' },
            { field: 'low', type: 'quantitative', format: '.3f' },
            { field: 'high', type: 'quantitative', format: '.3f' },
          ],
        },
      },
      {
        data: { values: [{ slo: sloMin }] },
        mark: { type: 'rule', color: '#ff6b6b', strokeDash: [4, 3] },
        encoding: { x: { field: 'slo', type: 'quantitative' } },
      },
    ],
  };
}
