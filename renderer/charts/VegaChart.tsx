import { useEffect, useRef } from 'react';
import embed, { type Result, type VisualizationSpec } from 'vega-embed';
import { expressionInterpreter } from 'vega-interpreter';

type Datasets = Record<string, object[]>;

/**
 * Renders a vega-lite spec. The strict CSP forbids eval, so vega's expression compiler is
 * swapped for vega-interpreter (`ast: true`). A spec that reads named datasets (`data: { name }`)
 * gets them from `data`: a new `data` replaces those datasets' values in the running view, so a
 * live chart is compiled once and updated in place; a new `spec` embeds again. The view is
 * finalized on unmount so listeners and timers do not leak.
 */
export function VegaChart({ spec, data, label }: { spec: VisualizationSpec; data?: Datasets; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const view = useRef<Result['view'] | null>(null);
  const latest = useRef(data);
  latest.current = data;
  const shown = useRef<Datasets | undefined>(undefined);

  useEffect(() => {
    let result: Result | null = null;
    let cancelled = false;
    if (!ref.current) return;
    const first = latest.current;
    const withData = first ? ({ ...spec, datasets: { ...(spec as { datasets?: Datasets }).datasets, ...first } } as VisualizationSpec) : spec;
    embed(ref.current, withData, {
      ast: true,
      expr: expressionInterpreter,
      actions: false,
      renderer: 'svg',
      defaultStyle: false,
      tooltip: true,
    })
      .then((r) => {
        if (cancelled) return r.finalize();
        result = r;
        view.current = r.view;
        shown.current = first;
        // Data that changed while the chart was being compiled.
        if (latest.current && latest.current !== first) replace(r.view, latest.current, shown);
      })
      .catch((err: unknown) => {
        if (ref.current) ref.current.textContent = `chart failed: ${(err as Error).message}`;
      });
    return () => {
      cancelled = true;
      view.current = null;
      result?.finalize();
    };
  }, [spec]);

  useEffect(() => {
    if (view.current && data && data !== shown.current) replace(view.current, data, shown);
  }, [data]);

  // vega-embed takes over its container's attributes, so the accessible name sits one level up.
  return (
    <div className="vega-chart" role="img" aria-label={label}>
      <div ref={ref} />
    </div>
  );
}

function replace(view: Result['view'], data: Datasets, shown: { current: Datasets | undefined }): void {
  for (const [name, values] of Object.entries(data)) view.data(name, values);
  shown.current = data;
  void view.runAsync();
}
