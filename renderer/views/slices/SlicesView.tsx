import { useEffect, useMemo, useRef } from 'react';
import { ErrorNote } from '../../app/ErrorNote';
import { useDrift, visibleSlices } from '../../store/drift-store';
import { useRequestDrawer } from '../../store/request-store';
import { useWorkspace } from '../../store/workspace-store';
import { RequestDrawer } from '../request/RequestDrawer';
import { DriftSettings } from './DriftSettings';
import { fmtInt } from './format';
import { SliceDetailPanel } from './SliceDetailPanel';
import { SliceFilters } from './SliceFilters';
import { SliceTable } from './SliceTable';

/** Every slice and slice pair with PSI per axis; drill into one for its charts and requests. */
export function SlicesView() {
  const { status, report, error, filter, sparklines, openId, load, closeSlice } = useDrift();
  const workspaceStatus = useWorkspace((s) => s.status);
  const drawerOpen = useRequestDrawer((s) => s.requestId !== null);
  const search = useRef<HTMLInputElement>(null);
  const rows = useMemo(() => visibleSlices(report, filter), [report, filter]);

  useEffect(() => {
    if (status === 'idle' && workspaceStatus === 'open') void load();
  }, [status, workspaceStatus, load]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement || e.target instanceof HTMLTextAreaElement;
      if (e.key === '/' && !typing) {
        e.preventDefault();
        search.current?.focus();
      } else if (e.key === 'Escape' && openId !== null && !drawerOpen) closeSlice();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [openId, drawerOpen, closeSlice]);

  if (workspaceStatus !== 'open') {
    return (
      <div className="view">
        <h1>Slices</h1>
        <p className="muted">Open a workspace in the Data view (Alt+6) to see where production moved.</p>
      </div>
    );
  }
  return (
    <div className="view slices-view">
      <div className="row">
        <h1 className="grow">Slices</h1>
        <button onClick={() => void load()} disabled={status === 'loading'}>
          {status === 'loading' ? 'Computing…' : 'Recompute'}
        </button>
      </div>
      {error && <ErrorNote error={error} />}
      {!report && status === 'loading' && <p className="progress">Computing drift for every slice…</p>}
      {report && (
        <>
          <DriftSettings report={report} />
          <p className="muted" data-testid="drift-summary">
            {fmtInt(report.rows.baseline)} baseline and {fmtInt(report.rows.current)} current requests · {fmtInt(report.slices.length)} slices over{' '}
            {report.config.dimensions.join(', ')} · {report.alerts.length} alerts · {report.config.bins} {report.config.binning} bins
            {report.config.clusters && ` · input: ${report.config.clusters.k} embedding clusters (${report.config.clusters.distance}, ${fmtInt(report.config.clusters.sampleSize)} sampled)`} ·{' '}
            {Math.round(Object.values(report.timings).reduce((a, b) => a + b, 0))} ms{report.reused ? ' (re-scored)' : ''}
          </p>
          {report.notes.map((n) => (
            <p key={n} className="note">{n}</p>
          ))}
          <SliceFilters ref={search} report={report} />
          <p className="muted">
            Showing {fmtInt(rows.length)} of {fmtInt(report.slices.length)} · PSI &gt; 0.2 red, 0.1–0.2 amber; dimmed = not significant or below min support
          </p>
          <div className={openId !== null ? 'slices-split' : ''}>
            <SliceTable rows={rows} sparklines={sparklines} />
            <SliceDetailPanel />
          </div>
        </>
      )}
      <RequestDrawer />
    </div>
  );
}
