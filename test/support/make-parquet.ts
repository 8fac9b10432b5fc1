import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../electron/core/db/duckdb';

export function tempDir(prefix = 'loupe-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/**
 * Writes a schema-v1-like request log with DuckDB: `rows` requests, one a minute from
 * 2026-11-01T00:00Z, three routes, four locales, a judge score on every 20th row (5 distinct values; null
 * elsewhere, so its null rate is exactly 95%).
 */
export async function writeRequestLog(file: string, rows: number): Promise<void> {
  const db = await openDatabase();
  try {
    await db.conn.run(`
      COPY (
        SELECT 'req-' || i AS request_id,
               TIMESTAMP '2026-11-01 00:00:00' + to_minutes(i) AS ts,
               ['support', 'search', 'billing'][i % 3 + 1] AS route,
               ['en', 'de', 'fr', 'ja'][i % 4 + 1] AS locale,
               CASE WHEN i % 20 = 0 THEN (i % 100) / 100.0 ELSE NULL END AS judge_score,
               (100 + (i * 37) % 900)::INTEGER AS latency_ms,
               i % 10 = 0 AS refused,
               'prompt number ' || i AS prompt
          FROM range(${Math.floor(rows)}) t(i)
      ) TO '${file.replace(/'/g, "''")}' (FORMAT parquet, COMPRESSION zstd)`);
  } finally {
    db.close();
  }
}
