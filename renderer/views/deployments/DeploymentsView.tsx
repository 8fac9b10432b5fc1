import { useEffect } from 'react';
import { ErrorNote } from '../../app/ErrorNote';
import { useDeployments } from '../../store/deployments-store';
import { AuditView } from './AuditView';
import { DeploymentDetail } from './DeploymentDetail';
import { RollbackDialog } from './RollbackDialog';
import './deployments.css';

/** Deployments: versions, traffic and evidence; rollback and override; the audit trail. */
export function DeploymentsView() {
  const { tab, setTab, listing, selected, select, load, loading, error, decision } = useDeployments();
  useEffect(() => void load(), [load]);
  const current = listing?.deployments.find((d) => d.id === selected) ?? null;
  return (
    <div className="view deployments-view">
      <h1>Deployments</h1>
      <div className="row" role="tablist" aria-label="Deployments or audit">
        <button type="button" role="tab" aria-selected={tab === 'deployments'} onClick={() => setTab('deployments')}>
          Deployments
        </button>
        <button type="button" role="tab" aria-selected={tab === 'audit'} onClick={() => setTab('audit')}>
          Audit
        </button>
        <button type="button" onClick={() => void (tab === 'audit' ? useDeployments.getState().loadAudit() : load())} disabled={loading}>
          Refresh
        </button>
        {listing && (
          <span className="muted small">
            {listing.service} · service time {listing.serviceNow.slice(0, 19).replace('T', ' ')} · token role {listing.permissions.role}
          </span>
        )}
      </div>
      {error && <ErrorNote error={error} />}
      {tab === 'audit' ? (
        <AuditView />
      ) : (
        <div className="deployments-split">
          <ul className="deployment-list" aria-label="Deployments list">
            {listing?.deployments.map((d) => (
              <li key={d.id}>
                <button type="button" className={d.id === selected ? 'active' : ''} aria-current={d.id === selected ? 'true' : undefined} onClick={() => void select(d.id)}>
                  <strong>{d.name}</strong> <span className={`status state-${d.state}`}>{d.state}</span>
                  <span className="muted small">
                    {' '}
                    {Object.entries(d.traffic)
                      .map(([v, w]) => `${v} ${Math.round(w * 100)}%`)
                      .join(' · ')}
                  </span>
                </button>
              </li>
            ))}
          </ul>
          {current ? <DeploymentDetail d={current} /> : !error && <p className="muted">{loading ? 'Loading deployments…' : 'No deployments.'}</p>}
        </div>
      )}
      {decision && <RollbackDialog />}
    </div>
  );
}
