import { Suspense, lazy, useMemo } from 'react';
import type { VisualizationSpec } from 'vega-embed';
import type { CallOutput } from '../../../shared/api';

const VegaChart = lazy(() => import('../../charts/VegaChart').then((m) => ({ default: m.VegaChart })));

type Counts = CallOutput<'triageQueue'>['rootCauses'];

/** Root causes by model version: which version breaks how. */
export function RootCauseChart({ data }: { data: Counts }) {
  const spec = useMemo<VisualizationSpec | null>(() => {
    const values = data.filter((d) => d.by === 'version');
    if (values.length === 0) return null;
    return {
      $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
      width: 220,
      height: { step: 16 },
      background: 'transparent',
      data: { values },
      mark: { type: 'bar', tooltip: true },
      encoding: {
        y: { field: 'key', type: 'nominal', title: 'version' },
        x: { field: 'n', type: 'quantitative', title: 'labelled cases', stack: 'zero' },
        color: { field: 'root_cause', type: 'nominal', title: 'root cause' },
      },
      config: { axis: { labelColor: '#8a93a6', titleColor: '#8a93a6' }, legend: { labelColor: '#8a93a6', titleColor: '#8a93a6', orient: 'bottom' }, view: { stroke: null } },
    } as VisualizationSpec;
  }, [data]);
  if (!spec) return <p className="muted">Root causes by version appear as you label.</p>;
  return (
    <Suspense fallback={null}>
      <h3 className="muted">Root causes by version</h3>
      <VegaChart spec={spec} label="Root causes by model version" />
    </Suspense>
  );
}
