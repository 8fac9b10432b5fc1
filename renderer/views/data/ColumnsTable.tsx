import { Suspense, lazy, useEffect, useMemo } from 'react';
import type { ColumnStats } from '../../../shared/api';
import { columnProfileSpec } from '../../charts/column-profile-spec';
import { useData } from '../../store/data-store';

// vega is most of the bundle: load it with the first chart, not before the first paint.
const VegaChart = lazy(() => import('../../charts/VegaChart').then((m) => ({ default: m.VegaChart })));

/** One row per column: type, null rate, distinct count and a small chart of its values. */
export function ColumnsTable({ columns }: { columns: ColumnStats[] }) {
  return (
    <table className="columns-table" aria-label="Columns">
      <thead>
        <tr>
          <th>Column</th>
          <th>Type</th>
          <th className="num">Null rate</th>
          <th className="num" title="exact up to 100,000 values; ≈ marks an estimate (HyperLogLog, typically within 13 %)">
            Distinct
          </th>
          <th>Values</th>
        </tr>
      </thead>
      <tbody>
        {columns.map((c) => (
          <ColumnRow key={c.name} column={c} />
        ))}
      </tbody>
    </table>
  );
}

function ColumnRow({ column }: { column: ColumnStats }) {
  const state = useData((s) => s.profiles[column.name]);
  const loadProfile = useData((s) => s.loadProfile);
  useEffect(() => {
    void loadProfile(column.name);
  }, [column.name, loadProfile]);
  const spec = useMemo(() => (state?.status === 'ready' ? columnProfileSpec(state.profile) : null), [state]);

  return (
    <tr data-column={column.name}>
      <td className="name">{column.name}</td>
      <td className="type" title={column.type}>{column.type}</td>
      <td className="num" data-testid="null-rate">
        <span className="nullbar" style={{ width: `${Math.round(column.nullRate * 100)}%` }} />
        {(column.nullRate * 100).toFixed(1)}%
      </td>
      <td className="num" data-testid="distinct" title={column.distinctApprox ? 'estimate (HyperLogLog)' : 'exact'}>
        {column.distinct === null ? '—' : `${column.distinctApprox ? '≈ ' : ''}${column.distinct.toLocaleString('en-US')}`}
      </td>
      <td className="chart" data-testid="column-chart" data-state={state?.status ?? 'loading'}>
        {state?.status === 'ready' && spec && (
          <Suspense fallback={<span className="muted">…</span>}>
            <VegaChart spec={spec} label={`${column.name} distribution`} />
          </Suspense>
        )}
        {state?.status === 'ready' && !spec && (
          <span className="muted">{state.profile.kind === 'none' ? state.profile.reason : 'no values'}</span>
        )}
        {state?.status === 'error' && <span className="error-text">{state.error.message}</span>}
        {(!state || state.status === 'loading') && <span className="muted">…</span>}
      </td>
    </tr>
  );
}
