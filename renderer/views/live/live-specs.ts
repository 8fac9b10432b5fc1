import type { VisualizationSpec } from 'vega-embed';
import type { LiveAnalytics } from '../../../shared/live';

/** Judge mean per version by minute of event time, last hour, with each version's alert threshold. */
export function judgeSpec(a: LiveAnalytics): VisualizationSpec {
  const points = a.minutes.filter((m) => m.judgeMean !== null).map((m) => ({ minute: m.minute, version: m.version, mean: m.judgeMean, n: m.judged }));
  const rules = a.versions.filter((v) => v.threshold !== null).map((v) => ({ version: v.version, threshold: v.threshold }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 'container',
    height: 160,
    layer: [
      { data: { values: points }, mark: { type: 'line', point: true }, encoding: {
        x: { field: 'minute', type: 'temporal', title: 'event time' },
        y: { field: 'mean', type: 'quantitative', title: 'judge mean', scale: { domain: [0, 1] } },
        color: { field: 'version', type: 'nominal' },
        tooltip: [{ field: 'version' }, { field: 'minute', type: 'temporal', timeUnit: 'hoursminutes' }, { field: 'mean', format: '.3f' }, { field: 'n' }],
      } },
      { data: { values: rules }, mark: { type: 'rule', strokeDash: [4, 3] }, encoding: { y: { field: 'threshold', type: 'quantitative' }, color: { field: 'version', type: 'nominal' } } },
    ],
  } as VisualizationSpec;
}

/** Error rate per version by minute. */
export function errorSpec(a: LiveAnalytics): VisualizationSpec {
  const points = a.minutes.map((m) => ({ minute: m.minute, version: m.version, rate: m.requests ? m.errors / m.requests : 0 }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 'container',
    height: 120,
    data: { values: points },
    mark: 'line',
    encoding: {
      x: { field: 'minute', type: 'temporal', title: 'event time' },
      y: { field: 'rate', type: 'quantitative', title: 'error rate', axis: { format: '%' } },
      color: { field: 'version', type: 'nominal' },
    },
  } as VisualizationSpec;
}

/** PSI of the last hour against the baseline, per axis feature, with the 0.1 / 0.2 lines. */
export function psiSpec(a: LiveAnalytics): VisualizationSpec {
  const bars = a.psi.map((p) => ({ feature: `${p.axis}: ${p.feature}`, psi: p.psi ?? 0, level: p.level }));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 'container',
    height: 120,
    layer: [
      { data: { values: bars }, mark: 'bar', encoding: {
        y: { field: 'feature', type: 'nominal', title: null },
        x: { field: 'psi', type: 'quantitative', title: 'PSI (last hour vs baseline)' },
        color: { field: 'level', type: 'nominal', scale: { domain: ['quiet', 'watch', 'alert'], range: ['#7a9', '#db4', '#d54'] } },
      } },
      { data: { values: [{ x: 0.1 }, { x: 0.2 }] }, mark: { type: 'rule', strokeDash: [4, 3] }, encoding: { x: { field: 'x', type: 'quantitative' } } },
    ],
  } as VisualizationSpec;
}
