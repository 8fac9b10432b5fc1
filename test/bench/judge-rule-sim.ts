/**
 * The live judge rule in simulated time, without the service or the wire: how often it flags a
 * steady version (false alerts per version-hour) and how long after a drop it flags the
 * regressed one, against the statistical minimum (the judged requests a one-sided 2σ test on
 * the regressed requests alone needs: n = ⌊(2·s_b/Δ)²⌋ + 1).
 *
 * Records come from the reference service's own traffic model (service/sim/traffic.ts) for
 * test/fixtures/scenarios/live-judge-regression.yaml: the first six hours are the baseline
 * (per-version judge mean and sd, as the workspace would compute them); the live stream is fed
 * to LiveAnalytics in 250 ms batches of event time and evaluated as TailRunner does: every
 * EVAL_MS of event time (the app's 2 s) and at once when a version's judge flag changes.
 *   node --import tsx test/bench/judge-rule-sim.ts [STEADY_HOURS=24] [DROPS=0.3,0.06] [TRIALS=30] [EVAL_MS=2000] [FALSE_ALERT_DAYS=30]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LogRecord } from '../../shared/log-schema';
import { standardise, Z_BINS, zBin } from '../../electron/core/tail/judge-cusum';
import { LiveAnalytics } from '../../electron/core/tail/live-analytics';
import type { LiveBaseline, VersionBaseline } from '../../electron/core/tail/live-baseline';
import { loadScenario } from '../../service/scenario/load-scenario';
import type { Scenario } from '../../service/scenario/scenario-schema';
import { historyModel } from '../../service/sim/generate-history';
import { arrivals, makeRecord, type TrafficModel } from '../../service/sim/traffic';
import { median } from './stats';

const STEADY_HOURS = Number(process.argv[2] ?? 24);
const DROPS = (process.argv[3] ?? '0.3,0.06').split(',').map(Number);
const TRIALS = Number(process.argv[4] ?? 30);
const EVAL_MS = Number(process.argv[5] ?? 2000);
const FALSE_ALERT_DAYS_ARG = process.argv[6] ? Number(process.argv[6]) : undefined;
const BATCH_MS = 250;
const HOUR = 3_600_000;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixture = await loadScenario(path.join(root, 'test/fixtures/scenarios/live-judge-regression.yaml'));

/** Feeds [fromMs, toMs) of the model's traffic in 250 ms batches to `each`; it returns true to stop. */
function stream(model: TrafficModel, fromMs: number, toMs: number, seq0: number, each: (records: LogRecord[], t: number) => boolean | void): void {
  let carry = 0;
  let seq = seq0;
  for (let t = fromMs; t < toMs; t += BATCH_MS) {
    const a = arrivals(model, t, t + BATCH_MS, carry);
    carry = a.carry;
    const records = a.times.map((at) => makeRecord(model, at, seq++));
    if (each(records, t + BATCH_MS) === true) return;
  }
}

function baselineOf(model: TrafficModel): LiveBaseline {
  const acc = new Map<string, { deployment: string; version: string; requests: number; errors: number; scores: number[] }>();
  stream(model, model.startMs, model.startMs + 6 * HOUR, 0, (records) => {
    for (const r of records) {
      const k = `${r.deployment}/${r.model_version}`;
      let v = acc.get(k);
      if (!v) acc.set(k, (v = { deployment: r.deployment, version: r.model_version, requests: 0, errors: 0, scores: [] }));
      v.requests++;
      if (r.status === 'error') v.errors++;
      if (r.judge_score !== null) v.scores.push(r.judge_score);
    }
  });
  // As live-judge-baseline.ts computes them in SQL.
  const versions: VersionBaseline[] = [...acc.values()].map((v) => {
    const n = v.scores.length;
    const mean = v.scores.reduce((a, b) => a + b, 0) / n;
    const sd = Math.sqrt(v.scores.reduce((a, b) => a + (b - mean) ** 2, 0) / (n - 1));
    const zCounts = new Array<number>(Z_BINS).fill(0);
    for (const x of v.scores) zCounts[zBin(standardise(x, mean, sd))]++;
    return { deployment: v.deployment, version: v.version, requests: v.requests, errors: v.errors, n, mean, sd, zCounts, perSecond: n / (6 * 3600) };
  });
  return { window: null, requests: 0, versions, deployments: new Map(), features: [] };
}

function withDrop(s: Scenario, drop: number | null): Scenario {
  return { ...s, incidents: drop === null ? [] : s.incidents.map((i) => (i.kind === 'quality_regression' ? { ...i, judge_drop: drop } : i)) };
}

const dropOffset = (6 * 60 + 10) * 60_000;

// 1. False alerts on steady traffic: both versions, STEADY_HOURS after the baseline.
{
  const model = historyModel(withDrop(fixture, null), 101);
  const live = new LiveAnalytics(baselineOf(model), FALSE_ALERT_DAYS_ARG);
  let nextEval = 0;
  const raised = new Set<string>();
  const from = model.startMs + 6 * HOUR;
  stream(model, from, from + STEADY_HOURS * HOUR, 1e8, (records, t) => {
    // As TailRunner: evaluate on its timer, or at once when a judge flag changed.
    if (!live.observe(records) && t < nextEval) return;
    nextEval = t + EVAL_MS;
    for (const a of live.evaluate().alerts) if (a.kind === 'judge') raised.add(a.id);
  });
  const versionHours = 2 * STEADY_HOURS;
  console.log(`steady traffic, ${STEADY_HOURS} h × 2 versions: ${raised.size} false judge alerts → one per ${raised.size ? (versionHours / raised.size).toFixed(1) : '> ' + versionHours} version-hours`);
}

// 2. Time to the alert after a drop of Δ at 6h10m, the live stream starting 10 minutes before.
for (const drop of DROPS) {
  const delays: number[] = [];
  let nMin = 0;
  let misses = 0;
  for (let trial = 0; trial < TRIALS; trial++) {
    const seed = 1000 + trial;
    const model = historyModel(withDrop(fixture, drop), seed);
    const baseline = baselineOf(model);
    const v2 = baseline.versions.find((v) => v.version === 'v2')!;
    nMin = Math.floor((2 * v2.sd! / drop) ** 2) + 1;
    const live = new LiveAnalytics(baseline, FALSE_ALERT_DAYS_ARG);
    const dropAt = model.startMs + dropOffset;
    let nextEval = 0;
    let found: number | null = null;
    stream(model, dropAt - 10 * 60_000, dropAt + 20 * 60_000, 5e7, (records, t) => {
      if (!live.observe(records) && t < nextEval) return;
      nextEval = t + EVAL_MS;
      const hit = live.evaluate().alerts.find((a) => a.kind === 'judge' && a.id.includes(':v2#') && Date.parse(a.eventTime) >= dropAt - 60_000);
      if (hit && t > dropAt) {
        found = t - dropAt;
        return true;
      }
    });
    if (found === null) misses++;
    else delays.push(found / 1000);
  }
  const judgedPerS = fixture.rate * 0.5 * fixture.judge_sample * (1 - fixture.base_error_rate);
  const tMin = nMin / judgedPerS;
  const med = median(delays);
  if (process.env.SHOW) console.log(delays.join(' '));
  console.log(`drop ${drop}: n_min ${nMin} (${tMin.toFixed(1)} s); alert after median ${med.toFixed(1)} s (p10 ${quantile(delays, 0.1).toFixed(1)}, p90 ${quantile(delays, 0.9).toFixed(1)}) over ${delays.length} trials, ${misses} missed in 20 min → ${(med / tMin).toFixed(2)}×`);
}

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}
