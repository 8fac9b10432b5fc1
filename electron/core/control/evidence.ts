import type { DuckDBConnection } from '@duckdb/node-api';
import type { RoleMapping } from '../../../shared/roles';
import type { Deployment } from '../../../shared/service-contract';
import { versionStats, type VersionStats } from '../overview/version-stats';
import { openDeploymentScope } from './deployment-scope';
import { promptDiff, type PromptDiff } from './prompt-diff';
import { firstSloBreaches, type SloAlert } from './slo-alerts';
import { topDriftingSlices, type DriftingSlice } from './version-drift';

export interface DeploymentEvidence {
  deployment: string;
  window: { since: string; until: string } | null;
  rows: number;
  older: string | null;
  newer: string | null;
  /** One row per version the service lists, in deploy order; figures null when the workspace has none of its requests. */
  versions: Array<Omit<VersionStats, 'version'> & { version: string; traffic: number }>;
  alerts: SloAlert[];
  topSlices: DriftingSlice[];
  promptDiff: PromptDiff | null;
  notes: string[];
}

const emptyStats = (version: string): Omit<VersionStats, 'version'> & { version: string } => ({
  version,
  requests: 0,
  judged: 0,
  judgeMean: null,
  judgeLow: null,
  judgeHigh: null,
  errorRate: null,
  refusalRate: null,
  formatOkRate: null,
  latencyP50: null,
  latencyP95: null,
  firstSeen: null,
  lastSeen: null,
});

/**
 * What the analyst sees before acting on a deployment: per version the judge mean with its
 * 95 % interval, error, refusal and format-ok rates and latency over the last 24 h of the
 * workspace's data; the first SLO breaches; where the newer version drifts from the older one;
 * and the prompt diff between them. The service says which versions exist; the workspace says
 * how they behaved.
 */
export async function deploymentEvidence(
  conn: DuckDBConnection,
  relation: string,
  roles: RoleMapping,
  d: Deployment,
): Promise<DeploymentEvidence> {
  const names = d.versions.map((v) => v.version);
  const newer = names.at(-1) ?? null;
  const older = names.length > 1 ? names.at(-2)! : null;
  const from = d.versions.find((v) => v.version === older);
  const to = d.versions.find((v) => v.version === newer);
  const diff = from && to ? promptDiff(from.version, to.version, from.prompt_text, to.prompt_text) : null;

  const scope = await openDeploymentScope(conn, relation, roles, d.id);
  try {
    const notes = [...scope.notes];
    const stats = await versionStats(conn, scope.table, roles);
    const versions = names.map((v) => ({ ...(stats.find((s) => s.version === v) ?? emptyStats(v)), version: v, traffic: d.traffic[v] ?? 0 }));
    const missing = versions.filter((v) => v.requests === 0).map((v) => v.version);
    if (missing.length) notes.push(`no requests of ${missing.join(', ')} in the workspace's last 24 h: sync the workspace to see them`);
    const alerts = await firstSloBreaches(conn, scope, d.slo, names[0] ?? null);
    let topSlices: DriftingSlice[] = [];
    if (older && newer && versions.every((v) => (v.version !== older && v.version !== newer) || v.requests > 0)) {
      topSlices = await topDriftingSlices(conn, scope, older, newer);
    } else if (older && newer) notes.push(`drifting slices need requests of both ${older} and ${newer}`);
    return { deployment: d.id, window: scope.window, rows: scope.rows, older, newer, versions, alerts, topSlices, promptDiff: diff, notes };
  } finally {
    await scope.drop();
  }
}
