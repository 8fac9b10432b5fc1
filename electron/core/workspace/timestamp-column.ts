import type { DuckDBConnection } from '@duckdb/node-api';
import { queryOne, quoteIdent } from '../db/duckdb';
import { columnKind } from './column-kind';

export interface TimestampColumn {
  column: string;
  /** SQL expression that yields a TIMESTAMP for the column (epoch numbers and ISO text converted). */
  expr: string;
  source: 'timestamp' | 'epoch_s' | 'epoch_ms' | 'epoch_us' | 'epoch_ns' | 'iso_text';
}

const PREFERRED = ['ts', 'timestamp', 'time', 'start_time', 'starttime', 'created_at', 'event_time', 'tstamp', 'datetime', 'date'];
const TIMEY_NAME = /(^|[_.])(ts|time|timestamp|tstamp|date|datetime|created|start_time|starttimeunixnano)($|[_.])/i;

function rank(name: string): number {
  const i = PREFERRED.indexOf(name.toLowerCase());
  return i === -1 ? PREFERRED.length : i;
}

/**
 * Finds the column that says when each request happened. Real exports differ: typed
 * TIMESTAMPs, epoch numbers in s/ms/µs/ns (OTel uses ns), ISO strings. Numbers and text are
 * accepted only when a sample converts to plausible dates (years 2000–2100).
 */
export async function findTimestampColumn(
  conn: DuckDBConnection,
  relation: string,
  columns: Array<{ name: string; type: string }>,
): Promise<TimestampColumn | null> {
  const typed = columns.filter((c) => columnKind(c.type) === 'temporal').sort((a, b) => rank(a.name) - rank(b.name));
  // Hive's `date=` partition folder is a day, not a request time: prefer a real timestamp.
  const exact = typed.filter((c) => c.name.toLowerCase() !== 'date' || typed.length === 1);
  if (exact.length > 0) {
    const c = exact[0];
    return { column: c.name, expr: `CAST(${quoteIdent(c.name)} AS TIMESTAMP)`, source: 'timestamp' };
  }

  const named = columns.filter((c) => TIMEY_NAME.test(c.name)).sort((a, b) => rank(a.name) - rank(b.name));
  for (const c of named) {
    const kind = columnKind(c.type);
    if (kind === 'numeric') {
      const found = await probeEpoch(conn, relation, c.name);
      if (found) return found;
    } else if (kind === 'text') {
      const found = await probeIsoText(conn, relation, c.name);
      if (found) return found;
    }
  }
  return null;
}

async function probeEpoch(conn: DuckDBConnection, relation: string, name: string): Promise<TimestampColumn | null> {
  const col = quoteIdent(name);
  const row = await queryOne<{ v: number | null }>(
    conn,
    `SELECT median(abs(${col}::DOUBLE)) AS v FROM (SELECT ${col} FROM ${relation} WHERE ${col} IS NOT NULL LIMIT 1000)`,
  );
  const v = row?.v;
  if (v == null || !Number.isFinite(v)) return null;
  // 2000-01-01 and 2100-01-01 in seconds, and the same instants in finer units.
  const units: Array<[TimestampColumn['source'], number]> = [
    ['epoch_s', 1],
    ['epoch_ms', 1e3],
    ['epoch_us', 1e6],
    ['epoch_ns', 1e9],
  ];
  for (const [source, scale] of units) {
    if (v >= 946_684_800 * scale && v < 4_102_444_800 * scale) {
      const expr = `make_timestamp(CAST(${col}::DOUBLE * ${1e6 / scale} AS BIGINT))`;
      return { column: name, expr, source };
    }
  }
  return null;
}

async function probeIsoText(conn: DuckDBConnection, relation: string, name: string): Promise<TimestampColumn | null> {
  const col = quoteIdent(name);
  const row = await queryOne<{ n: number; ok: number }>(
    conn,
    `SELECT count(*) AS n, count(try_cast(v AS TIMESTAMP)) AS ok
       FROM (SELECT ${col} AS v FROM ${relation} WHERE ${col} IS NOT NULL LIMIT 1000)`,
  );
  if (!row || row.n === 0 || row.ok / row.n < 0.9) return null;
  return { column: name, expr: `try_cast(${col} AS TIMESTAMP)`, source: 'iso_text' };
}
