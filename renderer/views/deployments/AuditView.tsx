import { useDeployments } from '../../store/deployments-store';

const when = (iso: string) => iso.slice(0, 19).replace('T', ' ');

/** Every control action, automatic or manual, with who, when, why and what was seen; time to mitigate per incident. */
export function AuditView() {
  const audit = useDeployments((s) => s.audit);
  if (!audit) return <p className="muted">Loading the audit log…</p>;
  return (
    <section aria-label="Audit">
      <h3>Time to mitigate</h3>
      {audit.mitigation.length === 0 ? (
        <p className="muted">No rollbacks yet.</p>
      ) : (
        <table className="versions-table" aria-label="Time to mitigate">
          <thead>
            <tr>
              <th>deployment</th>
              <th>version</th>
              <th>first alert</th>
              <th>rollback</th>
              <th>minutes</th>
              <th>by</th>
            </tr>
          </thead>
          <tbody>
            {audit.mitigation.map((m) => (
              <tr key={`${m.deployment}-${m.rollbackAt}`} data-testid="mitigation-row">
                <td>{m.deployment}</td>
                <td>{m.version ?? '—'}</td>
                <td title={m.alert ?? undefined}>{m.alertAt ? when(m.alertAt) : 'no alert in the workspace data'}</td>
                <td>{when(m.rollbackAt)}</td>
                <td data-testid="mitigation-minutes">{m.minutes != null ? m.minutes.toFixed(1) : '—'}</td>
                <td>{m.automatic ? 'automatic' : m.actor}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h3>Control actions</h3>
      <table className="versions-table audit-table" aria-label="Audit log">
        <thead>
          <tr>
            <th>when</th>
            <th>deployment</th>
            <th>action</th>
            <th>who</th>
            <th>from → to</th>
            <th>why</th>
            <th>evidence seen</th>
          </tr>
        </thead>
        <tbody>
          {audit.entries.map((e) => (
            <tr key={e.id} data-testid="audit-row">
              <td>{when(e.at)}</td>
              <td>{e.deployment}</td>
              <td>
                {e.action} <span className="status">{e.automatic ? 'automatic' : 'manual'}</span>
              </td>
              <td>{e.actor}</td>
              <td>
                {e.from_version ?? '—'} → {e.to_version ?? '—'}
              </td>
              <td className="audit-reason">{e.reason}</td>
              <td>
                {e.evidence ? (
                  <details>
                    <summary>show</summary>
                    <pre className="evidence-json">{JSON.stringify(e.evidence, null, 2)}</pre>
                  </details>
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {audit.journal.length > 0 && (
        <>
          <h3>Your attempts from this workspace</h3>
          <table className="versions-table" aria-label="Your attempts">
            <thead>
              <tr>
                <th>when (local clock)</th>
                <th>action</th>
                <th>outcome</th>
                <th>why</th>
              </tr>
            </thead>
            <tbody>
              {audit.journal.map((j) => (
                <tr key={`${j.idempotencyKey}-${j.at}`}>
                  <td>{when(j.at)}</td>
                  <td>
                    {j.kind} {j.deployment} → {j.version}
                  </td>
                  <td>
                    {j.outcome}
                    {j.detail && <span className="muted small"> {j.detail}</span>}
                  </td>
                  <td>{j.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {audit.notes.map((n) => (
        <p key={n} className="note">
          {n}
        </p>
      ))}
    </section>
  );
}
