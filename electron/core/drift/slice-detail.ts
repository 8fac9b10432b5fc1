import type { DuckDBConnection } from '@duckdb/node-api';
import { LoupeError } from '../../../shared/errors';
import type { SingleRole } from '../../../shared/roles';
import { queryRows, quoteIdent } from '../db/duckdb';
import { OTHER } from './frame';
import { pooledJudge } from './pooled-judge';
import { sliceId } from './slices';
import { describeSource, refName, refSql, roleSql, SqlParams, timestampSql, type DriftSource, type ResolvedSource } from './relation';
import type { SliceDim } from './types';
import { sqlTimestamp, type DriftWindows } from './windows';

/**
 * What the slice detail shows besides the bins (which the report already carries): the slice's
 * hourly series over both windows (requests, judge mean ± sd, refusal and format-break rates,
 * requests per version for the version-change markers) and sample requests for the drawer and
 * "send N to triage". Both filter the source by the slice's dimension values (bound parameters).
 */

export interface SliceHour {
  hour: string;
  window: 'baseline' | 'current';
  n: number;
  judged: number;
  judgeMean: number | null;
  judgeSd: number | null;
  refusalRate: number | null;
  formatOkRate: number | null;
  /** Requests per version in this hour. */
  versions: Record<string, number>;
}

export interface SliceTimeline {
  sliceId: string;
  hours: SliceHour[];
}

/** Index of a slice's dimension among the data's, refusing unknown ones and the "(other)" bucket. */
export function openableDimension(dimNames: string[], d: SliceDim): number {
  const i = dimNames.indexOf(d.dimension);
  if (i < 0) throw new LoupeError({ code: 'bad_input', message: `${d.dimension} is not a slice dimension of this data`, column: d.dimension });
  if (d.value === OTHER) {
    throw new LoupeError({ code: 'bad_input', message: `the "${OTHER}" bucket of ${d.dimension} cannot be opened`, hint: 'it groups the rarest values; raise the value cap or filter by a value' });
  }
  return i;
}

/** WHERE clause (over alias s) selecting one slice; values bound through p. */
export function sliceWhere(src: ResolvedSource, dims: SliceDim[], p: SqlParams): string {
  const dimNames = src.roles.dimensions.map(refName);
  const parts = dims.map((d) => {
    const ref = src.roles.dimensions[openableDimension(dimNames, d)];
    const sql = `CAST(${refSql(src, ref)} AS VARCHAR)`;
    return d.value === null ? `${sql} IS NULL` : `${sql} = ${p.bind(d.value)}`;
  });
  return parts.length ? parts.join(' AND ') : 'TRUE';
}

function windowCase(ts: string, w: DriftWindows, p: SqlParams): string {
  const [bs, be, cs, ce] = [w.baseline.start, w.baseline.end, w.current.start, w.current.end].map((x) => `CAST(${p.bind(sqlTimestamp(x))} AS TIMESTAMP)`);
  return `CASE WHEN ${ts} >= ${bs} AND ${ts} < ${be} THEN 'baseline' WHEN ${ts} >= ${cs} AND ${ts} < ${ce} THEN 'current' END`;
}

export async function sliceTimeline(conn: DuckDBConnection, source: DriftSource, windows: DriftWindows, dims: SliceDim[]): Promise<SliceTimeline> {
  const src = await describeSource(conn, source);
  const p = new SqlParams();
  const ts = timestampSql(src);
  const where = sliceWhere(src, dims, p);
  const win = windowCase('t', windows, p);
  // Both windows' span as a plain range on the timestamp, which DuckDB pushes into the scan.
  const lo = p.bind(sqlTimestamp(windows.baseline.start < windows.current.start ? windows.baseline.start : windows.current.start));
  const hi = p.bind(sqlTimestamp(windows.baseline.end > windows.current.end ? windows.baseline.end : windows.current.end));
  const opt = (role: SingleRole, fn: (sql: string) => string, fallback = 'NULL') => {
    const sql = roleSql(src, role);
    return sql ? fn(sql) : fallback;
  };
  const version = opt('model_version', (v) => `CAST(${v} AS VARCHAR)`, `CAST(NULL AS VARCHAR)`);
  // Grouped by hour and version (cheaper than a histogram aggregate per hour), then merged.
  const rows = await queryRows<{
    hour: string; win: 'baseline' | 'current'; version: string | null; n: number; judged: number; jm: number | null; jvar: number | null;
    refused: number | null; nRefused: number; fmt: number | null; nFmt: number;
  }>(
    conn,
    `WITH x AS (
       SELECT ${ts} AS t, ${version} AS version,
              ${opt('judge_score', (j) => `CAST(${j} AS DOUBLE)`)} AS judge,
              ${opt('refused', (r) => `CAST(CAST(${r} AS BOOLEAN) AS INTEGER)`)} AS refused,
              ${opt('format_ok', (f) => `CAST(CAST(${f} AS BOOLEAN) AS INTEGER)`)} AS fmt
         FROM ${src.relation} s WHERE ${where} AND ${ts} >= CAST(${lo} AS TIMESTAMP) AND ${ts} < CAST(${hi} AS TIMESTAMP)),
     y AS (SELECT *, ${win} AS win, date_trunc('hour', t) AS h FROM x)
     SELECT strftime(h, '%Y-%m-%dT%H:%M:%S.000Z') AS hour, win, version, count(*) AS n, count(judge) AS judged,
            avg(judge) AS jm, var_samp(judge) AS jvar, sum(refused) AS refused, count(refused) AS "nRefused",
            sum(fmt) AS fmt, count(fmt) AS "nFmt"
       FROM y WHERE win IS NOT NULL GROUP BY h, win, version ORDER BY h`,
    p.values,
  );
  const hours: SliceHour[] = [];
  const parts = new Map<SliceHour, typeof rows>();
  for (const r of rows) {
    let h = hours[hours.length - 1];
    if (!h || h.hour !== r.hour || h.window !== r.win) {
      hours.push((h = { hour: r.hour, window: r.win, n: 0, judged: 0, judgeMean: null, judgeSd: null, refusalRate: null, formatOkRate: null, versions: {} }));
      parts.set(h, []);
    }
    parts.get(h)!.push(r);
  }
  for (const [h, rs] of parts) {
    const judge = pooledJudge(rs.map((r) => ({ judged: r.judged, judgeMean: r.jm, judgeSd: r.jvar === null ? null : Math.sqrt(r.jvar) })));
    const t = { n: 0, refused: 0, nRefused: 0, fmt: 0, nFmt: 0 };
    for (const r of rs) {
      t.n += r.n;
      t.refused += r.refused ?? 0;
      t.nRefused += r.nRefused;
      t.fmt += r.fmt ?? 0;
      t.nFmt += r.nFmt;
      h.versions[r.version ?? '(null)'] = r.n;
    }
    h.n = t.n;
    [h.judged, h.judgeMean, h.judgeSd] = [judge.n, judge.mean, judge.sd];
    h.refusalRate = t.nRefused ? t.refused / t.nRefused : null;
    h.formatOkRate = t.nFmt ? t.fmt / t.nFmt : null;
  }
  return {
    sliceId: sliceId(dims),
    hours,
  };
}

export interface SliceRequestsOptions {
  window?: 'baseline' | 'current';
  limit?: number;
  /** 'judge_asc': lowest judge scores first (judged rows first); 'recent': newest first. */
  order?: 'judge_asc' | 'recent';
}

/** Sample requests of a slice (all columns, as stored), for the drawer and triage. */
export async function sliceRequests(
  conn: DuckDBConnection,
  source: DriftSource,
  windows: DriftWindows,
  dims: SliceDim[],
  opts: SliceRequestsOptions = {},
): Promise<Array<Record<string, unknown>>> {
  const src = await describeSource(conn, source);
  const p = new SqlParams();
  const ts = timestampSql(src);
  const where = sliceWhere(src, dims, p);
  const w = windows[opts.window ?? 'current'];
  const start = p.bind(sqlTimestamp(w.start));
  const end = p.bind(sqlTimestamp(w.end));
  const judge = roleSql(src, 'judge_score');
  const order = opts.order === 'judge_asc' && judge ? `${judge} ASC NULLS LAST, ${ts} DESC` : `${ts} DESC`;
  const limit = p.bind(Math.max(1, Math.min(1000, Math.floor(opts.limit ?? 20))));
  const embedding = src.roles.roles.input_embedding?.column;
  return queryRows(
    conn,
    `SELECT * ${embedding ? `EXCLUDE (${quoteIdent(embedding)})` : ''} FROM ${src.relation} s
      WHERE ${where} AND ${ts} >= CAST(${start} AS TIMESTAMP) AND ${ts} < CAST(${end} AS TIMESTAMP)
      ORDER BY ${order} LIMIT ${limit}`,
    p.values,
  );
}
