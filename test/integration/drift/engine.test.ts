import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, quoteLiteral, type Database } from '../../../electron/core/db/duckdb';
import { prepareDrift, runDrift, type DriftReport, type SliceDrift } from '../../../electron/core/drift/engine';
import { frameTimeline } from '../../../electron/core/drift/frame-timeline';
import { defaultLogSchemaV1Roles } from '../../../electron/core/drift/log-schema-roles';
import { sliceRequests, sliceTimeline } from '../../../electron/core/drift/slice-detail';
import type { Axis } from '../../../electron/core/drift/axes';
import { tempDir } from '../../support/make-parquet';
import { writeDriftData } from './drift-data';

/**
 * 300k requests over 8 days with three planted incidents in the last day (drift-data.ts):
 * format break on route=billing, judge drop on locale=de, topic shift on route=search.
 */
let db: Database;
let file: string;
let report: DriftReport;

const has = (s: SliceDrift, dimension: string, value: string) => s.dims.some((d) => d.dimension === dimension && d.value === value);
const psiOf = (s: SliceDrift, axis: Axis) => s.axes[axis]?.psi ?? null;

beforeAll(async () => {
  db = await openDatabase({ threads: 2 });
  file = path.join(tempDir('loupe-drift-'), 'requests.parquet');
  await writeDriftData(db.conn, file, { rows: 300_000, incidents: { badVersion: false } });
  report = await runDrift(db.conn, { relation: `read_parquet(${quoteLiteral(file)})`, roles: defaultLogSchemaV1Roles(), cacheKey: 'test' });
});

afterAll(() => db?.close());

describe('drift engine on planted incidents', () => {
  it('uses the default windows: the last 24 h against the 7 days before', () => {
    expect(report.windows.current).toEqual({ start: '2026-11-08T00:00:00.000Z', end: '2026-11-09T00:00:00.000Z' });
    expect(report.windows.baseline).toEqual({ start: '2026-11-01T00:00:00.000Z', end: '2026-11-08T00:00:00.000Z' });
    // One row every 8 days / 300k: exactly 1/8 of them in the last day.
    expect(report.rows).toEqual({ baseline: 262_500, current: 37_500 });
    expect(report.features.map((f) => f.id)).toEqual(['input_cluster', 'output_length', 'refused', 'format', 'judge_score']);
    expect(report.config.clusters).toMatchObject({ k: 8, distance: 'cosine', sampleSize: 20_000, seed: 42, dims: 16 });
  });

  it('covers every value and every pair of the five dimensions', () => {
    // values: route 3, locale 4, tenant_tier 3, model_version 2, deployment 2 → 14 singles;
    // pairs: 3·4 + 3·3 + 3·2 + 3·2 + 4·3 + 4·2 + 4·2 + 3·2 + 3·2 + 2·2 = 77
    expect(report.slices.filter((s) => s.dims.length === 1)).toHaveLength(14);
    expect(report.slices.filter((s) => s.dims.length === 2)).toHaveLength(77);
  });

  it('ranks each incident first on its axis', () => {
    expect(report.top.output?.[0]).toBe('route=billing');
    expect(report.top.quality?.[0]).toBe('locale=de');
    expect(report.top.input?.[0]).toBe('route=search');
    const billing = report.slices.find((s) => s.id === 'route=billing')!;
    expect(billing.axes.output!.feature).toBe('format');
    expect(billing.axes.output!.psi!).toBeGreaterThan(1);
    expect(billing.axes.output!.significant).toBe(true);
  });

  it('keeps slices without an incident below 0.1', () => {
    const quiet: Array<[Axis, (s: SliceDrift) => boolean]> = [
      ['output', (s) => has(s, 'route', 'support') || has(s, 'route', 'search')],
      ['input', (s) => has(s, 'route', 'support') || has(s, 'route', 'billing')],
      ['quality', (s) => has(s, 'locale', 'en') || has(s, 'locale', 'fr') || has(s, 'locale', 'ja')],
    ];
    for (const [axis, isQuiet] of quiet) {
      const slices = report.slices.filter(isQuiet);
      expect(slices.length).toBeGreaterThan(10);
      const worst = Math.max(...slices.map((s) => psiOf(s, axis) ?? 0));
      expect(worst, `${axis}: worst quiet PSI`).toBeLessThan(0.1);
    }
  });

  it('raises PSI alerts for the incidents and none for quiet slices', () => {
    const psiAlerts = report.alerts.filter((a) => a.kind === 'psi');
    const ids = (feature: string) => psiAlerts.filter((a) => a.kind === 'psi' && a.feature === feature && a.dims.length === 1).map((a) => a.sliceId);
    expect(ids('format')).toContain('route=billing');
    expect(ids('judge_score')).toContain('locale=de');
    expect(ids('input_cluster')).toContain('route=search');
    for (const a of psiAlerts) {
      expect(a.psi).toBeGreaterThan(0.2);
      expect(a.window).toEqual(report.windows.current);
    }
    // A pair under an alerting single folds under it.
    const pair = psiAlerts.find((a) => a.sliceId === 'route=billing&locale=de' && a.kind === 'psi' && a.feature === 'format');
    expect(pair && pair.kind === 'psi' && pair.parentSliceId).toBe('route=billing');
    // Nothing alerts where no incident was planted.
    const quietFor: Record<string, string[]> = {
      format: ['route=support', 'route=search'],
      input_cluster: ['route=support', 'route=billing'],
      judge_score: ['locale=en', 'locale=fr', 'locale=ja'],
    };
    for (const a of psiAlerts) {
      if (a.kind !== 'psi') continue;
      const parts = a.sliceId.split('&');
      expect(parts.some((p) => (quietFor[a.feature] ?? []).includes(p)), `${a.feature} alert on ${a.sliceId}`).toBe(false);
    }
    expect(psiAlerts.some((a) => a.kind === 'psi' && (a.feature === 'refused' || a.feature === 'output_length'))).toBe(false);
  });

  it('reports support, judge means and per-slice bin counts for the detail view', () => {
    const de = report.slices.find((s) => s.id === 'locale=de')!;
    expect(de.support.baseline + de.support.current).toBeGreaterThan(60_000);
    expect(de.judge.baselineMean!).toBeCloseTo(0.8, 1);
    expect(de.judge.currentMean!).toBeCloseTo(0.45, 1);
    const judge = de.axes.quality!.features[0];
    expect(judge.baselineCounts!.reduce((a, b) => a + b, 0)).toBe(judge.nBaseline);
    expect(judge.nBaseline).toBe(de.judge.baselineJudged);
    expect(report.features.find((f) => f.id === 'judge_score')!.bins.labels).toHaveLength(10);
  });

  it('reuses embedding cluster assignments and assigns only new rows', async () => {
    const again = await runDrift(db.conn, { relation: `read_parquet(${quoteLiteral(file)})`, roles: defaultLogSchemaV1Roles(), cacheKey: 'test' });
    expect(again.notes.some((n) => n.startsWith('assigned'))).toBe(false);
    expect(again.overall.axes.input!.psi).toBe(report.overall.axes.input!.psi);
    // Append 1000 new requests: only they get assigned.
    await db.conn.run(`CREATE TABLE grown AS SELECT * FROM read_parquet(${quoteLiteral(file)})`);
    await db.conn.run(`INSERT INTO grown SELECT * REPLACE ('new-' || request_id AS request_id) FROM read_parquet(${quoteLiteral(file)}) LIMIT 1000`);
    await runDrift(db.conn, { relation: 'grown', roles: defaultLogSchemaV1Roles(), cacheKey: 'grown-table' });
    await db.conn.run(`INSERT INTO grown SELECT * REPLACE ('newer-' || request_id AS request_id) FROM read_parquet(${quoteLiteral(file)}) LIMIT 1000`);
    const grown = await runDrift(db.conn, { relation: 'grown', roles: defaultLogSchemaV1Roles(), cacheKey: 'grown-table' });
    expect(grown.notes).toContain('assigned 1000 new requests to embedding clusters (301000 cached)');
  });

  it('gives a slice its hourly series and its requests for the detail view', async () => {
    const src = { relation: `read_parquet(${quoteLiteral(file)})`, roles: defaultLogSchemaV1Roles() };
    const dims = [{ dimension: 'locale', value: 'de' }];
    const tl = await sliceTimeline(db.conn, src, report.windows, dims);
    expect(tl.sliceId).toBe('locale=de');
    expect(tl.hours).toHaveLength(8 * 24);
    const de = report.slices.find((s) => s.id === 'locale=de')!;
    const current = tl.hours.filter((h) => h.window === 'current');
    expect(current).toHaveLength(24);
    expect(current.reduce((a, h) => a + h.n, 0)).toBe(de.support.current);
    expect(current.reduce((a, h) => a + h.judged, 0)).toBe(de.judge.currentJudged);
    for (const h of current) expect(Object.values(h.versions).reduce((a, b) => a + b, 0)).toBe(h.n);
    expect(current[0].judgeMean!).toBeLessThan(0.6);
    expect(tl.hours[0].judgeMean!).toBeGreaterThan(0.7);

    const rows = await sliceRequests(db.conn, src, report.windows, dims, { limit: 20, order: 'judge_asc' });
    expect(rows).toHaveLength(20);
    expect(rows.every((r) => r.locale === 'de' && String(r.ts) >= report.windows.current.start)).toBe(true);
    const scores = rows.map((r) => r.judge_score as number);
    expect(scores).toEqual([...scores].sort((a, b) => a - b));
    expect(rows[0]).not.toHaveProperty('input_embedding');
    await expect(sliceTimeline(db.conn, src, report.windows, [{ dimension: 'locale', value: '(other)' }])).rejects.toMatchObject({ code: 'bad_input' });
  });

  it('gives the same hourly series from the kept frame as from the requests, for a slice and a pair', async () => {
    const src = { relation: `read_parquet(${quoteLiteral(file)})`, roles: defaultLogSchemaV1Roles(), cacheKey: 'test' };
    const prepared = await prepareDrift(db.conn, src);
    for (const dims of [[{ dimension: 'locale', value: 'de' }], [{ dimension: 'route', value: 'billing' }, { dimension: 'model_version', value: 'v1' }], []]) {
      const fromSql = await sliceTimeline(db.conn, src, report.windows, dims);
      const fromFrame = frameTimeline(prepared.frame, prepared.dimNames, prepared.dimDicts, dims)!;
      expect(fromFrame.sliceId).toBe(fromSql.sliceId);
      expect(fromFrame.hours.length).toBe(fromSql.hours.length);
      fromFrame.hours.forEach((h, i) => {
        const q = fromSql.hours[i];
        expect({ ...h, judgeMean: null, judgeSd: null, refusalRate: null, formatOkRate: null }).toEqual({ ...q, judgeMean: null, judgeSd: null, refusalRate: null, formatOkRate: null });
        for (const k of ['judgeMean', 'judgeSd', 'refusalRate', 'formatOkRate'] as const) {
          if (q[k] === null) expect(h[k], `${h.hour} ${k}`).toBeNull();
          else expect(h[k]!, `${h.hour} ${k}`).toBeCloseTo(q[k]!, 5); // the frame keeps judge scores as FLOAT
        }
      });
    }
    expect(() => frameTimeline(prepared.frame, prepared.dimNames, prepared.dimDicts, [{ dimension: 'tenant', value: 'x' }])).toThrow(/not a slice dimension/);
  });
});
