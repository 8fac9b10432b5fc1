import type { VisualizationSpec } from 'vega-embed';
import type { LiveAnalytics } from '../../../shared/live';

/**
 * The Live view's charts: each spec is fixed and reads named datasets, which the view replaces in
 * place every time the core re-evaluates (VegaChart's `data`), so a chart is compiled once, not
 * once per snapshot.
 */

export type ChartData = Record<string, object[]>;

/** Judge mean per version by minute of event time, last hour, with each version's alert threshold. */
export const judgeSpec = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  width: 'container',
  height: 160,
  layer: [
    { data: { name: 'points' }, mark: { type: 'line', point: true }, encoding: {
      x: { field: 'minute', type: 'temporal', title: 'event time' },
      y: { field: 'mean', type: 'quantitative', title: 'judge mean', scale: { domain: [0, 1] } },
      color: { field: 'version', type: 'nominal' },
      tooltip: [{ field: 'version' }, { field: 'minute', type: 'temporal', timeUnit: 'hoursminutes' }, { field: 'mean', format: '.3f' }, { field: 'n' }],
    } },
    { data: { name: 'rules' }, mark: { type: 'rule', strokeDash: [4, 3] }, encoding: { y: { field: 'threshold', type: 'quantitative' }, color: { field: 'version', type: 'nominal' } } },
  ],
} as VisualizationSpec;

export function judgeData(a: LiveAnalytics): ChartData {
  return {
    points: a.minutes.filter((m) => m.judgeMean !== null).map((m) => ({ minute: m.minute, version: m.version, mean: m.judgeMean, n: m.judged })),
    rules: a.versions.filter((v) => v.threshold !== null).map((v) => ({ version: v.version, threshold: v.threshold })),
  };
}

/** Error rate per version by minute. */
export const errorSpec = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  width: 'container',
  height: 120,
  data: { name: 'points' },
  mark: 'line',
  encoding: {
    x: { field: 'minute', type: 'temporal', title: 'event time' },
    y: { field: 'rate', type: 'quantitative', title: 'error rate', axis: { format: '%' } },
    color: { field: 'version', type: 'nominal' },
  },
} as VisualizationSpec;

export function errorData(a: LiveAnalytics): ChartData {
  return { points: a.minutes.map((m) => ({ minute: m.minute, version: m.version, rate: m.requests ? m.errors / m.requests : 0 })) };
}

/** PSI of the last hour against the baseline, per axis feature, with the 0.1 / 0.2 lines. */
export const psiSpec = {
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  width: 'container',
  height: 120,
  layer: [
    { data: { name: 'bars' }, mark: 'bar', encoding: {
      y: { field: 'feature', type: 'nominal', title: null },
      x: { field: 'psi', type: 'quantitative', title: 'PSI (last hour vs baseline)' },
      color: { field: 'level', type: 'nominal', scale: { domain: ['quiet', 'watch', 'alert'], range: ['#7a9', '#db4', '#d54'] } },
    } },
    { data: { values: [{ x: 0.1 }, { x: 0.2 }] }, mark: { type: 'rule', strokeDash: [4, 3] }, encoding: { x: { field: 'x', type: 'quantitative' } } },
  ],
} as VisualizationSpec;

export function psiData(a: LiveAnalytics): ChartData {
  return { bars: a.psi.map((p) => ({ feature: `${p.axis}: ${p.feature}`, psi: p.psi ?? 0, level: p.level })) };
}
