import type { VisualizationSpec } from 'vega-embed';
import type { SliceDetail } from '../../shared/drift-schemas';

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';
const config = {
  view: { stroke: null },
  axis: { labelFontSize: 10, titleFontSize: 10, labelColor: '#8a93a6', titleColor: '#8a93a6', tickColor: '#3a4150', domainColor: '#3a4150', gridColor: '#262b36' },
  legend: { labelColor: '#8a93a6', titleColor: '#8a93a6', labelFontSize: 10, titleFontSize: 10 },
} as const;
const windowColors = { domain: ['baseline', 'current'], range: ['#8a93a6', '#6aa6ff'] };

type Feature = SliceDetail['features'][number];

/**
 * Baseline vs current side by side per bin, as shares of each window (the windows differ in
 * size; PSI compares shares). Bins keep the engine's order.
 */
export function binsSpec(f: Feature): VisualizationSpec {
  const nb = f.bins.reduce((s, b) => s + b.baseline, 0) || 1;
  const nc = f.bins.reduce((s, b) => s + b.current, 0) || 1;
  const values = f.bins.flatMap((b, i) => [
    { bin: b.label, i, window: 'baseline', share: b.baseline / nb, n: b.baseline },
    { bin: b.label, i, window: 'current', share: b.current / nc, n: b.current },
  ]);
  return {
    $schema: SCHEMA,
    width: 'container',
    height: 120,
    background: 'transparent',
    config,
    data: { values },
    mark: { type: 'bar', tooltip: true },
    encoding: {
      x: { field: 'bin', type: 'nominal', sort: { field: 'i', order: 'ascending' }, axis: { title: null, labelAngle: -30, labelLimit: 90 } },
      xOffset: { field: 'window', type: 'nominal', scale: { domain: windowColors.domain } },
      y: { field: 'share', type: 'quantitative', axis: { title: 'share', format: '.0%', tickCount: 3 } },
      color: { field: 'window', type: 'nominal', scale: windowColors, legend: { orient: 'top', title: null } },
      tooltip: [
        { field: 'bin', type: 'nominal' },
        { field: 'window', type: 'nominal' },
        { field: 'share', type: 'quantitative', format: '.1%' },
        { field: 'n', type: 'quantitative', title: 'requests', format: ',' },
      ],
    },
  };
}

/**
 * The slice's hourly judge mean over both windows, the baseline mean, the 2σ band of each hour
 * (mean_b ± 2·sd_b/√n_h: the judge monitor's threshold for an hour with n_h scores) and a
 * marker where a version starts (+v) or stops (−v) serving the slice.
 */
export function judgeTimelineSpec(d: SliceDetail): VisualizationSpec | null {
  const { mean, sd } = d.judgeBaseline;
  const points = d.hours.filter((h) => h.judgeMean !== null && h.judged > 0);
  if (points.length === 0) return null;
  const values = points.map((h) => {
    const se = mean !== null && sd !== null ? sd / Math.sqrt(h.judged) : null;
    return {
      t: h.hour,
      window: h.window,
      judge: h.judgeMean,
      n: h.judged,
      low: se !== null ? mean! - 2 * se : null,
      high: se !== null ? mean! + 2 * se : null,
    };
  });
  const layers: object[] = [];
  if (mean !== null && sd !== null) {
    layers.push({ mark: { type: 'area', opacity: 0.18, color: '#6aa6ff' }, encoding: { x: { field: 't', type: 'temporal' }, y: { field: 'low', type: 'quantitative' }, y2: { field: 'high' } } });
    layers.push({ data: { values: [{ mean }] }, mark: { type: 'rule', strokeDash: [4, 3], color: '#8a93a6' }, encoding: { y: { field: 'mean', type: 'quantitative' } } });
  }
  layers.push({
    mark: { type: 'line', point: { size: 14 }, strokeWidth: 1.2, tooltip: true },
    encoding: {
      x: { field: 't', type: 'temporal', axis: { title: null, format: '%b %d %H:00', labelOverlap: true } },
      y: { field: 'judge', type: 'quantitative', scale: { zero: false }, axis: { title: 'judge mean', tickCount: 4 } },
      color: { field: 'window', type: 'nominal', scale: windowColors, legend: { orient: 'top', title: null } },
      tooltip: [
        { field: 't', type: 'temporal', format: '%Y-%m-%d %H:00', title: 'hour' },
        { field: 'judge', type: 'quantitative', format: '.3f', title: 'judge mean' },
        { field: 'n', type: 'quantitative', title: 'judged' },
        { field: 'low', type: 'quantitative', format: '.3f', title: '2σ low' },
      ],
    },
  });
  if (d.versionChanges.length) {
    const changes = d.versionChanges.map((c) => ({ t: c.hour, label: c.to ? `+${c.to}` : `−${c.from}` }));
    layers.push({ data: { values: changes }, mark: { type: 'rule', color: '#ffb454' }, encoding: { x: { field: 't', type: 'temporal' } } });
    layers.push({
      data: { values: changes },
      mark: { type: 'text', color: '#ffb454', align: 'left', dx: 3, dy: -4, baseline: 'bottom', fontSize: 10 },
      encoding: { x: { field: 't', type: 'temporal' }, y: { value: 0 }, text: { field: 'label' } },
    });
  }
  return { $schema: SCHEMA, width: 'container', height: 150, background: 'transparent', config, data: { values }, layer: layers } as VisualizationSpec;
}
