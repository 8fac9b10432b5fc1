import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../electron/core/core';
import { dispatch } from '../../../electron/core/dispatch';
import { memorySecretStore } from '../../../electron/core/secrets/secret-store';
import type { CallInput, CallName, CallOutput } from '../../../shared/api';
import type { LoupeErrorValue } from '../../../shared/errors';
import { auditSchema, deploymentsSchema } from '../../../shared/service-contract';
import type { RunningService } from '../../../service/server';
import { tempDir } from '../../support/make-parquet';
import { actDirectly, startMissedRegression } from './control-fixture';

let svc: RunningService;
let core: Core;

async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
  const env = await dispatch(core.handlers, name, input);
  if (!env.ok) throw Object.assign(new Error(env.error.message), { value: env.error });
  return env.value as CallOutput<N>;
}
async function callError<N extends CallName>(name: N, input: CallInput<N>): Promise<LoupeErrorValue> {
  const env = await dispatch(core.handlers, name, input);
  if (env.ok) throw new Error(`${name} succeeded but should have failed`);
  return env.error;
}
const serviceAudit = async () =>
  auditSchema.parse(await (await fetch(`${svc.url}/v1/audit`, { headers: { Authorization: 'Bearer op' } })).json()).entries;
const serviceDeployment = async () =>
  deploymentsSchema.parse(await (await fetch(`${svc.url}/v1/deployments`, { headers: { Authorization: 'Bearer op' } })).json()).deployments.find((d) => d.id === 'assistant')!;

beforeAll(async () => {
  ({ svc } = await startMissedRegression());
  core = await createCore({ transport: 'browser', secrets: memorySecretStore() });
  await call('openWorkspace', { dir: tempDir('loupe-control-ws-') });
  await call('serviceConnection', { set: { url: svc.url, token: 'op' } });
  await call('syncWorkspace', {});
}, 120_000);
afterAll(async () => {
  await core?.close();
  await svc?.close();
});

describe('deployments and evidence through the core', () => {
  it('lists the deployment with its revision and says the token may act', async () => {
    const r = await call('deployments', {});
    expect(r.permissions).toEqual({ role: 'operator', disabledReason: null });
    const a = r.deployments.find((d) => d.id === 'assistant')!;
    expect(a.state).toBe('rolling');
    expect(a.traffic).toEqual({ v1: 0.5, v2: 0.5 });
    expect(a.versions.map((v) => v.version)).toEqual(['v1', 'v2']);
  });

  it('shows the regression the automation missed: format-ok by version, the alert, the sql slice, the prompt diff', async () => {
    const e = await call('deploymentEvidence', { deployment: 'assistant' });
    expect([e.older, e.newer]).toEqual(['v1', 'v2']);
    const [v1, v2] = e.versions;
    expect(v1.requests).toBeGreaterThan(1000);
    expect(v2.requests).toBeGreaterThan(1000);
    expect(v2.formatOkRate!).toBeLessThan(v1.formatOkRate! - 0.1);
    expect(v2.judgeMean!).toBeGreaterThan(0.7); // why the service's rule did not fire
    expect(v1.judgeLow!).toBeLessThan(v1.judgeMean!);
    const format = e.alerts.find((a) => a.rule === 'format');
    expect(format?.version).toBe('v2');
    // The break starts at 1 h; the first 10-minute window with enough rows is shortly after.
    expect(Date.parse(format!.at)).toBeGreaterThanOrEqual(Date.parse('2026-11-20T11:00:00Z'));
    expect(Date.parse(format!.at)).toBeLessThan(Date.parse('2026-11-20T11:30:00Z'));
    expect(e.alerts.some((a) => a.version === 'v1')).toBe(false);
    expect(e.topSlices[0].label).toContain('route=sql');
    expect(e.topSlices[0].axis).toBe('output');
    expect(e.topSlices[0].support.newer).toBeGreaterThan(50);
    expect(e.promptDiff?.changedLines).toBe(1);
    const changed = e.promptDiff!.rows.find((r) => r.kind === 'changed')!;
    // Each side reads as its own line; inside it, only the words that differ are marked.
    expect(changed.left!.map((s) => s.text).join('')).toBe('Reply with a single JSON object.');
    expect(changed.right!.map((s) => s.text).join('')).toBe('Explain step by step, then answer.');
    expect(changed.left!.filter((s) => s.change === 'removed').map((s) => s.text)).toEqual(expect.arrayContaining(['Reply', 'JSON']));
    expect(e.promptDiff!.rows.filter((r) => r.kind === 'same').map((r) => r.left![0].text)).toEqual(['You are the product assistant.', 'Use the schema you are given.']);
  }, 60_000);
});

describe('acting', () => {
  it('rolls back with a reason and evidence; a retry with the same key does not act twice', async () => {
    const { deployments } = await call('deployments', {});
    const a = deployments.find((d) => d.id === 'assistant')!;
    const input = {
      kind: 'rollback' as const,
      deployment: 'assistant',
      version: 'v1',
      reason: 'v2 breaks JSON on sql (format-ok 10%)',
      revision: a.revision,
      idempotencyKey: 'key-rollback-0001',
      evidence: { v2FormatOk: 0.1 },
    };
    const first = await call('controlAct', input);
    expect(first.outcome).toBe('done');
    if (first.outcome !== 'done') return;
    expect(first.replayed).toBe(false);
    expect(first.deployment).toMatchObject({ state: 'rolled_back', pinned_version: 'v1', traffic: { v1: 1 } });
    expect(first.audit).toMatchObject({ action: 'rollback', automatic: false, to_version: 'v1', from_version: 'v2', reason: input.reason, evidence: { v2FormatOk: 0.1 } });
    expect(first.audit.actor).toMatch(/via Loupe$/);

    const again = await call('controlAct', input);
    expect(again.outcome === 'done' && again.replayed).toBe(true);
    const manual = (await serviceAudit()).filter((x) => !x.automatic);
    expect(manual).toHaveLength(1);
    expect((await serviceDeployment()).state).toBe('rolled_back');

    const audit = await call('controlAudit', {});
    expect(audit.entries[0]).toMatchObject({ reason: input.reason, automatic: false });
    expect(audit.journal.map((j) => j.outcome)).toEqual(['replayed', 'done']);
    const m = audit.mitigation.find((x) => x.deployment === 'assistant')!;
    expect(m.version).toBe('v2');
    expect(m.alert).toContain('format-ok');
    expect(m.minutes!).toBeGreaterThan(0);
    // Alert in the history (after 11:00), rollback in the live run (after 12:00).
    expect(m.minutes!).toBeLessThan(24 * 60);
  }, 60_000);

  it('answers a 412 with what changed when another client acted in between', async () => {
    const { deployments } = await call('deployments', {});
    const seen = deployments.find((d) => d.id === 'assistant')!;
    expect(seen.state).toBe('rolled_back');
    const other = await actDirectly(svc.url, 'override', 'assistant', { version: 'v2', reason: 'colleague re-enables v2' });
    expect(other.status).toBe(200);
    const r = await call('controlAct', {
      kind: 'override',
      deployment: 'assistant',
      version: 'v2',
      reason: 'I also want v2 back',
      revision: seen.revision,
      idempotencyKey: 'key-override-0001',
      confirmation: 'assistant-prod',
    });
    expect(r.outcome).toBe('conflict');
    if (r.outcome !== 'conflict') return;
    expect(r.status).toBe(412);
    expect(r.current?.state).toBe('overridden');
    expect(r.changes).toEqual(expect.arrayContaining([{ field: 'state', before: 'rolled_back', after: 'overridden' }, { field: 'pinned_version', before: 'v1', after: 'none' }]));
    expect((await serviceAudit()).filter((x) => x.reason === 'I also want v2 back')).toHaveLength(0);
  });

  it('refuses an override without the typed deployment name, before calling the service', async () => {
    const before = (await serviceAudit()).length;
    const { deployments } = await call('deployments', {});
    const d = deployments.find((x) => x.id === 'assistant')!;
    const e = await callError('controlAct', { kind: 'override', deployment: 'assistant', version: 'v2', reason: 'try it', revision: d.revision, idempotencyKey: 'key-override-0002', confirmation: 'assistant-pro' });
    expect(e.code).toBe('bad_input');
    expect(e.hint).toContain('"assistant-prod"');
    expect((await serviceAudit()).length).toBe(before);
  });

  it('with a viewer token: actions disabled with the reason, and refused by the service', async () => {
    await call('serviceConnection', { set: { url: svc.url, token: 'view' } });
    try {
      const r = await call('deployments', {});
      expect(r.permissions.role).toBe('viewer');
      expect(r.permissions.disabledReason).toMatch(/operator token/);
      const d = r.deployments.find((x) => x.id === 'assistant')!;
      const e = await callError('controlAct', { kind: 'rollback', deployment: 'assistant', version: 'v1', reason: 'viewer tries', revision: d.revision, idempotencyKey: 'key-viewer-0001' });
      expect(e.code).toBe('forbidden');
      expect((await serviceAudit()).some((x) => x.reason === 'viewer tries')).toBe(false);
    } finally {
      await call('serviceConnection', { set: { url: svc.url, token: 'op' } });
    }
  });
});
