import { create } from 'zustand';
import type { CallOutput } from '../../shared/api';
import type { ControlActInput } from '../../shared/control-api';
import { toErrorValue, type LoupeErrorValue } from '../../shared/errors';
import type { Deployment } from '../../shared/service-contract';
import { client } from '../api/client';

type Listing = CallOutput<'deployments'>;
type Evidence = CallOutput<'deploymentEvidence'>;
type Audit = CallOutput<'controlAudit'>;
type Outcome = CallOutput<'controlAct'>;

/**
 * One decision in the rollback dialog. `editing` until sent; `sending` blocks a second send;
 * a network failure keeps the exact request (`sent`, same Idempotency-Key) for Retry, so the
 * service can act at most once; a 409/412 shows what changed and starts a new decision.
 */
export interface Decision {
  kind: 'rollback' | 'override';
  deployment: Deployment;
  version: string;
  reason: string;
  confirmation: string;
  idempotencyKey: string;
  phase: 'editing' | 'sending' | 'network-error' | 'conflict' | 'done' | 'failed';
  /** The request as first sent; a retry sends exactly this again. */
  sent: ControlActInput | null;
  outcome: Outcome | null;
  error: LoupeErrorValue | null;
  evidence: Record<string, unknown>;
}

interface DeploymentsState {
  tab: 'deployments' | 'audit';
  listing: Listing | null;
  selected: string | null;
  evidence: Record<string, Evidence>;
  evidenceLoading: boolean;
  audit: Audit | null;
  loading: boolean;
  error: LoupeErrorValue | null;
  evidenceError: LoupeErrorValue | null;
  decision: Decision | null;

  setTab(tab: DeploymentsState['tab']): void;
  load(): Promise<void>;
  select(id: string): Promise<void>;
  loadAudit(): Promise<void>;
  openDecision(kind: Decision['kind'], version: string): void;
  edit(patch: Partial<Pick<Decision, 'reason' | 'confirmation'>>): void;
  submit(): Promise<void>;
  decideAgain(): Promise<void>;
  closeDecision(): void;
}

const newKey = () => `loupe-${crypto.randomUUID()}`;

/** What the analyst saw, kept with the audit entry: the figures that justified the action. */
function snapshot(d: Deployment, e: Evidence | undefined): Record<string, unknown> {
  return {
    revision: d.revision,
    state: d.state,
    traffic: d.traffic,
    window: e?.window ?? null,
    versions: (e?.versions ?? []).map((v) => ({
      version: v.version,
      requests: v.requests,
      judge_mean: v.judgeMean,
      judge_interval: v.judgeLow != null ? [v.judgeLow, v.judgeHigh] : null,
      error_rate: v.errorRate,
      format_ok_rate: v.formatOkRate,
      refusal_rate: v.refusalRate,
    })),
    alerts: (e?.alerts ?? []).slice(0, 5).map((a) => a.message),
    top_slices: (e?.topSlices ?? []).slice(0, 5).map((s) => `${s.label} (${s.axis}: ${s.feature}, PSI ${s.psi?.toFixed(2) ?? '—'})`),
  };
}

export const useDeployments = create<DeploymentsState>((set, get) => ({
  tab: 'deployments',
  listing: null,
  selected: null,
  evidence: {},
  evidenceLoading: false,
  audit: null,
  loading: false,
  error: null,
  evidenceError: null,
  decision: null,

  setTab(tab) {
    set({ tab });
    if (tab === 'audit') void get().loadAudit();
  },

  async load() {
    set({ loading: true });
    try {
      const listing = await client.call('deployments', {});
      const selected = get().selected ?? listing.deployments[0]?.id ?? null;
      set({ listing, selected, error: null });
      if (selected) await get().select(selected);
    } catch (err) {
      set({ error: toErrorValue(err) });
    } finally {
      set({ loading: false });
    }
  },

  async select(id) {
    set({ selected: id, evidenceLoading: true, evidenceError: null });
    try {
      const e = await client.call('deploymentEvidence', { deployment: id });
      set({ evidence: { ...get().evidence, [id]: e } });
    } catch (err) {
      set({ evidenceError: toErrorValue(err) });
    } finally {
      set({ evidenceLoading: false });
    }
  },

  async loadAudit() {
    try {
      set({ audit: await client.call('controlAudit', {}), error: null });
    } catch (err) {
      set({ error: toErrorValue(err) });
    }
  },

  openDecision(kind, version) {
    const id = get().selected;
    const d = get().listing?.deployments.find((x) => x.id === id);
    if (!d) return;
    set({
      decision: {
        kind,
        deployment: d,
        version,
        reason: '',
        confirmation: '',
        idempotencyKey: newKey(),
        phase: 'editing',
        sent: null,
        outcome: null,
        error: null,
        evidence: snapshot(d, get().evidence[d.id]),
      },
    });
  },

  edit(patch) {
    const d = get().decision;
    if (d && d.phase === 'editing') set({ decision: { ...d, ...patch } });
  },

  async submit() {
    const d = get().decision;
    // Sending, done or refused: nothing to send. Only an unsent decision or a network retry goes out.
    if (!d || (d.phase !== 'editing' && d.phase !== 'network-error')) return;
    const input: ControlActInput =
      d.phase === 'network-error' && d.sent
        ? d.sent
        : {
            kind: d.kind,
            deployment: d.deployment.id,
            version: d.version,
            reason: d.reason.trim(),
            revision: d.deployment.revision,
            idempotencyKey: d.idempotencyKey,
            confirmation: d.kind === 'override' ? d.confirmation.trim() : undefined,
            evidence: d.evidence,
          };
    set({ decision: { ...d, phase: 'sending', sent: input, error: null } });
    try {
      const outcome = await client.call('controlAct', input);
      set({ decision: { ...get().decision!, phase: outcome.outcome === 'done' ? 'done' : 'conflict', outcome } });
      void get().load();
    } catch (err) {
      const error = toErrorValue(err);
      // Only a network failure is retried as the same request; anything else needs a new decision.
      set({ decision: { ...get().decision!, phase: error.code === 'network' ? 'network-error' : 'failed', error } });
    }
  },

  async decideAgain() {
    const d = get().decision;
    if (!d) return;
    await get().load();
    const fresh = get().listing?.deployments.find((x) => x.id === d.deployment.id) ?? d.deployment;
    set({
      decision: {
        ...d,
        deployment: fresh,
        idempotencyKey: newKey(),
        phase: 'editing',
        sent: null,
        outcome: null,
        error: null,
        evidence: snapshot(fresh, get().evidence[fresh.id]),
      },
    });
  },

  closeDecision() {
    if (get().decision?.phase === 'sending') return;
    set({ decision: null });
  },
}));
