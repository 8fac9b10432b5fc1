import type { DuckDBConnection } from '@duckdb/node-api';
import { queryRows } from './duckdb';

/**
 * DuckDB keeps the table blocks it has read or checkpointed cached until memory_limit (40 % of
 * RAM here) forces it to evict them: a cache, not a leak, but on a day-long live tail it grows
 * with every checkpoint (~0.2 KB per event, tag BASE_TABLE in duckdb_memory()), and DuckDB has
 * no separate cap for it. Lowering memory_limit makes DuckDB evict unpinned blocks down to the
 * new limit at once, so a trim lowers it to what the rest of DuckDB uses plus the budget and
 * restores the configured limit in the same call.
 */
export async function trimTableCache(conn: DuckDBConnection, memoryLimit: string, budgetBytes: number): Promise<{ before: number; after: number }> {
  const usage = async () => {
    const rows = await queryRows<{ tag: string; bytes: number }>(conn, 'SELECT tag, memory_usage_bytes::DOUBLE AS bytes FROM duckdb_memory()');
    return { cached: rows.find((r) => r.tag === 'BASE_TABLE')?.bytes ?? 0, total: rows.reduce((s, r) => s + r.bytes, 0) };
  };
  const { cached, total } = await usage();
  if (cached <= budgetBytes) return { before: cached, after: cached };
  const target = Math.floor(total - cached + budgetBytes);
  // Both SETs in one call, so the lowered limit lasts as long as the eviction, not a round trip
  // through JS. An allocation on another connection meanwhile finds the budget's blocks still
  // cached and evicts from them. If the first SET fails (pinned memory above the target: a big
  // query is running), DuckDB keeps the old limit and the second never runs; the trim waits for
  // the next round.
  try {
    await conn.run(`SET memory_limit = '${target}B'; SET memory_limit = '${memoryLimit.replace(/'/g, '')}'`);
  } catch (err) {
    if (!/memory/i.test((err as Error).message)) throw err;
  }
  return { before: cached, after: (await usage()).cached };
}
