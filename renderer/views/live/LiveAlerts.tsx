import { useLive } from '../../store/live-store';
import { useNav } from '../../store/nav-store';

/** New alerts as notifications: each opens the deployment or the slices it is about. */
export function LiveAlerts() {
  const notifications = useLive((s) => s.notifications);
  const dismiss = useLive((s) => s.dismiss);
  const go = useNav((s) => s.go);
  if (!notifications.length) return null;
  return (
    <div className="live-notifications" role="status" aria-live="polite">
      {notifications.map((a) => (
        <div key={a.id} className={`live-alert live-alert-${a.kind}`} role="alert">
          <strong>{a.title}</strong>
          <div className="muted">{a.detail}</div>
          <div className="row">
            <button onClick={() => { dismiss(a.id); go(a.target.view); }}>
              Open {a.target.view === 'deployments' ? `deployment ${a.target.deployment ?? ''}` : 'slices'}
            </button>
            <button onClick={() => dismiss(a.id)} aria-label={`Dismiss ${a.title}`}>Dismiss</button>
          </div>
        </div>
      ))}
    </div>
  );
}
