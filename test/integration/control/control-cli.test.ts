import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditSchema } from '../../../shared/service-contract';
import type { RunningService } from '../../../service/server';
import { runLoupe } from '../../support/run-cli';
import { actDirectly, startMissedRegression } from './control-fixture';

let svc: RunningService;
const audit = async () => auditSchema.parse(await (await fetch(`${svc.url}/v1/audit`, { headers: { Authorization: 'Bearer op' } })).json()).entries;

beforeAll(async () => {
  ({ svc } = await startMissedRegression());
}, 120_000);
afterAll(() => svc?.close());

describe('loupe deployments / rollback / override', () => {
  it('lists deployments as text and JSON, with the token role', async () => {
    const text = await runLoupe(['deployments', '--service', svc.url, '--token', 'view']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('token role viewer (read only');
    expect(text.stdout).toMatch(/assistant \(assistant-prod\)\s+rolling\s+revision r0\.1/);
    expect(text.stdout).toContain('traffic   v1 50%, v2 50%');
    const json = await runLoupe(['deployments', '--service', svc.url, '--token', 'op', '--json']);
    const parsed = JSON.parse(json.stdout) as { role: string; deployments: Array<{ id: string; versions: Array<{ prompt_text: string }> }> };
    expect(parsed.role).toBe('operator');
    expect(parsed.deployments[0].versions[1].prompt_text).toContain('Explain step by step');
  }, 60_000);

  it('a viewer token cannot roll back: non-zero exit, the reason, nothing in the audit', async () => {
    const r = await runLoupe(['rollback', '--service', svc.url, '--token', 'view', '--deployment', 'assistant', '--to', 'v1', '--reason', 'viewer tries']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/refused the action.*operator token/);
    expect(await audit()).toHaveLength(0);
  }, 60_000);

  it('rolls back, and the same idempotency key again replays instead of acting twice', async () => {
    const args = ['rollback', '--service', svc.url, '--token', 'op', '--deployment', 'assistant', '--to', 'v1', '--reason', 'v2 breaks JSON on sql', '--idempotency-key', 'cli-key-1', '--actor', 'ci-user'];
    const r = await runLoupe(args);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^done: rollback of assistant to v1 — state rolled_back, traffic v1 100%/);
    const again = await runLoupe(args);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('already done (replayed)');
    const entries = await audit();
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({ actor: 'ci-user', reason: 'v2 breaks JSON on sql', automatic: false });
  }, 60_000);

  it('exits 3 with what changed when the deployment moved past the revision the user looked at', async () => {
    const listed = JSON.parse((await runLoupe(['deployments', '--service', svc.url, '--token', 'op', '--json'])).stdout) as { deployments: Array<{ revision: string }> };
    const seen = listed.deployments[0].revision;
    expect((await actDirectly(svc.url, 'override', 'assistant', { version: 'v2', reason: 'colleague re-enables v2' })).status).toBe(200);
    const r = await runLoupe(['rollback', '--service', svc.url, '--token', 'op', '--deployment', 'assistant', '--to', 'v1', '--reason', 'stale view', '--revision', seen]);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('rollback refused (412 revision_mismatch)');
    expect(r.stderr).toMatch(/now: overridden, traffic v1 50%, v2 50%/);
    expect((await audit()).some((e) => e.reason === 'stale view')).toBe(false);
  }, 60_000);

  it('override needs --confirm with the deployment name; a 409 when there is nothing to override exits 3', async () => {
    const noConfirm = await runLoupe(['override', '--service', svc.url, '--token', 'op', '--deployment', 'assistant', '--to', 'v2', '--reason', 'again']);
    expect(noConfirm.code).toBe(1);
    expect(noConfirm.stderr).toContain('needs the deployment name typed as confirmation');
    // The colleague's override already re-enabled v2: the service says it is not rolled back.
    const r = await runLoupe(['override', '--service', svc.url, '--token', 'op', '--deployment', 'assistant', '--to', 'v2', '--reason', 'again', '--confirm', 'assistant-prod']);
    expect(r.code).toBe(3);
    expect(r.stderr).toContain('409 not_rolled_back');
  }, 60_000);
});
