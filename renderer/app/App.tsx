import { useEffect } from 'react';
import { bridge } from '../api/client';
import { useData } from '../store/data-store';
import { useNav, views, type ViewId } from '../store/nav-store';
import { useWorkspace } from '../store/workspace-store';
import { DataView } from '../views/data/DataView';
import { OverviewView } from '../views/overview/OverviewView';
import { SlicesView } from '../views/slices/SlicesView';
import { TriageView } from '../views/triage/TriageView';
import { DeploymentsView } from '../views/deployments/DeploymentsView';
import { LiveAlerts } from '../views/live/LiveAlerts';
import { LiveView } from '../views/live/LiveView';
import { useDropToOpen } from './use-drop-to-open';

/** The frame: navigation on the left, one view at a time. Alt+1…6 switch views. */
export function App() {
  const view = useNav((s) => s.view);
  const go = useNav((s) => s.go);
  const open = useData((s) => s.open);
  useDropToOpen();
  useEffect(() => void useWorkspace.getState().openSampleOnFirstRun(), []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!e.altKey || e.ctrlKey || e.metaKey) return;
      const v = views.find((x) => x.key === e.key);
      if (v) {
        e.preventDefault();
        go(v.id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [go]);

  useEffect(
    // Files opened from the menu, a second instance or the command line arrive from main.
    () =>
      bridge?.onOpenPaths((paths) => {
        go('data');
        void open(paths);
      }),
    [go, open],
  );

  return (
    <div className="app">
      <nav className="nav" aria-label="Views">
        <div className="brand">Loupe</div>
        {views.map((v) => (
          <a
            key={v.id}
            href={`#/${v.id}`}
            className={v.id === view ? 'active' : ''}
            aria-current={v.id === view ? 'page' : undefined}
            title={`Alt+${v.key}`}
          >
            {v.label}
          </a>
        ))}
        <div className="nav-foot muted">{bridge ? 'desktop' : 'browser mode'}</div>
      </nav>
      <main className="main">
        <LiveAlerts />
        {renderView(view)}
      </main>
    </div>
  );
}

function renderView(view: ViewId) {
  switch (view) {
    case 'data':
      return <DataView />;
    case 'overview':
      return <OverviewView />;
    case 'slices':
      return <SlicesView />;
    case 'triage':
      return <TriageView />;
    case 'live':
      return <LiveView />;
    case 'deployments':
      return <DeploymentsView />;
  }
}
