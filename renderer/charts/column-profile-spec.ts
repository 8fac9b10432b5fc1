import type { VisualizationSpec } from 'vega-embed';
import type { ColumnProfile } from '../../shared/api';

const small = { width: 220, height: 48, padding: 0, background: 'transparent' } as const;
const config = {
  view: { stroke: null },
  axis: { labelFontSize: 9, titleFontSize: 9, labelColor: '#8a93a6', tickColor: '#3a4150', domainColor: '#3a4150', grid: false },
  bar: { color: '#6aa6ff' },
} as const;

/** Binned fields format as numbers unless told otherwise, so time formats need formatType. */
function fmt(temporal: boolean, time: string, number: string) {
  return temporal ? { format: time, formatType: 'time' as const } : { format: number };
}

/** A column's small chart: bins as a histogram, categories as a ranked bar. */
export function columnProfileSpec(p: ColumnProfile): VisualizationSpec | null {
  if (p.kind === 'histogram') {
    if (p.bins.length === 0) return null;
    const values = p.bins.map((b) => ({ start: b.start, end: b.end, count: b.count }));
    const type = p.temporal ? 'temporal' : 'quantitative';
    const title = p.of === 'length' ? `${p.column} length` : p.column;
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      ...small,
      config,
      data: { values },
      mark: { type: 'bar', tooltip: true, binSpacing: 0 },
      encoding: {
        x: {
          field: 'start',
          type,
          ...(p.temporal ? {} : { bin: { binned: true } }),
          axis: { title: p.of === 'length' ? 'length' : null, labelOverlap: true, tickCount: 3, ...fmt(p.temporal, '%b %d', '~s') },
        },
        x2: { field: 'end' },
        y: { field: 'count', type: 'quantitative', axis: null },
        tooltip: [
          { field: 'start', type, title: `${title} from`, ...fmt(p.temporal, '%Y-%m-%d %H:%M', ',.4~f') },
          { field: 'end', type, title: 'to', ...fmt(p.temporal, '%Y-%m-%d %H:%M', ',.4~f') },
          { field: 'count', type: 'quantitative', title: 'rows', format: ',' },
        ],
      },
    } as VisualizationSpec;
  }
  if (p.kind === 'top-values') {
    const values = p.values.map((v) => ({ value: v.value, count: v.count }));
    if (p.otherCount > 0) values.push({ value: '(other)', count: p.otherCount });
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      ...small,
      height: Math.min(120, 12 * values.length),
      config,
      data: { values },
      mark: { type: 'bar', tooltip: true },
      encoding: {
        y: { field: 'value', type: 'nominal', sort: null, axis: { title: null, labelLimit: 90 } },
        x: { field: 'count', type: 'quantitative', axis: null },
        tooltip: [
          { field: 'value', type: 'nominal', title: p.column },
          { field: 'count', type: 'quantitative', title: 'rows', format: ',' },
        ],
      },
    } as VisualizationSpec;
  }
  return null;
}
