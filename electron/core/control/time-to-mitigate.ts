import type { AuditEntry } from '../../../shared/service-contract';
import type { SloAlert } from './slo-alerts';

export interface Mitigation {
  deployment: string;
  version: string | null;
  /** The first alert on the rolled-back version before the rollback (null: none in the workspace's data). */
  alertAt: string | null;
  alert: string | null;
  rollbackAt: string;
  automatic: boolean;
  actor: string;
  /** Minutes from the first alert to the rollback; null without an alert. */
  minutes: number | null;
}

/**
 * Time to mitigate, per incident: every rollback in the audit log paired with the first alert
 * on the version it took traffic away from, raised after the previous action on that
 * deployment (an alert already answered by an earlier rollback does not count twice). Times are
 * the service's clock (the audit) and the requests' timestamps, which are the same clock.
 */
export function timeToMitigate(audit: AuditEntry[], alertsByDeployment: Map<string, SloAlert[]>): Mitigation[] {
  const out: Mitigation[] = [];
  const sorted = [...audit].sort((a, b) => a.at.localeCompare(b.at));
  const lastAction = new Map<string, string>();
  for (const e of sorted) {
    if (e.action === 'rollback') {
      const after = lastAction.get(e.deployment) ?? '';
      const alert = (alertsByDeployment.get(e.deployment) ?? []).find(
        (a) => a.version === e.from_version && Date.parse(a.at) <= Date.parse(e.at) && (!after || Date.parse(a.at) > Date.parse(after)),
      );
      out.push({
        deployment: e.deployment,
        version: e.from_version,
        alertAt: alert?.at ?? null,
        alert: alert?.message ?? null,
        rollbackAt: e.at,
        automatic: e.automatic,
        actor: e.actor,
        minutes: alert ? (Date.parse(e.at) - Date.parse(alert.at)) / 60_000 : null,
      });
    }
    lastAction.set(e.deployment, e.at);
  }
  return out;
}
