import { afterAll, describe, expect, it } from 'vitest';
import { workspaceLiveAnalytics } from '../../../electron/core/tail/live-analytics';
import { TailRunner } from '../../../electron/core/tail/tail-runner';
import type { RunningService } from '../../../service/server';
import { openWorkspace, regressionWithHistory, serveTail, until } from './tail-support';

const services: RunningService[] = [];
afterAll(async () => {
  for (const s of services) await s.close();
});

describe('live analytics against a scheduled judge regression', () => {
  it('holds each version to its baseline from the exports and alerts on the regressed one after it starts', async () => {
    const { s, dir } = await regressionWithHistory('loupe-live-ws-', { seed: 42, days: 0.25 });
    const { db, ws } = await openWorkspace(dir);
    // 60× real time: the regression starts 10 s after the service does.
    const { svc } = await serveTail(s, { speed: 60 });
    services.push(svc);
    const runner = new TailRunner({
      instance: db.instance, serviceUrl: svc.url, token: 'tok', from: 'head', evaluateEveryMs: 500,
      analytics: workspaceLiveAnalytics,
    });
    await runner.start();
    const drop = Date.parse('2026-11-20T06:10:00Z');
    const afterDrop = (a: { id: string; eventTime: string }) => a.id.startsWith('judge:assistant:v2') && Date.parse(a.eventTime) > drop;
    await until(() => runner.snapshot().alerts.some(afterDrop), 120_000, 'the judge alert for v2 after the drop');
    await runner.stop();
    const snap = runner.snapshot();
    const alert = snap.alerts.find(afterDrop)!;
    expect(alert.target).toMatchObject({ view: 'deployments', deployment: 'assistant' });
    // The CUSUM is set for one false alert per 30 days per version: none in the steady minutes.
    expect(snap.alerts.filter((a) => a.kind === 'judge' && Date.parse(a.eventTime) <= drop)).toEqual([]);
    const v2 = snap.analytics.versions.find((v) => v.version === 'v2')!;
    expect(v2).toMatchObject({ baselineOf: 'version', status: 'flagged' });
    expect(Date.parse(v2.flaggedAt!)).toBeGreaterThan(drop);
    expect(v2.evidence).toBeGreaterThanOrEqual(1);
    // The steady version stays clear, with its evidence well under the alert threshold.
    const v1 = snap.analytics.versions.find((v) => v.version === 'v1')!;
    expect(v1).toMatchObject({ status: 'ok', flaggedAt: null });
    expect(v1.evidence!).toBeLessThan(1);
    expect(v2.baselineN).toBeGreaterThan(1000);
    expect(v2.judgeMean!).toBeLessThan(v2.baselineMean!);
    // Every axis has a PSI against the exported baseline once the hour has enough rows.
    expect(snap.analytics.psi.map((p) => p.axis).sort()).toEqual(['input', 'output', 'output', 'output', 'quality']);
    expect(snap.analytics.baseline!.requests).toBeGreaterThan(100_000);
    await ws.close();
    db.close();
  }, 180_000);

  it('resumed, starts its rolling hour from the rows the tail already stored, not from nothing', async () => {
    const { s, dir } = await regressionWithHistory('loupe-live-resume-ws-', { seed: 7, days: 0.05 });
    const { db, ws } = await openWorkspace(dir);
    const { svc } = await serveTail(s, { speed: 60 });
    const analytics = workspaceLiveAnalytics;
    const first = new TailRunner({ instance: db.instance, serviceUrl: svc.url, token: 'tok', from: 'head', evaluateEveryMs: 500, analytics });
    await first.start();
    await until(() => first.snapshot().ingested >= 3000, 60_000, '3,000 events');
    await first.stop();
    await svc.close();
    const before = first.snapshot().analytics;
    const requests = (a: typeof before) => a.versions.reduce((n, v) => n + v.requests, 0);
    const judged = (a: typeof before) => a.versions.reduce((n, v) => n + v.judged, 0);
    expect(requests(before)).toBe(first.snapshot().ingested);
    expect(before.versions.filter((v) => v.evidence !== null && v.judged > 100)).toHaveLength(2);

    // The service is gone: the resumed tail reconnects, and still shows the stored hour.
    const second = new TailRunner({ instance: db.instance, serviceUrl: svc.url, token: 'tok', from: 'resume', client: { baseMs: 200, maxMs: 200 }, analytics });
    await second.start();
    await second.replayed();
    const after = second.snapshot().analytics;
    expect(requests(after)).toBe(requests(before));
    expect(judged(after)).toBe(judged(before));
    expect(after.minutes).toEqual(before.minutes);
    expect(after.versions.map((v) => [v.version, v.judgeMean, v.evidence])).toEqual(before.versions.map((v) => [v.version, v.judgeMean, v.evidence]));
    await second.stop();
    await ws.close();
    db.close();
  }, 180_000);
});
