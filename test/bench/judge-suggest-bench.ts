/**
 * Suggestion latency and prefetch hit rate against the local OpenAI-compatible test server,
 * through the real `openai` SDK. A simulated analyst spends `think` ms on each case; the
 * server takes `model` ms per answer. Prints, per mode, how long the view waited for each
 * suggestion (median, p95), the SDK round trip, and prefetch hits.
 *
 *   node --import tsx test/bench/judge-suggest-bench.ts [cases=40] [model=300] [think=400]
 */
import { SuggestionService } from '../../electron/core/judge/suggestions';
import { startOpenAITestServer } from '../support/openai-test-server';
import { reportResult } from './harness/report-result';

const [cases = 40, modelMs = 300, thinkMs = 400] = process.argv.slice(2).map(Number);
const server = await startOpenAITestServer([
  { kind: 'content', content: { root_cause: 'hallucination', confidence: 0.6, rationale: 'unsupported claim' }, delayMs: modelMs },
]);
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))];

const byPrefetch: Record<number, Record<string, number>> = {};
for (const prefetch of [0, 3]) {
  const svc = new SuggestionService({
    config: async () => ({ baseUrl: server.baseUrl, model: 'bench', apiKey: 'k', timeoutMs: 10_000, concurrency: 2, attempts: 2 }),
    fields: async (id) => [{ role: 'input_text', text: `prompt ${id}` }, { role: 'output_text', text: 'answer' }],
  });
  const ids = Array.from({ length: cases }, (_, i) => `c${i}`);
  const waited: number[] = [];
  const roundTrip: number[] = [];
  let last;
  for (let i = 0; i < ids.length; i++) {
    const t0 = performance.now();
    last = await svc.suggest(ids[i], ids.slice(i + 1, i + 1 + prefetch));
    waited.push(performance.now() - t0);
    if (last.status === 'ok' && !last.prefetched) roundTrip.push(last.ms);
    await new Promise((r) => setTimeout(r, thinkMs));
  }
  const s = last!.stats;
  byPrefetch[prefetch] = { waitP50Ms: pct(waited, 0.5), waitP95Ms: pct(waited, 0.95), prefetchHits: s.prefetchHits, asked: s.asked };
  if (roundTrip.length) byPrefetch[prefetch].roundTripP50Ms = pct(roundTrip, 0.5);
  console.log(
    `prefetch ${prefetch}: view waited median ${pct(waited, 0.5).toFixed(1)} ms, p95 ${pct(waited, 0.95).toFixed(1)} ms; ` +
      `SDK round trip (not prefetched) median ${roundTrip.length ? pct(roundTrip, 0.5).toFixed(1) : '—'} ms; ` +
      `prefetch hits ${s.prefetchHits}/${s.asked} (${((100 * s.prefetchHits) / s.asked).toFixed(0)}%); tokens ${s.promptTokens}+${s.completionTokens}`,
  );
}
await server.close();
reportResult({ figures: { cases, modelMs, thinkMs, prefetch: 3, ...byPrefetch[3] }, peers: { 'no prefetch': { prefetch: 0, ...byPrefetch[0] } } });
