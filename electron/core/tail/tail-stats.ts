import type { LogRecord } from '../../../shared/log-schema';
import type { LiveRow } from '../../../shared/live';

/** Events per second over a sliding window of one-second buckets (wall clock). */
export class RateMeter {
  private readonly buckets = new Map<number, number>();
  constructor(private readonly windowSeconds = 5) {}

  add(n: number, now = Date.now()): void {
    const s = Math.floor(now / 1000);
    this.buckets.set(s, (this.buckets.get(s) ?? 0) + n);
    for (const k of this.buckets.keys()) if (k <= s - this.windowSeconds - 1) this.buckets.delete(k);
  }

  /** Mean over the last complete seconds, so a half-filled current second does not read low. */
  perSecond(now = Date.now()): number {
    const s = Math.floor(now / 1000);
    let sum = 0;
    for (const [k, v] of this.buckets) if (k < s && k >= s - this.windowSeconds) sum += v;
    return sum / this.windowSeconds;
  }
}

/** The newest rows for the view: a bounded buffer drained by each snapshot. */
export class NewestRows {
  private rows: LiveRow[] = [];
  constructor(private readonly max = 200) {}

  push(records: readonly LogRecord[]): void {
    const start = Math.max(0, records.length - this.max);
    for (let i = start; i < records.length; i++) this.rows.push(toLiveRow(records[i]));
    if (this.rows.length > this.max) this.rows.splice(0, this.rows.length - this.max);
  }

  /** Newest first, and forgets them: each snapshot carries only what is new. */
  drain(): LiveRow[] {
    const out = this.rows.reverse();
    this.rows = [];
    return out;
  }
}

export function toLiveRow(r: LogRecord): LiveRow {
  return {
    request_id: r.request_id,
    ts: r.ts,
    deployment: r.deployment,
    model_version: r.model_version,
    route: r.route,
    locale: r.locale,
    tenant_tier: r.tenant_tier,
    status: r.status,
    latency_ms: r.latency_ms,
    judge_score: r.judge_score,
    prompt: r.prompt.length > 160 ? `${r.prompt.slice(0, 160)}…` : r.prompt,
  };
}
