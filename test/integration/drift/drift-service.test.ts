import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallInput, CallName, CallOutput } from '../../../shared/api';
import { createCore, type Core } from '../../../electron/core/core';
import { dispatch } from '../../../electron/core/dispatch';
import { openDatabase } from '../../../electron/core/db/duckdb';
import { memorySecretStore } from '../../../electron/core/secrets/secret-store';
import type { DriftReportView } from '../../../shared/drift-schemas';
import { tempDir } from '../../support/make-parquet';
import { writeDriftData } from './drift-data';

/**
 * The app's drift calls on a workspace: the report the Slices view lists, a slice's detail,
 * the overview, sparklines, a request's drawer and "send to triage" — through the core's
 * handlers, as both transports call them.
 */
let core: Core;
let report: DriftReportView;

/** Through dispatch, so inputs and outputs are checked against the contract as the transports do. */
async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>> {
  const env = await dispatch(core.handlers, name, input);
  if (!env.ok) throw new Error(env.error.message);
  return env.value as CallOutput<N>;
}

beforeAll(async () => {
  const dir = tempDir('loupe-drift-ws-');
  const db = await openDatabase();
  await writeDriftData(db.conn, path.join(dir, 'exports'), { rows: 120_000, partitioned: 'day', incidents: { badVersion: false } });
  db.close();
  process.env.LOUPE_HOME = tempDir('loupe-home-');
  core = await createCore({ transport: 'browser', secrets: memorySecretStore() });
  await call('openWorkspace', { dir });
  report = await call('driftReport', {});
}, 120_000);

afterAll(() => core?.close());

describe('drift in the app', () => {
  it('lists every slice with PSI per axis and ranks the format break first on the output axis', () => {
    expect(report.slices.length).toBeGreaterThan(20);
    expect(report.top.output?.[0]).toBe('route=billing');
    expect(report.top.quality?.[0]).toBe('locale=de');
    const billing = report.slices.find((s) => s.id === 'route=billing')!;
    expect(billing.axes.output!.psi!).toBeGreaterThan(0.2);
    expect(billing.axes.output!.significant).toBe(true);
    expect(report.alerts.some((a) => a.sliceId === 'route=billing' && a.axis === 'output')).toBe(true);
  });

  it('re-scores a new minimum support from the kept frame, without reading the requests again', async () => {
    const again = await call('driftReport', { minSupport: 5000 });
    expect(again.reused).toBe(true);
    expect(again.config.minSupport).toBe(5000);
    const billing = again.slices.find((s) => s.id === 'route=billing')!;
    expect(billing.axes.output!.meetsSupport).toBe(billing.support.baseline >= 5000 && billing.support.current >= 5000);
    await call('driftReport', {});
  });

  it('opens a slice: bins of both windows, hourly judge means with the baseline band, its requests', async () => {
    const d = await call('sliceDetail', { sliceId: 'locale=de', requests: 25 });
    const judge = d.features.find((f) => f.axis === 'quality')!;
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(judge.bins.map((b) => b.current))).toBe(d.slice.judge.currentJudged);
    expect(sum(judge.bins.map((b) => b.baseline))).toBe(d.slice.judge.baselineJudged);
    expect(d.hours.filter((h) => h.window === 'current').length).toBe(24);
    expect(d.judgeBaseline.n).toBe(d.slice.judge.baselineJudged);
    expect(d.judgeBaseline.mean!).toBeCloseTo(d.slice.judge.baselineMean!, 6);
    expect(d.requests).toHaveLength(25);
    // Lowest judge scores first: the drawer opens on the worst of the slice.
    const scores = d.requests.map((r) => r.judgeScore).filter((s): s is number => s !== null);
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    const fields = await call('requestDetail', { requestId: d.requests[0].requestId });
    expect(fields.fields.find((f) => f.role === 'request_id')?.text).toBe(d.requests[0].requestId);
  });

  it('names a slice that is not in the report', async () => {
    await expect(call('sliceDetail', { sliceId: 'route=nowhere', requests: 5 })).rejects.toThrow(/no slice "route=nowhere"/);
  });

  it('gives each slice a judge mean per day for the sparklines', async () => {
    const s = await call('sliceSparklines', {});
    expect(s.days).toHaveLength(8);
    const de = s.series['locale=de'];
    expect(de).toHaveLength(8);
    // The retrieval regression is in the last day only.
    expect(de[7]!).toBeLessThan(de[0]! - 0.2);
    expect(Object.keys(s.series)).toContain('');
  });

  it('sends a slice to triage once: a second send merges instead of duplicating', async () => {
    const first = await call('sendSliceToTriage', { sliceId: 'locale=de', n: 10, order: 'judge_asc' });
    expect(first).toMatchObject({ added: 10, merged: 0, source: 'slice:locale=de' });
    const second = await call('sendSliceToTriage', { sliceId: 'locale=de', n: 10, order: 'judge_asc' });
    expect(second).toMatchObject({ added: 0, merged: 10 });
    const q = await call('triageQueue', { filter: { source: 'slice' } });
    expect(q.cases).toHaveLength(10);
    expect(q.cases.every((c) => c.slice === 'locale=de')).toBe(true);
  });

  it('summarises each version over the current and baseline windows next to the alerts', async () => {
    const o = await call('overview', {});
    expect(o.current.map((v) => v.version).sort()).toEqual(['v1', 'v2']);
    const total = o.current.reduce((s, v) => s + v.requests, 0);
    expect(total).toBe(report.rows.current);
    expect(o.alerts.length).toBe(report.alerts.length);
  });
});
