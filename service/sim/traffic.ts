import { EMBEDDING_DIMS, type LogRecord } from '../../shared/log-schema';
import { parseDuration, type Incident, type Scenario, type ScenarioDeployment } from '../scenario/scenario-schema';
import { Rng, streamFor } from './rng';
import { promptFor, rationaleFor, responseFor, tokens } from './text';

/**
 * The simulated production stack: a gateway routes each request to a deployment and a version
 * by weight, the model answers, a logger records it, an online judge scores a sample, and some
 * users leave feedback that follows quality. Incidents bend it in their slice from their time.
 * Every record is a pure function of (seed, sequence number, time, weights).
 */
export type Weights = Record<string, number>;

export interface TrafficModel {
  scenario: Scenario;
  seed: number;
  startMs: number;
  /** Version weights of a deployment at a time; the control plane overrides them after a rollback. */
  weights(deployment: ScenarioDeployment, t: number): Weights;
}

const TOPIC_OF: Record<string, string> = { support: 'account', search: 'product', billing: 'billing', sql: 'data', summarize: 'conversation' };
const JSON_ROUTES = new Set(['sql']);
const RETRIEVAL_ROUTES = new Set(['support', 'search', 'billing']);

export function scheduledWeights(d: ScenarioDeployment, offsetMs: number): Weights {
  let current = d.traffic[0].weights;
  for (const step of d.traffic) if (parseDuration(step.at) <= offsetMs) current = step.weights;
  return current;
}

/** Requests per second at a time: the mean rate on a daily cycle peaking mid-afternoon UTC. */
export function rateAt(s: Scenario, t: number): number {
  const hour = new Date(t).getUTCHours() + new Date(t).getUTCMinutes() / 60;
  return s.rate * (1 + s.daily_cycle * Math.sin((2 * Math.PI * (hour - 9)) / 24));
}

const centres = new Map<string, number[]>();
function topicCentre(seed: number, topic: string): number[] {
  const key = `${seed}:${topic}`;
  let c = centres.get(key);
  if (!c) {
    let h = 0;
    for (const ch of topic) h = (Math.imul(h, 31) + ch.charCodeAt(0)) >>> 0;
    const r = new Rng(streamFor(seed ^ 0x5bd1e995, h));
    c = Array.from({ length: EMBEDDING_DIMS }, () => r.normal(0, 1));
    centres.set(key, c);
  }
  return c;
}

function active(inc: Incident, model: TrafficModel, t: number): boolean {
  const from = model.startMs + parseDuration(inc.at);
  const until = inc.until ? model.startMs + parseDuration(inc.until) : Infinity;
  return t >= from && t < until;
}

function inSlice(inc: Incident, r: { route: string; locale: string; tenant_tier: string; model_version: string }): boolean {
  const s = inc.slice;
  return (!s.route || s.route === r.route) && (!s.locale || s.locale === r.locale) && (!s.tenant_tier || s.tenant_tier === r.tenant_tier) && (!s.model_version || s.model_version === r.model_version);
}

const clamp01 = (x: number) => Math.min(1, Math.max(0, x));

export function makeRecord(model: TrafficModel, t: number, seq: number): LogRecord {
  const s = model.scenario;
  const rng = new Rng(streamFor(model.seed, seq));
  const route = rng.pick(s.routes);
  const deployment = s.deployments.find((d) => d.id === (route === 'summarize' ? 'summarizer' : 'assistant')) ?? s.deployments[0];
  const weights = model.weights(deployment, t);
  const versionName = rng.weighted(Object.entries(weights).filter(([, w]) => w > 0));
  const version = deployment.versions.find((v) => v.version === versionName) ?? deployment.versions[0];
  const locale = rng.weighted(s.locales.map((l, i) => [l, i === 0 ? 3 : 1] as const));
  const tenant_tier = rng.weighted(s.tenant_tiers.map((x, i) => [x, [5, 3, 1][i] ?? 1] as const));
  const slice = { route, locale, tenant_tier, model_version: version.version };
  const incidents = s.incidents.filter((inc) => active(inc, model, t) && inSlice(inc, slice));

  let topic = TOPIC_OF[route] ?? 'account';
  for (const inc of incidents) if (inc.kind === 'topic_shift' && rng.chance(inc.share)) topic = inc.topic;

  const errorRate = Math.max(s.base_error_rate, ...incidents.filter((i) => i.kind === 'error_spike').map((i) => (i as { error_rate: number }).error_rate));
  const failed = rng.chance(errorRate);
  const refused = !failed && rng.chance(tenant_tier === 'free' ? 0.03 : 0.015);
  const formatBreak = incidents.find((i) => i.kind === 'format_break' && (!i.prompt_revision || i.prompt_revision === version.prompt_revision)) as
    | { rate: number }
    | undefined;
  const output_format = JSON_ROUTES.has(route) ? 'json' : 'text';
  const formatBroken = !failed && !refused && output_format === 'json' && rng.chance(formatBreak ? formatBreak.rate : 0.02);
  const retrievalDrop = (incidents.find((i) => i.kind === 'retrieval_regression') as { judge_drop: number } | undefined)?.judge_drop ?? 0;
  const lowRetrieval = RETRIEVAL_ROUTES.has(route) && retrievalDrop > 0;
  const qualityDrop = incidents.filter((i) => i.kind === 'quality_regression').reduce((sum, i) => sum + (i as { judge_drop: number }).judge_drop, 0);

  const prompt = promptFor(rng, route, locale, topic);
  const response = failed ? '' : responseFor(rng, route, topic, { formatBroken, refused });
  let quality = clamp01(rng.normal(version.quality, 0.1) - qualityDrop - (lowRetrieval ? retrievalDrop : 0) - (formatBroken ? 0.35 : 0) - (refused ? 0.3 : 0));
  if (topic === 'tax') quality = clamp01(quality - 0.05);

  const judged = !failed && rng.chance(s.judge_sample);
  const judge_score = judged ? Math.round(clamp01(quality + rng.normal(0, 0.05)) * 100) / 100 : null;
  const gaveFeedback = !failed && rng.chance(0.12);
  const feedback = gaveFeedback ? (quality >= 0.65 ? (rng.chance(0.9) ? 'up' : 'edit') : rng.weighted([['down', 5], ['edit', 2], ['abandon', 2]] as const)) : failed && rng.chance(0.3) ? 'abandon' : null;

  const retrieval = RETRIEVAL_ROUTES.has(route)
    ? JSON.stringify(
        Array.from({ length: rng.int(3, 5) }, (_, i) => ({
          doc_id: `kb-${topic}-${rng.int(100, 999)}`,
          score: Math.round((lowRetrieval ? rng.normal(0.32, 0.08) : rng.normal(0.78 - i * 0.05, 0.06)) * 1000) / 1000,
          title: `${topic} article ${rng.int(1, 60)}`,
        })),
      )
    : null;
  const tool_calls =
    route === 'billing'
      ? JSON.stringify([{ name: 'lookup_invoice', arguments: { invoice_id: `inv_${rng.hex(8)}` } }])
      : route === 'sql'
        ? JSON.stringify([{ name: 'run_sql', arguments: { dry_run: true, dialect: 'duckdb' } }])
        : null;

  const centre = topicCentre(model.seed, topic);
  const input_embedding = centre.map((c) => Math.round((c + rng.normal(0, 0.45)) * 1e4) / 1e4);
  const input_tokens = tokens(prompt) + (retrieval ? 350 : 40);
  const output_tokens = failed ? 0 : tokens(response);
  const latency_ms = Math.round(failed ? rng.lognormal(30_000, 0.2) : rng.lognormal(version.latency_ms * (1 + output_tokens / 400), 0.35));

  return {
    request_id: `req_${seq.toString(36)}_${rng.hex(6)}`,
    ts: new Date(t).toISOString(),
    deployment: deployment.id,
    model_version: version.version,
    prompt_revision: version.prompt_revision,
    route,
    locale,
    tenant_tier,
    session_id: `sess_${rng.hex(10)}`,
    trace_id: rng.hex(32),
    prompt,
    retrieval,
    tool_calls,
    response,
    latency_ms,
    input_tokens,
    output_tokens,
    status: failed ? 'error' : 'ok',
    error_code: failed ? rng.pick(['upstream_timeout', 'rate_limited', 'internal_error']) : null,
    refused,
    output_format,
    format_ok: !formatBroken,
    feedback,
    judge_score,
    judge_rationale: judged ? rationaleFor(rng, judge_score!, formatBroken, lowRetrieval) : null,
    input_embedding,
  };
}

/**
 * Request times in [fromMs, toMs): the expected count from the rate, made integral with a
 * carried fraction, spread evenly with jitter. Deterministic for (seed, fromMs).
 */
export function arrivals(model: TrafficModel, fromMs: number, toMs: number, carry = 0): { times: number[]; carry: number } {
  const mid = (fromMs + toMs) / 2;
  const expected = (rateAt(model.scenario, mid) * (toMs - fromMs)) / 1000 + carry;
  const n = Math.floor(expected);
  const rng = new Rng(streamFor(model.seed ^ 0x27d4eb2f, Math.floor(fromMs / 1000)));
  const step = (toMs - fromMs) / Math.max(1, n);
  const times = Array.from({ length: n }, (_, i) => Math.floor(fromMs + (i + rng.next()) * step));
  return { times, carry: expected - n };
}
