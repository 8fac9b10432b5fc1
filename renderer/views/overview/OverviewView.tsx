import { useEffect } from 'react';
import type { DriftAlertView } from '../../../shared/drift-schemas';
import { ErrorNote } from '../../app/ErrorNote';
import { useDrift } from '../../store/drift-store';
import { useNav } from '../../store/nav-store';
import { useWorkspace } from '../../store/workspace-store';
import { fmtTime } from '../slices/format';
import { AlertList } from './AlertList';
import { VersionTable } from './VersionTable';

/** How each version is doing now against the baseline, and what the drift monitors flag. */
export function OverviewView() {
  const { overview, overviewStatus, overviewError, loadOverview, status, load, openSlice, setFilter } = useDrift();
  const workspaceStatus = useWorkspace((s) => s.status);
  const go = useNav((s) => s.go);

  useEffect(() => {
    if (workspaceStatus === 'open' && overviewStatus === 'idle') void loadOverview();
  }, [workspaceStatus, overviewStatus, loadOverview]);

  const openAlert = async (a: DriftAlertView) => {
    setFilter({ text: '', dimension: '', axis: 'any', hideSmall: false });
    go('slices');
    if (status !== 'ready') await load();
    await openSlice(a.sliceId);
  };

  if (workspaceStatus !== 'open') {
    return (
      <div className="view">
        <h1>Overview</h1>
        <p className="muted">Open a workspace in the Data view (Alt+6), or the sample workspace from its start screen.</p>
      </div>
    );
  }
  return (
    <div className="view overview-view">
      <div className="row">
        <h1 className="grow">Overview</h1>
        <button onClick={() => void loadOverview()} disabled={overviewStatus === 'loading'}>
          {overviewStatus === 'loading' ? 'Computing…' : 'Refresh'}
        </button>
      </div>
      {overviewError && <ErrorNote error={overviewError} />}
      {overviewStatus === 'loading' && !overview && <p className="progress">Computing per-version figures and drift alerts…</p>}
      {overview && (
        <>
          <p className="muted">
            Current window {fmtTime(overview.windows.current.start)} – {fmtTime(overview.windows.current.end)} UTC against the baseline{' '}
            {fmtTime(overview.windows.baseline.start)} – {fmtTime(overview.windows.baseline.end)}.
          </p>
          <h2>Versions</h2>
          <VersionTable overview={overview} />
          {overview.judge && <p className="muted small">Judge monitor: {overview.judge.rule}</p>}
          <h2>Alerts</h2>
          <AlertList alerts={overview.alerts} onOpen={(a) => void openAlert(a)} />
          {overview.notes.map((n) => (
            <p key={n} className="note">{n}</p>
          ))}
        </>
      )}
    </div>
  );
}
