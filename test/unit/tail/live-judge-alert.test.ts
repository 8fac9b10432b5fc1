import { describe, expect, it } from 'vitest';
import { Z_BINS, Z_CLIP, Z_STEP } from '../../../electron/core/tail/judge-cusum';
import { LiveAnalytics } from '../../../electron/core/tail/live-analytics';
import type { LiveBaseline } from '../../../electron/core/tail/live-baseline';
import type { LogRecord } from '../../../shared/log-schema';

// A version judged once a second, scores ~ N(0.8, 0.1) in the baseline.
const zCounts = Array.from({ length: Z_BINS }, (_, i) => Math.round(1e4 * Math.exp(-((-Z_CLIP + i * Z_STEP) ** 2) / 2)));
const baseline: LiveBaseline = {
  window: { start: '2026-11-13T00:00:00.000Z', end: '2026-11-20T00:00:00.000Z' },
  requests: 250_000,
  versions: [{ deployment: 'assistant', version: 'v2', requests: 250_000, errors: 0, n: 250_000, mean: 0.8, sd: 0.1, zCounts, perSecond: 1 }],
  deployments: new Map(),
  features: [],
};
const t0 = Date.parse('2026-11-20T06:00:00Z');
const record = (i: number, score: number) =>
  ({ request_id: `r${i}`, ts: new Date(t0 + i * 1000).toISOString(), deployment: 'assistant', model_version: 'v2', status: 'ok', judge_score: score }) as unknown as LogRecord;

describe('live judge alert', () => {
  it('stays quiet on scores at the baseline and alerts on a sustained drop, with its evidence', () => {
    const live = new LiveAnalytics(baseline);
    const steady = Array.from({ length: 600 }, (_, i) => record(i, [0.7, 0.8, 0.9, 0.8][i % 4]));
    expect(live.observe(steady)).toBe(false);
    const quiet = live.evaluate();
    expect(quiet.alerts).toEqual([]);
    expect(quiet.analytics.versions[0]).toMatchObject({ status: 'ok', flaggedAt: null, baselineOf: 'version' });
    // 0.5 is 3 sd below: each score adds 3 − k to S, so the k = 1 detector (h ≈ 7–8 on a normal
    // baseline at this rate) crosses on the 4th or 5th.
    const drop = Array.from({ length: 10 }, (_, i) => record(600 + i, 0.5));
    expect(live.observe(drop)).toBe(true);
    const out = live.evaluate();
    const v2 = out.analytics.versions[0];
    expect(v2.status).toBe('flagged');
    expect(Date.parse(v2.flaggedAt!)).toBeGreaterThanOrEqual(t0 + 603_000);
    expect(Date.parse(v2.flaggedAt!)).toBeLessThanOrEqual(t0 + 605_000);
    expect(v2.evidence).toBe(1);
    expect(out.alerts).toMatchObject([{ id: expect.stringMatching(/^judge:assistant:v2#\w+\.1$/), kind: 'judge', active: true, replayed: false }]);
  });

  it('raises an alert that a single batch both starts and clears', () => {
    const live = new LiveAnalytics(baseline);
    // A burst of bad scores, then enough good ones to bring both sums back to zero — all in one
    // batch, as a replay after a reconnect delivers them.
    const burst = Array.from({ length: 10 }, (_, i) => record(i, 0.4));
    const recovery = Array.from({ length: 400 }, (_, i) => record(10 + i, 0.9));
    expect(live.observe([...burst, ...recovery])).toBe(true);
    const out = live.evaluate();
    expect(out.analytics.versions[0]).toMatchObject({ status: 'ok', flaggedAt: null });
    expect(out.alerts).toMatchObject([{ id: expect.stringMatching(/^judge:assistant:v2#\w+\.1$/), kind: 'judge', active: false }]);
    // A second drop later is a new episode.
    live.observe(Array.from({ length: 10 }, (_, i) => record(500 + i, 0.4)));
    expect(live.evaluate().alerts.map((a) => [a.id.replace(/#\w+\./, '#'), a.active])).toEqual(
      expect.arrayContaining([['judge:assistant:v2#1', false], ['judge:assistant:v2#2', true]]),
    );
  });

  it('marks what replayed stored rows raise, so a restart does not notify it again; a new run never reuses an id', async () => {
    const resumed = new LiveAnalytics(baseline);
    resumed.replaying(true);
    // The stored hour held a drop: its crossing comes from replayed scores.
    resumed.observe(Array.from({ length: 10 }, (_, i) => record(i, 0.4)), { replayed: true });
    expect(resumed.evaluate().alerts).toMatchObject([{ kind: 'judge', active: true, replayed: true }]);
    resumed.replaying(false);
    // It recovers live, then drops again live: that episode is news.
    resumed.observe(Array.from({ length: 400 }, (_, i) => record(10 + i, 0.9)));
    expect(resumed.evaluate().alerts.map((a) => a.active)).toEqual([false]);
    resumed.observe(Array.from({ length: 10 }, (_, i) => record(500 + i, 0.4)));
    const alerts = resumed.evaluate().alerts;
    expect(alerts.map((a) => [a.active, a.replayed]).sort()).toEqual([[false, true], [true, false]]);

    await new Promise((r) => setTimeout(r, 5));
    const later = new LiveAnalytics(baseline);
    later.observe(Array.from({ length: 10 }, (_, i) => record(i, 0.4)));
    const [first] = later.evaluate().alerts;
    expect(first.id).toMatch(/\.1$/);
    expect(alerts.map((a) => a.id)).not.toContain(first.id);
  });
});
