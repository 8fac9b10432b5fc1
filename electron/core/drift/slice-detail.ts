import type { DuckDBConnection } from '@duckdb/node-api';
import { LoupeError } from '../../../shared/errors';
import type { SingleRole } from '../../../shared/roles';
import { queryRows, quoteIdent } from '../db/duckdb';
import { OTHER } from './frame';
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

/** WHERE clause (over alias s) selecting one slice; values bound through p. */
export function sliceWhere(src: ResolvedSource, dims: SliceDim[], p: SqlParams): string {
  const parts = dims.map((d) => {
    const ref = src.roles.dimensions.find((r) => refName(r) === d.dimension);
    if (!ref) {
      throw new LoupeError({ code: 'bad_input', message: `${d.dimension} is not a slice dimension of this data`, column: d.dimension });
    }
    if (d.value === OTHER) {
      throw new LoupeError({ code: 'bad_input', message: `the "${OTHER}" bucket of ${d.dimension} cannot be opened`, hint: 'it groups the rarest values; raise the value cap or filter by a value' });
    }
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
  const opt = (role: SingleRole, fn: (sql: string) => string, fallback = 'NULL') => {
    const sql = roleSql(src, role);
    return sql ? fn(sql) : fallback;
  };
  const version = opt('model_version', (v) => `CAST(${v} AS VARCHAR)`, `CAST(NULL AS VARCHAR)`);
  const rows = await queryRows<{
    hour: string; win: 'baseline' | 'current'; n: number; judged: number; jm: number | null; jsd: number | null;
    refused: number | null; fmt: number | null; versions: Array<{ key: string; value: number }> | null;
  }>(
    conn,
    `WITH x AS (
       SELECT ${ts} AS t, ${version} AS version,
              ${opt('judge_score', (j) => `CAST(${j} AS DOUBLE)`)} AS judge,
              ${opt('refused', (r) => `CAST(CAST(${r} AS BOOLEAN) AS INTEGER)`)} AS refused,
              ${opt('format_ok', (f) => `CAST(CAST(${f} AS BOOLEAN) AS INTEGER)`)} AS fmt
         FROM ${src.relation} s WHERE ${where}),
     y AS (SELECT *, ${win} AS win, date_trunc('hour', t) AS h FROM x)
     SELECT strftime(h, '%Y-%m-%dT%H:%M:%S.000Z') AS hour, win, count(*) AS n, count(judge) AS judged,
            avg(judge) AS jm, stddev_samp(judge) AS jsd, avg(refused) AS refused, avg(fmt) AS fmt,
            histogram(coalesce(version, '(null)')) AS versions
       FROM y WHERE win IS NOT NULL GROUP BY h, win ORDER BY h`,
    p.values,
  );
  return {
    sliceId: dims.map((d) => `${encodeURIComponent(d.dimension)}=${d.value === null ? '%00' : encodeURIComponent(d.value)}`).join('&'),
    hours: rows.map((r) => ({
      hour: r.hour,
      window: r.win,
      n: r.n,
      judged: r.judged,
      judgeMean: r.jm,
      judgeSd: r.jsd,
      refusalRate: r.refused,
      formatOkRate: r.fmt,
      versions: Object.fromEntries((r.versions ?? []).map((e) => [e.key, Number(e.value)])),
    })),
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
