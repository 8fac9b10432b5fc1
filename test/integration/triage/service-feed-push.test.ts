import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../electron/core/core';
import { memorySecretStore } from '../../../electron/core/secrets/secret-store';
import { parseFaults } from '../../../service/http/faults';
import { loadScenario } from '../../../service/scenario/load-scenario';
import { startService, type RunningService } from '../../../service/server';
import { tempDir } from '../../support/make-parquet';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures');
let svc: RunningService;
let core: Core;
const h = () => core.handlers;

async function evalCasesOnService(): Promise<Array<{ id: string; expected: string; tags: string[] }>> {
  const res = await fetch(`${svc.url}/v1/eval-cases`, { headers: { Authorization: 'Bearer viewer' } });
  return ((await res.json()) as { cases: Array<{ id: string; expected: string; tags: string[] }> }).cases;
}

beforeAll(async () => {
  const scenario = await loadScenario(path.join(fixtures, 'scenarios', 'canary-regression.yaml'));
  // speed 0: a frozen clock, so the feed does not grow while the test reads it.
  svc = await startService({ scenario: { ...scenario, live_from: '12h' }, dataDir: tempDir('loupe-feed-svc-'), speed: 0, tokens: { op: 'operator', viewer: 'viewer' }, faults: parseFaults(undefined) });
  core = await createCore({ transport: 'browser', secrets: memorySecretStore() });
  await h().openWorkspace({ dir: tempDir('loupe-feed-ws-') });
}, 120_000);
afterAll(async () => {
  await core?.close();
  await svc?.close();
});

describe('triage and the service', () => {
  it('says what to do when no service is connected', async () => {
    await expect(h().triageImportFeed({})).rejects.toMatchObject({ code: 'bad_input', hint: expect.stringMatching(/service URL and token/) });
  });

  it('imports the triage feed as service:<kind> cases, once', async () => {
    await h().serviceConnection({ set: { url: svc.url, token: 'viewer' } });
    const feed = (await (await fetch(`${svc.url}/v1/triage?limit=1000`, { headers: { Authorization: 'Bearer viewer' } })).json()) as { items: Array<{ kind: string; request: { request_id: string } }> };
    expect(feed.items.length).toBeGreaterThan(10);
    const first = await h().triageImportFeed({});
    expect(first.fetched).toBe(feed.items.length);
    expect(first.added).toBe(new Set(feed.items.map((i) => i.request.request_id)).size);
    expect(Object.keys(first.bySource).every((s) => /^service:(thumbs_down|edit|abandon|auto_flagged)$/.test(s))).toBe(true);
    const q = await h().triageQueue({ filter: { source: 'service' } });
    expect(q.cases).toHaveLength(first.added);
    const kinds = new Map(feed.items.map((i) => [i.request.request_id, `service:${i.kind}`]));
    for (const c of q.cases.slice(0, 20)) expect(c.sources).toContain(kinds.get(c.request_id));
    // The feed's copy of the request is shown before its hour is synced.
    const detail = await h().triageCase({ caseId: q.cases[0].case_id });
    expect(detail.fields.find((f) => f.column === 'prompt')?.text).toBeTruthy();

    const again = await h().triageImportFeed({});
    expect(again.added).toBe(0);
    expect((await h().triageQueue({ filter: {} })).cases).toHaveLength(first.added);
  });

  it('pushes promoted cases with a pushed/failed state per case, and retries the failed ones', async () => {
    const cases = (await h().triageQueue({ filter: { source: 'service' } })).cases.slice(0, 3);
    for (const [i, c] of cases.entries()) {
      await h().triageAct({ caseId: c.case_id, action: 'label', rootCause: 'format_break' });
      await h().triageAct({ caseId: c.case_id, action: 'promote', expected: `valid JSON answer ${i}` });
    }
    // A viewer token may read but not push: every case is marked failed with the reason.
    const refused = await h().triagePushEvalCases({ onlyFailed: false });
    expect(refused.created).toBe(0);
    expect(refused.failed.map((f) => f.case_id).sort()).toEqual(cases.map((c) => c.case_id).sort());
    expect(refused.failed[0].message).toMatch(/403.*operator token/);
    expect(refused.states.every((s) => s.status === 'failed')).toBe(true);
    expect(await evalCasesOnService()).toHaveLength(0);

    await h().serviceConnection({ set: { url: svc.url, token: 'op' } });
    const pushed = await h().triagePushEvalCases({ onlyFailed: true });
    expect(pushed).toMatchObject({ created: 3, existing: 0, failed: [] });
    expect((await h().triageEvalPushes({})).map((s) => [s.case_id, s.status]).sort()).toEqual(cases.map((c) => [c.case_id, 'pushed']).sort());
    const onService = await evalCasesOnService();
    expect(onService.map((c) => c.id).sort()).toEqual(cases.map((c) => c.case_id).sort());
    expect(onService.map((c) => c.expected).sort()).toEqual(['valid JSON answer 0', 'valid JSON answer 1', 'valid JSON answer 2']);

    // Nothing left to push; a new promotion goes alone; the sink never holds a case twice.
    expect(await h().triagePushEvalCases({ onlyFailed: false })).toMatchObject({ created: 0, existing: 0, failed: [] });
    const fourth = (await h().triageQueue({ filter: { status: ['open'], source: 'service' } })).cases[0];
    await h().triageAct({ caseId: fourth.case_id, action: 'promote', expected: 'a grounded answer' });
    expect(await h().triagePushEvalCases({ onlyFailed: false })).toMatchObject({ created: 1, existing: 0 });
    expect(await evalCasesOnService()).toHaveLength(4);
  });

  it('rides out 503s and 429s from the service', async () => {
    const flaky = await startService({
      scenario: { ...(await loadScenario(path.join(fixtures, 'scenarios', 'canary-regression.yaml'))), live_from: '12h' },
      dataDir: tempDir('loupe-feed-flaky-'), speed: 0, tokens: { op: 'operator' }, faults: parseFaults('error-rate=0.5,seed=3'),
    });
    try {
      await h().serviceConnection({ set: { url: flaky.url, token: 'op' } });
      const r = await h().triageImportFeed({});
      expect(r.fetched).toBeGreaterThan(0);
      const fifth = (await h().triageQueue({ filter: { status: ['open'], source: 'service' } })).cases[0];
      await h().triageAct({ caseId: fifth.case_id, action: 'promote', expected: 'cite the retrieved document' });
      expect(await h().triagePushEvalCases({ onlyFailed: false })).toMatchObject({ created: 1, failed: [] });
    } finally {
      await flaky.close();
    }
  });
});
