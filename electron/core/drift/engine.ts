import type { DuckDBConnection } from '@duckdb/node-api';
import { LoupeError } from '../../../shared/errors';
import type { ColumnRef } from '../../../shared/roles';
import { queryOne, quoteIdent } from '../db/duckdb';
import { buildAlerts } from './alerts';
import { AXES, featuresFor, type Axis, type FeatureDef } from './axes';
import { DEFAULT_BINS, type BinningRule } from './binning';
import { prepareEmbeddingClusters, type ClusterAssignments, type ClusterOptions } from './embedding-clusters';
import {
  categoricalBins,
  computeDictionaries,
  computeNumericBins,
  materializeFrame,
  MAX_CATEGORIES,
  MAX_DIMENSION_VALUES,
  type Dictionary,
  type DriftFrame,
  type FrameTimelineColumns,
  type FeatureBins,
  type WindowedSql,
} from './frame';
import { judgeMonitor, type JudgeMonitorOptions, type JudgeMonitorReport } from './judge-monitor';
import type { FillRule } from './metrics';
import { describeSource, refName, refSql, roleRef, roleSql, SqlParams, timestampSql, type DriftSource, type ResolvedSource } from './relation';
import { sliceHistograms, sliceSupport } from './slice-counts';
import { assembleSlices, featureDrift, rankOnAxis, type FeatureCountsInput } from './slices';
import type { DriftReport, FeatureDrift, FeatureInfo, SliceDim } from './types';
import { defaultWindows, checkWindows, sqlTimestamp, type DriftWindows } from './windows';

export type { DriftSource } from './relation';
export type * from './types';

export interface DriftOptions {
  /** Either window may be given; the other defaults (see windows.ts). */
  windows?: Partial<DriftWindows>;
  bins?: number;
  binning?: BinningRule;
  /** Minimum rows with a value, in each window, for a slice to be ranked or alert (default 100). */
  minSupport?: number;
  /** Family-wise significance level, Bonferroni-corrected per feature (default 0.01). */
  alpha?: number;
  clusters?: ClusterOptions;
  judge?: JudgeMonitorOptions & { by?: ColumnRef };
  /** Include per-slice bin counts (for slice detail charts). Default true. */
  includeCounts?: boolean;
}

export const DEFAULT_MIN_SUPPORT = 100;
/** Versions told apart in the slice detail's hourly series (the rest are "(other)"). */
const MAX_VERSIONS = 200;
const HOUR_MS = 3_600_000;
export const DEFAULT_ALPHA = 0.01;

const now = () => performance.now();

/** Runs the whole drift analysis: windows, clusters, frame, slices on every axis, judge, alerts. */
export async function runDrift(conn: DuckDBConnection, source: DriftSource, opts: DriftOptions = {}): Promise<DriftReport> {
  const prepared = await prepareDrift(conn, source, opts);
  return scoreDrift(conn, prepared, opts);
}

/**
 * Everything that depends on the data and the windows but not on the scoring options: the
 * windows, the embedding clusters, every feature's bins and the compact frame. Re-scoring with
 * another minimum support or alpha (scoreDrift) needs none of it again.
 */
export interface PreparedDrift {
  src: ResolvedSource;
  windows: DriftWindows;
  features: FeatureDef[];
  featureBins: FeatureBins[];
  /** With the slice detail's per-row columns (frame-timeline.ts). */
  frame: DriftFrame & { timeline: FrameTimelineColumns };
  dimNames: string[];
  dimDicts: Dictionary[];
  binning: BinningRule;
  bins: number;
  clusters: ClusterAssignments | undefined;
  timings: Record<string, number>;
  notes: string[];
}

export async function prepareDrift(conn: DuckDBConnection, source: DriftSource, opts: DriftOptions = {}): Promise<PreparedDrift> {
  const timings: Record<string, number> = {};
  const notes: string[] = [];
  let t = now();
  const src = await describeSource(conn, source);
  const windows = await resolveWindows(conn, src, opts.windows);
  timings.windows = now() - t;

  t = now();
  const clusters = await prepareEmbeddingClusters(conn, src, windows.baseline, opts.clusters);
  timings.embeddingClusters = now() - t;
  if (roleRef(src, 'input_embedding') && !clusters) notes.push('no baseline embeddings: the input axis uses input length');
  if (clusters?.newlyAssigned) notes.push(`assigned ${clusters.newlyAssigned} new requests to embedding clusters (${clusters.cachedRows} cached)`);

  const features = featuresFor(src, clusters?.valueSql);
  if (features.length === 0) {
    throw new LoupeError({
      code: 'bad_input',
      message: 'no drift axis can be computed: none of the roles embedding, input/output tokens or text, refused, output format, judge score is mapped',
      hint: 'map the roles in the Data view',
    });
  }
  const dims = src.roles.dimensions;
  const dimNames = dims.map(refName);
  const binning = opts.binning ?? 'quantile';
  const bins = opts.bins ?? DEFAULT_BINS;
  const judgeSql = roleSql(src, 'judge_score');

  const ts = timestampSql(src);
  const versionSql = roleSql(src, 'model_version');
  const refusedSql = roleSql(src, 'refused');
  const formatOkSql = roleSql(src, 'format_ok');
  const firstHourMs = Math.floor(Math.min(Date.parse(windows.baseline.start), Date.parse(windows.current.start)) / HOUR_MS) * HOUR_MS;
  const clusterCol = features.findIndex((f) => f.id === 'input_cluster');
  const windowed: WindowedSql = (p: SqlParams, only?: ReadonlySet<string>) => {
    const want = (c: string) => !only || only.has(c);
    const [bs, be, cs, ce] = [windows.baseline.start, windows.baseline.end, windows.current.start, windows.current.end].map(
      (x) => `CAST(${p.bind(sqlTimestamp(x))} AS TIMESTAMP)`,
    );
    const cols = [
      `CASE WHEN t >= ${bs} AND t < ${be} THEN 0 WHEN t >= ${cs} AND t < ${ce} THEN 1 END AS w`,
      ...dims.flatMap((d, i) => (want(`v${i}`) ? [`${refSql(src, d)} AS ${quoteIdent(`v${i}`)}`] : [])),
      ...features.flatMap((f, i) => (want(`x${i}`) ? [`${f.sql} AS ${quoteIdent(`x${i}`)}`] : [])),
      ...(want('jv') ? [`${judgeSql ? `CAST(${judgeSql} AS DOUBLE)` : 'CAST(NULL AS DOUBLE)'} AS jv`] : []),
      // For the slice detail's hourly series (frame-timeline.ts): hour, version, refusal, format ok.
      ...(want('hr') ? [`CAST(floor((epoch(t) - ${p.bind(firstHourMs / 1000)}) / 3600) AS INTEGER) AS hr`] : []),
      ...(want('ver') ? [`${versionSql ? `CAST(${versionSql} AS VARCHAR)` : 'CAST(NULL AS VARCHAR)'} AS ver`] : []),
      ...(want('rf') ? [`${refusedSql ? `CAST(CAST(${refusedSql} AS BOOLEAN) AS INTEGER)` : 'CAST(NULL AS INTEGER)'} AS rf`] : []),
      ...(want('fo') ? [`${formatOkSql ? `CAST(CAST(${formatOkSql} AS BOOLEAN) AS INTEGER)` : 'CAST(NULL AS INTEGER)'} AS fo`] : []),
    ];
    // The cluster cache join only when the cluster column is asked for.
    const join = clusterCol >= 0 && want(`x${clusterCol}`) ? (clusters?.joinSql ?? '') : '';
    return `SELECT * FROM (SELECT ${cols.join(', ')} FROM (SELECT *, ${ts} AS t FROM ${src.relation} s) s ${join}) WHERE w IS NOT NULL`;
  };

  t = now();
  const frameInputs = features.map((f, i) => ({ id: f.id, kind: f.kind, col: `x${i}` }));
  const numeric = await computeNumericBins(conn, windowed, frameInputs, { bins, binning });
  const categorical = frameInputs.filter((f) => f.kind === 'categorical' || numeric.get(f.id) === 'categorical');
  // Cluster ids need no dictionary pass: they are 0 … k−1 (and NULL without an embedding).
  const scanned = categorical.filter((f) => f.id !== 'input_cluster');
  const dicts = await computeDictionaries(conn, windowed, [
    ...dims.map((_, i) => ({ col: `v${i}`, cap: MAX_DIMENSION_VALUES })),
    ...scanned.map((f) => ({ col: f.col, cap: MAX_CATEGORIES, dropNull: binning === 'evidently' })),
    { col: 'ver', cap: MAX_VERSIONS },
  ]);
  const versionDict = dicts[dicts.length - 1];
  const dimDicts = dicts.slice(0, dims.length);
  const featureBins: FeatureBins[] = frameInputs.map((f) => {
    if (f.id === 'input_cluster' && clusters) {
      const ids: Array<string | null> = clusters.model.centroids.map((_, k) => String(k));
      return categoricalBins({ values: binning === 'evidently' ? ids : [...ids, null], capped: false }, binning !== 'evidently');
    }
    const ci = scanned.findIndex((c) => c.id === f.id);
    if (ci >= 0) return categoricalBins(dicts[dims.length + ci], binning !== 'evidently');
    return numeric.get(f.id) as FeatureBins;
  });
  timings.binning = now() - t;

  t = now();
  const frame = await materializeFrame(
    conn,
    windowed,
    {
      dims: dims.map((_, i) => `v${i}`),
      features: frameInputs.map((f, i) => ({ col: f.col, bins: featureBins[i] })),
      judgeCol: 'jv',
      timeline: { hourCol: 'hr', firstHourMs, versionCol: 'ver', versionDict, refusedCol: 'rf', formatOkCol: 'fo' },
    },
    dimDicts,
  );
  timings.frame = now() - t;
  for (const [i, d] of dimDicts.entries()) {
    if (d.capped) notes.push(`dimension ${dimNames[i]} has more than ${MAX_DIMENSION_VALUES} values: the rarest are grouped as "(other)"`);
  }
  return { src, windows, features, featureBins, frame, dimNames, dimDicts, binning, bins, clusters, timings, notes };
}

/** Slices on every axis, the judge monitor and the alerts, from a prepared frame. */
export async function scoreDrift(conn: DuckDBConnection, prepared: PreparedDrift, opts: DriftOptions = {}): Promise<DriftReport> {
  const { src, windows, features, featureBins, frame, dimNames, dimDicts, binning, clusters } = prepared;
  const timings = { ...prepared.timings };
  const notes = [...prepared.notes];
  const fill: FillRule = binning === 'evidently' ? 'evidently' : 'loupe';
  const scoring = {
    minSupport: opts.minSupport ?? DEFAULT_MIN_SUPPORT,
    alpha: opts.alpha ?? DEFAULT_ALPHA,
    fill,
    includeCounts: opts.includeCounts ?? true,
  };
  let t = now();
  const support = sliceSupport(frame);
  timings.support = now() - t;
  const counts: FeatureCountsInput[] = [];
  for (const axis of AXES) {
    t = now();
    for (const [i, f] of features.entries()) {
      if (f.axis !== axis) continue;
      const nBins = featureBins[i].labels.length;
      // Each count is a synchronous loop over the frame: let other calls in between them.
      await new Promise((r) => setImmediate(r));
      counts.push({ id: f.id, axis, nBins, histograms: sliceHistograms(frame, i, nBins) });
    }
    timings[`axis_${axis}`] = now() - t;
  }

  t = now();
  const decode = (key: string): SliceDim[] =>
    key === ''
      ? []
      : key.split('|').map((part) => {
          const [d, c] = part.split(':').map(Number);
          return { dimension: dimNames[d], value: dimDicts[d].values[c] ?? null };
        });
  const all = assembleSlices(support, counts, decode, scoring);
  const overall = all.find((s) => s.dims.length === 0) ?? emptyOverall(features, scoring);
  const slices = all.filter((s) => s.dims.length > 0);
  const top: DriftReport['top'] = {};
  for (const axis of AXES) if (features.some((f) => f.axis === axis)) top[axis] = rankOnAxis(slices, axis).map((s) => s.id);
  timings.scoring = now() - t;

  t = now();
  let judge: JudgeMonitorReport | null = null;
  const judgeSql = roleSql(src, 'judge_score');
  const byRef = opts.judge?.by ?? roleRef(src, 'model_version');
  if (judgeSql && byRef) {
    judge = await judgeMonitor(conn, src, windows, { sql: refSql(src, byRef), name: refName(byRef) }, judgeSql, opts.judge);
  } else if (!judgeSql) notes.push('no judge score role: no quality axis and no judge monitor');
  timings.judge = now() - t;

  const alerts = buildAlerts(overall, slices, judge, windows);
  if (overall.support.current === 0) notes.push('the current window has no rows');
  if (overall.support.baseline === 0) notes.push('the baseline window has no rows');

  const featureInfo: FeatureInfo[] = features.map((f, i) => ({ id: f.id, axis: f.axis, label: f.label, columns: f.columns, bins: featureBins[i] }));
  const { centroids: _c, ...clusterInfo } = clusters?.model ?? { centroids: null };
  return {
    windows,
    rows: overall.support,
    config: {
      bins: prepared.bins,
      binning,
      fill,
      minSupport: scoring.minSupport,
      alpha: scoring.alpha,
      dimensions: dimNames,
      clusters: clusters ? (clusterInfo as NonNullable<DriftReport['config']['clusters']>) : null,
    },
    features: featureInfo,
    overall,
    slices,
    top,
    alerts,
    judge,
    timings,
    notes,
  };
}

function emptyOverall(features: FeatureDef[], scoring: Parameters<typeof featureDrift>[4]): DriftReport['overall'] {
  const axes: DriftReport['overall']['axes'] = {};
  for (const f of features) {
    const fd = featureDrift(f.id, f.axis, undefined, 1, scoring);
    const prev = axes[f.axis];
    const list = [...(prev?.features ?? []), fd];
    axes[f.axis] = { axis: f.axis, feature: list[0].feature, psi: null, pValue: null, significant: false, meetsSupport: false, level: 'quiet', score: 0, features: list };
  }
  return {
    id: '',
    dims: [],
    support: { baseline: 0, current: 0 },
    judge: { baselineMean: null, currentMean: null, baselineJudged: 0, currentJudged: 0 },
    axes,
    score: 0,
  };
}

/** Fills in default windows from the data's latest timestamp. */
export async function resolveWindows(conn: DuckDBConnection, src: ResolvedSource, given: Partial<DriftWindows> = {}): Promise<DriftWindows> {
  if (given.baseline && given.current) return checkWindows({ baseline: given.baseline, current: given.current });
  const row = await queryOne<{ latest: string | null }>(conn, `SELECT max(${timestampSql(src)}) AS latest FROM ${src.relation} s`);
  if (!row?.latest) {
    throw new LoupeError({ code: 'no_timestamp', message: 'the data has no timestamps to place windows', hint: 'give --baseline and --current, or check the timestamp role' });
  }
  return defaultWindows(row.latest, given);
}

// ---------------------------------------------------------------------------------------------
// One column, two relations: `loupe psi`.

export interface ColumnComparison {
  column: string;
  kind: 'numeric' | 'categorical';
  binning: BinningRule;
  fill: FillRule;
  bins: FeatureBins;
  nBaseline: number;
  nCurrent: number;
  nullsBaseline: number;
  nullsCurrent: number;
  drift: FeatureDrift;
}

export interface ColumnComparisonOptions {
  bins?: number;
  binning?: BinningRule;
}

/**
 * PSI, KL, JS (and the chi-square test) of one column between a reference and a current
 * relation. Numeric columns are binned by the chosen rule; categorical ones use the union of
 * categories (NULL is a category, except in Evidently mode which drops NULLs as Evidently does).
 */
export async function compareColumn(
  conn: DuckDBConnection,
  reference: string,
  current: string,
  column: string,
  kind: 'numeric' | 'categorical',
  opts: ColumnComparisonOptions = {},
): Promise<ColumnComparison> {
  const binning = opts.binning ?? 'quantile';
  const fill: FillRule = binning === 'evidently' ? 'evidently' : 'loupe';
  const c = quoteIdent(column);
  for (const [rel, what] of [[reference, 'reference'], [current, 'current']] as const) {
    const cols = await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${rel}`).then((r) => r.getRowObjectsJS().map((x) => String(x.column_name)));
    if (!cols.includes(column)) {
      throw new LoupeError({ code: 'bad_input', message: `the ${what} data has no column ${column}`, column, hint: `columns: ${cols.slice(0, 20).join(', ')}` });
    }
  }
  const value = kind === 'numeric' ? `TRY_CAST(${c} AS DOUBLE)` : `CAST(${c} AS VARCHAR)`;
  const windowed: WindowedSql = () =>
    `SELECT 0 AS w, ${value} AS x0 FROM ${reference} UNION ALL SELECT 1 AS w, ${value} AS x0 FROM ${current}`;
  const input = { id: column, kind, col: 'x0' };
  const numeric = await computeNumericBins(conn, windowed, [input], { bins: opts.bins ?? DEFAULT_BINS, binning });
  let bins: FeatureBins;
  if (kind === 'categorical' || numeric.get(column) === 'categorical') {
    const [dict] = await computeDictionaries(conn, windowed, [{ col: 'x0', cap: 255, dropNull: binning === 'evidently' }]);
    bins = categoricalBins(dict, binning !== 'evidently');
  } else bins = numeric.get(column) as FeatureBins;
  const frame = await materializeFrame(conn, windowed, { dims: [], features: [{ col: 'x0', bins }] }, []);
  const nBins = bins.labels.length;
  const hist = sliceHistograms(frame, 0, nBins);
  const totals = await queryOne<{ nb: number; nc: number; xb: number; xc: number }>(
    conn,
    `SELECT count(*) FILTER (WHERE w = 0) AS nb, count(*) FILTER (WHERE w = 1) AS nc,
            count(*) FILTER (WHERE w = 0 AND x0 IS NULL) AS xb, count(*) FILTER (WHERE w = 1 AND x0 IS NULL) AS xc
       FROM (${windowed(new SqlParams())}) x`,
  );
  const drift = featureDrift(column, 'input' as Axis, hist.get(''), nBins, { minSupport: 0, alpha: DEFAULT_ALPHA, fill, includeCounts: true });
  drift.significant = drift.pValue !== null && drift.pValue < DEFAULT_ALPHA;
  return {
    column,
    kind: bins.kind === 'categorical' ? 'categorical' : 'numeric',
    binning,
    fill,
    bins,
    nBaseline: Number(totals?.nb ?? 0),
    nCurrent: Number(totals?.nc ?? 0),
    nullsBaseline: Number(totals?.xb ?? 0),
    nullsCurrent: Number(totals?.xc ?? 0),
    drift,
  };
}
