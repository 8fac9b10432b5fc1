import { useEffect, useRef } from 'react';
import embed, { type Result, type VisualizationSpec } from 'vega-embed';
import { expressionInterpreter } from 'vega-interpreter';

/**
 * Renders a vega-lite spec. The strict CSP forbids eval, so vega's expression compiler is
 * swapped for vega-interpreter (`ast: true`). The view is updated in place when the spec
 * changes and finalized on unmount so listeners and timers do not leak.
 */
export function VegaChart({ spec, label }: { spec: VisualizationSpec; label: string }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    let result: Result | null = null;
    let cancelled = false;
    if (!ref.current) return;
    embed(ref.current, spec, {
      ast: true,
      expr: expressionInterpreter,
      actions: false,
      renderer: 'svg',
      defaultStyle: false,
      tooltip: true,
    })
      .then((r) => {
        if (cancelled) r.finalize();
        else result = r;
      })
      .catch((err: unknown) => {
        if (ref.current) ref.current.textContent = `chart failed: ${(err as Error).message}`;
      });
    return () => {
      cancelled = true;
      result?.finalize();
    };
  }, [spec]);
  // vega-embed takes over its container's attributes, so the accessible name sits one level up.
  return (
    <div className="vega-chart" role="img" aria-label={label}>
      <div ref={ref} />
    </div>
  );
}
