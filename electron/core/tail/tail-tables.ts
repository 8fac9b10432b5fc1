import type { DuckDBConnection } from '@duckdb/node-api';
import { logColumnsV1 } from '../../../shared/log-schema';
import { bind, queryOne, queryRows, quoteIdent } from '../db/duckdb';
import { REQUESTS, SOURCE_COLUMN } from '../workspace/ingest-partitions';
import { WS } from '../workspace/layout';

/**
 * Where live rows go. They join the workspace's own `requests` table (so every view and CLI
 * command sees exports and live as one), marked in the source-file column as `tail:<service>`
 * so a re-synced export never deletes them. The Appender writes into a TEMP staging table
 * first, because an append cannot skip duplicates: the move into `requests` is one INSERT …
 * WHERE NOT EXISTS in the same transaction as the cursor.
 */
export const STAGING = 'loupe_tail_staging';
/**
 * The embedding is staged as its JSON text and cast in SQL: the Appender's list path builds one
 * JS value per float and took ~3× as long as the rest of the row together.
 */
export const STAGING_COLUMNS = [...logColumnsV1.map(([n, t]) => [n, n === 'input_embedding' ? 'VARCHAR' : t] as const), ['_cursor', 'BIGINT'] as const];

export function tailSource(serviceUrl: string): string {
  return `tail:${serviceUrl.replace(/\/+$/, '')}`;
}

export async function prepareTailTables(conn: DuckDBConnection): Promise<void> {
  await conn.run(`CREATE OR REPLACE TEMP TABLE ${STAGING} (${STAGING_COLUMNS.map(([n, t]) => `${quoteIdent(n)} ${t}`).join(', ')})`);
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

/**
 * Request ids of the staged batch that the workspace already holds (from an export or an
 * earlier live row). Only rows in the batch's time span are read — a request id has one
 * timestamp — so zone maps on ts keep this to the newest row groups, not the whole table.
 */
export async function existingIds(conn: DuckDBConnection, minTs: string, maxTs: string): Promise<string[]> {
  const rows = await queryRows<{ request_id: string }>(
    conn,
    `SELECT r.request_id FROM ${REQUESTS} r
      WHERE r.ts >= CAST($1 AS TIMESTAMP) AND r.ts <= CAST($2 AS TIMESTAMP)
        AND r.request_id IN (SELECT request_id FROM temp.${STAGING})`,
    [minTs, maxTs],
  );
  return rows.map((r) => r.request_id);
}

/** Moves the staged rows, minus `skip`, into `requests`, marked as coming from the tail. */
export async function moveStagedRows(conn: DuckDBConnection, source: string, skip: string[]): Promise<void> {
  const cols = logColumnsV1.map(([n]) => quoteIdent(n));
  const select = logColumnsV1.map(([n]) => (n === 'input_embedding' ? `CAST(s.input_embedding AS FLOAT[])` : `s.${quoteIdent(n)}`));
  await conn.run(
    `INSERT INTO ${REQUESTS} (${cols.join(', ')}, ${quoteIdent(SOURCE_COLUMN)})
     SELECT ${select.join(', ')}, $1 FROM temp.${STAGING} s
     ${skip.length ? 'WHERE s.request_id NOT IN (SELECT unnest($2::VARCHAR[]))' : ''}`,
    bind(skip.length ? [source, skip] : [source]),
  );
}

export async function clearStaging(conn: DuckDBConnection): Promise<void> {
  await conn.run(`DELETE FROM temp.${STAGING}`);
}

export async function saveCursor(conn: DuckDBConnection, source: string, cursor: number): Promise<void> {
  await conn.run(
    `INSERT INTO ${WS}.tail_cursor (service, cursor, updated_at) VALUES ($1, $2, current_timestamp)
     ON CONFLICT (service) DO UPDATE SET cursor = excluded.cursor, updated_at = excluded.updated_at`,
    [source, cursor],
  );
}

export async function loadCursor(conn: DuckDBConnection, source: string): Promise<number | null> {
  const row = await queryOne<{ cursor: number }>(conn, `SELECT cursor FROM ${WS}.tail_cursor WHERE service = $1`, [source]);
  return row?.cursor ?? null;
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
