import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, quoteLiteral } from '../../../electron/core/db/duckdb';
import type { DriftReport } from '../../../electron/core/drift/engine';
import type { JudgeMonitorReport } from '../../../electron/core/drift/judge-monitor';
import { tempDir } from '../../support/make-parquet';
import { runLoupe } from '../../support/run-cli';
import { writeDriftData } from './drift-data';

let dir: string;
let logs: string;

beforeAll(async () => {
  dir = tempDir('loupe-drift-cli-');
  logs = path.join(dir, 'exports');
  const db = await openDatabase({ threads: 2 });
  try {
    // 160k requests in daily hive partitions (exports/day=2026-11-01/…), every incident on.
    await writeDriftData(db.conn, logs, { rows: 160_000, partitioned: true });
    await db.conn.run(`COPY (SELECT CAST(i + 1 AS DOUBLE) AS x FROM range(10) t(i)) TO ${quoteLiteral(path.join(dir, 'ref.parquet'))} (FORMAT parquet)`);
    await db.conn.run(`COPY (SELECT CAST(i AS DOUBLE) * 2 AS x FROM range(10) t(i)) TO ${quoteLiteral(path.join(dir, 'cur.parquet'))} (FORMAT parquet)`);
  } finally {
    db.close();
  }
});

describe('loupe drift', () => {
  it('prints every slice with PSI per axis, support, significance and the alerts as JSON', async () => {
    const res = await runLoupe(['drift', logs, '--min-support', '50', '--json']);
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    const r = JSON.parse(res.stdout) as DriftReport;
    expect(r.slices).toHaveLength(91);
    expect(r.config.minSupport).toBe(50);
    expect(r.top.output?.[0]).toBe('route=billing');
    expect(r.top.quality?.[0]).toBe('locale=de');
    expect(r.top.input?.[0]).toBe('route=search');
    const s = r.slices.find((x) => x.id === 'route=billing')!;
    expect(s.support.current).toBeGreaterThan(0);
    expect(s.axes.output).toMatchObject({ feature: 'format', significant: true, meetsSupport: true, level: 'alert' });
    expect(typeof s.axes.output!.pValue).toBe('number');
    expect(r.alerts.some((a) => a.kind === 'judge' && a.version === 'v2')).toBe(true);
    // Counts are left out of the CLI's JSON unless asked for.
    expect(s.axes.output!.features[0].baselineCounts).toBeUndefined();
  });

  it('takes explicit windows', async () => {
    const res = await runLoupe(['drift', logs, '--baseline', '2026-11-01..2026-11-04', '--current', '2026-11-04..2026-11-05', '--json']);
    expect(res.code).toBe(0);
    const r = JSON.parse(res.stdout) as DriftReport;
    // 20k rows a day; no incident before 2026-11-08, so nothing alerts.
    expect(r.rows).toEqual({ baseline: 60_000, current: 20_000 });
    expect(r.alerts.filter((a) => a.kind === 'psi')).toEqual([]);
    expect(Math.max(...r.slices.filter((x) => x.dims.length === 1).map((x) => x.axes.output!.psi!))).toBeLessThan(0.1);
  });

  it('prints a compact table without --json', async () => {
    const res = await runLoupe(['drift', logs, '--limit', '40']);
    expect(res.code).toBe(0);
    expect(res.stdout).toMatch(/current {2}2026-11-08T00:00:00.000Z \.\. 2026-11-09T00:00:00.000Z {2}20,000 rows/);
    expect(res.stdout).toMatch(/^route=billing\s+\d+\s+\d+\s+[\d.]+.?\s+[\d.]+!/m);
  });

  it('names a bad path and a bad window', async () => {
    const missing = await runLoupe(['drift', path.join(dir, 'nope')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('nope: no such file or folder');
    const bad = await runLoupe(['drift', logs, '--current', 'yesterday', '--json']);
    expect(bad.code).toBe(1);
    expect(JSON.parse(bad.stdout).error).toMatchObject({ code: 'bad_input' });
  });
});

describe('loupe psi', () => {
  it('prints PSI, KL and JS of one column', async () => {
    const res = await runLoupe(['psi', '--reference', path.join(dir, 'ref.parquet'), '--current', path.join(dir, 'cur.parquet'), '--column', 'x', '--kind', 'numeric', '--bins', '4', '--json']);
    expect(res.stderr).toBe('');
    const r = JSON.parse(res.stdout);
    // Same as the engine test: cuts 3.25/5.5/7.75, counts [3,2,2,3] vs [2,1,1,6], PSI 0.3871201
    expect(r.psi).toBeCloseTo(0.3871201, 6);
    expect(r.reference.counts).toEqual([3, 2, 2, 3]);
    expect(r.current.counts).toEqual([2, 1, 1, 6]);
    // KL on filled, renormalised shares (no empty bin here): Σ ref·ln(ref/cur)
    //   = 0.3 ln 1.5 + 0.2 ln 2 + 0.2 ln 2 + 0.3 ln 0.5 = 0.1216395 + 0.2772589 − 0.2079442 = 0.1909543
    expect(r.kl).toBeCloseTo(0.1909543, 6);
    expect(r.js).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(dir, 'ref.parquet'))).toBe(true);
  });

  it('refuses a column the file lacks', async () => {
    const res = await runLoupe(['psi', '--reference', path.join(dir, 'ref.parquet'), '--current', path.join(dir, 'cur.parquet'), '--column', 'y', '--kind', 'numeric']);
    expect(res.code).toBe(1);
    expect(res.stderr).toContain('no column y');
  });
});

describe('loupe judge', () => {
  it('lists judged count, mean, sd and flagged hours per version', async () => {
    const res = await runLoupe(['judge', logs, '--by', 'model_version', '--json']);
    expect(res.code).toBe(0);
    const r = JSON.parse(res.stdout) as JudgeMonitorReport;
    expect(r.versions.map((v) => v.version)).toEqual(['v1', 'v2']);
    const v2 = r.versions.find((v) => v.version === 'v2')!;
    // The bad version's last three hours (judge −0.25) are flagged.
    expect(v2.flaggedHours).toEqual(expect.arrayContaining(['2026-11-08T21:00:00.000Z', '2026-11-08T22:00:00.000Z', '2026-11-08T23:00:00.000Z']));
    expect(v2.baseline.n).toBeGreaterThan(1000);
    expect(v2.baseline.mean).toBeCloseTo(0.8, 1);
    const human = await runLoupe(['judge', logs]);
    expect(human.stdout).toMatch(/^v2\s+\d+\s+0\.\d{3}\s+0\.\d{3}\s+\d+\s+0\.\d{3}\s+0\.\d{3}\s+\d+: /m);
  });
});
