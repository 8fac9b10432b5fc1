import { ErrorNote } from '../../app/ErrorNote';
import { useDeployments } from '../../store/deployments-store';
import type { Deployment } from '../../../shared/service-contract';
import { EvidencePanel } from './EvidencePanel';
import { PromptDiffView } from './PromptDiffView';

/** The actions a deployment's state allows: roll back to the previous version, or override a rollback. */
function actionsFor(d: Deployment): Array<{ kind: 'rollback' | 'override'; version: string; label: string }> {
  const names = d.versions.map((v) => v.version);
  if (d.state === 'rolled_back') {
    return names.filter((v) => v !== d.pinned_version).map((v) => ({ kind: 'override' as const, version: v, label: `Override: re-enable ${v}` }));
  }
  const newest = Object.keys(d.traffic).length > 1 ? names.at(-1) : null;
  return names.filter((v) => v !== newest && (newest != null || d.traffic[v] !== 1)).map((v) => ({ kind: 'rollback' as const, version: v, label: `Roll back to ${v}` }));
}

export function DeploymentDetail({ d }: { d: Deployment }) {
  const { evidence, evidenceLoading, evidenceError, listing, openDecision, select } = useDeployments();
  const e = evidence[d.id];
  const disabled = listing?.permissions.disabledReason ?? null;
  const actions = actionsFor(d);
  return (
    <section className="deployment-detail" aria-label={`Deployment ${d.name}`}>
      <h2>
        {d.name} <span className={`status state-${d.state}`} data-testid="deployment-state">{d.state}</span>
      </h2>
      <p className="muted">
        revision {d.revision} · updated {d.updated_at.slice(0, 19).replace('T', ' ')} · SLO: judge mean ≥ {d.slo.judge_mean_min}, errors ≤ {(d.slo.error_rate_max * 100).toFixed(1)}% over {d.slo.window_minutes} min
        {d.pinned_version && ` · pinned to ${d.pinned_version}`}
      </p>
      <table className="versions-table" aria-label="Versions">
        <thead>
          <tr>
            <th>version</th>
            <th>model</th>
            <th>prompt</th>
            <th>traffic</th>
            <th>since</th>
          </tr>
        </thead>
        <tbody>
          {d.versions.map((v) => (
            <tr key={v.version}>
              <td>{v.version}</td>
              <td>{v.model}</td>
              <td>{v.prompt_revision}</td>
              <td data-testid={`traffic-${v.version}`}>{Math.round((d.traffic[v.version] ?? 0) * 100)}%</td>
              <td>{v.created_at.slice(0, 16).replace('T', ' ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="row">
        {actions.map((a) => (
          <button key={`${a.kind}-${a.version}`} type="button" disabled={disabled != null} title={disabled ?? undefined} aria-describedby={disabled ? 'actions-disabled' : undefined} onClick={() => openDecision(a.kind, a.version)}>
            {a.label}
          </button>
        ))}
        <button type="button" onClick={() => void select(d.id)} disabled={evidenceLoading}>
          Refresh evidence
        </button>
        {disabled && (
          <span id="actions-disabled" className="note" data-testid="actions-disabled">
            {disabled}
          </span>
        )}
      </div>
      {evidenceLoading && !e && <p className="muted" role="status">Computing evidence…</p>}
      {evidenceError && <ErrorNote error={evidenceError} />}
      {e && <EvidencePanel d={d} e={e} />}
      {e?.promptDiff && <PromptDiffView diff={e.promptDiff} />}
    </section>
  );
}
