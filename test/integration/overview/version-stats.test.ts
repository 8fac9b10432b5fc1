import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../electron/core/db/duckdb';
import { versionStats } from '../../../electron/core/overview/version-stats';

let db: Database;
beforeAll(async () => {
  db = await openDatabase();
  // v1: 4 requests, judged 0.6 and 0.8; one error; one refusal; latencies 100..400.
  // v2: 2 requests, judged 0.2 once; both format breaks.
  await db.conn.run(`CREATE TABLE r AS SELECT * FROM (VALUES
    ('v1', TIMESTAMP '2026-11-01 00:00', 0.6, 'ok', false, true, 100),
    ('v1', TIMESTAMP '2026-11-01 01:00', 0.8, 'ok', true, true, 200),
    ('v1', TIMESTAMP '2026-11-01 02:00', NULL, 'error', false, true, 300),
    ('v1', TIMESTAMP '2026-11-01 03:00', NULL, 'ok', false, true, 400),
    ('v2', TIMESTAMP '2026-11-01 04:00', 0.2, 'ok', false, false, 1000),
    ('v2', TIMESTAMP '2026-11-01 05:00', NULL, 'ok', false, false, 2000)
  ) t(model_version, ts, judge_score, status, refused, format_ok, latency_ms)`);
});
afterAll(() => db.close());

const roles = {
  roles: {
    model_version: { column: 'model_version' }, timestamp: { column: 'ts' }, judge_score: { column: 'judge_score' },
    status: { column: 'status' }, refused: { column: 'refused' }, format_ok: { column: 'format_ok' }, latency: { column: 'latency_ms' },
  },
  dimensions: [],
};

describe('versionStats', () => {
  it('computes per-version rates, the judge interval and latency percentiles', async () => {
    const [v1, v2] = await versionStats(db.conn, 'r', roles);
    // judge: mean 0.7, sd = sqrt(((−0.1)² + 0.1²)/1) = 0.141421…, half = 1.96·0.141421/√2 = 0.196
    expect(v1).toMatchObject({ version: 'v1', requests: 4, judged: 2, errorRate: 0.25, refusalRate: 0.25, formatOkRate: 1 });
    expect(v1.judgeMean).toBeCloseTo(0.7, 12);
    expect(v1.judgeLow).toBeCloseTo(0.504, 12);
    expect(v1.judgeHigh).toBeCloseTo(0.896, 12);
    // p50 of 100,200,300,400 = 250; p95 = 300 + 0.85·100 = 385 (linear interpolation)
    expect(v1.latencyP50).toBe(250);
    expect(v1.latencyP95).toBeCloseTo(385, 9);
    // A single judged request has no interval.
    expect(v2).toMatchObject({ version: 'v2', requests: 2, judged: 1, judgeMean: 0.2, judgeLow: null, formatOkRate: 0, errorRate: 0 });
    expect(v1.firstSeen).toBe('2026-11-01T00:00:00Z');
  });

  it('honours the time window and unmapped roles', async () => {
    const rows = await versionStats(db.conn, 'r', { roles: { model_version: { column: 'model_version' }, timestamp: { column: 'ts' } }, dimensions: [] }, { since: '2026-11-01T03:00:00Z' });
    expect(rows.map((r) => [r.version, r.requests])).toEqual([['v1', 1], ['v2', 2]]);
    expect(rows[0]).toMatchObject({ judged: 0, judgeMean: null, errorRate: null, refusalRate: null, latencyP50: null });
  });
});
