import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnProfile, ColumnStats } from '../../../shared/api';
import { queryOne, queryRows, quoteIdent } from '../db/duckdb';

const TOP_VALUES = 10;
/** Above this many distinct values, top values say little: chart the text length instead. */
const FREE_TEXT_DISTINCT = 1000;

/** Aggregates one column for a small chart; the renderer never sees the raw values. */
export async function profileColumn(
  conn: DuckDBConnection,
  relation: string,
  column: ColumnStats,
  bins = 20,
): Promise<ColumnProfile> {
  const col = quoteIdent(column.name);
  switch (column.kind) {
    case 'numeric':
      return { kind: 'histogram', column: column.name, temporal: false, of: 'value', bins: await histogram(conn, relation, `${col}::DOUBLE`, bins) };
    case 'temporal':
      return {
        kind: 'histogram',
        column: column.name,
        temporal: true,
        of: 'value',
        bins: await histogram(conn, relation, `epoch_ms(${col}::TIMESTAMP)::DOUBLE`, bins),
      };
    case 'text':
      if ((column.distinct ?? 0) > FREE_TEXT_DISTINCT) {
        return { kind: 'histogram', column: column.name, temporal: false, of: 'length', bins: await histogram(conn, relation, `length(${col})::DOUBLE`, bins) };
      }
      return topValues(conn, relation, column.name, col);
    case 'boolean':
      return topValues(conn, relation, column.name, col);
    case 'nested':
      if (/\[\d*\]$/.test(column.type)) {
        return { kind: 'histogram', column: column.name, temporal: false, of: 'length', bins: await histogram(conn, relation, `len(${col})::DOUBLE`, bins) };
      }
      return { kind: 'none', column: column.name, reason: `${column.type} values are shown in the rows table` };
    default:
      return { kind: 'none', column: column.name, reason: `no chart for ${column.type}` };
  }
}

/**
 * Equal-width bins between min and max, the last bin closed (numpy's convention), so the
 * maximum lands in the last bin rather than in a bin of its own.
 */
async function histogram(conn: DuckDBConnection, relation: string, expr: string, bins: number) {
  const range = await queryOne<{ lo: number | null; hi: number | null }>(
    conn,
    `SELECT min(${expr}) AS lo, max(${expr}) AS hi FROM ${relation}`,
  );
  const lo = range?.lo;
  const hi = range?.hi;
  if (lo == null || hi == null || !Number.isFinite(lo) || !Number.isFinite(hi)) return [];
  if (lo === hi) {
    const row = await queryOne<{ n: number }>(conn, `SELECT count(${expr}) AS n FROM ${relation}`);
    return [{ start: lo, end: hi, count: row?.n ?? 0 }];
  }
  const width = (hi - lo) / bins;
  const rows = await queryRows<{ b: number; n: number }>(
    conn,
    `SELECT least(floor((v - $1) / $2)::INTEGER, $3 - 1) AS b, count(*) AS n
       FROM (SELECT ${expr} AS v FROM ${relation}) WHERE v IS NOT NULL
      GROUP BY b ORDER BY b`,
    [lo, width, bins],
  );
  const counts = new Map(rows.map((r) => [r.b, r.n]));
  return Array.from({ length: bins }, (_, b) => ({
    start: lo + b * width,
    end: b === bins - 1 ? hi : lo + (b + 1) * width,
    count: counts.get(b) ?? 0,
  }));
}

async function topValues(conn: DuckDBConnection, relation: string, name: string, col: string): Promise<ColumnProfile> {
  const rows = await queryRows<{ value: string; n: number; total: number }>(
    conn,
    `SELECT value, n, sum(n) OVER () AS total FROM (
       SELECT ${col}::VARCHAR AS value, count(*) AS n FROM ${relation}
        WHERE ${col} IS NOT NULL GROUP BY 1
     ) ORDER BY n DESC, value LIMIT ${TOP_VALUES}`,
  );
  const total = rows[0]?.total ?? 0;
  const shown = rows.reduce((s, r) => s + r.n, 0);
  return {
    kind: 'top-values',
    column: name,
    values: rows.map((r) => ({ value: r.value, count: r.n })),
    otherCount: total - shown,
  };
}
