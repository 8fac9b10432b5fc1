import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../electron/core/core';
import { dispatch } from '../../../electron/core/dispatch';
import { memorySecretStore } from '../../../electron/core/secrets/secret-store';
import type { CallInput, CallName, CallOutput } from '../../../shared/api';
import { loadScenario } from '../../../service/scenario/load-scenario';
import { startService, type RunningService } from '../../../service/server';
import { tempDir } from '../../support/make-parquet';
import { cannedScenario, TOKENS } from './control-fixture';

let svc: RunningService;
let core: Core;
async function env<N extends CallName>(name: N, input: CallInput<N>) {
  return dispatch(core.handlers, name, input) as Promise<{ ok: true; value: CallOutput<N> } | { ok: false; error: { code: string; message: string } }>;
}
async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
  const r = await env(name, input);
  if (!r.ok) throw new Error(r.error.message);
  return r.value;
}

beforeAll(async () => {
  const scenario = await loadScenario(cannedScenario('canary-regression'));
  // 120 simulated seconds per second: the canary starts 5 s in and breaks the judge SLO soon after.
  svc = await startService({ scenario, seed: 3, speed: 120, dataDir: tempDir('loupe-control-auto-'), tokens: { ...TOKENS } });
  core = await createCore({ transport: 'browser', secrets: memorySecretStore() });
  await call('openWorkspace', { dir: tempDir('loupe-control-auto-ws-') });
  await call('serviceConnection', { set: { url: svc.url, token: 'op' } });
}, 60_000);
afterAll(async () => {
  await core?.close();
  await svc?.close();
});

describe('override after an automatic rollback', () => {
  it('needs the typed deployment name, then re-enables the canary and shows in the audit as manual', async () => {
    const deadline = Date.now() + 60_000;
    let d;
    for (;;) {
      d = (await call('deployments', {})).deployments.find((x) => x.id === 'assistant')!;
      if (d.state === 'rolled_back' || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(d.state, 'the automation rolled back within a minute').toBe('rolled_back');
    const auto = (await call('controlAudit', {})).entries.find((e) => e.automatic)!;
    expect(auto).toMatchObject({ action: 'rollback', actor: 'auto-rollback', from_version: 'v2', to_version: 'v1' });

    const base = { kind: 'override' as const, deployment: 'assistant', version: 'v2', reason: 'judge dip was the sampling, not v2', revision: d.revision, idempotencyKey: 'override-auto-1' };
    const missing = await env('controlAct', base);
    expect(!missing.ok && missing.error.code).toBe('bad_input');
    const wrong = await env('controlAct', { ...base, confirmation: 'asistant' });
    expect(!wrong.ok && wrong.error.message).toMatch(/does not match/);

    const r = await call('controlAct', { ...base, confirmation: 'assistant' });
    expect(r.outcome).toBe('done');
    if (r.outcome !== 'done') return;
    expect(r.deployment.state).toBe('overridden');
    expect(r.deployment.pinned_version).toBeNull();
    expect(Object.keys(r.deployment.traffic).sort()).toEqual(['v1', 'v2']);
    const audit = await call('controlAudit', {});
    expect(audit.entries[0]).toMatchObject({ action: 'override', automatic: false, from_version: 'v1', to_version: 'v2', reason: base.reason });
    expect(audit.entries.filter((e) => e.automatic)).toHaveLength(1);
    // No requests synced: time to mitigate lists the rollback without an alert, and says why.
    expect(audit.mitigation).toEqual([expect.objectContaining({ deployment: 'assistant', automatic: true, alertAt: null, minutes: null })]);
    expect(audit.notes.join(' ')).toMatch(/no workspace data/);
  }, 90_000);
});
