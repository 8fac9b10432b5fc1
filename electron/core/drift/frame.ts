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
import { SqlParams } from './relation';

/**
 * The drift frame: one compact row per request in either window, built once per run so that
 * every slice query afterwards scans small integers only —
 *
 *   w UTINYINT (0 baseline, 1 current), d0…dn UTINYINT (dimension value codes),
 *   f0…fm UTINYINT (feature bin / category codes, NULL = no value), jv FLOAT (judge score).
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
 * Where the frame is and how its dimension codes are packed: dk = Σ d_i · stride_i, so one
 * integer column (plus w and a bin) keys the base aggregation. DuckDB then uses a perfect hash
 * table (no hashing, no collisions) when the key ranges fit in ~24 bits — 3–4× faster than
 * grouping the separate code columns.
 */
export interface FrameLayout {
  table: string;
  nDims: number;
  rows: number;
  /** null when the product of the dimension cardinalities is too large to pack. */
  packed: { cards: number[]; strides: number[]; bits: number } | null;
}

export interface FrameSpec {
  dims: string[];
  features: Array<{ col: string; bins: FeatureBins }>;
  judgeCol?: string;
}

/**
 * Materialises the frame table from the windowed source. Dimension and category codes are
 * looked up by joining small dictionary tables (hash joins against a few dozen rows).
 */
export async function materializeFrame(
  conn: DuckDBConnection,
  table: string,
  windowed: WindowedSql,
  spec: FrameSpec,
  dimDicts: Dictionary[],
): Promise<FrameLayout> {
  const dictTable = `${table}_dict`;
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${quoteIdent(dictTable)} (col INTEGER, value VARCHAR, code UTINYINT)`);
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
    return `CAST(coalesce(${j}.code, ${missing}) AS UTINYINT)`;
  };

  const dimSql = spec.dims.map((col, i) => `${codeOf(col, dimDicts[i], false)} AS d${i}`);
  spec.features.forEach((f, i) => {
    if (f.bins.kind === 'categorical') {
      const dict: Dictionary = { values: f.bins.categories, capped: f.bins.categories[f.bins.categories.length - 1] === OTHER };
      coded.push({ col: f.col, dict, dropNull: !f.bins.nullsAsCategory });
      featureCols.push(`${codeOf(f.col, dict, !f.bins.nullsAsCategory)} AS f${i}`);
    } else {
      featureCols.push(`CAST(${binCaseSql(`x.${quoteIdent(f.col)}`, f.bins.cuts, (v) => p.bind(v))} AS UTINYINT) AS f${i}`);
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

  // Packed dimension key (see FrameLayout).
  const cards = dimDicts.map((d) => Math.max(1, d.values.length));
  const product = cards.reduce((a, b) => a * b, 1);
  let packed: FrameLayout['packed'] = null;
  let dkSql = '';
  if (spec.dims.length > 0 && product < 2 ** 52) {
    const strides = cards.map((_, i) => cards.slice(i + 1).reduce((a, b) => a * b, 1));
    const type = product <= 2 ** 32 ? 'UINTEGER' : 'UBIGINT';
    dkSql = `, CAST(${strides.map((st, i) => `CAST(d${i} AS ${type}) * ${st}`).join(' + ')} AS ${type}) AS dk`;
    packed = { cards, strides, bits: Math.ceil(Math.log2(product + 1)) };
  }
  const judge = spec.judgeCol ? `, CAST(x.${quoteIdent(spec.judgeCol)} AS FLOAT) AS jv` : ', CAST(NULL AS FLOAT) AS jv';
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE ${quoteIdent(table)} AS
     SELECT *${dkSql} FROM (
       SELECT CAST(x.w AS UTINYINT) AS w${dimSql.length ? ', ' + dimSql.join(', ') : ''}${featureCols.length ? ', ' + featureCols.join(', ') : ''}${judge}
         FROM (${inner}) x
         ${joins.join('\n         ')})`,
    p.values,
  );
  const n = await queryOne<{ n: number }>(conn, `SELECT count(*) AS n FROM ${quoteIdent(table)}`);
  return { table, nDims: spec.dims.length, rows: Number(n?.n ?? 0), packed };
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
