import { useEffect, useRef } from 'react';
import { ErrorNote } from '../../app/ErrorNote';
import { useDeployments } from '../../store/deployments-store';

const traffic = (t: Record<string, number>) =>
  Object.entries(t)
    .map(([v, w]) => `${v} ${Math.round(w * 100)}%`)
    .join(', ');

/**
 * The decision: the exact request that will be sent, the evidence it rests on, a required
 * reason, and for an override the deployment name typed out. Escape cancels unless a request is
 * in flight; Enter in a field sends.
 */
export function RollbackDialog() {
  const d = useDeployments((s) => s.decision);
  const { edit, submit, decideAgain, closeDecision } = useDeployments();
  const reasonRef = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    if (d?.phase === 'editing') reasonRef.current?.focus();
  }, [d?.phase, d?.idempotencyKey]);
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') closeDecision();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [closeDecision]);
  if (!d) return null;

  const name = d.deployment.name;
  const override = d.kind === 'override';
  const reasonOk = d.reason.trim().length >= 3;
  const confirmOk = !override || d.confirmation.trim() === name || d.confirmation.trim() === d.deployment.id;
  const editing = d.phase === 'editing';
  const title = override ? `Override ${name}: re-enable ${d.version}` : `Roll back ${name} to ${d.version}`;
  const outcome = d.outcome;
  const versions = (d.evidence.versions as Array<{ version: string; judge_mean: number | null; error_rate: number | null; format_ok_rate: number | null }>) ?? [];
  const alerts = (d.evidence.alerts as string[]) ?? [];

  return (
    <div className="overlay">
      <div className="overlay-body control-dialog" role="dialog" aria-modal="true" aria-labelledby="control-dialog-title">
        <h2 id="control-dialog-title">{title}</h2>
        <p className="exact-action" data-testid="exact-action">
          <code>
            POST /v1/deployments/{d.deployment.id}/{d.kind} {'{'}version: {d.version}{'}'} · If-Match {d.deployment.revision} · Idempotency-Key {d.idempotencyKey.slice(0, 18)}…
          </code>
        </p>
        <p className="muted">
          Now: {d.deployment.state}, traffic {traffic(d.deployment.traffic)}.{' '}
          {override ? `After: the automation's pin is lifted and the scheduled split resumes, ${d.version} included.` : `After: all traffic on ${d.version}.`}
        </p>
        <div className="dialog-evidence" aria-label="Evidence for this decision">
          {versions.map((v) => (
            <span key={v.version} className="chip">
              {v.version}: judge {v.judge_mean?.toFixed(3) ?? '—'} · errors {v.error_rate != null ? `${(v.error_rate * 100).toFixed(1)}%` : '—'} · format ok{' '}
              {v.format_ok_rate != null ? `${(v.format_ok_rate * 100).toFixed(1)}%` : '—'}
            </span>
          ))}
          {alerts.slice(0, 3).map((a) => (
            <div key={a} className="error-text small">
              {a}
            </div>
          ))}
        </div>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (reasonOk && confirmOk) void submit();
          }}
        >
          <label htmlFor="control-reason">Reason (kept in the audit log)</label>
          <textarea
            id="control-reason"
            ref={reasonRef}
            rows={3}
            value={d.reason}
            readOnly={!editing}
            onChange={(e) => edit({ reason: e.target.value })}
            onKeyDown={(e) => {
              if (e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault();
                e.currentTarget.form?.requestSubmit();
              }
            }}
          />
          {override && (
            <>
              <label htmlFor="control-confirm">
                Type <strong>{name}</strong> to confirm the override
              </label>
              <input id="control-confirm" autoComplete="off" spellCheck={false} value={d.confirmation} readOnly={!editing} onChange={(e) => edit({ confirmation: e.target.value })} />
            </>
          )}
          {d.phase === 'sending' && (
            <p role="status" className="info">
              Sending…
            </p>
          )}
          {d.phase === 'network-error' && d.error && (
            <div role="alert" className="error-note">
              <span className="message">{d.error.message}</span>
              <div className="hint">Nothing was confirmed. Retry sends the same request (same Idempotency-Key): the service acts at most once.</div>
            </div>
          )}
          {d.phase === 'failed' && d.error && <ErrorNote error={d.error} />}
          {outcome?.outcome === 'conflict' && (
            <div role="alert" className="error-note" data-testid="conflict">
              <span className="message">
                Not applied ({outcome.status}): {outcome.message}
              </span>
              {outcome.changes.length > 0 && (
                <ul aria-label="What changed">
                  {outcome.changes.map((c) => (
                    <li key={c.field}>
                      {c.field}: {c.before} → {c.after}
                    </li>
                  ))}
                </ul>
              )}
              <div className="hint">Look at the deployment as it is now and decide again.</div>
            </div>
          )}
          {outcome?.outcome === 'done' && (
            <p role="status" className="info" data-testid="control-done">
              {outcome.replayed ? 'Already applied' : 'Applied'}: {outcome.deployment.id} is {outcome.deployment.state}, traffic {traffic(outcome.deployment.traffic)} (audit {outcome.audit.id.slice(0, 14)}…)
            </p>
          )}
          <div className="row dialog-buttons">
            {editing && (
              <button type="submit" disabled={!reasonOk || !confirmOk} title={!reasonOk ? 'a reason is required' : !confirmOk ? `type ${name} to confirm` : undefined}>
                {override ? 'Override' : 'Roll back'}
              </button>
            )}
            {d.phase === 'network-error' && <button type="submit">Retry</button>}
            {d.phase === 'conflict' && (
              <button type="button" onClick={() => void decideAgain()}>
                Review and decide again
              </button>
            )}
            <button type="button" onClick={closeDecision} disabled={d.phase === 'sending'}>
              {d.phase === 'done' ? 'Close' : 'Cancel'}
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}
