/**
 * Time from the start of a scheduled judge regression to the live judge alert, against the
 * statistical minimum for the scenario's rate and judge sample.
 *
 * Scenario: test/fixtures/scenarios/live-judge-regression.yaml (v1/v2 at 50/50, 10 requests/s,
 * judge_sample 0.2, v2's judge drops by 0.3 at 6h10m). Six exported hours (generated with the
 * run's seed) are the baseline; the live clock starts LEAD seconds before the drop and runs at
 * speed 1, so simulated and wall seconds are the same. The core's TailRunner (with the live
 * analytics as the app runs them: the judge CUSUM per score, evaluated in the batch that crosses)
 * tails the service in this process; the
 * alert time is the alert's raisedAt, the regression's start the wall-clock emit time of the
 * first event at or after 6h10m (the service's `onTailEvent`).
 *
 * Statistical minimum: a one-sided 2σ test sees a drop Δ after n judged requests of v2 once
 * Δ > 2·s_b/√n, i.e. n = ⌊(2·s_b/Δ)²⌋ + 1 (s_b: v2's baseline sd, as the snapshot reports it);
 * the hourly 2σ rule also needs n ≥ 10. Time = n / (v2's judged requests per second: rate × weight
 * × judge_sample × (1 − base_error_rate)). Prints each run and the medians over the seeds.
 * DROP replaces the fixture's drop of 0.3 — which a single judged request shows (n = 1, below
 * the rule's floor of 10) — e.g. 0.06 for a drop that takes ~15 judged requests to see.
 *   node --import tsx test/bench/tail-judge-alert-bench.ts [SEEDS=1,2,3] [LEAD_S=30] [DROP]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../electron/core/db/duckdb';
import { DEFAULT_MIN_HOUR_JUDGED } from '../../electron/core/drift/judge-monitor';
import { workspaceLiveAnalytics } from '../../electron/core/tail/live-analytics';
import { TailRunner } from '../../electron/core/tail/tail-runner';
import { guessRoles } from '../../electron/core/workspace/guess-roles';
import { Workspace } from '../../electron/core/workspace/workspace';
import type { LogRecord } from '../../shared/log-schema';
import { loadScenario } from '../../service/scenario/load-scenario';
import { generateHistory } from '../../service/sim/generate-history';
import { startService } from '../../service/server';
import { tempDir } from '../support/make-parquet';
import { median } from './stats';

const SEEDS = (process.argv[2] ?? '1,2,3').split(',').map(Number);
const LEAD_S = Number(process.argv[3] ?? 30);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const fixture = await loadScenario(path.join(root, 'test/fixtures/scenarios/live-judge-regression.yaml'));
const DROP = process.argv[4] ? Number(process.argv[4]) : null;
const base = DROP === null ? fixture : { ...fixture, incidents: fixture.incidents.map((i) => (i.kind === 'quality_regression' ? { ...i, judge_drop: DROP } : i)) };
const incident = base.incidents.find((i) => i.kind === 'quality_regression')!;
const drop = incident.kind === 'quality_regression' ? incident.judge_drop : NaN;
const dropAt = Date.parse(base.start) + (6 * 60 + 10) * 60_000; // the fixture's `at: 6h10m`
const v2Weight = 0.5; // the fixture's traffic: { v1: 0.5, v2: 0.5 }
const judgedPerS = base.rate * v2Weight * base.judge_sample * (1 - base.base_error_rate);
const leadMin = Math.floor(LEAD_S / 60);
const scenario = { ...base, live_from: `6h ${10 - 1 - leadMin}m ${60 * (leadMin + 1) - LEAD_S}s` };

const runs: Array<{ seconds: number; nStat: number; tStat: number; tRule: number; judgedBefore: number; falseAlerts: number }> = [];
for (const seed of SEEDS) {
  const dir = tempDir('loupe-bench-judge-');
  const gen = await openDatabase();
  await generateHistory(gen.conn, scenario, { seed, days: 0.25, out: path.join(dir, 'exports') });
  gen.close();
  const db = await openDatabase({ memoryLimit: '1GB' });
  const ws = await Workspace.open(db.conn, dir, (c) => guessRoles(c).mapping);
  const svc = await startService({ scenario, seed, dataDir: tempDir('loupe-bench-judge-svc-'), speed: 1, tokens: { tok: 'viewer' }, heartbeatMs: 1000 });
  let startWall: number | null = null;
  let judgedV2After = 0;
  let alertWall: number | null = null;
  let judgedBefore = 0;
  svc.onTailEvent((e) => {
    const r = JSON.parse(e.data) as LogRecord;
    if (startWall === null && Date.parse(r.ts) >= dropAt) startWall = e.emittedAt;
    if (Date.parse(r.ts) >= dropAt && r.model_version === 'v2' && r.judge_score !== null && alertWall === null) judgedV2After++;
  });
  const runner = new TailRunner({
    instance: db.instance, serviceUrl: svc.url, token: 'tok', from: 'head',
    analytics: workspaceLiveAnalytics,
  });
  await runner.start();
  let falseAlerts = 0;
  const deadline = Date.now() + (LEAD_S + 300) * 1000;
  for (;;) {
    const snap = runner.snapshot();
    const judge = snap.alerts.filter((a) => a.kind === 'judge');
    const hit = judge.find((a) => a.id.startsWith('judge:assistant:v2') && (startWall === null || Date.parse(a.raisedAt) >= startWall));
    falseAlerts = judge.filter((a) => !a.id.startsWith('judge:assistant:v2') || startWall === null || Date.parse(a.raisedAt) < startWall).length;
    if (hit) {
      alertWall = Date.parse(hit.raisedAt);
      judgedBefore = judgedV2After;
      break;
    }
    if (Date.now() > deadline) throw new Error(`seed ${seed}: no judge alert for v2 within ${LEAD_S + 300} s`);
    await new Promise((r) => setTimeout(r, 50));
  }
  const v2 = runner.snapshot().analytics.versions.find((v) => v.version === 'v2')!;
  await runner.stop();
  await svc.close();
  await ws.close();
  db.close();
  const sd = v2.baselineSd!;
  const nStat = Math.floor((2 * sd / drop) ** 2) + 1;
  const nRule = Math.max(nStat, DEFAULT_MIN_HOUR_JUDGED);
  const r = { seconds: (alertWall - startWall!) / 1000, nStat, tStat: nStat / judgedPerS, tRule: nRule / judgedPerS, judgedBefore, falseAlerts };
  runs.push(r);
  console.log(
    `seed ${seed}: alert ${r.seconds.toFixed(1)} s after the drop started (${judgedBefore} judged v2 requests emitted by then); ` +
      `baseline μ ${v2.baselineMean!.toFixed(3)}, sd ${sd.toFixed(3)}, Δ ${drop} → n_min ${nStat} (${r.tStat.toFixed(1)} s), with the rule's n ≥ ${DEFAULT_MIN_HOUR_JUDGED}: ${r.tRule.toFixed(1)} s; ` +
      `ratio ${(r.seconds / r.tStat).toFixed(2)}× / ${(r.seconds / r.tRule).toFixed(2)}×; false judge alerts before the drop: ${falseAlerts}`,
  );
}
const m = (f: (r: (typeof runs)[number]) => number) => median(runs.map(f));
console.log(`v2 judged requests/s: ${judgedPerS.toFixed(2)} (rate ${base.rate} × ${v2Weight} × judge_sample ${base.judge_sample} × (1 − ${base.base_error_rate}))`);
console.log(
  `median over ${runs.length} seeds: ${m((r) => r.seconds).toFixed(1)} s to the alert (${m((r) => r.judgedBefore)} judged v2 requests); ` +
    `statistical minimum ${m((r) => r.tStat).toFixed(1)} s (n ${m((r) => r.nStat)}) → ratio ${m((r) => r.seconds / r.tStat).toFixed(2)}×; ` +
    `with n ≥ ${DEFAULT_MIN_HOUR_JUDGED}: ${m((r) => r.tRule).toFixed(1)} s → ratio ${m((r) => r.seconds / r.tRule).toFixed(2)}× (target ≤ 1.5×)`,
);
