import type { LiveAlert, LiveAnalytics as LiveAnalyticsValue, LiveVersion } from '../../../shared/live';
import type { LogRecord } from '../../../shared/log-schema';
import { binIndex } from '../drift/binning';
import { DEFAULT_MIN_BASELINE_JUDGED, DEFAULT_MIN_HOUR_JUDGED, judgeThreshold } from '../drift/judge-monitor';
import { compareCounts, driftLevel, PSI_ALERT } from '../drift/metrics';
import { formatOf, nearestCentroid, type FeatureBaseline, type JudgeBaseline, type LiveBaseline } from './live-baseline';
import type { LiveAnalyticsSink } from './tail-runner';

/**
 * Rolling last-hour analytics over the live stream, kept as running counts in one-minute
 * buckets of event time: each event adds to its bucket once; an evaluation sums at most 60
 * buckets of small arrays and never rescans events.
 *
 * Judge rule (the drift engine's, judge-monitor.ts), per version over a trailing window of w
 * minutes of event time with n judge scores and mean m:
 *
 *   SE = s_b / √n,  threshold = μ_b − 2 · SE,  flagged ⇔ n ≥ 10 and m < threshold
 *
 * μ_b, s_b are the version's baseline mean and sample sd (≥ 30 baseline scores); a version
 * with fewer (a new canary) is compared with its deployment's baseline. The rule is checked on
 * trailing windows of 1, 5, 15 and 60 minutes: the last hour alone would dilute a fresh drop
 * with up to an hour of good scores, and the short windows see it as soon as the minimum
 * sample allows. More windows mean more chances of a false flag; the bench measures both.
 * (A ladder of "last n judged" windows, n = 10 … 512, saw drops sooner wherever they started
 * but flagged a steady version within five simulated minutes in the live analytics test: every
 * window is a 2.3 % chance of a false flag per evaluation, and 18 of them re-tested on every
 * batch add up.)
 */
export const JUDGE_WINDOWS_MINUTES = [1, 5, 15, 60] as const;
export const LIVE_RULE = 'flag a version when, over the trailing 1, 5, 15 or 60 minutes, its judge mean < baseline mean − 2 · baseline sd / √n (n ≥ 10 judged)';
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

interface Bucket {
  versions: Map<string, VersionCounts>;
  features: number[][];
}

export class LiveAnalytics implements LiveAnalyticsSink {
  private readonly buckets = new Map<number, Bucket>();
  private newestMinute: number | null = null;
  private readonly alerts = new Map<string, LiveAlert>();
  private readonly episodes = new Map<string, number>();
  private readonly versionBaseline = new Map<string, { own: JudgeBaseline; errorRate: number | null }>();

  constructor(private readonly baseline: LiveBaseline) {
    for (const v of baseline.versions) {
      this.versionBaseline.set(key(v.deployment, v.version), { own: v, errorRate: v.requests ? v.errors / v.requests : null });
    }
  }

  observe(records: readonly LogRecord[]): void {
    for (const r of records) {
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
  }

  evaluate(): { analytics: LiveAnalyticsValue; alerts: LiveAlert[] } {
    const end = this.newestMinute;
    const rule = LIVE_RULE;
    const baseline = this.baseline.window ? { ...this.baseline.window, requests: this.baseline.requests } : null;
    if (end === null) return { analytics: { window: null, baseline, rule, versions: [], psi: [], minutes: [] }, alerts: [...this.alerts.values()] };
    const eventTime = new Date((end + 1) * MINUTE).toISOString();

    // Per version: sums over each trailing window (windows nest, so one pass from the newest minute).
    const sums = new Map<string, VersionCounts[]>();
    const minutes: LiveAnalyticsValue['minutes'] = [];
    for (let m = end; m > end - HOUR_MINUTES; m--) {
      const b = this.buckets.get(m);
      if (!b) continue;
      const age = end - m;
      for (const [k, c] of b.versions) {
        let w = sums.get(k);
        if (!w) sums.set(k, (w = JUDGE_WINDOWS_MINUTES.map(() => ({ requests: 0, errors: 0, judged: 0, sum: 0, sumsq: 0 }))));
        JUDGE_WINDOWS_MINUTES.forEach((len, i) => {
          if (age < len) add(w![i], c);
        });
        minutes.push({ minute: new Date(m * MINUTE).toISOString(), version: k.split('\u0000')[1], requests: c.requests, errors: c.errors, judged: c.judged, judgeMean: c.judged ? c.sum / c.judged : null });
      }
    }
    const versions: LiveVersion[] = [];
    for (const [k, w] of sums) versions.push(this.judgeVersion(k, w));
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

  private judgeVersion(k: string, w: VersionCounts[]): LiveVersion {
    const [deployment, version] = k.split('\u0000');
    const hour = w[w.length - 1];
    const own = this.versionBaseline.get(k);
    const dep = this.baseline.deployments.get(deployment);
    const usable = (b: JudgeBaseline | undefined) => b && b.n >= DEFAULT_MIN_BASELINE_JUDGED && b.mean !== null && b.sd !== null;
    const base = usable(own?.own) ? own!.own : usable(dep) ? dep! : null;
    const baselineOf: LiveVersion['baselineOf'] = base === null ? 'none' : base === own?.own ? 'version' : 'deployment';
    let threshold: number | null = null;
    let flaggedWindowMinutes: number | null = null;
    let enough = false;
    if (base) {
      JUDGE_WINDOWS_MINUTES.forEach((len, i) => {
        const c = w[i];
        if (c.judged < DEFAULT_MIN_HOUR_JUDGED) return;
        enough = true;
        const t = judgeThreshold(base.mean!, base.sd!, c.judged).threshold;
        if (flaggedWindowMinutes === null && c.sum / c.judged < t) {
          flaggedWindowMinutes = len;
          threshold = t;
        }
      });
      if (threshold === null && hour.judged >= DEFAULT_MIN_HOUR_JUDGED) threshold = judgeThreshold(base.mean!, base.sd!, hour.judged).threshold;
    }
    return {
      deployment,
      version,
      requests: hour.requests,
      errors: hour.errors,
      errorRate: hour.requests ? hour.errors / hour.requests : null,
      judged: hour.judged,
      judgeMean: hour.judged ? hour.sum / hour.judged : null,
      baselineOf,
      baselineMean: base?.mean ?? null,
      baselineSd: base?.sd ?? null,
      baselineN: base?.n ?? 0,
      baselineErrorRate: own?.errorRate ?? null,
      threshold,
      status: flaggedWindowMinutes !== null ? 'flagged' : base && enough ? 'ok' : 'insufficient_data',
      flaggedWindowMinutes,
    };
  }

  /** An alert is raised once per episode (flagged → cleared → flagged again is a new one). */
  private raiseAlerts(versions: LiveVersion[], psi: Array<{ axis: string; feature: string; psi: number | null }>, eventTime: string): void {
    const active = new Set<string>();
    for (const v of versions) {
      if (v.status !== 'flagged') continue;
      const base = `judge:${v.deployment}:${v.version}`;
      active.add(base);
      this.open(base, () => ({
        kind: 'judge',
        title: `Judge mean of ${v.version} (${v.deployment}) dropped`,
        detail: `${v.judgeMean?.toFixed(3)} over the last hour vs baseline ${v.baselineMean?.toFixed(3)} (${v.baselineOf}); below μ − 2σ/√n in the trailing ${v.flaggedWindowMinutes} min`,
        target: { view: 'deployments', deployment: v.deployment, slice: `model_version=${encodeURIComponent(v.version)}` },
      }), eventTime);
    }
    for (const p of psi) {
      if (p.psi === null || p.psi <= PSI_ALERT) continue;
      const base = `psi:${p.axis}:${p.feature}`;
      active.add(base);
      this.open(base, () => ({
        kind: 'psi',
        title: `${p.axis} drift: PSI ${p.psi!.toFixed(2)} on ${p.feature}`,
        detail: `the last hour against the baseline; PSI above ${PSI_ALERT} is an alert`,
        target: { view: 'slices', slice: '' },
      }), eventTime);
    }
    for (const [base, episode] of this.episodes) {
      const a = this.alerts.get(`${base}#${episode}`);
      if (a && a.active && !active.has(base)) a.active = false;
    }
  }

  private open(base: string, make: () => Pick<LiveAlert, 'kind' | 'title' | 'detail' | 'target'>, eventTime: string): void {
    const episode = this.episodes.get(base) ?? 0;
    const current = this.alerts.get(`${base}#${episode}`);
    if (current?.active) return;
    const next = episode + 1;
    this.episodes.set(base, next);
    this.alerts.set(`${base}#${next}`, { id: `${base}#${next}`, ...make(), eventTime, raisedAt: new Date().toISOString(), active: true });
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
function featureBin(f: FeatureBaseline, r: LogRecord): number | null {
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
