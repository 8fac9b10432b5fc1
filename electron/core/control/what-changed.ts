import type { Deployment } from '../../../shared/service-contract';

export interface DeploymentChange {
  field: 'state' | 'pinned_version' | 'traffic' | 'versions' | 'revision';
  before: string;
  after: string;
}

const pct = (traffic: Record<string, number>) =>
  Object.entries(traffic)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([v, w]) => `${v} ${Math.round(w * 100)}%`)
    .join(', ') || 'none';

/**
 * What differs between the deployment the analyst decided on and the one the service has now,
 * in words: a conflict is only useful if it says what to look at before deciding again.
 */
export function describeChanges(before: Deployment, after: Deployment): DeploymentChange[] {
  const out: DeploymentChange[] = [];
  if (before.state !== after.state) out.push({ field: 'state', before: before.state, after: after.state });
  if (before.pinned_version !== after.pinned_version) {
    out.push({ field: 'pinned_version', before: before.pinned_version ?? 'none', after: after.pinned_version ?? 'none' });
  }
  if (pct(before.traffic) !== pct(after.traffic)) out.push({ field: 'traffic', before: pct(before.traffic), after: pct(after.traffic) });
  const names = (d: Deployment) => d.versions.map((v) => v.version).join(', ');
  if (names(before) !== names(after)) out.push({ field: 'versions', before: names(before), after: names(after) });
  if (before.revision !== after.revision) out.push({ field: 'revision', before: before.revision, after: after.revision });
  return out;
}
