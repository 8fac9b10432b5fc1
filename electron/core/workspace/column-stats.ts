import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnStats } from '../../../shared/api';
import { queryOne, quoteIdent } from '../db/duckdb';
import { columnKind } from './column-kind';

export interface TableStats {
  rows: number;
  columns: ColumnStats[];
  timeRange: { min: string; max: string } | null;
  distinctExact: boolean;
}

/**
 * One pass over the data for every column's null count and distinct count, plus
 * the time range. A single aggregate query lets DuckDB scan each column once in parallel,
 * instead of one query per column.
 */
export async function computeTableStats(
  conn: DuckDBConnection,
  relation: string,
  columns: Array<{ name: string; type: string }>,
  timestampExpr: string | null,
  exactDistinct: boolean,
): Promise<TableStats> {
  const distinct = exactDistinct ? (col: string) => `count(DISTINCT ${col})` : (col: string) => `approx_count_distinct(${col})`;
  const parts = ['count(*) AS "rows"'];
  columns.forEach((c, i) => {
    const col = quoteIdent(c.name);
    parts.push(`count(${col}) AS "nn_${i}"`, `${distinct(col)} AS "d_${i}"`);
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
    };
  });

  const tMin = row.t_min as string | null | undefined;
  const tMax = row.t_max as string | null | undefined;
  return { rows, columns: stats, timeRange: tMin && tMax ? { min: tMin, max: tMax } : null, distinctExact: exactDistinct };
}
