import { useLive } from '../../store/live-store';
import type { LiveAlert } from '../../../shared/live';

/** New alerts as notifications, on every view: each opens the deployment or the slices it is about. */
export function LiveAlerts() {
  const notifications = useLive((s) => s.notifications);
  const dismiss = useLive((s) => s.dismiss);
  const openAlert = useLive((s) => s.openAlert);
  if (!notifications.length) return null;
  return (
    <div className="live-notifications" role="status" aria-live="polite">
      {notifications.map((a) => (
        <div key={a.id} className={`live-alert live-alert-${a.kind}`} role="alert">
          <strong>{a.title}</strong>
          {!a.active && <span className="muted"> (already over)</span>}
          <div className="muted">{a.detail}</div>
          <div className="row">
            <button onClick={() => openAlert(a)}>{openLabel(a)}</button>
            <button onClick={() => dismiss(a.id)} aria-label={`Dismiss ${a.title}`}>Dismiss</button>
          </div>
        </div>
      ))}
    </div>
  );
}

function openLabel(a: LiveAlert): string {
  if (a.target.view === 'deployments') return `Open deployment ${a.target.deployment ?? ''}`.trim();
  return a.target.axis ? `Open slices by ${a.target.axis} drift` : 'Open slices';
}
