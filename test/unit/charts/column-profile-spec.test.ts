import { describe, expect, it } from 'vitest';
import * as vega from 'vega';
import * as vl from 'vega-lite';
import { expressionInterpreter } from 'vega-interpreter';
import type { ColumnProfile } from '../../../shared/api';
import { columnProfileSpec } from '../../../renderer/charts/column-profile-spec';

/** Renders a spec the way the app does (no eval: the CSP-safe interpreter) and returns SVG. */
async function render(profile: ColumnProfile): Promise<string> {
  const spec = columnProfileSpec(profile);
  expect(spec).not.toBeNull();
  const compiled = vl.compile(spec as vl.TopLevelSpec).spec;
  const view = new vega.View(vega.parse(compiled, undefined, { ast: true }), { renderer: 'none', expr: expressionInterpreter } as never);
  return view.toSVG();
}

const bins = [0, 1, 2, 3].map((i) => ({ start: i * 10, end: (i + 1) * 10, count: i + 1 }));
const bars = (svg: string) => (svg.match(/role-mark[^>]*>/g) ?? []).length;

describe('column chart specs', () => {
  it('draws a numeric histogram with one bar per bin', async () => {
    const svg = await render({ kind: 'histogram', column: 'latency_ms', temporal: false, of: 'value', bins });
    expect(bars(svg)).toBeGreaterThan(0);
    expect((svg.match(/<path aria-label=/g) ?? []).length).toBe(4);
  });

  it('draws a temporal histogram with time labels', async () => {
    const t0 = Date.UTC(2026, 10, 1);
    const tbins = bins.map((b) => ({ start: t0 + b.start * 3.6e6, end: t0 + b.end * 3.6e6, count: b.count }));
    const svg = await render({ kind: 'histogram', column: 'ts', temporal: true, of: 'value', bins: tbins });
    expect((svg.match(/<path aria-label=/g) ?? []).length).toBe(4);
    expect(svg).toMatch(/Nov/);
  });

  it('draws top values with an (other) bar for the rest', async () => {
    const svg = await render({
      kind: 'top-values',
      column: 'route',
      values: [
        { value: 'search', count: 10 },
        { value: 'billing', count: 5 },
      ],
      otherCount: 3,
    });
    expect(svg).toContain('search');
    expect(svg).toContain('(other)');
  });

  it('has nothing to draw for an empty histogram or a nested column', () => {
    expect(columnProfileSpec({ kind: 'histogram', column: 'x', temporal: false, of: 'value', bins: [] })).toBeNull();
    expect(columnProfileSpec({ kind: 'none', column: 'x', reason: 'nested' })).toBeNull();
  });
});
