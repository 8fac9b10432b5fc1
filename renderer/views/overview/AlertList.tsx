import type { DriftAlertView } from '../../../shared/drift-schemas';
import { fmtInt, fmtTime } from '../slices/format';

/**
 * Alerts, judge drops first, then PSI by score. A pair whose single-dimension parent alerts on
 * the same feature is folded under it, so one incident reads as one line.
 */
export function AlertList({ alerts, onOpen }: { alerts: DriftAlertView[]; onOpen(a: DriftAlertView): void }) {
  const children = new Map<string, number>();
  for (const a of alerts) if (a.parentSliceId !== undefined) children.set(`${a.parentSliceId}|${a.feature}`, (children.get(`${a.parentSliceId}|${a.feature}`) ?? 0) + 1);
  const shown = alerts.filter((a) => a.parentSliceId === undefined);
  if (shown.length === 0) return <p className="muted">No alerts: no axis above PSI 0.2 with enough support and significance, and no judge drop.</p>;
  return (
    <ul className="alert-list" aria-label="Alerts">
      {shown.map((a) => {
        const folded = children.get(`${a.sliceId}|${a.feature}`) ?? 0;
        return (
          <li key={a.id}>
            <button className="alert-item" onClick={() => onOpen(a)}>
              <span className={`badge axis-${a.axis}`}>{a.kind === 'judge' ? 'judge' : a.axis}</span> <span>{a.message}</span>
              <span className="muted">
                {' '}
                · {fmtTime(a.window.start)} – {fmtTime(a.window.end)}
                {a.kind === 'psi' && a.score !== undefined ? ` · score ${a.score.toFixed(3)}` : ''}
                {a.kind === 'judge' && a.hours ? ` · ${fmtInt(a.hours.length)} flagged hour${a.hours.length === 1 ? '' : 's'}` : ''}
                {folded ? ` · +${folded} sub-slice${folded === 1 ? '' : 's'}` : ''}
              </span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}
