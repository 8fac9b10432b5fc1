import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../../electron/core/db/duckdb';
import { compareColumn, prepareDrift, runDrift } from '../../../electron/core/drift/engine';
import { judgeMonitor } from '../../../electron/core/drift/judge-monitor';
import { defaultLogSchemaV1Roles } from '../../../electron/core/drift/log-schema-roles';
import { describeSource } from '../../../electron/core/drift/relation';
import type { RoleMapping } from '../../../shared/roles';

let db: Database;

/** A small hand-made log: 2 days baseline, 1 day current (2026-11-03). */
beforeAll(async () => {
  db = await openDatabase({ threads: 2 });
  await db.conn.run(`
    CREATE TABLE small AS
    SELECT 'r' || i AS request_id,
           TIMESTAMP '2026-11-01 00:00:00' + to_minutes(i) AS ts,
           -- 'beta' appears in the current day only; locale is NULL on every 10th row
           CASE WHEN i >= 2880 AND i % 4 = 0 THEN 'beta' ELSE ['a', 'b'][1 + i % 2] END AS route,
           CASE WHEN i % 10 = 0 THEN NULL ELSE ['en', 'de'][1 + (i // 2) % 2] END AS locale,
           100 AS output_tokens,                                -- constant in both windows
           i % 7 = 0 AS refused,
           CASE WHEN i % 3 = 0 THEN (i % 5) / 5.0 END AS judge_score,
           'v1' AS model_version
      FROM range(4320) t(i)`);
});

afterAll(() => db?.close());

const roles = (): RoleMapping => {
  const r = defaultLogSchemaV1Roles();
  return { roles: { timestamp: r.roles.timestamp, request_id: r.roles.request_id, output_tokens: r.roles.output_tokens, refused: r.roles.refused, judge_score: r.roles.judge_score, model_version: r.roles.model_version }, dimensions: [{ column: 'route' }, { column: 'locale' }] };
};

describe('drift edge cases', () => {
  it('reports a slice present in one window only without a PSI, and NULL as a slice value', async () => {
    const r = await runDrift(db.conn, { relation: 'small', roles: roles() });
    expect(r.windows.current).toEqual({ start: '2026-11-03T00:00:00.000Z', end: '2026-11-04T00:00:00.000Z' });
    const beta = r.slices.find((s) => s.id === 'route=beta')!;
    // current day = rows 2880..4319; every 4th → 360 rows
    expect(beta.support).toEqual({ baseline: 0, current: 360 });
    expect(beta.axes.output!.features.every((f) => f.status === 'current_only' && f.psi === null && !f.significant)).toBe(true);
    expect(r.alerts.some((a) => a.sliceId.includes('beta'))).toBe(false);
    const nullLocale = r.slices.find((s) => s.id === 'locale=%00')!;
    expect(nullLocale.dims).toEqual([{ dimension: 'locale', value: null }]);
    expect(nullLocale.support.baseline).toBe(288); // rows 0..2879 with i % 10 = 0
  });

  it('gives PSI 0 for a constant column', async () => {
    const r = await runDrift(db.conn, { relation: 'small', roles: roles() });
    const len = r.overall.axes.output!.features.find((f) => f.feature === 'output_length')!;
    expect(r.features.find((f) => f.id === 'output_length')!.bins).toMatchObject({ cuts: [100] });
    expect(len.psi).toBe(0);
    expect(len.level).toBe('quiet');
  });

  it('handles an empty current window: no PSI, no alert, a note', async () => {
    const r = await runDrift(
      db.conn,
      { relation: 'small', roles: roles() },
      { windows: { current: { start: '2026-12-01T00:00:00.000Z', end: '2026-12-02T00:00:00.000Z' } } },
    );
    // The baseline defaults to the 7 days before the given current window: empty too.
    expect(r.windows.baseline).toEqual({ start: '2026-11-24T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z' });
    expect(r.rows.current).toBe(0);
    expect(r.notes).toContain('the current window has no rows');
    expect(r.alerts).toEqual([]);
    for (const axis of Object.values(r.overall.axes)) expect(axis.psi).toBeNull();
  });

  it('handles an empty current window after a full baseline: baseline_only, no PSI', async () => {
    const r = await runDrift(
      db.conn,
      { relation: 'small', roles: roles() },
      {
        windows: {
          baseline: { start: '2026-11-01T00:00:00.000Z', end: '2026-11-03T00:00:00.000Z' },
          current: { start: '2026-12-01T00:00:00.000Z', end: '2026-12-02T00:00:00.000Z' },
        },
      },
    );
    expect(r.rows).toEqual({ baseline: 2880, current: 0 });
    for (const axis of Object.values(r.overall.axes)) {
      expect(axis.psi).toBeNull();
      for (const f of axis.features) expect(f.status).toBe('baseline_only');
    }
    expect(r.alerts).toEqual([]);
    expect(r.judge!.versions[0].hours).toEqual([]);
  });

  it('counts every slice over ten dimensions of 50 values (50^10 possible tuples, 4,000 occurring)', async () => {
    const coprime = [1, 3, 7, 9, 11, 13, 17, 19, 21, 23]; // each column takes all 50 values
    const cols = coprime.map((m, k) => `CAST((i * ${m}) % 50 AS VARCHAR) AS c${k}`).join(', ');
    await db.conn.run(`CREATE TABLE wide AS SELECT TIMESTAMP '2026-11-01 00:00:00' + to_minutes(i) AS ts, ${cols}, i % 3 = 0 AS refused FROM range(4000) t(i)`);
    const wideRoles: RoleMapping = { roles: { timestamp: { column: 'ts' }, refused: { column: 'refused' } }, dimensions: Array.from({ length: 10 }, (_, k) => ({ column: `c${k}` })) };
    const r = await runDrift(db.conn, { relation: 'wide', roles: wideRoles });
    expect(r.rows.baseline + r.rows.current).toBe(4000);
    // c0 = i % 50 takes every value 80 times over 4000 rows
    const one = r.slices.filter((s) => s.dims.length === 1 && s.dims[0].dimension === 'c0');
    expect(one).toHaveLength(50);
    expect(one.every((s) => s.support.baseline + s.support.current === 80)).toBe(true);
    const pairs: string[] = [];
    for (let a = 0; a < 10; a++) for (let b = a + 1; b < 10; b++) pairs.push(`(SELECT count(DISTINCT (c${a}, c${b})) FROM wide)`);
    const expected = await db.conn.runAndReadAll(`SELECT ${pairs.join(' + ')} AS n`);
    expect(r.slices.filter((s) => s.dims.length === 2).length).toBe(Number(expected.getRowObjectsJS()[0].n));
    const { frame } = await prepareDrift(db.conn, { relation: 'wide', roles: wideRoles });
    expect(frame.groups).toBe(Number((await db.conn.runAndReadAll(`SELECT count(*) AS n FROM (SELECT DISTINCT ${coprime.map((_, k) => `c${k}`).join(', ')} FROM wide)`)).getRowObjectsJS()[0].n));
    // No temp tables are left behind on the connection.
    expect((await db.conn.runAndReadAll(`SELECT table_name FROM duckdb_tables() WHERE temporary AND table_name LIKE 'loupe_frame%'`)).getRowObjectsJS()).toEqual([]);
  });

  it('refuses a role pointing at a missing column, naming it', async () => {
    const bad = roles();
    bad.dimensions.push({ column: 'tenant' });
    await expect(runDrift(db.conn, { relation: 'small', roles: bad })).rejects.toMatchObject({ code: 'bad_input', column: 'tenant' });
  });
});

describe('one column between two relations', () => {
  beforeAll(async () => {
    await db.conn.run(`CREATE TABLE ref AS SELECT CAST(i + 1 AS DOUBLE) AS x, ['a', 'b'][1 + i % 2] AS c, CASE WHEN i % 5 = 0 THEN NULL ELSE i END AS withnull FROM range(10) t(i)`);
    await db.conn.run(`CREATE TABLE cur AS SELECT CAST(i AS DOUBLE) * 2 AS x, ['a', 'b', 'a', 'b', 'c'][1 + i % 5] AS c, i AS withnull FROM range(10) t(i)`);
  });

  it('bins numeric columns at baseline quantiles', async () => {
    // ref x = 1..10 → cuts at quantiles 0.25/0.5/0.75 = 3.25, 5.5, 7.75; counts [3, 2, 2, 3]
    // cur x = 0, 2, …, 18 → (−∞,3.25): 0,2 · [3.25,5.5): 4 · [5.5,7.75): 6 · [7.75,∞): 8..18 (6) → [2, 1, 1, 6]
    // PSI = (0.2−0.3)ln(2/3) + (0.1−0.2)ln(0.5) + (0.1−0.2)ln(0.5) + (0.6−0.3)ln 2
    //     = 0.0405465 + 0.0693147 + 0.0693147 + 0.2079442 = 0.3871201
    const r = await compareColumn(db.conn, 'ref', 'cur', 'x', 'numeric', { bins: 4 });
    expect(r.bins).toMatchObject({ kind: 'numeric', cuts: [3.25, 5.5, 7.75] });
    expect(r.drift.baselineCounts).toEqual([3, 2, 2, 3]);
    expect(r.drift.currentCounts).toEqual([2, 1, 1, 6]);
    expect(r.drift.psi).toBeCloseTo(0.3871201, 6);
  });

  it('bins equal-width over both relations like numpy', async () => {
    // both: 0..18 → np.histogram_bin_edges(…, 3) = [0, 6, 12, 18];
    // ref 1..10 → [5, 5, 0]; cur 0,2,…,18 → [0,2,4 | 6,8,10 | 12,14,16,18] = [3, 3, 4]
    const r = await compareColumn(db.conn, 'ref', 'cur', 'x', 'numeric', { bins: 3, binning: 'equal-width' });
    expect(r.bins).toMatchObject({ edges: [0, 6, 12, 18], cuts: [6, 12] });
    expect(r.drift.baselineCounts).toEqual([5, 5, 0]);
    expect(r.drift.currentCounts).toEqual([3, 3, 4]);
  });

  it('uses the union of categories, including one seen only in the current relation', async () => {
    // ref a:5 b:5; cur a:4 b:4 c:2 → ref [0.5, 0.5, 0.0001], cur [0.4, 0.4, 0.2] → PSI 1.5640491
    const r = await compareColumn(db.conn, 'ref', 'cur', 'c', 'categorical');
    expect(r.bins.labels).toEqual(['a', 'b', 'c']);
    expect(r.drift.baselineCounts).toEqual([5, 5, 0]);
    expect(r.drift.psi).toBeCloseTo(1.5640491, 6);
  });

  it('drops numeric NULLs and counts them apart', async () => {
    const r = await compareColumn(db.conn, 'ref', 'cur', 'withnull', 'numeric', { bins: 2 });
    expect(r.nullsBaseline).toBe(2);
    expect(r.nullsCurrent).toBe(0);
    expect(r.drift.nBaseline).toBe(8);
    expect(r.drift.nCurrent).toBe(10);
  });

  it('treats ≤ 20 distinct reference values as categories in Evidently mode, and uses Sturges above', async () => {
    await db.conn.run(`CREATE TABLE ev20 AS SELECT CAST(i % 20 AS DOUBLE) AS x FROM range(200) t(i)`);
    await db.conn.run(`CREATE TABLE ev21 AS SELECT CAST(i % 21 AS DOUBLE) AS x FROM range(210) t(i)`);
    const cat = await compareColumn(db.conn, 'ev20', 'ev21', 'x', 'numeric', { binning: 'evidently' });
    expect(cat.kind).toBe('categorical');
    expect(cat.bins.labels).toHaveLength(21); // union: 0..20
    const num = await compareColumn(db.conn, 'ev21', 'ev20', 'x', 'numeric', { binning: 'evidently' });
    expect(num.kind).toBe('numeric');
    // Sturges over 410 values spanning 0..20: log2(410) + 1 = 9.68 → 10 bins
    expect(num.bins.labels).toHaveLength(10);
    expect(num.fill).toBe('evidently');
  });
});

describe('judge monitor', () => {
  it('applies mean_h < mean_b − 2·sd_b/√n_h per hour and reports insufficient data', async () => {
    // v1 baseline: 40 scores alternating 0.7/0.9 → mean 0.8, sd = 0.1·√(40/39) = 0.1012739
    // hour 10:00 has 16 scores of 0.74: threshold = 0.8 − 2·0.1012739/4 = 0.7493630 → flagged
    // hour 11:00 has 16 scores of 0.76 → not flagged; hour 12:00 has 5 scores of 0.1 → too few (< 10)
    // v2 has 10 baseline scores of its own (< 30): held to all versions pooled, 50 scores:
    // mean 0.8, sd = √((40·0.01 + 10·0) / 49) = 0.0903508; its 10:00 hour (20 × 0.1) is below
    // 0.8 − 2·0.0903508/√20 = 0.7595939 → flagged. With 100 required, even the pool is too small.
    await db.conn.run(`
      CREATE TABLE judged AS
      SELECT 'v1' AS model_version, TIMESTAMP '2026-11-01 00:00:00' + to_minutes(i) AS ts, CASE WHEN i % 2 = 0 THEN 0.7 ELSE 0.9 END AS judge_score FROM range(40) t(i)
      UNION ALL SELECT 'v1', TIMESTAMP '2026-11-02 10:00:00' + to_minutes(i), 0.74 FROM range(16) t(i)
      UNION ALL SELECT 'v1', TIMESTAMP '2026-11-02 11:00:00' + to_minutes(i), 0.76 FROM range(16) t(i)
      UNION ALL SELECT 'v1', TIMESTAMP '2026-11-02 12:00:00' + to_minutes(i), 0.1 FROM range(5) t(i)
      UNION ALL SELECT 'v2', TIMESTAMP '2026-11-01 00:00:00' + to_minutes(i), 0.8 FROM range(10) t(i)
      UNION ALL SELECT 'v2', TIMESTAMP '2026-11-02 10:00:00' + to_minutes(i), 0.1 FROM range(20) t(i)`);
    const src = await describeSource(db.conn, { relation: 'judged', roles: { roles: { timestamp: { column: 'ts' }, judge_score: { column: 'judge_score' } }, dimensions: [] } });
    const windows = {
      baseline: { start: '2026-11-01T00:00:00.000Z', end: '2026-11-02T00:00:00.000Z' },
      current: { start: '2026-11-02T00:00:00.000Z', end: '2026-11-03T00:00:00.000Z' },
    };
    const r = await judgeMonitor(db.conn, src, windows, { sql: 's.model_version', name: 'model_version' }, 's.judge_score');
    const v1 = r.versions.find((v) => v.version === 'v1')!;
    expect(v1.baseline.mean).toBeCloseTo(0.8, 12);
    expect(v1.baseline.sd).toBeCloseTo(0.1012739367, 9);
    expect(v1.hours.map((h) => [h.hour.slice(11, 13), h.status])).toEqual([
      ['10', 'flagged'],
      ['11', 'ok'],
      ['12', 'insufficient_data'],
    ]);
    expect(v1.hours[0].threshold).toBeCloseTo(0.749363, 6);
    expect(v1.flaggedHours).toEqual(['2026-11-02T10:00:00.000Z']);
    expect(v1.reference).toBe('own');
    const v2 = r.versions.find((v) => v.version === 'v2')!;
    expect(v2.reference).toBe('all_versions');
    expect(v2.referenceBaseline.n).toBe(50);
    expect(v2.referenceBaseline.sd).toBeCloseTo(0.0903508, 7);
    expect(v2.hours[0].threshold).toBeCloseTo(0.7595939, 7);
    expect(v2.status).toBe('flagged');
    expect(v2.reason).toMatch(/10 judged requests of its own in the baseline window: held to the baseline of all versions/);

    const strict = await judgeMonitor(db.conn, src, windows, { sql: 's.model_version', name: 'model_version' }, 's.judge_score', { minBaselineJudged: 100 });
    const v2s = strict.versions.find((v) => v.version === 'v2')!;
    expect(v2s.status).toBe('insufficient_data');
    expect(v2s.reason).toMatch(/10 judged requests of this version and 50 of all versions in the baseline window \(at least 100 needed\)/);
    expect(v2s.flaggedHours).toEqual([]);
  });
});
