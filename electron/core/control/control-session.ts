import os from 'node:os';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ControlActInput, ControlOutcomeValue, EvidenceValue, JournalEntry } from '../../../shared/control-api';
import { LoupeError, toErrorValue } from '../../../shared/errors';
import type { Deployment } from '../../../shared/service-contract';
import { REQUESTS } from '../workspace/ingest-partitions';
import { readSetting, writeSetting } from '../workspace/state-db';
import type { WorkspaceSession } from '../workspace/workspace-session';
import { checkConfirmation } from './confirmation';
import { openDeploymentScope } from './deployment-scope';
import { deploymentEvidence } from './evidence';
import { ControlClient } from './service-client';
import { firstSloBreaches, type SloAlert } from './slo-alerts';
import { timeToMitigate } from './time-to-mitigate';

export interface ServiceCredentials {
  url: string;
  token: string;
}

const JOURNAL_KEY = 'control_journal';
const JOURNAL_MAX = 500;

/** Who acts, as the audit log shows it. */
export function defaultActor(): string {
  let user = 'analyst';
  try {
    user = os.userInfo().username || user;
  } catch {
    // No user database entry (some containers): keep the generic name.
  }
  return `${user} via Loupe`;
}

/**
 * Deployments, evidence, rollback/override and audit for the app: the service connection of
 * the open workspace (URL and token held here, never sent to the renderer), the workspace's
 * requests for evidence, and a journal of the analyst's own attempts in the workspace.
 */
export class ControlSession {
  /** Deployments as last shown, by id and revision, to say what changed on a conflict. */
  private readonly seen = new Map<string, Deployment>();

  constructor(
    private readonly conn: DuckDBConnection,
    private readonly workspace: WorkspaceSession,
    private readonly credentials: () => Promise<ServiceCredentials | null>,
    private readonly actor: string = defaultActor(),
  ) {}

  private async client(): Promise<ControlClient> {
    const c = await this.credentials();
    if (!c) {
      throw new LoupeError({ code: 'bad_input', message: 'no service connection', hint: 'open a workspace and set the service URL and token in the Data view' });
    }
    return new ControlClient({ url: c.url, token: c.token, actor: this.actor });
  }

  async deployments() {
    const client = await this.client();
    const [who, deployments] = await Promise.all([client.role(), client.deployments()]);
    for (const d of deployments) this.seen.set(`${d.id}@${d.revision}`, d);
    const c = (await this.credentials())!;
    return {
      service: c.url,
      serviceNow: who.now,
      permissions: {
        role: who.role,
        disabledReason: who.role === 'operator' ? null : 'this token is a viewer token: rollback and override need an operator token',
      },
      deployments,
    };
  }

  async evidence(id: string): Promise<EvidenceValue> {
    const client = await this.client();
    const d = await client.deployment(id);
    this.seen.set(`${d.id}@${d.revision}`, d);
    const source = this.source();
    return deploymentEvidence(this.conn, source.relation, source.roles, d);
  }

  async act(input: ControlActInput): Promise<ControlOutcomeValue> {
    const before = this.seen.get(`${input.deployment}@${input.revision}`);
    if (input.kind === 'override') checkConfirmation(input.deployment, before?.name ?? null, input.confirmation);
    const client = await this.client();
    const record = (outcome: JournalEntry['outcome'], detail: string | null) =>
      this.journal({
        at: new Date().toISOString(),
        kind: input.kind,
        deployment: input.deployment,
        version: input.version,
        reason: input.reason,
        revision: input.revision,
        idempotencyKey: input.idempotencyKey,
        outcome,
        detail,
        evidence: input.evidence ?? null,
      });
    try {
      const r = await client.act(
        { kind: input.kind, deployment: input.deployment, revision: input.revision, idempotencyKey: input.idempotencyKey, action: { version: input.version, reason: input.reason, evidence: input.evidence } },
        before,
      );
      if (r.outcome === 'done') this.seen.set(`${r.deployment.id}@${r.deployment.revision}`, r.deployment);
      else if (r.current) this.seen.set(`${r.current.id}@${r.current.revision}`, r.current);
      await record(r.outcome === 'done' ? (r.replayed ? 'replayed' : 'done') : 'conflict', r.outcome === 'done' ? r.audit.id : `${r.status} ${r.message}`);
      return r;
    } catch (err) {
      const e = toErrorValue(err);
      await record(e.code === 'network' ? 'network' : e.code === 'forbidden' ? 'forbidden' : 'error', e.message).catch(() => undefined);
      throw err;
    }
  }

  async audit() {
    const client = await this.client();
    const [entries, deployments] = await Promise.all([client.audit(), client.deployments()]);
    const notes: string[] = [];
    const alerts = new Map<string, SloAlert[]>();
    const ws = this.workspace.workspace;
    if (ws?.current.dataset && ws.current.roles) {
      for (const d of deployments.filter((x) => entries.some((e) => e.deployment === x.id && e.action === 'rollback'))) {
        // A week of data: an alert can precede its rollback by far more than the evidence window.
        const scope = await openDeploymentScope(this.conn, REQUESTS, ws.current.roles.mapping, d.id, 24 * 7);
        try {
          alerts.set(d.id, await firstSloBreaches(this.conn, scope, d.slo, d.versions[0]?.version ?? null));
        } finally {
          await scope.drop();
        }
      }
    } else notes.push('no workspace data: alerts (and so time to mitigate) need the requests synced into a workspace');
    return { entries: [...entries].reverse(), journal: await this.readJournal(), mitigation: timeToMitigate(entries, alerts), notes };
  }

  private source() {
    const ws = this.workspace.workspace;
    if (!ws) throw new LoupeError({ code: 'not_found', message: 'no workspace is open', hint: 'open or sync a workspace: evidence comes from its requests' });
    if (!ws.current.dataset || !ws.current.roles) {
      throw new LoupeError({ code: 'not_found', message: 'the workspace has no requests yet', hint: 'sync it from the service in the Data view' });
    }
    return { relation: REQUESTS, roles: ws.current.roles.mapping };
  }

  private async readJournal(): Promise<JournalEntry[]> {
    if (!this.workspace.workspace) return [];
    return ((await readSetting<JournalEntry[]>(this.conn, JOURNAL_KEY)) ?? []).slice().reverse();
  }

  private async journal(e: JournalEntry): Promise<void> {
    if (!this.workspace.workspace) return;
    const all = (await readSetting<JournalEntry[]>(this.conn, JOURNAL_KEY)) ?? [];
    all.push(e);
    await writeSetting(this.conn, JOURNAL_KEY, all.slice(-JOURNAL_MAX));
  }
}
