import type { DuckDBConnection } from '@duckdb/node-api';
import type { Sparklines } from '../../../shared/drift-schemas';
import { queryRows } from '../db/duckdb';
import { refName, refSql, roleSql, SqlParams, timestampSql, type ResolvedSource } from './relation';
import { sliceId } from './slices';
import { sqlTimestamp, type DriftWindows } from './windows';

/**
 * The judge mean per day of every 1- and 2-dimension slice over both windows, for the
 * sparklines of the Slices table: one GROUPING SETS pass over the judged rows only (a few
 * percent of the data), so it costs a fraction of the drift run and can follow it.
 */
export async function sliceSparklines(conn: DuckDBConnection, src: ResolvedSource, windows: DriftWindows): Promise<Sparklines> {
  const judge = roleSql(src, 'judge_score');
  const dims = src.roles.dimensions;
  if (!judge || dims.length === 0) return { days: [], series: {} };
  const p = new SqlParams();
  const ts = timestampSql(src);
  const start = p.bind(sqlTimestamp(windows.baseline.start));
  const end = p.bind(sqlTimestamp(windows.current.end));
  const cols = dims.map((d, i) => `CAST(${refSql(src, d)} AS VARCHAR) AS d${i}`).join(', ');
  const sets = ['(day)'];
  for (let i = 0; i < dims.length; i++) sets.push(`(day, d${i})`);
  for (let i = 0; i < dims.length; i++) for (let j = i + 1; j < dims.length; j++) sets.push(`(day, d${i}, d${j})`);
  const dimList = dims.map((_, i) => `d${i}`);
  const rows = await queryRows<Record<string, unknown> & { day: string; g: number; m: number }>(
    conn,
    `WITH x AS (
       SELECT strftime(date_trunc('day', ${ts}), '%Y-%m-%d') AS day, ${cols}, CAST(${judge} AS DOUBLE) AS j
         FROM ${src.relation} s
        WHERE ${judge} IS NOT NULL AND ${ts} >= CAST(${start} AS TIMESTAMP) AND ${ts} < CAST(${end} AS TIMESTAMP))
     SELECT day, ${dimList.join(', ')}, GROUPING(${dimList.join(', ')}) AS g, avg(j) AS m
       FROM x GROUP BY GROUPING SETS (${sets.join(', ')})`,
    p.values,
  );
  const days = [...new Set(rows.map((r) => r.day))].sort();
  const dayIndex = new Map(days.map((d, i) => [d, i]));
  const series: Sparklines['series'] = {};
  const names = dims.map(refName);
  for (const r of rows) {
    // GROUPING() sets bit (n−1−i) when d_i is grouped out; the rest are this slice's dimensions.
    const present = dims.map((_, i) => ((r.g >> (dims.length - 1 - i)) & 1) === 0);
    const id = sliceId(dims.flatMap((_, i) => (present[i] ? [{ dimension: names[i], value: (r[`d${i}`] as string | null) ?? null }] : [])));
    (series[id] ??= days.map(() => null))[dayIndex.get(r.day)!] = r.m;
  }
  return { days, series };
}
