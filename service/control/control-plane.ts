import crypto from 'node:crypto';
import type { LogRecord } from '../../shared/log-schema';
import type { AuditEntry, ControlAction, Deployment } from '../../shared/service-contract';
import { parseDuration, type Scenario, type ScenarioDeployment } from '../scenario/scenario-schema';
import { scheduledWeights, type Weights } from '../sim/traffic';
import type { StateStore } from './state-store';

export class ControlError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly detail?: unknown,
  ) {
    super(message);
  }
}

interface WindowStats {
  /** [simulated ms, judge score | null, error?] of the last window, oldest first. */
  events: Array<[number, number | null, boolean]>;
}

/**
 * Deployments as the service runs them: the scenario's canary schedule, overridden by
 * rollbacks and overrides (manual or automatic), with optimistic concurrency (revision) and
 * an append-only audit log.
 *
 * Auto-rollback rule: while a deployment is rolling, for each version other than the oldest
 * one receiving traffic, look at its requests in the last `slo.window_minutes` of simulated
 * time; if at least `slo.min_judged` were judged and their mean is below `slo.judge_mean_min`,
 * or at least `slo.min_requests` were served and the error rate is above `slo.error_rate_max`,
 * pin the deployment to the oldest version still receiving traffic (state `rolled_back`).
 * An overridden deployment is not rolled back again automatically.
 */
export class ControlPlane {
  private readonly windows = new Map<string, WindowStats>();

  constructor(
    private readonly scenario: Scenario,
    private readonly store: StateStore,
    private readonly startMs: number,
    private readonly now: () => number,
  ) {}

  private def(id: string): ScenarioDeployment {
    const d = this.scenario.deployments.find((x) => x.id === id);
    if (!d) throw new ControlError(404, 'not_found', `no deployment "${id}"`);
    return d;
  }

  private record(id: string) {
    return this.store.state.deployments[id] ?? { state: null, pinned_version: null, counter: 0, updated_at: this.scenario.start };
  }

  private stepIndex(d: ScenarioDeployment, t: number): number {
    let idx = 0;
    d.traffic.forEach((s, i) => {
      if (parseDuration(s.at) <= t - this.startMs) idx = i;
    });
    return idx;
  }

  /** The weights the gateway uses now: pinned after a rollback, else the schedule. */
  weights(d: ScenarioDeployment, t: number): Weights {
    const r = this.record(d.id);
    if (r.state === 'rolled_back' && r.pinned_version) return { [r.pinned_version]: 1 };
    return scheduledWeights(d, t - this.startMs);
  }

  view(id: string): Deployment {
    const d = this.def(id);
    const t = this.now();
    const r = this.record(id);
    const traffic = this.weights(d, t);
    const total = Object.values(traffic).reduce((s, w) => s + w, 0) || 1;
    const live = Object.entries(traffic).filter(([, w]) => w > 0);
    const state = r.state ?? (live.length > 1 ? 'rolling' : 'stable');
    const step = this.stepIndex(d, t);
    return {
      id: d.id,
      name: d.name ?? d.id,
      versions: d.versions
        .filter((v) => d.traffic.some((s, i) => i <= step && (s.weights[v.version] ?? 0) > 0))
        .map((v) => ({
          version: v.version,
          model: v.model,
          prompt_revision: v.prompt_revision,
          prompt_text: v.prompt_text,
          created_at: new Date(this.startMs + parseDuration(d.traffic.find((s) => (s.weights[v.version] ?? 0) > 0)?.at ?? '0d')).toISOString(),
        })),
      traffic: Object.fromEntries(live.map(([v, w]) => [v, w / total])),
      state,
      pinned_version: r.pinned_version,
      slo: d.slo,
      revision: `r${r.counter}.${step}`,
      updated_at: r.updated_at,
    };
  }

  list(): Deployment[] {
    return this.scenario.deployments.map((d) => this.view(d.id));
  }

  async rollback(id: string, action: ControlAction, actor: string, ifMatch: string | null, automatic = false): Promise<{ deployment: Deployment; audit: AuditEntry }> {
    const before = this.view(id);
    this.checkRevision(before, ifMatch);
    if (!before.versions.some((v) => v.version === action.version)) {
      throw new ControlError(409, 'invalid_version', `version "${action.version}" has not been deployed in ${id}`, { deployment: before });
    }
    if (before.state === 'rolled_back' && before.pinned_version === action.version) {
      throw new ControlError(409, 'already_rolled_back', `${id} is already rolled back to ${action.version}`, { deployment: before });
    }
    const from = Object.entries(before.traffic).sort((a, b) => b[1] - a[1]).map(([v]) => v).find((v) => v !== action.version) ?? null;
    return this.apply(id, before, { state: 'rolled_back', pinned_version: action.version }, {
      action: 'rollback',
      automatic,
      actor,
      from_version: from,
      to_version: action.version,
      reason: action.reason,
      evidence: action.evidence ?? null,
    });
  }

  async override(id: string, action: ControlAction, actor: string, ifMatch: string | null): Promise<{ deployment: Deployment; audit: AuditEntry }> {
    const before = this.view(id);
    this.checkRevision(before, ifMatch);
    if (before.state !== 'rolled_back') {
      throw new ControlError(409, 'not_rolled_back', `${id} is ${before.state}: only a rolled-back deployment can be overridden`, { deployment: before });
    }
    if (!before.versions.some((v) => v.version === action.version) || action.version === before.pinned_version) {
      throw new ControlError(409, 'invalid_version', `override must re-enable a version other than the pinned ${before.pinned_version}`, { deployment: before });
    }
    return this.apply(id, before, { state: 'overridden', pinned_version: null }, {
      action: 'override',
      automatic: false,
      actor,
      from_version: before.pinned_version,
      to_version: action.version,
      reason: action.reason,
      evidence: action.evidence ?? null,
    });
  }

  audit(): AuditEntry[] {
    return this.store.state.audit;
  }

  /** Feeds one served request to the auto-rollback monitor. */
  async observe(r: LogRecord): Promise<void> {
    const key = `${r.deployment}\u0000${r.model_version}`;
    const w = this.windows.get(key) ?? { events: [] };
    const t = Date.parse(r.ts);
    w.events.push([t, r.judge_score, r.status === 'error']);
    const d = this.scenario.deployments.find((x) => x.id === r.deployment);
    if (!d) return;
    const horizon = t - d.slo.window_minutes * 60_000;
    while (w.events.length && w.events[0][0] < horizon) w.events.shift();
    this.windows.set(key, w);
    if (w.events.length % 10 === 0) await this.checkAutoRollback(d, r.model_version, w);
  }

  private async checkAutoRollback(d: ScenarioDeployment, version: string, w: WindowStats): Promise<void> {
    const view = this.view(d.id);
    if (view.state !== 'rolling' || view.traffic[version] == null) return;
    const live = Object.keys(view.traffic);
    const oldest = d.versions.map((v) => v.version).find((v) => live.includes(v));
    if (!oldest || oldest === version) return;
    const judged = w.events.filter((e) => e[1] != null).map((e) => e[1] as number);
    const mean = judged.length ? judged.reduce((s, x) => s + x, 0) / judged.length : null;
    const errors = w.events.filter((e) => e[2]).length;
    const errorRate = w.events.length ? errors / w.events.length : 0;
    let reason: string | null = null;
    if (mean != null && judged.length >= d.slo.min_judged && mean < d.slo.judge_mean_min) {
      reason = `judge mean ${mean.toFixed(3)} over the last ${d.slo.window_minutes} min (${judged.length} judged) is below the SLO ${d.slo.judge_mean_min}`;
    } else if (w.events.length >= d.slo.min_requests && errorRate > d.slo.error_rate_max) {
      reason = `error rate ${(errorRate * 100).toFixed(1)}% over the last ${d.slo.window_minutes} min (${w.events.length} requests) is above the SLO ${(d.slo.error_rate_max * 100).toFixed(1)}%`;
    }
    if (!reason) return;
    await this.rollback(
      d.id,
      { version: oldest, reason: `auto-rollback of ${version}: ${reason}`, evidence: { version, judge_mean: mean, judged: judged.length, error_rate: errorRate, requests: w.events.length } },
      'auto-rollback',
      null,
      true,
    );
  }

  private checkRevision(current: Deployment, ifMatch: string | null): void {
    if (ifMatch == null) return;
    const wanted = ifMatch.replace(/^W\//, '').replace(/"/g, '');
    if (wanted !== current.revision) {
      throw new ControlError(412, 'revision_mismatch', `the deployment changed since revision ${wanted} (now ${current.revision})`, { deployment: current });
    }
  }

  private async apply(
    id: string,
    before: Deployment,
    next: { state: 'rolled_back' | 'overridden'; pinned_version: string | null },
    entry: Omit<AuditEntry, 'id' | 'at' | 'deployment' | 'revision_before' | 'revision_after'>,
  ): Promise<{ deployment: Deployment; audit: AuditEntry }> {
    const at = new Date(this.now()).toISOString();
    let audit!: AuditEntry;
    await this.store.update((s) => {
      const r = s.deployments[id] ?? { state: null, pinned_version: null, counter: 0, updated_at: at };
      s.deployments[id] = { ...r, ...next, counter: r.counter + 1, updated_at: at };
      const after = `r${r.counter + 1}.${before.revision.split('.')[1]}`;
      audit = { id: `audit_${crypto.randomUUID()}`, at, deployment: id, ...entry, revision_before: before.revision, revision_after: after };
      s.audit.push(audit);
    });
    this.windows.clear();
    return { deployment: this.view(id), audit };
  }
}
