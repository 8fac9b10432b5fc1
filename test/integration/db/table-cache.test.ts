import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase, queryOne, queryRows } from '../../../electron/core/db/duckdb';
import { trimTableCache } from '../../../electron/core/db/table-cache';
import { tempDir } from '../../support/make-parquet';

const MB = 2 ** 20;
const cachedBytes = async (db: Awaited<ReturnType<typeof openDatabase>>) =>
  (await queryRows<{ tag: string; b: number }>(db.conn, 'SELECT tag, memory_usage_bytes::DOUBLE AS b FROM duckdb_memory()')).find((r) => r.tag === 'BASE_TABLE')?.b ?? 0;

describe('trimming DuckDB’s cache of table blocks', () => {
  it('evicts checkpointed blocks above the budget, keeps the data, and restores the memory limit exactly', async () => {
    const db = await openDatabase({ file: path.join(tempDir('loupe-cache-'), 'w.duckdb'), memoryLimit: '3GB' });
    await db.conn.run(`CREATE TABLE t AS SELECT range AS id, md5(range::VARCHAR) || md5((range * 7)::VARCHAR) AS s FROM range(3000000)`);
    await db.conn.run('CHECKPOINT');
    const sum = await queryOne<{ n: number; l: number }>(db.conn, 'SELECT count(*) AS n, sum(length(s)) AS l FROM t');
    const before = await cachedBytes(db);
    expect(before).toBeGreaterThan(64 * MB); // the scan left the blocks cached

    const r = await trimTableCache(db.conn, '3GB', 16 * MB);
    expect(r.before).toBe(before);
    expect(r.after).toBeLessThanOrEqual(16 * MB);
    expect(await cachedBytes(db)).toBeLessThanOrEqual(16 * MB);
    expect((await queryOne<{ v: string }>(db.conn, "SELECT current_setting('memory_limit') AS v"))!.v).toBe('2.7 GiB');
    // Evicted blocks are read back from the file on the next query.
    expect(await queryOne(db.conn, 'SELECT count(*) AS n, sum(length(s)) AS l FROM t')).toEqual(sum);

    // Under the budget: nothing to do.
    const small = await trimTableCache(db.conn, '3GB', 4096 * MB);
    expect(small.after).toBe(small.before);
    db.close();
  }, 60_000);
});
