import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, queryOne, type Database } from '../../../electron/core/db/duckdb';
import { loadScenario } from '../../../service/scenario/load-scenario';
import { generateHistory } from '../../../service/sim/generate-history';
import { tempDir } from '../../support/make-parquet';
import { runLoupe } from '../../support/run-cli';
import type { Axis } from '../../../electron/core/drift/axes';
import { runDrift } from '../../../electron/core/drift/engine';
import { defaultLogSchemaV1Roles } from '../../../electron/core/drift/log-schema-roles';

// The default scenario, 14 days at its default rate: the bundled sample workspace.
let db: Database;
let out: string;
let rows: number;
const data = () => `read_parquet('${out}/**/*.parquet', hive_partitioning = false)`;
const LAST_DAY = "ts >= TIMESTAMP '2026-11-22 00:00:00'";
const BASELINE = "ts >= TIMESTAMP '2026-11-15 00:00:00' AND ts < TIMESTAMP '2026-11-22 00:00:00'";

beforeAll(async () => {
  out = path.join(tempDir('loupe-default-export-'), 'exports');
  db = await openDatabase();
  const scenario = await loadScenario();
  rows = (await generateHistory(db.conn, scenario, { seed: 42, days: 14, out })).rows;
}, 240_000);
afterAll(() => db.close());

const one = async (sql: string) => (await queryOne<Record<string, number>>(db.conn, sql))!;

describe('the default scenario export', () => {
  it('is 336 hourly partitions with a manifest, readable by loupe inspect', async () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')).exports;
    expect(manifest).toHaveLength(336);
    expect(manifest.reduce((s: number, e: { rows: number }) => s + e.rows, 0)).toBe(rows);
    const res = await runLoupe(['inspect', out, '--json']);
    expect(res.code).toBe(0);
    const summary = JSON.parse(res.stdout);
    expect(summary.rows).toBe(rows);
    expect(summary.timeRange.min.startsWith('2026-11-09T00:')).toBe(true);
    expect(summary.timeRange.max.startsWith('2026-11-22T23:')).toBe(true);
  }, 120_000);

  it('shows the format break: p13 on the sql route stops returning valid JSON', async () => {
    const r = await one(`SELECT avg(CASE WHEN prompt_revision = 'p13' THEN 1 - format_ok::INT END) AS broken,
                                avg(CASE WHEN prompt_revision = 'p12' THEN 1 - format_ok::INT END) AS fine
                           FROM ${data()} WHERE route = 'sql' AND ${LAST_DAY} AND status = 'ok' AND NOT refused`);
    expect(r.broken).toBeGreaterThan(0.5);
    expect(r.fine).toBeLessThan(0.05);
  });

  it('shows the retrieval regression: judge scores drop on locale de, not elsewhere', async () => {
    const r = await one(`SELECT avg(judge_score) FILTER (locale = 'de' AND ${LAST_DAY} AND ts >= TIMESTAMP '2026-11-22 02:00:00') AS de_now,
                                avg(judge_score) FILTER (locale = 'de' AND ${BASELINE}) AS de_before,
                                avg(judge_score) FILTER (locale = 'en' AND ${BASELINE}) AS en_before
                           FROM ${data()} WHERE route IN ('support', 'search', 'billing') AND model_version = 'v41'`);
    expect(r.de_before - r.de_now).toBeGreaterThan(0.2);
    expect(Math.abs(r.de_before - r.en_before)).toBeLessThan(0.05);
  });

  it('shows the topic shift: search embeddings move towards a new centre', async () => {
    const r = await one(`WITH e AS (
        SELECT unnest(input_embedding) AS v, generate_subscripts(input_embedding, 1) AS i FROM ${data()} WHERE route = 'search' AND ${BASELINE}),
      c AS (SELECT list(m ORDER BY i)::FLOAT[] AS centre FROM (SELECT i, avg(v) AS m FROM e GROUP BY i))
      SELECT avg(list_distance(input_embedding, c.centre)) FILTER (${LAST_DAY} AND ts >= TIMESTAMP '2026-11-22 04:00:00') AS now_dist,
             avg(list_distance(input_embedding, c.centre)) FILTER (${BASELINE}) AS before_dist
        FROM ${data()}, c WHERE route = 'search'`);
    expect(r.now_dist / r.before_dist).toBeGreaterThan(1.3);
  });

  it('shows the error spike on the free tier between 06:00 and 12:00', async () => {
    const r = await one(`SELECT avg((status = 'error')::INT) FILTER (tenant_tier = 'free' AND ts >= TIMESTAMP '2026-11-22 06:00:00' AND ts < TIMESTAMP '2026-11-22 12:00:00') AS spike,
                                avg((status = 'error')::INT) FILTER (tenant_tier = 'free' AND ${BASELINE}) AS normal,
                                avg((status = 'error')::INT) FILTER (tenant_tier = 'pro' AND ts >= TIMESTAMP '2026-11-22 06:00:00' AND ts < TIMESTAMP '2026-11-22 12:00:00') AS pro
                           FROM ${data()}`);
    expect(r.spike).toBeGreaterThan(0.2);
    expect(r.normal).toBeLessThan(0.02);
    expect(r.pro).toBeLessThan(0.03);
  });

  it('shows v43 scoring lower than v41 in the same hours', async () => {
    const r = await one(`SELECT avg(judge_score) FILTER (model_version = 'v43') AS v43, avg(judge_score) FILTER (model_version = 'v41') AS v41,
                                count(judge_score) FILTER (model_version = 'v43') AS n43
                           FROM ${data()} WHERE ts >= TIMESTAMP '2026-11-22 08:00:00' AND locale <> 'de' AND route NOT IN ('sql')`);
    expect(r.n43).toBeGreaterThan(30);
    expect(r.v41 - r.v43).toBeGreaterThan(0.12);
  });

  it('is what the drift engine finds: each incident in its slice, the new version flagged, the quiet deployment quiet', async () => {
    const r = await runDrift(db.conn, { relation: data(), roles: defaultLogSchemaV1Roles(), cacheKey: 'default-export' });
    const slice = (id: string) => r.slices.find((s) => s.id === id)!;
    const oneDim = r.slices.filter((s) => s.dims.length === 1);
    const highest = (axis: Axis) =>
      oneDim.filter((s) => s.axes[axis]?.meetsSupport && s.axes[axis]?.significant).sort((a, b) => b.axes[axis]!.psi! - a.axes[axis]!.psi!)[0].id;
    // Topic shift → input axis on route=search, ranked first.
    expect(r.top.input?.[0]).toBe('route=search');
    expect(slice('route=search').axes.input!.psi!).toBeGreaterThan(1);
    // Format break → output axis on route=sql: the largest output PSI of any slice, and
    // first by score (ahead of the assistant deployment that contains it).
    expect(highest('output')).toBe('route=sql');
    expect(r.top.output?.[0]).toBe('route=sql');
    expect(slice('route=sql').axes.output!.features.find((f) => f.feature === 'format')!.psi!).toBeGreaterThan(0.3);
    // Retrieval regression → quality on locale=de: the largest quality PSI, and the top slice is de.
    expect(highest('quality')).toBe('locale=de');
    expect(r.top.quality?.[0]).toMatch(/^locale=de(&|$)/);
    // The regressed v43 has no baseline of its own: held to all versions, it is flagged.
    const v43 = r.judge!.versions.find((v) => v.version === 'v43')!;
    expect(v43.reference).toBe('all_versions');
    expect(v43.status).toBe('flagged');
    expect(r.alerts.some((a) => a.kind === 'judge' && a.version === 'v43')).toBe(true);
    // The summarizer has no incident: none of its slices alerts, and its large slices stay below 0.1.
    const quiet = r.slices.filter((s) => s.dims.some((d) => d.value === 'summarizer'));
    expect(quiet.length).toBeGreaterThan(5);
    expect(r.alerts.filter((a) => a.kind === 'psi' && a.dims.some((d) => d.value === 'summarizer'))).toEqual([]);
    for (const s of quiet.filter((q) => Math.min(q.support.baseline, q.support.current) >= 1000)) {
      for (const axis of ['input', 'output'] as const) expect(s.axes[axis]?.psi ?? 0, `${s.id} ${axis}`).toBeLessThan(0.1);
    }
  }, 180_000);
});

