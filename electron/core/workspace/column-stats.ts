import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnStats } from '../../../shared/api';
import { queryOne, quoteIdent } from '../db/duckdb';
import { columnKind } from './column-kind';

export interface TableStats {
  rows: number;
  columns: ColumnStats[];
  timeRange: { min: string; max: string } | null;
}

/**
 * A column whose estimate is at most this many values is counted exactly; past it the estimate
 * stands (DuckDB's HyperLogLog has 64 registers: ~13 % standard error). Exact counts matter where
 * the analyst reads them (3 versions, 5 routes); for ids, prompts and embeddings an exact count
 * needs a hash table of every value. Over 1.5M live-tail rows (test/bench/column-stats-bench.ts)
 * these two passes take 1.1 s and +91 MB of RSS at their peak; every column counted exactly,
 * 4.6 s and +1,158 MB.
 */
export const EXACT_DISTINCT_MAX_VALUES = 100_000;

/**
 * Every column's null count and distinct count, plus the time range, in two passes: one
 * aggregate query over all columns (DuckDB scans each column once, in parallel) with estimated
 * distincts, then exact counts for the columns the estimate puts at or under
 * EXACT_DISTINCT_MAX_VALUES.
 */
export async function computeTableStats(
  conn: DuckDBConnection,
  relation: string,
  columns: Array<{ name: string; type: string }>,
  timestampExpr: string | null,
): Promise<TableStats> {
  const parts = ['count(*) AS "rows"'];
  columns.forEach((c, i) => {
    const col = quoteIdent(c.name);
    parts.push(`count(${col}) AS "nn_${i}"`, `approx_count_distinct(${col}) AS "d_${i}"`);
  });
  if (timestampExpr) {
    parts.push(`strftime(min(${timestampExpr}), '%Y-%m-%dT%H:%M:%S.%gZ') AS "t_min"`);
    parts.push(`strftime(max(${timestampExpr}), '%Y-%m-%dT%H:%M:%S.%gZ') AS "t_max"`);
  }
  const row = (await queryOne(conn, `SELECT ${parts.join(',\n       ')} FROM ${relation}`)) ?? {};
  const rows = Number(row.rows ?? 0);

  const stats: ColumnStats[] = columns.map((c, i) => {
    const nonNull = Number(row[`nn_${i}`] ?? 0);
    const nullCount = rows - nonNull;
    return {
      name: c.name,
      type: c.type,
      kind: columnKind(c.type),
      nullCount,
      nullRate: rows === 0 ? 0 : nullCount / rows,
      distinct: nonNull === 0 ? 0 : Math.min(Number(row[`d_${i}`] ?? 0), nonNull),
      distinctApprox: true,
    };
  });

  const exact = stats.flatMap((s, i) => (s.distinct! <= EXACT_DISTINCT_MAX_VALUES ? [i] : []));
  if (exact.length) {
    const counts = (await queryOne(
      conn,
      `SELECT ${exact.map((i) => `count(DISTINCT ${quoteIdent(columns[i].name)}) AS "d_${i}"`).join(', ')} FROM ${relation}`,
    )) ?? {};
    for (const i of exact) stats[i] = { ...stats[i], distinct: Number(counts[`d_${i}`] ?? 0), distinctApprox: false };
  }

  const tMin = row.t_min as string | null | undefined;
  const tMax = row.t_max as string | null | undefined;
  return { rows, columns: stats, timeRange: tMin && tMax ? { min: tMin, max: tMax } : null };
}
