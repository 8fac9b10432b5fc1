import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../electron/core/db/duckdb';

/**
 * Writes an hourly-partitioned export in the service's layout (date=…/hour=…/part-0.parquet)
 * with schema-v1-like columns, `rowsPerHour` rows an hour for `hours` hours from
 * 2026-11-01T00:00Z. Deterministic: row i of the whole export has request_id 'r<i>'.
 */
export async function writeHourlyExport(dir: string, hours: number, rowsPerHour: number, startHour = 0): Promise<string[]> {
  const db = await openDatabase();
  const files: string[] = [];
  try {
    for (let h = startHour; h < startHour + hours; h++) {
      const t = new Date(Date.UTC(2026, 10, 1) + h * 3_600_000);
      const date = t.toISOString().slice(0, 10);
      const hour = String(t.getUTCHours()).padStart(2, '0');
      const part = path.join(dir, `date=${date}`, `hour=${hour}`);
      fs.mkdirSync(part, { recursive: true });
      const file = path.join(part, 'part-0.parquet');
      await db.conn.run(`
        COPY (
          SELECT 'r' || (${h * rowsPerHour} + i) AS request_id,
                 TIMESTAMP '${t.toISOString().slice(0, 19).replace('T', ' ')}' + to_milliseconds((i * 3600000 // ${rowsPerHour})::BIGINT) AS ts,
                 'chat' AS deployment,
                 ['v1', 'v2'][1 + (i % 2)] AS model_version,
                 ['p1', 'p2', 'p3'][1 + (i % 3)] AS prompt_revision,
                 ['support', 'search', 'billing', 'sql', 'summarize'][1 + (hash(i, 1) % 5)::BIGINT] AS route,
                 ['en', 'de', 'fr', 'ja', 'es', 'pt'][1 + (hash(i, 2) % 6)::BIGINT] AS locale,
                 ['free', 'pro', 'enterprise'][1 + (hash(i, 3) % 3)::BIGINT] AS tenant_tier,
                 'how do I ' || repeat('configure the thing ', 1 + (hash(i, 4) % 8)::INTEGER) AS prompt,
                 'you can ' || repeat('set the option and retry ', 1 + (hash(i, 5) % 12)::INTEGER) AS response,
                 (50 + hash(i, 6) % 2000)::INTEGER AS latency_ms,
                 (20 + hash(i, 7) % 400)::INTEGER AS input_tokens,
                 (10 + hash(i, 8) % 600)::INTEGER AS output_tokens,
                 CASE WHEN hash(i, 9) % 50 = 0 THEN 'error' ELSE 'ok' END AS status,
                 hash(i, 10) % 40 = 0 AS refused,
                 hash(i, 11) % 20 <> 0 AS format_ok,
                 CASE WHEN hash(i, 12) % 20 = 0 THEN (hash(i, 13) % 1000) / 1000.0 ELSE NULL END AS judge_score,
                 [((hash(i, 14 + d) % 1000) / 1000.0)::FLOAT FOR d IN range(32)] AS input_embedding
            FROM range(${rowsPerHour}) t(i)
        ) TO '${file}' (FORMAT parquet, COMPRESSION zstd)`);
      files.push(file);
    }
  } finally {
    db.close();
  }
  return files;
}
