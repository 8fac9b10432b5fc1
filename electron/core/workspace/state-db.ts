import type { DuckDBConnection } from '@duckdb/node-api';
import { queryOne, quoteLiteral } from '../db/duckdb';
import { WS } from './layout';

/**
 * Loupe's own tables in the workspace file. Each migration runs once, in order, and is
 * recorded; later issues append migrations (labels, caches) and never edit old ones.
 */
const migrations: string[] = [
  `CREATE TABLE ${WS}.settings (key VARCHAR PRIMARY KEY, value JSON NOT NULL, updated_at TIMESTAMP DEFAULT current_timestamp)`,
  `CREATE TABLE ${WS}.ingested_files (
     path VARCHAR PRIMARY KEY, bytes BIGINT, mtime_ms BIGINT, rows_in_file BIGINT, rows_added BIGINT,
     duplicates BIGINT, ingested_at TIMESTAMP DEFAULT current_timestamp)`,
  `CREATE TABLE ${WS}.file_problems (
     path VARCHAR, code VARCHAR, message VARCHAR, column_name VARCHAR, hint VARCHAR,
     bytes BIGINT, mtime_ms BIGINT, seen_at TIMESTAMP DEFAULT current_timestamp, PRIMARY KEY (path, code))`,
  // Triage: one case per request, whatever brought it here; labels are append-only events.
  `CREATE TABLE ${WS}.triage_cases (
     case_id VARCHAR PRIMARY KEY, request_id VARCHAR NOT NULL, sources VARCHAR[] NOT NULL,
     slice VARCHAR, model_version VARCHAR, request JSON, created_at TIMESTAMP DEFAULT current_timestamp)`,
  `CREATE SEQUENCE ${WS}.label_event_seq START 1`,
  `CREATE TABLE ${WS}.label_events (
     event_id BIGINT PRIMARY KEY DEFAULT nextval('${WS}.label_event_seq'), case_id VARCHAR NOT NULL,
     kind VARCHAR NOT NULL, root_cause VARCHAR, note VARCHAR, expected VARCHAR, suggestion JSON,
     undoes BIGINT, actor VARCHAR NOT NULL, "at" TIMESTAMP NOT NULL DEFAULT current_timestamp)`,
  `CREATE TABLE ${WS}.eval_pushes (
     case_id VARCHAR PRIMARY KEY, status VARCHAR NOT NULL, detail VARCHAR, "at" TIMESTAMP DEFAULT current_timestamp)`,
  // Live tail (electron/core/tail): the cursor is committed with the rows it covers, so a
  // resumed stream neither loses nor repeats; malformed events are kept raw and counted.
  `CREATE TABLE ${WS}.tail_cursor (service VARCHAR PRIMARY KEY, cursor BIGINT NOT NULL, updated_at TIMESTAMP DEFAULT current_timestamp)`,
  `CREATE TABLE ${WS}.tail_quarantine (
     service VARCHAR NOT NULL, cursor BIGINT, reason VARCHAR NOT NULL, detail VARCHAR, bytes BIGINT NOT NULL,
     raw VARCHAR, received_at TIMESTAMP DEFAULT current_timestamp)`,
  // The newest event time the committed rows reach: after a restart, where a gap begins.
  `ALTER TABLE ${WS}.tail_cursor ADD COLUMN newest_ts TIMESTAMP`,
];

export async function attachWorkspaceDb(conn: DuckDBConnection, file: string): Promise<void> {
  await conn.run(`ATTACH ${quoteLiteral(file)} AS ${WS}`);
  await conn.run(`CREATE TABLE IF NOT EXISTS ${WS}.schema_migrations (version INTEGER PRIMARY KEY, applied_at TIMESTAMP DEFAULT current_timestamp)`);
  const row = await queryOne<{ v: number | null }>(conn, `SELECT max(version) AS v FROM ${WS}.schema_migrations`);
  for (let v = (row?.v ?? 0) + 1; v <= migrations.length; v++) {
    await conn.run('BEGIN TRANSACTION');
    try {
      await conn.run(migrations[v - 1]);
      await conn.run(`INSERT INTO ${WS}.schema_migrations (version) VALUES ($1)`, [v]);
      await conn.run('COMMIT');
    } catch (err) {
      await conn.run('ROLLBACK');
      throw err;
    }
  }
}

export async function detachWorkspaceDb(conn: DuckDBConnection): Promise<void> {
  await conn.run(`DETACH DATABASE IF EXISTS ${WS}`);
}

export async function readSetting<T>(conn: DuckDBConnection, key: string): Promise<T | null> {
  const row = await queryOne<{ value: string }>(conn, `SELECT value::VARCHAR AS value FROM ${WS}.settings WHERE key = $1`, [key]);
  return row ? (JSON.parse(row.value) as T) : null;
}

export async function writeSetting(conn: DuckDBConnection, key: string, value: unknown): Promise<void> {
  await conn.run(
    `INSERT INTO ${WS}.settings (key, value, updated_at) VALUES ($1, $2::JSON, current_timestamp)
     ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    [key, JSON.stringify(value)],
  );
}
