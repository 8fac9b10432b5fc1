import type { DuckDBConnection } from '@duckdb/node-api';
import type { LiveAlert, LiveAnalytics as LiveAnalyticsValue, LivePsi, LiveVersion } from '../../../shared/live';
import type { LogRecord } from '../../../shared/log-schema';
import { binIndex } from '../drift/binning';
import { DEFAULT_MIN_BASELINE_JUDGED, DEFAULT_MIN_HOUR_JUDGED, judgeThreshold } from '../drift/judge-monitor';
import { compareCounts, driftLevel, PSI_ALERT } from '../drift/metrics';
import { CUSUM_KS, cusumStep, cusumThresholds, FALSE_ALERT_DAYS, standardise, Z_CLIP, Z_STEP, zBin, type CusumThresholds } from './judge-cusum';
import { formatOf, loadLiveBaseline, nearestCentroid, type FeatureBaseline, type JudgeBaseline, type LiveBaseline } from './live-baseline';
import type { LiveAnalyticsSink } from './tail-runner';

/**
 * Rolling last-hour analytics over the live stream, kept as running counts in one-minute
 * buckets of event time: each event adds to its bucket once; an evaluation sums at most 60
 * buckets of small arrays and never rescans events.
 *
 * Judge, per version, two things side by side:
 * - the hourly 2σ rule (the drift engine's, judge-monitor.ts) on the last hour of event time
 *   with n judge scores and mean m: threshold = μ_b − 2 · s_b / √n (n ≥ 10), shown with the
 *   hour's mean;
 * - the alert: a CUSUM on the version's judge scores, updated score by score as they arrive
 *   (judge-cusum.ts), with thresholds set so a steady version raises a false alert about once
 *   per 30 days. Re-checked every few seconds, the 2σ rule flags a steady version ~2.3 % of the
 *   time, and the short windows that let it see a drop early made that a false alert every few
 *   minutes per version (test/bench/judge-rule-sim.ts).
 * μ_b, s_b are the version's baseline mean and sample sd (≥ 30 baseline scores); a version with
 * fewer (a new canary) is compared with its deployment's baseline.
 */
export const LIVE_RULE =
  `alert when a CUSUM of (baseline mean − score) / baseline sd, k = ${CUSUM_KS.join(' and ')}, crosses the threshold that gives one false alert per ${FALSE_ALERT_DAYS} days on the baseline's scores; ` +
  'the hour is below the 2σ line when its judge mean < baseline mean − 2 · baseline sd / √n (n ≥ 10 judged)';
const MINUTE = 60_000;
const HOUR_MINUTES = 60;
/** PSI on fewer current rows is noise (E[PSI] ≈ (bins − 1)(1/n_b + 1/n_c)). */
const MIN_PSI_ROWS = 200;

interface VersionCounts {
  requests: number;
  errors: number;
  judged: number;
  sum: number;
  sumsq: number;
}

/** A version's CUSUM: its baseline, thresholds (null: cannot be judged) and running sums. */
interface JudgeDetector {
  base: JudgeBaseline | null;
  baselineOf: LiveVersion['baselineOf'];
  thresholds: CusumThresholds | null;
  s: number[];
  /** Event time of the score that crossed a threshold; null while the version looks steady. */
  flaggedAt: string | null;
  /** Crossings so far and how many have been raised: a batch can flag and clear a version. */
  crossings: number;
  raised: number;
  crossedAt: string | null;
  /** The last crossing came from a replayed (stored) score. */
  crossedInReplay: boolean;
}

interface Bucket {
  versions: Map<string, VersionCounts>;
  features: number[][];
}

/** The fields of a request the live analytics count (a live event, or a stored row replayed). */
export type AnalyticsRecord = Pick<
  LogRecord,
  'ts' | 'deployment' | 'model_version' | 'status' | 'judge_score' | 'input_embedding' | 'input_tokens' | 'output_tokens' | 'refused' | 'output_format' | 'format_ok'
>;

/** The live analytics of the open workspace, against the baseline its exports give. */
export async function workspaceLiveAnalytics(conn: DuckDBConnection): Promise<LiveAnalytics> {
  return new LiveAnalytics(await loadLiveBaseline(conn));
}

export class LiveAnalytics implements LiveAnalyticsSink {
  /** In alert ids, so an episode of this run is never taken for one of an earlier run. */
  private readonly run = Date.now().toString(36);
  private replayOn = false;
  private readonly buckets = new Map<number, Bucket>();
  private newestMinute: number | null = null;
  private readonly alerts = new Map<string, LiveAlert>();
  private readonly episodes = new Map<string, number>();
  private readonly versionBaseline = new Map<string, { own: JudgeBaseline; errorRate: number | null }>();
  private readonly detectors = new Map<string, JudgeDetector>();
  private readonly calibrated = new Map<JudgeBaseline, CusumThresholds | null>();

  constructor(
    private readonly baseline: LiveBaseline,
    private readonly falseAlertDays = FALSE_ALERT_DAYS,
  ) {
    for (const v of baseline.versions) {
      this.versionBaseline.set(key(v.deployment, v.version), { own: v, errorRate: v.requests ? v.errors / v.requests : null });
    }
  }

  replaying(on: boolean): void {
    this.replayOn = on;
  }

  /** Counts the records in; true when a version's judge alert state changed (evaluate now). */
  observe(records: readonly AnalyticsRecord[], opts: { replayed?: boolean } = {}): boolean {
    let changed = false;
    for (const r of records) {
      if (r.judge_score !== null && this.judge(r.deployment, r.model_version, r.judge_score, r.ts, opts.replayed ?? false)) changed = true;
      const minute = Math.floor(Date.parse(r.ts) / MINUTE);
      if (this.newestMinute !== null && minute <= this.newestMinute - HOUR_MINUTES) continue; // older than the window
      if (this.newestMinute === null || minute > this.newestMinute) this.advance(minute);
      const b = this.bucket(minute);
      const k = key(r.deployment, r.model_version);
      let v = b.versions.get(k);
      if (!v) b.versions.set(k, (v = { requests: 0, errors: 0, judged: 0, sum: 0, sumsq: 0 }));
      v.requests++;
      if (r.status === 'error') v.errors++;
      if (r.judge_score !== null) {
        v.judged++;
        v.sum += r.judge_score;
        v.sumsq += r.judge_score * r.judge_score;
      }
      this.baseline.features.forEach((f, i) => {
        const bin = featureBin(f, r);
        if (bin !== null) b.features[i][bin]++;
      });
    }
    return changed;
  }

  /** One score into its version's CUSUM; true when the version became flagged or cleared. */
  private judge(deployment: string, version: string, score: number, ts: string, replayed: boolean): boolean {
    const d = this.detector(deployment, version);
    if (!d.thresholds || !d.base) return false;
    // On the histogram's grid, so the run lengths the thresholds were set from are exact.
    const z = -Z_CLIP + zBin(standardise(score, d.base.mean!, d.base.sd!)) * Z_STEP;
    let crossed = false;
    let zero = true;
    CUSUM_KS.forEach((k, i) => {
      const h = d.thresholds!.h[i];
      if (h === null) return;
      d.s[i] = cusumStep(d.s[i], z, k);
      // Held at h once crossed, so a recovered version clears within ~h / k good scores.
      if (d.s[i] > h) {
        d.s[i] = h;
        crossed = true;
      }
      if (d.s[i] > 0) zero = false;
    });
    if (crossed && d.flaggedAt === null) {
      d.flaggedAt = d.crossedAt = ts;
      d.crossings++;
      d.crossedInReplay = replayed;
      return true;
    }
    if (zero && d.flaggedAt !== null) {
      d.flaggedAt = null;
      return true;
    }
    return false;
  }

  private detector(deployment: string, version: string): JudgeDetector {
    const k = key(deployment, version);
    let d = this.detectors.get(k);
    if (d) return d;
    const own = this.versionBaseline.get(k)?.own;
    const dep = this.baseline.deployments.get(deployment);
    const usable = (b: JudgeBaseline | undefined): b is JudgeBaseline => !!b && b.n >= DEFAULT_MIN_BASELINE_JUDGED && b.mean !== null && !!b.sd;
    const base = usable(own) ? own : usable(dep) ? dep : null;
    if (base && !this.calibrated.has(base)) this.calibrated.set(base, cusumThresholds(base.zCounts, base.perSecond, this.falseAlertDays));
    d = {
      base,
      baselineOf: base === null ? 'none' : base === own ? 'version' : 'deployment',
      thresholds: base ? this.calibrated.get(base)! : null,
      s: CUSUM_KS.map(() => 0),
      flaggedAt: null,
      crossings: 0,
      raised: 0,
      crossedAt: null,
      crossedInReplay: false,
    };
    this.detectors.set(k, d);
    return d;
  }

  evaluate(): { analytics: LiveAnalyticsValue; alerts: LiveAlert[] } {
    const end = this.newestMinute;
    const rule = LIVE_RULE;
    const baseline = this.baseline.window ? { ...this.baseline.window, requests: this.baseline.requests } : null;
    if (end === null) return { analytics: { window: null, baseline, rule, versions: [], psi: [], minutes: [] }, alerts: [...this.alerts.values()] };
    const eventTime = new Date((end + 1) * MINUTE).toISOString();

    // Per version: sums over the last hour, one pass from the newest minute.
    const sums = new Map<string, VersionCounts>();
    const minutes: LiveAnalyticsValue['minutes'] = [];
    for (let m = end; m > end - HOUR_MINUTES; m--) {
      const b = this.buckets.get(m);
      if (!b) continue;
      for (const [k, c] of b.versions) {
        let w = sums.get(k);
        if (!w) sums.set(k, (w = { requests: 0, errors: 0, judged: 0, sum: 0, sumsq: 0 }));
        add(w, c);
        minutes.push({ minute: new Date(m * MINUTE).toISOString(), version: k.split('\u0000')[1], requests: c.requests, errors: c.errors, judged: c.judged, judgeMean: c.judged ? c.sum / c.judged : null });
      }
    }
    const versions: LiveVersion[] = [];
    for (const [k, hour] of sums) versions.push(this.judgeVersion(k, hour));
    versions.sort((a, b) => a.deployment.localeCompare(b.deployment) || a.version.localeCompare(b.version));

    const psi = this.baseline.features.map((f, i) => {
      const cur = new Array<number>(f.counts.length + 1).fill(0);
      for (let m = end; m > end - HOUR_MINUTES; m--) {
        const b = this.buckets.get(m);
        if (b) b.features[i].forEach((n, j) => (cur[j] += n));
      }
      const ref = [...f.counts, 0];
      const current = cur.reduce((a, b) => a + b, 0);
      const baselineN = f.counts.reduce((a, b) => a + b, 0);
      // The last slot holds categories the baseline never saw; drop it when empty.
      const metrics = current > 0 ? compareCounts(cur[cur.length - 1] ? ref : ref.slice(0, -1), cur[cur.length - 1] ? cur : cur.slice(0, -1)) : null;
      const value = current >= MIN_PSI_ROWS ? (metrics?.psi ?? null) : null;
      return { axis: f.axis, feature: f.id, psi: value, current, baseline: baselineN, level: driftLevel(value) };
    });

    this.raiseAlerts(versions, psi, eventTime);
    minutes.reverse();
    return {
      analytics: {
        window: { start: new Date((end - HOUR_MINUTES + 1) * MINUTE).toISOString(), end: eventTime },
        baseline,
        rule,
        versions,
        psi,
        minutes,
      },
      alerts: [...this.alerts.values()].sort((a, b) => b.raisedAt.localeCompare(a.raisedAt)),
    };
  }

  private judgeVersion(k: string, hour: VersionCounts): LiveVersion {
    const [deployment, version] = k.split('\u0000');
    const own = this.versionBaseline.get(k);
    const d = this.detector(deployment, version);
    const base = d.base;
    const threshold = base && hour.judged >= DEFAULT_MIN_HOUR_JUDGED ? judgeThreshold(base.mean!, base.sd!, hour.judged).threshold : null;
    const judgeMean = hour.judged ? hour.sum / hour.judged : null;
    const h = d.thresholds?.h;
    return {
      deployment,
      version,
      requests: hour.requests,
      errors: hour.errors,
      errorRate: hour.requests ? hour.errors / hour.requests : null,
      judged: hour.judged,
      judgeMean,
      baselineOf: d.baselineOf,
      baselineMean: base?.mean ?? null,
      baselineSd: base?.sd ?? null,
      baselineN: base?.n ?? 0,
      baselineErrorRate: own?.errorRate ?? null,
      threshold,
      hourBelowThreshold: threshold !== null && judgeMean !== null && judgeMean < threshold,
      status: d.flaggedAt !== null ? 'flagged' : h ? 'ok' : 'insufficient_data',
      evidence: h ? Math.max(...d.s.map((s, i) => (h[i] ? s / h[i]! : 0))) : null,
      flaggedAt: d.flaggedAt,
    };
  }

  /** An alert is raised once per episode (flagged → cleared → flagged again is a new one). */
  private raiseAlerts(versions: LiveVersion[], psi: Array<Pick<LivePsi, 'axis' | 'feature' | 'psi'>>, eventTime: string): void {
    const active = new Set<string>();
    for (const v of versions) {
      const d = this.detector(v.deployment, v.version);
      const base = `judge:${v.deployment}:${v.version}`;
      if (v.status === 'flagged') active.add(base);
      if (d.raised === d.crossings) continue;
      d.raised = d.crossings;
      // Raised even when the same batch already cleared it (then it is closed below at once).
      this.open(base, () => ({
        kind: 'judge',
        title: `Judge mean of ${v.version} (${v.deployment}) dropped`,
        detail:
          `its judge scores up to ${d.crossedAt!.slice(11, 19)} sat below the baseline ${v.baselineMean?.toFixed(3)} (${v.baselineOf}) beyond chance ` +
          `(CUSUM, ~1 false alert per ${FALSE_ALERT_DAYS} days per version); last hour ${v.judgeMean?.toFixed(3) ?? '—'} over ${v.judged} judged` +
          (v.threshold !== null ? `, 2σ line ${v.threshold.toFixed(3)}` : ''),
        target: { view: 'deployments', deployment: v.deployment, slice: `model_version=${encodeURIComponent(v.version)}` },
      }), eventTime, d.crossedInReplay);
    }
    for (const p of psi) {
      if (p.psi === null || p.psi <= PSI_ALERT) continue;
      const base = `psi:${p.axis}:${p.feature}`;
      active.add(base);
      this.open(base, () => ({
        kind: 'psi',
        title: `${p.axis} drift: PSI ${p.psi!.toFixed(2)} on ${p.feature}`,
        detail: `the last hour against the baseline; PSI above ${PSI_ALERT} is an alert`,
        target: { view: 'slices', axis: p.axis },
      }), eventTime, this.replayOn);
    }
    for (const [base, episode] of this.episodes) {
      const a = this.alerts.get(`${base}#${episode}`);
      if (a && a.active && !active.has(base)) a.active = false;
    }
  }

  private open(base: string, make: () => Pick<LiveAlert, 'kind' | 'title' | 'detail' | 'target'>, eventTime: string, replayed: boolean): void {
    const episode = this.episodes.get(base) ?? 0;
    const current = this.alerts.get(`${base}#${episode}`);
    if (current?.active) return;
    const next = episode + 1;
    this.episodes.set(base, next);
    this.alerts.set(`${base}#${next}`, { id: `${base}#${this.run}.${next}`, ...make(), eventTime, raisedAt: new Date().toISOString(), active: true, replayed });
    // A day of flapping must not grow without bound: keep the newest 50.
    if (this.alerts.size > 50) this.alerts.delete(this.alerts.keys().next().value!);
  }

  private advance(minute: number): void {
    this.newestMinute = minute;
    for (const m of this.buckets.keys()) if (m <= minute - HOUR_MINUTES) this.buckets.delete(m);
  }

  private bucket(minute: number): Bucket {
    let b = this.buckets.get(minute);
    if (!b) {
      b = { versions: new Map(), features: this.baseline.features.map((f) => new Array<number>(f.counts.length + 1).fill(0)) };
      this.buckets.set(minute, b);
    }
    return b;
  }
}

function key(deployment: string, version: string): string {
  return `${deployment}\u0000${version}`;
}

function add(into: VersionCounts, c: VersionCounts): void {
  into.requests += c.requests;
  into.errors += c.errors;
  into.judged += c.judged;
  into.sum += c.sum;
  into.sumsq += c.sumsq;
}

/** The bin of a live record for a baseline feature; the slot after the last is "unseen category". */
function featureBin(f: FeatureBaseline, r: AnalyticsRecord): number | null {
  switch (f.id) {
    case 'input_cluster': {
      if (f.kind !== 'cluster' || !r.input_embedding) return null;
      const c = nearestCentroid(r.input_embedding, f.centroids);
      return c < 0 ? null : c;
    }
    case 'input_length':
      return f.kind === 'numeric' ? binIndex(r.input_tokens, f.cuts) : null;
    case 'output_length':
      return f.kind === 'numeric' ? binIndex(r.output_tokens, f.cuts) : null;
    case 'judge_score':
      return f.kind === 'numeric' && r.judge_score !== null ? binIndex(r.judge_score, f.cuts) : null;
    case 'refused':
    case 'format': {
      if (f.kind !== 'categorical') return null;
      const i = f.categories.indexOf(f.id === 'refused' ? String(r.refused) : formatOf(r));
      return i < 0 ? f.categories.length : i;
    }
    default:
      return null;
  }
}
