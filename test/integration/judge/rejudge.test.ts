import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Limiter } from '../../../electron/core/judge/limiter';
import { DEFAULT_RUBRIC, rejudge, type RejudgeItem } from '../../../electron/core/judge/rejudge';
import { startOpenAITestServer, type OpenAITestServer } from '../../support/openai-test-server';

let server: OpenAITestServer;
beforeAll(async () => {
  server = await startOpenAITestServer();
});
afterAll(() => server.close());

const cfg = () => ({ baseUrl: server.baseUrl, model: 'judge-model', apiKey: 'k', timeoutMs: 5000, concurrency: 2, attempts: 2 });
const item = (id: string, online: number): RejudgeItem => ({
  request_id: id,
  online,
  fields: [
    { role: 'input_text', text: `question ${id}` },
    { role: 'output_text', text: `answer ${id}` },
    { role: 'judge_score', text: String(online) },
    { role: 'judge_rationale', text: `online rationale ${id}` },
  ],
});

describe('re-judge against the online judge', () => {
  it('scores each request with the rubric and reports agreement worked by hand', async () => {
    // Re-judge scores per request; r5 gets a malformed answer and is left out of the figures.
    const scores: Record<string, number | string> = { r1: 0.8, r2: 0.1, r3: 0.3, r4: 0.55, r5: 'not json' };
    server.requests.length = 0;
    server.script((req) => {
      const id = /question (r\d)/.exec(req.body.messages[1].content)![1];
      const s = scores[id];
      return typeof s === 'number'
        ? { kind: 'content', content: { score: s, rationale: `because ${id}` }, usage: { prompt_tokens: 100, completion_tokens: 10 } }
        : { kind: 'content', content: s };
    });
    const out = await rejudge(cfg(), [item('r1', 0.9), item('r2', 0.2), item('r3', 0.6), item('r4', 0.45), item('r5', 0.7)], DEFAULT_RUBRIC, new Limiter(2), new Set());
    // |Δ| = .1 .1 .3 .1 → 0.15; pass/fail at 0.5 agrees on r1, r2 only → 2/4.
    expect(out).toMatchObject({ n: 5, judged: 4, agreement: 0.5, threshold: 0.5, model: 'judge-model', tokens: { prompt: 400, completion: 10 * 4 } });
    expect(out.meanAbsDiff).toBeCloseTo(0.15, 12);
    expect(out.items.find((i) => i.request_id === 'r5')).toMatchObject({ rejudge: null, error: expect.stringMatching(/not JSON/) });
    expect(out.items.find((i) => i.request_id === 'r3')).toMatchObject({ online: 0.6, rejudge: 0.3, rationale: 'because r3' });
    // The rubric is ours (system); the online judge's verdict is never shown to the re-judge.
    for (const r of server.requests) {
      expect(r.body.messages[0].content).toContain('Score the product');
      expect(r.body.messages[1].content).not.toMatch(/online rationale|Online judge/);
    }
  });
});
