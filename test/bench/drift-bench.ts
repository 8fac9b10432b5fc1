// Drift engine benchmark: 10M schema-v1-like rows (hourly Parquet partitions, 769 slices over
// five dimensions, 32-dim embeddings), loaded into a warm DuckDB table, then every 1- and
// 2-way slice on each axis from the drift frame (median of 5), against two baselines measured
// in the same run: a plain GROUPING SETS query over the Parquet (and over the warm table), and
// pandas (Debian python3-pandas, load excluded) computing the same per-slice PSI.
// Run: node --import tsx test/bench/drift-bench.ts [rows] [--no-pandas]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, queryRows, quoteLiteral } from '../../electron/core/db/duckdb';
import { AXES, type Axis } from '../../electron/core/drift/axes';
import { prepareDrift, runDrift, type DriftReport } from '../../electron/core/drift/engine';
import { defaultLogSchemaV1Roles } from '../../electron/core/drift/log-schema-roles';
import { frameTimeline } from '../../electron/core/drift/frame-timeline';
import { sliceRequests, sliceTimeline } from '../../electron/core/drift/slice-detail';
import { sliceHistograms, sliceSupport } from '../../electron/core/drift/slice-counts';
import { assembleSlices, type FeatureCountsInput } from '../../electron/core/drift/slices';
import { sqlTimestamp } from '../../electron/core/drift/windows';
import { tempDir } from '../support/make-parquet';
import { writeDriftData } from '../integration/drift/drift-data';
import { median, ms, timeRuns } from './stats';
import { reportResult } from './harness/report-result';

const rows = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 10_000_000);
const withPandas = !process.argv.includes('--no-pandas');
const here = path.dirname(fileURLToPath(import.meta.url));
const root = tempDir('loupe-bench-drift-');
const exportsDir = path.join(root, 'exports');
const rssMb = () => process.resourceUsage().maxRSS / 1024;
const rssNow = () => `RSS now ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MB, peak ${rssMb().toFixed(0)} MB`;
const fmtS = (x: number) => `${(x / 1000).toFixed(2)} s`;

const db = await openDatabase();
const conn = db.conn;
const threads = (await queryRows<{ v: string }>(conn, `SELECT current_setting('threads') AS v`))[0].v;
console.log(`drift bench: ${rows.toLocaleString('en-US')} rows, DuckDB threads ${threads}, temp ${root}`);

let t = performance.now();
await writeDriftData(conn, exportsDir, { rows, cardinality: 'wide', embeddingDims: 32, judgeRate: 0.05, partitioned: 'hour' });
const files = (await queryRows<{ file: string }>(conn, `SELECT file FROM glob(${quoteLiteral(path.join(exportsDir, '**', '*.parquet'))})`)).map((r) => r.file);
const bytes = files.reduce((s, f) => s + fs.statSync(f).size, 0);
console.log(`generated ${files.length} hourly files, ${(bytes / 2 ** 20).toFixed(0)} MB, in ${fmtS(performance.now() - t)}`);
const parquet = `read_parquet([${files.map(quoteLiteral).join(', ')}], union_by_name = true, hive_partitioning = true)`;

t = performance.now();
await conn.run(`CREATE TABLE requests AS SELECT * EXCLUDE (day, hour) FROM ${parquet}`);
console.log(`loaded into the warm table in ${fmtS(performance.now() - t)} (${rssNow()})`);

const source = { relation: 'requests', roles: defaultLogSchemaV1Roles(), cacheKey: 'bench.requests' };
t = performance.now();
const cold = await runDrift(conn, source, { includeCounts: false });
const coldMs = performance.now() - t;
t = performance.now();
const warm = await runDrift(conn, source, { includeCounts: false });
const warmMs = performance.now() - t;
const step = (r: DriftReport) =>
  Object.entries(r.timings)
    .map(([k, v]) => `${k} ${v.toFixed(0)}`)
    .join(', ');
console.log(`\nfirst run (fits k-means, assigns ${rows.toLocaleString('en-US')} rows): ${fmtS(coldMs)}  [${step(cold)}]`);
console.log(`second run (clusters cached; rebuilds frame): ${fmtS(warmMs)}  [${step(warm)}]`);
console.log(`${warm.slices.length} slices (+ all rows), rows baseline ${warm.rows.baseline.toLocaleString('en-US')}, current ${warm.rows.current.toLocaleString('en-US')}`);
console.log(`top: ${AXES.map((a) => `${a} ${warm.top[a]?.[0]}`).join(', ')}  (${rssNow()})`);

// Slices per axis from the frame: a count loop per feature + rollup, then PSI/KL/JS/chi² in TS.
const prepared = await prepareDrift(conn, source);
const { frame } = prepared;
console.log(`frame: ${frame.rows.toLocaleString('en-US')} rows, ${frame.groups.toLocaleString('en-US')} distinct dimension tuples`);
const supportTimes = await timeRuns(5, async () => {
  sliceSupport(frame);
});
const support = sliceSupport(frame);
const scoring = { minSupport: 100, alpha: 0.01, fill: 'loupe' as const, includeCounts: true };
const ours: Record<string, number> = {};
console.log(`\nwarm slices from the drift frame (median of 5):`);
console.log(`  support + judge means (shared by all axes): ${ms(median(supportTimes))}`);
for (const axis of AXES) {
  const feats = warm.features.map((f, i) => ({ ...f, index: i })).filter((f) => f.axis === axis);
  const times = await timeRuns(5, async () => {
    const counts: FeatureCountsInput[] = [];
    for (const f of feats) counts.push({ id: f.id, axis, nBins: f.bins.labels.length, histograms: sliceHistograms(frame, f.index, f.bins.labels.length) });
    assembleSlices(support, counts, () => [], scoring);
  });
  ours[axis] = median(times);
  console.log(`  ${axis.padEnd(8)} ${ms(ours[axis]).padStart(8)}  (${feats.map((f) => f.id).join(', ')}; runs ${times.map((x) => x.toFixed(0)).join(' ')})`);
}
const oursTotal = median(supportTimes) + AXES.reduce((s, a) => s + ours[a], 0);
console.log(`  all three axes + support: ${ms(oursTotal)}  (${rssNow()})`);

// Slice detail as the app computes it: the hourly series over both windows from the kept frame,
// and the 50 lowest-judged requests of the current window from the table; then the series in SQL.
const detailDims = [{ dimension: 'route', value: 'billing' }, { dimension: 'locale', value: 'de' }];
const detailTimes = await timeRuns(5, async () => {
  frameTimeline(prepared.frame, prepared.dimNames, prepared.dimDicts, detailDims);
  await sliceRequests(conn, source, warm.windows, detailDims, { limit: 50, order: 'judge_asc' });
});
const detailSqlTimes = await timeRuns(5, async () => {
  await sliceTimeline(conn, source, warm.windows, detailDims);
  await sliceRequests(conn, source, warm.windows, detailDims, { limit: 50, order: 'judge_asc' });
});
console.log(`  slice detail (route=billing & locale=de: 192 hourly points + 50 requests): ${ms(median(detailTimes))} (the series in SQL instead: ${ms(median(detailSqlTimes))})`);

// Baseline 1: plain GROUPING SETS over the Parquet (and over the warm table), same bins.
const w = warm.windows;
const dims = warm.config.dimensions;
const sets = ['()', ...dims.map((d) => `(${d})`)];
for (let i = 0; i < dims.length; i++) for (let j = i + 1; j < dims.length; j++) sets.push(`(${dims[i]}, ${dims[j]})`);
const gsets = sets.map((s) => (s === '()' ? '(w, b)' : s.replace(')', ', w, b)'))).join(', ');
const cutsCase = (col: string, cuts: number[]) => `CASE WHEN ${col} IS NULL THEN NULL ${cuts.map((c, i) => `WHEN ${col} < ${c} THEN ${i}`).join(' ')} ELSE ${cuts.length} END`;
const featureCuts = (id: string) => {
  const b = warm.features.find((f) => f.id === id)!.bins;
  return b.kind === 'numeric' ? b.cuts : [];
};
const inputCuts = (await queryRows<{ q: number[] }>(conn, `SELECT quantile_cont(input_tokens, [0.1,0.2,0.3,0.4,0.5,0.6,0.7,0.8,0.9]) AS q FROM requests WHERE ts >= $1 AND ts < $2`, [sqlTimestamp(w.baseline.start), sqlTimestamp(w.baseline.end)]))[0].q;
const baselineFeatures: Record<Axis, string[]> = {
  input: [cutsCase('input_tokens', [...new Set(inputCuts)])],
  output: [cutsCase('output_tokens', featureCuts('output_length')), 'refused', `output_format || ' · ' || CASE WHEN format_ok THEN 'ok' ELSE 'broken' END`],
  quality: [cutsCase('judge_score', featureCuts('judge_score'))],
};
const plainQuery = (rel: string, bin: string) => `
  SELECT ${dims.join(', ')}, w, b, count(*) AS n
    FROM (SELECT ${dims.join(', ')}, ${bin} AS b,
                 CASE WHEN ts >= TIMESTAMP '${sqlTimestamp(w.baseline.start)}' AND ts < TIMESTAMP '${sqlTimestamp(w.baseline.end)}' THEN 0
                      WHEN ts >= TIMESTAMP '${sqlTimestamp(w.current.start)}' AND ts < TIMESTAMP '${sqlTimestamp(w.current.end)}' THEN 1 END AS w
            FROM ${rel})
   WHERE w IS NOT NULL AND b IS NOT NULL
   GROUP BY GROUPING SETS (${gsets})`;
const plain: Record<string, Record<string, number>> = { parquet: {}, table: {} };
for (const [name, rel] of [['parquet', parquet], ['table', 'requests']] as const) {
  console.log(`\nbaseline: plain GROUPING SETS over the ${name === 'parquet' ? 'Parquet files' : 'warm table'} (median of 3):`);
  for (const axis of AXES) {
    const times = await timeRuns(3, async () => {
      for (const bin of baselineFeatures[axis]) await queryRows(conn, plainQuery(rel, bin));
    });
    plain[name][axis] = median(times);
    console.log(`  ${axis.padEnd(8)} ${ms(plain[name][axis]).padStart(8)}  ×${(plain[name][axis] / ours[axis]).toFixed(1)} ours`);
  }
}
const nodeRss = rssMb();

// Baseline 2: pandas.
let pandasLine = 'pandas: skipped';
const pandasPeer: Record<string, number | string> = {};
if (withPandas && spawnSync('/usr/bin/python3', ['-c', 'import pandas'], { stdio: 'ignore' }).status === 0) {
  const csv = path.join(root, 'frame.csv');
  t = performance.now();
  await conn.run(`
    COPY (
      SELECT ${dims.join(', ')}, CASE WHEN t >= TIMESTAMP '${sqlTimestamp(w.baseline.start)}' AND t < TIMESTAMP '${sqlTimestamp(w.baseline.end)}' THEN 0 ELSE 1 END AS w,
             c.cluster, output_tokens, CAST(refused AS VARCHAR) AS refused,
             coalesce(output_format, '(none)') || ' · ' || CASE WHEN format_ok THEN 'ok' WHEN NOT format_ok THEN 'broken' ELSE 'unchecked' END AS format,
             judge_score
        FROM (SELECT *, ts AS t FROM requests) r
        LEFT JOIN loupe_drift_clusters_${warm.config.clusters!.key} c ON c.rh = hash(CAST(r.request_id AS VARCHAR))
       WHERE t >= TIMESTAMP '${sqlTimestamp(w.baseline.start)}' AND t < TIMESTAMP '${sqlTimestamp(w.current.end)}'
         AND NOT (t >= TIMESTAMP '${sqlTimestamp(w.baseline.end)}' AND t < TIMESTAMP '${sqlTimestamp(w.current.start)}')
    ) TO ${quoteLiteral(csv)} (HEADER)`);
  console.log(`\nwrote the pandas input (${(fs.statSync(csv).size / 2 ** 20).toFixed(0)} MB CSV) in ${fmtS(performance.now() - t)}; running pandas…`);
  const out = path.join(root, 'pandas.json');
  const res = spawnSync('/usr/bin/python3', [path.join(here, 'drift_pandas.py'), csv, out, '1'], { stdio: 'inherit' });
  if (res.status === 0) {
    const p = JSON.parse(fs.readFileSync(out, 'utf8')) as { load_s: number; timings_s: Record<Axis, number[]>; peak_rss_mb: number; psi: Record<string, Record<string, number>>; pandas: string };
    console.log(`pandas ${p.pandas} (load ${p.load_s.toFixed(1)} s excluded, 1 run), peak RSS ${p.peak_rss_mb.toFixed(0)} MB:`);
    for (const axis of AXES) {
      const s = median(p.timings_s[axis]) * 1000;
      console.log(`  ${axis.padEnd(8)} ${ms(s).padStart(8)}  ×${(s / ours[axis]).toFixed(1)} ours`);
    }
    // Cross-check: pandas and the engine agree on every slice's PSI.
    let worst = 0;
    let compared = 0;
    for (const s of [warm.overall, ...warm.slices]) {
      for (const ax of Object.values(s.axes)) {
        for (const f of ax.features) {
          const theirs = p.psi[f.feature]?.[s.id];
          if (theirs === undefined || f.psi === null) continue;
          compared++;
          worst = Math.max(worst, Math.abs(theirs - f.psi));
        }
      }
    }
    Object.assign(pandasPeer, { version: p.pandas, psiMaxDiffVsLoupe: worst, psiPairsCompared: compared });
    for (const axis of AXES) pandasPeer[`${axis}Ms`] = median(p.timings_s[axis]) * 1000;
    pandasPeer.allAxesMs = AXES.reduce((s2, a) => s2 + median(p.timings_s[a]) * 1000, 0);
    pandasLine = `pandas total ${fmtS(AXES.reduce((s2, a) => s2 + median(p.timings_s[a]) * 1000, 0))}; PSI cross-check on ${compared} slice×feature pairs: max |pandas − engine| = ${worst.toExponential(2)}`;
  } else pandasLine = `pandas failed (exit ${res.status})`;
}

console.log(`\nsummary (${rows.toLocaleString('en-US')} rows, ${warm.slices.length + 1} slices incl. all rows):`);
console.log(`  ours, warm: ${AXES.map((a) => `${a} ${ms(ours[a])}`).join(', ')}; all axes + support ${ms(oursTotal)} (targets 500 ms / axis, 1500 ms total)`);
console.log(`  slice detail ${ms(median(detailTimes))} (target 300 ms; series in SQL ${ms(median(detailSqlTimes))})`);
console.log(`  window change (second run, clusters cached): clusters check ${ms(warm.timings.embeddingClusters)}, bins + dictionaries ${ms(warm.timings.binning)}, frame ${ms(warm.timings.frame)}, judge monitor ${ms(warm.timings.judge)}; whole runDrift ${fmtS(warmMs)}`);
console.log(`  plain GROUPING SETS over Parquet: ${AXES.map((a) => `${a} ${ms(plain.parquet[a])}`).join(', ')} → ×${(AXES.reduce((s, a) => s + plain.parquet[a], 0) / AXES.reduce((s, a) => s + ours[a], 0)).toFixed(1)}`);
console.log(`  plain GROUPING SETS over the table: ${AXES.map((a) => `${a} ${ms(plain.table[a])}`).join(', ')} → ×${(AXES.reduce((s, a) => s + plain.table[a], 0) / AXES.reduce((s, a) => s + ours[a], 0)).toFixed(1)}`);
console.log(`  ${pandasLine}`);
console.log(`  peak RSS (node + DuckDB, before pandas): ${nodeRss.toFixed(0)} MB`);
const axisMs = (m: Record<string, number>) => Object.fromEntries(AXES.map((a) => [`${a}Ms`, m[a]]));
const sum = (m: Record<string, number>) => AXES.reduce((s, a) => s + m[a], 0);
reportResult({
  figures: {
    rows,
    slices: warm.slices.length + 1,
    ...axisMs(ours),
    allAxesMs: sum(ours),
    allAxesAndSupportMs: oursTotal,
    sliceDetailMs: median(detailTimes),
    windowChangeMs: warmMs,
    firstRunMs: coldMs,
    peakRssMb: nodeRss,
  },
  peers: {
    'GROUPING SETS over Parquet': { ...axisMs(plain.parquet), allAxesMs: sum(plain.parquet) },
    'GROUPING SETS over the warm table': { ...axisMs(plain.table), allAxesMs: sum(plain.table) },
    'slice detail with the series in SQL': { sliceDetailMs: median(detailSqlTimes) },
    ...(Object.keys(pandasPeer).length ? { 'pandas (load excluded)': pandasPeer } : {}),
  },
  ...(Object.keys(pandasPeer).length ? {} : { note: pandasLine }),
});
db.close();
fs.rmSync(root, { recursive: true, force: true });
