import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readSse } from '../../../electron/core/tail/sse-stream';
import type { LogRecord } from '../../../shared/log-schema';
import { auditSchema, deploymentsSchema } from '../../../shared/service-contract';
import { loadScenario } from '../../../service/scenario/load-scenario';
import { startService, type RunningService } from '../../../service/server';
import { tempDir } from '../../support/make-parquet';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures');
let svc: RunningService;
afterAll(() => svc?.close());

describe('auto-rollback', () => {
  it('deploys a canary, sees the format break and judge drop, rolls back, and traffic moves back', async () => {
    const scenario = await loadScenario(path.join(fixtures, 'scenarios', 'canary-regression.yaml'));
    // 120 simulated seconds per real second: the canary starts 5 s in.
    svc = await startService({ scenario, seed: 3, speed: 120, dataDir: tempDir('loupe-svc-ar-'), tokens: { op: 'operator' } });
    const headers = { Authorization: 'Bearer op' };

    const records: LogRecord[] = [];
    const ac = new AbortController();
    let rolledBackAt: number | null = null;
    const deadline = Date.now() + 60_000;
    for await (const e of readSse(`${svc.url}/v1/tail?cursor=0`, { token: 'op', signal: ac.signal })) {
      if (e.event !== 'request') continue;
      records.push(JSON.parse(e.data) as LogRecord);
      if (records.length % 200 === 0 && rolledBackAt == null) {
        const audit = auditSchema.parse(await (await fetch(`${svc.url}/v1/audit`, { headers })).json()).entries;
        if (audit.some((a) => a.automatic)) rolledBackAt = records.length;
      }
      if (rolledBackAt != null && records.length >= rolledBackAt + 600) break;
      if (Date.now() > deadline) break;
    }
    ac.abort();
    expect(rolledBackAt, 'the service rolled back within a minute').not.toBeNull();

    const audit = auditSchema.parse(await (await fetch(`${svc.url}/v1/audit`, { headers })).json()).entries;
    const auto = audit.find((a) => a.automatic)!;
    expect(auto).toMatchObject({ action: 'rollback', deployment: 'assistant', actor: 'auto-rollback', from_version: 'v2', to_version: 'v1' });
    expect(auto.reason).toMatch(/auto-rollback of v2: judge mean 0\.\d+ over the last 10 min \(\d+ judged\) is below the SLO 0\.7/);
    const assistant = deploymentsSchema.parse(await (await fetch(`${svc.url}/v1/deployments`, { headers })).json()).deployments.find((d) => d.id === 'assistant')!;
    expect(assistant.state).toBe('rolled_back');
    expect(assistant.pinned_version).toBe('v1');
    expect(assistant.traffic).toEqual({ v1: 1 });

    // Before: v2 served traffic and broke JSON on sql. After the rollback (allowing for requests
    // already in flight in the same tick): only v1.
    const before = records.filter((r) => r.deployment === 'assistant' && r.ts < auto.at);
    expect(before.some((r) => r.model_version === 'v2')).toBe(true);
    const v2sql = before.filter((r) => r.model_version === 'v2' && r.route === 'sql');
    expect(v2sql.filter((r) => !r.format_ok).length / v2sql.length).toBeGreaterThan(0.7);
    const after = records.filter((r) => r.deployment === 'assistant' && Date.parse(r.ts) > Date.parse(auto.at) + 1000);
    expect(after.length).toBeGreaterThan(100);
    expect(after.every((r) => r.model_version === 'v1')).toBe(true);
  }, 90_000);
});
