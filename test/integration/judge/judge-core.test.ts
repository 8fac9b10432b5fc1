import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../electron/core/core';
import { memorySecretStore } from '../../../electron/core/secrets/secret-store';
import { writeHourlyExport } from '../../support/make-export';
import { tempDir } from '../../support/make-parquet';
import { startOpenAITestServer, type OpenAITestServer } from '../../support/openai-test-server';

let core: Core;
let llm: OpenAITestServer;
const h = () => core.handlers;

beforeAll(async () => {
  llm = await startOpenAITestServer([{ kind: 'content', content: { root_cause: 'retrieval_miss', confidence: 0.7, rationale: 'No document mentions the option.' } }]);
  const dir = tempDir('loupe-judge-ws-');
  await writeHourlyExport(path.join(dir, 'exports'), 4, 60);
  core = await createCore({ transport: 'browser', secrets: memorySecretStore() });
  await h().openWorkspace({ dir });
  await h().triageCollect({});
}, 120_000);
afterAll(async () => {
  await core?.close();
  await llm?.close();
});

describe('the judge through the core contract', () => {
  it('without an LLM, suggestions say how to add one and labelling still works', async () => {
    const s = await h().llmSettings({});
    expect(s).toMatchObject({ configured: false, baseUrl: null, hasKey: false });
    expect(s.hint).toMatch(/OpenAI-compatible base URL/);
    const c = (await h().triageQueue({ filter: {} })).cases[0];
    const r = await h().triageSuggest({ caseId: c.case_id, prefetch: [], retry: false });
    expect(r).toMatchObject({ status: 'unconfigured', hint: expect.stringMatching(/no LLM is configured.*LLM settings/) });
    expect((await h().triageAct({ caseId: c.case_id, action: 'label', rootCause: 'other' })).case.root_cause).toBe('other');
    await h().triageUndo({});
  });

  it('a hosted server without a key is not configured; the key is stored and never returned', async () => {
    const noKey = await h().llmSettings({ set: { baseUrl: 'https://llm.example.com/v1', model: 'm' } });
    expect(noKey).toMatchObject({ configured: false, hasKey: false, hint: expect.stringMatching(/No API key is saved for https:\/\/llm.example.com\/v1/) });
    const c = (await h().triageQueue({ filter: {} })).cases[0];
    expect(await h().triageSuggest({ caseId: c.case_id, prefetch: [], retry: false })).toMatchObject({ status: 'unconfigured', hint: expect.stringMatching(/no API key/) });

    const withKey = await h().llmSettings({ set: { baseUrl: llm.baseUrl, model: 'test-model', apiKey: 'sk-very-secret' } });
    expect(withKey).toMatchObject({ configured: true, hasKey: true, baseUrl: llm.baseUrl, model: 'test-model' });
    expect(JSON.stringify(withKey)).not.toContain('sk-very-secret');
    expect(JSON.stringify(await h().llmSettings({}))).not.toContain('sk-very-secret');
  });

  it('suggests for a case, prefetches the next, and accepting records the suggestion in the label event', async () => {
    const cases = (await h().triageQueue({ filter: { status: ['open'] } })).cases;
    const r = await h().triageSuggest({ caseId: cases[0].case_id, prefetch: cases.slice(1, 4).map((c) => c.case_id), retry: false });
    expect(r).toMatchObject({ status: 'ok', suggestion: { root_cause: 'retrieval_miss', confidence: 0.7 }, model: 'test-model', tokens: { prompt: 120, completion: 30 } });
    expect(llm.requests[0].authorization).toBe('Bearer sk-very-secret');
    expect(llm.requests[0].body.messages[1].content).toContain('how do I configure the thing');
    const next = await h().triageSuggest({ caseId: cases[1].case_id, prefetch: [], retry: false });
    expect(next).toMatchObject({ status: 'ok', prefetched: true });
    if (r.status !== 'ok') return;
    const act = await h().triageAct({
      caseId: cases[0].case_id,
      action: 'label',
      rootCause: r.suggestion.root_cause,
      suggestion: { confidence: r.suggestion.confidence, rationale: r.suggestion.rationale, model: r.model },
    });
    expect(act.case).toMatchObject({ root_cause: 'retrieval_miss', from_suggestion: true });
    expect(JSON.parse(act.event.suggestion!)).toEqual({ confidence: 0.7, rationale: 'No document mentions the option.', model: 'test-model' });
  });

  it('re-judges a sample of a version against the online judge', async () => {
    llm.script([{ kind: 'content', content: { score: 0.5, rationale: 'middling' } }]);
    const out = await h().triageRejudge({ modelVersion: 'v1', n: 5 });
    expect(out.n).toBeGreaterThan(0);
    expect(out.n).toBeLessThanOrEqual(5);
    expect(out.judged).toBe(out.n);
    // Every re-judge says 0.5 (a pass): agreement is the share of online scores ≥ 0.5.
    const passes = out.items.filter((i) => i.online >= 0.5).length;
    expect(out.agreement).toBeCloseTo(passes / out.n, 12);
    expect(out.meanAbsDiff).toBeCloseTo(out.items.reduce((s, i) => s + Math.abs(0.5 - i.online), 0) / out.n, 12);
    await expect(h().triageRejudge({ slice: 'colour=red', n: 5 })).rejects.toMatchObject({ code: 'bad_input', column: 'colour' });
    // Deterministic sample: the same requests again.
    const again = await h().triageRejudge({ modelVersion: 'v1', n: 5 });
    expect(again.items.map((i) => i.request_id)).toEqual(out.items.map((i) => i.request_id));
  });
});
