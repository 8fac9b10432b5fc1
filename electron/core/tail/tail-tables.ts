import type { DuckDBConnection } from '@duckdb/node-api';
import { logColumnsV1 } from '../../../shared/log-schema';
import { queryOne, queryRows, quoteIdent } from '../db/duckdb';
import { REQUESTS, SOURCE_COLUMN } from '../workspace/ingest-partitions';
import { WS } from '../workspace/layout';

/**
 * Where live rows go. They join the workspace's own `requests` table (so every view and CLI
 * command sees exports and live as one), marked in the source-file column as `tail:<service>`
 * so a re-synced export never deletes them. A batch's new rows are appended straight into
 * `requests` inside the transaction that also saves the cursor (the Appender joins the
 * connection's open transaction), after one query has found the request ids the workspace
 * already holds. A table founded by an export of another shape, which the Appender cannot fill
 * column for column, gets the rows through a TEMP staging table and an INSERT naming the columns.
 */
export const STAGING = 'loupe_tail_staging';

export function tailSource(serviceUrl: string): string {
  return `tail:${serviceUrl.replace(/\/+$/, '')}`;
}

export async function prepareTailTables(conn: DuckDBConnection): Promise<void> {
  await conn.run(`DROP TABLE IF EXISTS temp.${STAGING}`);
  const exists = await queryOne<{ n: number }>(
    conn,
    `SELECT count(*) AS n FROM duckdb_tables() WHERE database_name = '${WS}' AND table_name = 'requests'`,
  );
  if (!exists?.n) {
    // No export imported yet: the table starts with schema v1, as an export would found it.
    await conn.run(`CREATE TABLE ${REQUESTS} (${logColumnsV1.map(([n, t]) => `${quoteIdent(n)} ${t}`).join(', ')}, ${quoteIdent(SOURCE_COLUMN)} VARCHAR)`);
    return;
  }
  // A table founded by another schema gains the v1 columns it lacks (INSERT BY NAME needs them).
  const have = new Set((await queryRows<{ column_name: string }>(conn, `DESCRIBE ${REQUESTS}`)).map((r) => r.column_name));
  for (const [n, t] of logColumnsV1) if (!have.has(n)) await conn.run(`ALTER TABLE ${REQUESTS} ADD COLUMN ${quoteIdent(n)} ${t}`);
  if (!have.has(SOURCE_COLUMN)) await conn.run(`ALTER TABLE ${REQUESTS} ADD COLUMN ${quoteIdent(SOURCE_COLUMN)} VARCHAR`);
}

/** The `requests` columns in table order, and those an INSERT could not simply leave NULL. */
export async function requestsColumns(conn: DuckDBConnection): Promise<{ names: string[]; constrained: Set<string> }> {
  const rows = await queryRows<{ name: string; dflt: string | null; nullable: boolean }>(
    conn,
    `SELECT column_name AS name, column_default AS dflt, is_nullable AS nullable FROM duckdb_columns()
      WHERE database_name = '${WS}' AND schema_name = 'main' AND table_name = 'requests' ORDER BY column_index`,
  );
  return { names: rows.map((r) => r.name), constrained: new Set(rows.filter((r) => r.dflt !== null || !r.nullable).map((r) => r.name)) };
}

/**
 * Which of `ids` the workspace already holds (from an export or an earlier live row), each once. A request
 * id has one timestamp, so only rows in the batch's time span can hold one, and zone maps on ts
 * keep the scan to the newest row groups. Usually the span holds a handful of rows (the batch's
 * own are not in yet), so their ids come back and are matched here: no hash join per batch.
 * The hash join that did it built small buffers that DuckDB's eviction queues remember long after
 * the query (they purge only past 32,768 entries per queue): at four batches a second, 8.1 of the
 * 9.9 MB of buffer handles still held after six minutes came from it (heaptrack on
 * tail-memory-breakdown.ts). A span
 * holding more than `spanCap` rows (an export of a busier service, a batch that straddles
 * hours) is matched in DuckDB instead, so the rows never cross into JS.
 */
export async function existingIds(conn: DuckDBConnection, minTs: string, maxTs: string, ids: string[], spanCap = Math.max(10_000, 4 * ids.length)): Promise<string[]> {
  const inSpan = await queryRows<{ request_id: string }>(
    conn,
    `SELECT r.request_id FROM ${REQUESTS} r WHERE r.ts >= CAST($1 AS TIMESTAMP) AND r.ts <= CAST($2 AS TIMESTAMP) LIMIT $3`,
    [minTs, maxTs, spanCap + 1],
  );
  if (inSpan.length <= spanCap) {
    const wanted = new Set(ids);
    return [...new Set(inSpan.map((r) => r.request_id).filter((id) => wanted.has(id)))];
  }
  const rows = await queryRows<{ request_id: string }>(
    conn,
    `SELECT r.request_id FROM ${REQUESTS} r
      WHERE r.ts >= CAST($1 AS TIMESTAMP) AND r.ts <= CAST($2 AS TIMESTAMP)
        AND r.request_id IN (SELECT unnest(from_json($3, '["VARCHAR"]')))`,
    // As one JSON text: binding a list costs a native call per id.
    [minTs, maxTs, JSON.stringify(ids)],
  );
  return [...new Set(rows.map((r) => r.request_id))];
}

/** A fresh, empty staging table of schema v1 (the caller drops it: see moveStagedRows). */
export async function createStaging(conn: DuckDBConnection): Promise<void> {
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${STAGING} (${logColumnsV1.map(([n, t]) => `${quoteIdent(n)} ${t}`).join(', ')})`);
}

/**
 * Moves the staged rows into `requests`, marked as coming from the tail, and drops the staging
 * table. Dropped, not emptied: DuckDB's DELETE (and TRUNCATE) only mark a TEMP table's rows
 * deleted and never give their memory back, so a staging table that was emptied after every
 * batch held every row the tail had ever written (~1 KB a row, hundreds of MB an hour at
 * 1,000 events/s); DROP frees it.
 */
export async function moveStagedRows(conn: DuckDBConnection, source: string): Promise<void> {
  const cols = logColumnsV1.map(([n]) => quoteIdent(n));
  await conn.run(
    `INSERT INTO ${REQUESTS} (${cols.join(', ')}, ${quoteIdent(SOURCE_COLUMN)})
     SELECT ${cols.map((c) => `s.${c}`).join(', ')}, $1 FROM temp.${STAGING} s`,
    [source],
  );
  await conn.run(`DROP TABLE temp.${STAGING}`);
}

/**
 * An UPDATE of the one cursor row, inserting it only the first time. Not `INSERT … ON CONFLICT`:
 * DuckDB 1.5 plans that as a MERGE with a hash aggregate and a hash join, whose small buffers
 * its eviction queues keep long after the statement (see existingIds), and the cursor is saved
 * with every batch, four times a second.
 */
export async function saveCursor(conn: DuckDBConnection, source: string, cursor: number, newestTs: string | null = null): Promise<void> {
  const updated = await conn.run(
    `UPDATE ${WS}.tail_cursor SET cursor = $2, newest_ts = greatest(newest_ts, $3::TIMESTAMP), updated_at = current_timestamp WHERE service = $1`,
    [source, cursor, newestTs],
  );
  if (updated.rowsChanged > 0) return;
  await conn.run(`INSERT INTO ${WS}.tail_cursor (service, cursor, newest_ts, updated_at) VALUES ($1, $2, $3::TIMESTAMP, current_timestamp)`, [source, cursor, newestTs]);
}

export async function loadCursor(conn: DuckDBConnection, source: string): Promise<number | null> {
  return (await loadTailPosition(conn, source)).cursor;
}

/** The saved cursor, and the newest event time of the rows committed with it (epoch ms). */
export async function loadTailPosition(conn: DuckDBConnection, source: string): Promise<{ cursor: number | null; newestMs: number | null }> {
  const row = await queryOne<{ cursor: number; newest: number | null }>(
    conn,
    `SELECT cursor, epoch_ms(newest_ts)::DOUBLE AS newest FROM ${WS}.tail_cursor WHERE service = $1`,
    [source],
  );
  return { cursor: row?.cursor ?? null, newestMs: row?.newest ?? null };
}

export async function quarantineRows(
  conn: DuckDBConnection,
  source: string,
  rows: Array<{ cursor: number | null; reason: string; detail: string; bytes: number; raw: string }>,
): Promise<void> {
  if (rows.length === 0) return;
  await conn.run(
    `INSERT INTO ${WS}.tail_quarantine (service, cursor, reason, detail, bytes, raw)
     SELECT $1, q.cursor, q.reason, q.detail, q.bytes, q.raw
       FROM (SELECT unnest(from_json($2, '[{"cursor":"BIGINT","reason":"VARCHAR","detail":"VARCHAR","bytes":"BIGINT","raw":"VARCHAR"}]'), recursive := true)) q`,
    [source, JSON.stringify(rows)],
  );
}

export async function quarantineCount(conn: DuckDBConnection, source: string): Promise<number> {
  return (await queryOne<{ n: number }>(conn, `SELECT count(*) AS n FROM ${WS}.tail_quarantine WHERE service = $1`, [source]))?.n ?? 0;
}
