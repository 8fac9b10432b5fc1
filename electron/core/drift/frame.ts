import type { DuckDBConnection } from '@duckdb/node-api';
import { queryOne, queryRows, quoteIdent } from '../db/duckdb';
import {
  binCaseSql,
  DEFAULT_BINS,
  equalWidthEdges,
  EVIDENTLY_CATEGORICAL_MAX_DISTINCT,
  innerEdges,
  numericBinning,
  quantileProbabilities,
  sturgesBinCount,
  uniqueCuts,
  type BinningRule,
  type NumericBinning,
} from './binning';
import { readColumns } from '../db/read-columns';
import { denseGroups } from './dense-groups';
import { SqlParams } from './relation';

/**
 * The drift frame (DriftFrame below): every request in either window coded into small integers
 * once per run, so that every slice count afterwards is a loop over typed arrays.
 *
 * Codes come from dictionaries built in one GROUPING SETS pass over the windowed source; a
 * dimension keeps its 50 most frequent values (the rest become "(other)"), a categorical
 * feature its 30. Numeric bins come from one statistics pass (quantiles of the baseline,
 * min/max/count over both windows) and are applied with a CASE on bound cut points.
 */

export const MAX_DIMENSION_VALUES = 50;
export const MAX_CATEGORIES = 30;
export const OTHER = '(other)';

/**
 * A windowed source: SQL (using params from p) yielding w plus the named raw columns — only
 * those in `cols` when given, so a pass that needs no embedding cluster skips its join.
 */
export type WindowedSql = (p: SqlParams, cols?: ReadonlySet<string>) => string;

export interface FrameFeatureInput {
  id: string;
  kind: 'numeric' | 'categorical';
  /** Column name in the windowed source. */
  col: string;
}

export type FeatureBins =
  | (NumericBinning & { labels: string[] })
  | { kind: 'categorical'; rule: 'categories'; categories: Array<string | null>; labels: string[]; nullsAsCategory: boolean };

export interface Dictionary {
  /** values[code] = the value (null = SQL NULL); a trailing OTHER entry when capped. */
  values: Array<string | null>;
  capped: boolean;
}

export interface FrameOptions {
  bins?: number;
  binning?: BinningRule;
}

/** Numeric binning for every numeric feature, from one statistics query. */
export async function computeNumericBins(
  conn: DuckDBConnection,
  windowed: WindowedSql,
  features: FrameFeatureInput[],
  opts: FrameOptions,
): Promise<Map<string, FeatureBins | 'categorical'>> {
  const out = new Map<string, FeatureBins | 'categorical'>();
  const numeric = features.filter((f) => f.kind === 'numeric');
  if (numeric.length === 0) return out;
  const bins = opts.bins ?? DEFAULT_BINS;
  const rule = opts.binning ?? 'quantile';
  const probs = `[${quantileProbabilities(bins).join(', ')}]`;
  const aggs = numeric.map((f, i) => {
    const c = quoteIdent(f.col);
    const parts = [
      `min(${c}) AS lo${i}`,
      `max(${c}) AS hi${i}`,
      `count(${c}) AS n${i}`,
      `min(${c}) FILTER (WHERE w = 0) AS blo${i}`,
      `max(${c}) FILTER (WHERE w = 0) AS bhi${i}`,
    ];
    if (rule === 'quantile' && bins > 1) parts.push(`quantile_cont(${c}, ${probs}) FILTER (WHERE w = 0) AS q${i}`);
    if (rule === 'evidently') parts.push(`count(DISTINCT ${c}) FILTER (WHERE w = 0) AS nd${i}`);
    return parts.join(', ');
  });
  const p = new SqlParams();
  const row =
    (await queryOne<Record<string, unknown>>(conn, `SELECT ${aggs.join(',\n')} FROM (${windowed(p, new Set(numeric.map((f) => f.col)))}) x`, p.values)) ?? {};
  numeric.forEach((f, i) => {
    const lo = row[`lo${i}`] as number | null;
    const hi = row[`hi${i}`] as number | null;
    const n = Number(row[`n${i}`] ?? 0);
    if (rule === 'evidently' && Number(row[`nd${i}`] ?? 0) <= EVIDENTLY_CATEGORICAL_MAX_DISTINCT) {
      out.set(f.id, 'categorical');
      return;
    }
    if (lo === null || hi === null) {
      out.set(f.id, numericBinning(rule === 'evidently' ? 'sturges' : rule, [], null, null));
      return;
    }
    if (rule === 'quantile') {
      const q = (row[`q${i}`] as number[] | null) ?? [];
      out.set(f.id, numericBinning('quantile', uniqueCuts(q), lo, hi));
    } else {
      const count = rule === 'evidently' ? sturgesBinCount(n, lo, hi) : bins;
      const edges = equalWidthEdges(lo, hi, count);
      const b = numericBinning(rule === 'evidently' ? 'sturges' : 'equal-width', uniqueCuts(innerEdges(edges)), edges[0], edges[edges.length - 1]);
      out.set(f.id, b);
    }
  });
  return out;
}

/** Value dictionaries for the coded columns (dimensions and categorical features), one pass. */
export async function computeDictionaries(
  conn: DuckDBConnection,
  windowed: WindowedSql,
  columns: Array<{ col: string; cap: number; dropNull?: boolean }>,
): Promise<Dictionary[]> {
  if (columns.length === 0) return [];
  const cols = columns.map((c) => quoteIdent(c.col));
  const p = new SqlParams();
  const rows = await queryRows<Record<string, unknown>>(
    conn,
    `SELECT ${cols.map((c, i) => `GROUPING(${c}) AS g${i}, CAST(${c} AS VARCHAR) AS v${i}`).join(', ')}, count(*) AS n
       FROM (${windowed(p, new Set(columns.map((c) => c.col)))}) x
      GROUP BY GROUPING SETS (${cols.map((c) => `(${c})`).join(', ')})
      ORDER BY n DESC, ${cols.map((_, i) => `v${i}`).join(', ')}`,
    p.values,
  );
  return columns.map((c, i) => {
    const values = rows
      .filter((r) => r[`g${i}`] === 0)
      .map((r) => r[`v${i}`] as string | null)
      .filter((v) => !(c.dropNull && v === null));
    // Stable order for display: by frequency (ties broken by value), then capped.
    const capped = values.length > c.cap;
    const kept = capped ? values.slice(0, c.cap - 1) : values;
    return { values: capped ? [...kept, OTHER] : kept, capped };
  });
}

/**
 * The drift frame, held in the core as typed arrays — one entry per request in either window:
 *
 *   gw[r]          group · 2 + window (0 baseline, 1 current); a group is one distinct tuple
 *                  of dimension codes, its codes in groupCodes[group · nDims + i]
 *   features[f][r] the bin or category code of feature f, NO_VALUE when it has none
 *   judge[r]       the judge score, NaN when not judged
 *
 * Every slice count is then a tight loop over these arrays (slice-counts.ts): DuckDB's hash
 * aggregation of the same 10M-row frame took ~0.7 s per feature on this 2-core machine, the
 * loop takes a few tens of milliseconds. About 13 bytes per row (130 MB at 10M rows).
 */
export interface DriftFrame {
  rows: number;
  nDims: number;
  /** Dictionary size per dimension: codes of dimension i are 0 … cards[i] − 1. */
  cards: number[];
  groups: number;
  groupCodes: Uint8Array;
  gw: Uint32Array;
  features: Uint8Array[];
  judge: Float32Array;
  /** Per row, for a slice's hourly series (frame-timeline.ts). */
  timeline?: FrameTimelineColumns;
}

export interface FrameTimelineColumns {
  /** Hours since firstHourMs. */
  hour: Uint16Array;
  firstHourMs: number;
  /** Version code (versions.values), NO_VALUE when it has none. */
  version: Uint8Array;
  versions: Dictionary;
  /** 1 / 0, NO_VALUE when unknown. */
  refused: Uint8Array;
  formatOk: Uint8Array;
}

/** Feature code of a row without a value (bins and category codes stay below it). */
export const NO_VALUE = 255;

export interface FrameSpec {
  dims: string[];
  features: Array<{ col: string; bins: FeatureBins }>;
  judgeCol?: string;
  timeline?: { hourCol: string; firstHourMs: number; versionCol: string; versionDict: Dictionary; refusedCol: string; formatOkCol: string };
}

let dictTables = 0;

/**
 * Codes the windowed source in DuckDB (dimension and category codes by joining small dictionary
 * tables, numeric bins by a CASE on bound cut points) and reads the result into the frame.
 */
export async function materializeFrame<S extends FrameSpec>(
  conn: DuckDBConnection,
  windowed: WindowedSql,
  spec: S,
  dimDicts: Dictionary[],
): Promise<S extends { timeline: object } ? DriftFrame & { timeline: FrameTimelineColumns } : DriftFrame> {
  // A table per call: a workspace's drift run and a `psi` comparison may share the connection.
  const dictTable = `loupe_frame_dict_${++dictTables}`;
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${quoteIdent(dictTable)} (col INTEGER, value VARCHAR, code UTINYINT)`);
  try {
    const coded: Array<{ col: string; dict: Dictionary; dropNull: boolean }> = [
      ...spec.dims.map((col, i) => ({ col, dict: dimDicts[i], dropNull: false })),
    ];
    const featureCols: string[] = [];
    const p = new SqlParams();
    const inner = windowed(p);
    const joins: string[] = [];

    const codeOf = (col: string, dict: Dictionary, dropNull: boolean): string => {
      const idx = coded.findIndex((c) => c.col === col && c.dict === dict);
      const j = `k${idx}`;
      joins.push(
        `LEFT JOIN (SELECT value, code FROM ${quoteIdent(dictTable)} WHERE col = ${idx}) ${j} ON ${j}.value IS NOT DISTINCT FROM CAST(x.${quoteIdent(col)} AS VARCHAR)`,
      );
      const other = dict.capped ? dict.values.length - 1 : null;
      const missing = dropNull ? `CASE WHEN x.${quoteIdent(col)} IS NULL THEN NULL ELSE ${other ?? 'NULL'} END` : `${other ?? 'NULL'}`;
      return `coalesce(${j}.code, ${missing})`;
    };

    // Every dimension value is in its dictionary (or is "(other)"), so dimension codes are never NULL.
    const dimSql = spec.dims.map((col, i) => `CAST(${codeOf(col, dimDicts[i], false)} AS UTINYINT) AS d${i}`);
    const tl = spec.timeline;
    if (tl) coded.push({ col: tl.versionCol, dict: tl.versionDict, dropNull: false });
    spec.features.forEach((f, i) => {
      if (f.bins.kind === 'categorical') {
        if (f.bins.categories.length >= NO_VALUE) throw new Error(`feature ${f.col}: ${f.bins.categories.length} categories, at most ${NO_VALUE - 1}`);
        const dict: Dictionary = { values: f.bins.categories, capped: f.bins.categories[f.bins.categories.length - 1] === OTHER };
        coded.push({ col: f.col, dict, dropNull: !f.bins.nullsAsCategory });
        featureCols.push(`CAST(coalesce(${codeOf(f.col, dict, !f.bins.nullsAsCategory)}, ${NO_VALUE}) AS UTINYINT) AS f${i}`);
      } else {
        featureCols.push(`CAST(coalesce(${binCaseSql(`x.${quoteIdent(f.col)}`, f.bins.cuts, (v) => p.bind(v))}, ${NO_VALUE}) AS UTINYINT) AS f${i}`);
      }
    });

    // Dictionary rows (values come from the data: inserted as bound parameters).
    for (const [idx, c] of coded.entries()) {
      const values = c.dict.values;
      for (let code = 0; code < values.length; code++) {
        if (c.dict.capped && code === values.length - 1) continue;
        await conn.run(`INSERT INTO ${quoteIdent(dictTable)} VALUES ($1, $2, $3)`, [idx, values[code], code]);
      }
    }

    const judge = spec.judgeCol ? `coalesce(CAST(x.${quoteIdent(spec.judgeCol)} AS FLOAT), 'NaN'::FLOAT)` : `'NaN'::FLOAT`;
    const timelineSql = tl
      ? [
          `CAST(x.${quoteIdent(tl.hourCol)} AS USMALLINT)`,
          `CAST(coalesce(${codeOf(tl.versionCol, tl.versionDict, false)}, ${NO_VALUE}) AS UTINYINT)`,
          `CAST(coalesce(x.${quoteIdent(tl.refusedCol)}, ${NO_VALUE}) AS UTINYINT)`,
          `CAST(coalesce(x.${quoteIdent(tl.formatOkCol)}, ${NO_VALUE}) AS UTINYINT)`,
        ]
      : [];
    const select = [`CAST(x.w AS UTINYINT) AS w`, ...dimSql, ...featureCols, `${judge} AS jv`, ...timelineSql];
    const kinds = [...[`w`, ...dimSql, ...featureCols].map(() => 'u8' as const), 'f32' as const, ...(tl ? (['u16', 'u8', 'u8', 'u8'] as const) : [])];
    const { rows, columns } = await readColumns(conn, `SELECT ${select.join(', ')} FROM (${inner}) x ${joins.join(' ')}`, kinds, p.values);
    const judgeAt = 1 + spec.dims.length + spec.features.length;
    const w = columns[0] as Uint8Array;
    const dimCodes = columns.slice(1, 1 + spec.dims.length) as Uint8Array[];
    const cards = dimDicts.map((d) => Math.max(1, d.values.length));
    const { groups, groupCodes, groupOf } = denseGroups(dimCodes, cards, rows);
    const gw = groupOf;
    for (let r = 0; r < rows; r++) gw[r] = groupOf[r] * 2 + w[r];
    const frame: DriftFrame = {
      rows,
      nDims: spec.dims.length,
      cards,
      groups,
      groupCodes,
      gw,
      features: columns.slice(1 + spec.dims.length, judgeAt) as Uint8Array[],
      judge: columns[judgeAt] as Float32Array,
      timeline: tl
        ? {
            hour: columns[judgeAt + 1] as Uint16Array,
            firstHourMs: tl.firstHourMs,
            version: columns[judgeAt + 2] as Uint8Array,
            versions: tl.versionDict,
            refused: columns[judgeAt + 3] as Uint8Array,
            formatOk: columns[judgeAt + 4] as Uint8Array,
          }
        : undefined,
    };
    // The timeline columns are there exactly when the spec asked for them (the return type).
    return frame as Awaited<ReturnType<typeof materializeFrame<S>>>;
  } finally {
    await conn.run(`DROP TABLE IF EXISTS ${quoteIdent(dictTable)}`);
  }
}

export function categoricalBins(dict: Dictionary, nullsAsCategory: boolean): FeatureBins {
  return {
    kind: 'categorical',
    rule: 'categories',
    categories: dict.values,
    labels: dict.values.map((v) => (v === null ? '(null)' : v)),
    nullsAsCategory,
  };
}
