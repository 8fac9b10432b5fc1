import { DuckDBDataChunk, type DuckDBConnection } from '@duckdb/node-api';
import { describe, expect, it, vi } from 'vitest';
import { queryOne, queryRows } from '../../../electron/core/db/duckdb';
import { existingIds, loadCursor, prepareTailTables, saveCursor, STAGING } from '../../../electron/core/tail/tail-tables';
import { TailWriter, toSqlTs } from '../../../electron/core/tail/tail-writer';
import { historyModel } from '../../../service/sim/generate-history';
import { makeRecord } from '../../../service/sim/traffic';
import { logColumnsV1, type LogRecord } from '../../../shared/log-schema';
import { openWorkspace, scenario } from './tail-support';

const SOURCE = 'tail:http://svc';

async function records(n: number, from = 0): Promise<LogRecord[]> {
  const s = await scenario('tail-steady.yaml');
  const model = historyModel(s, 1);
  const t0 = Date.parse(s.start);
  // Through JSON, as the tail receives them.
  return Array.from({ length: n }, (_, i) => JSON.parse(JSON.stringify(makeRecord(model, t0 + (from + i) * 250, from + i))) as LogRecord);
}

/** The rows of `requests` from the tail, as the records they came from. */
async function stored(conn: Parameters<typeof queryRows>[0]): Promise<LogRecord[]> {
  const cols = logColumnsV1.map(([n]) => (n === 'ts' ? `strftime(ts, '%Y-%m-%dT%H:%M:%S.%gZ') AS ts` : `"${n}"`));
  return queryRows<LogRecord>(conn, `SELECT ${cols.join(', ')} FROM ws.requests WHERE _file = '${SOURCE}' ORDER BY ts, request_id`);
}

function close(a: LogRecord, b: LogRecord): void {
  const { input_embedding: ea, ts: ta, ...ra } = a;
  const { input_embedding: eb, ts: tb, ...rb } = b;
  expect(ra).toEqual(rb);
  expect(Date.parse(ta)).toBe(Date.parse(tb));
  expect(ea === null).toBe(eb === null);
  if (ea && eb) expect(ea).toEqual(eb.map((x) => Math.fround(x)));
}

describe('TailWriter', () => {
  it('appends each request once — not again from a resent event, a later batch or an export — with the cursor in the same commit', async () => {
    const { db, ws } = await openWorkspace();
    const conn = await db.instance.connect();
    await prepareTailTables(conn);
    const rs = await records(3000);
    // Two of them already came with an export.
    await conn.run(
      `INSERT INTO ws.requests (request_id, ts, _file) VALUES ($1, $2::TIMESTAMP, 'exports/a.parquet'), ($3, $4::TIMESTAMP, 'exports/a.parquet')`,
      [rs[10].request_id, toSqlTs(Date.parse(rs[10].ts)), rs[2500].request_id, toSqlTs(Date.parse(rs[2500].ts))],
    );
    const committed: Array<{ added: number; duplicates: number }> = [];
    const writer = new TailWriter(conn, SOURCE, { batchRows: 1000, onCommitted: (added, b) => committed.push({ added: added.length, duplicates: b.duplicates }) });
    let cursor = 0;
    for (const r of rs.slice(0, 2000)) await writer.add(r, ++cursor);
    await writer.add(rs[5], ++cursor); // resent after its batch was committed
    await writer.add(rs[2000], ++cursor);
    await writer.add(rs[2000], ++cursor); // repeated inside one batch
    for (const r of rs.slice(2001)) await writer.add(r, ++cursor);
    await writer.flush();

    expect(await loadCursor(conn, SOURCE)).toBe(cursor);
    const rows = await stored(conn);
    const expected = rs.filter((_, i) => i !== 10 && i !== 2500);
    expect(rows.length).toBe(expected.length);
    const byId = new Map(rows.map((r) => [r.request_id, r]));
    for (const r of expected) close(byId.get(r.request_id)!, r);
    expect(committed.reduce((a, c) => a + c.added, 0)).toBe(expected.length);
    expect(committed.reduce((a, c) => a + c.duplicates, 0)).toBe(4); // the two exported, the resent, the repeat
    conn.closeSync();
    await ws.close();
    db.close();
  });

  it('fills a table founded by another export shape through a staging table it drops, and follows a column added mid-stream', async () => {
    const { db, ws } = await openWorkspace();
    const conn = await db.instance.connect();
    // An export with a nested column and a wider integer founded the table.
    await conn.run(
      `CREATE TABLE ws.requests (attributes STRUCT(a INTEGER, b VARCHAR[]), ${logColumnsV1.map(([n, t]) => `"${n}" ${n === 'latency_ms' ? 'BIGINT' : t}`).join(', ')}, _file VARCHAR)`,
    );
    await prepareTailTables(conn);
    const rs = await records(1200);
    const writer = new TailWriter(conn, SOURCE, { batchRows: 500 });
    let cursor = 0;
    for (const r of rs.slice(0, 600)) await writer.add(r, ++cursor);
    await writer.flush();
    const staging = await queryOne<{ n: number }>(conn, `SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = '${STAGING}'`);
    expect(staging!.n).toBe(0);

    // The exported columns go; a plain new one arrives (as an export sync would add it): the
    // writer notices and appends directly, leaving the new column NULL.
    await conn.run('ALTER TABLE ws.requests DROP COLUMN attributes');
    await conn.run('ALTER TABLE ws.requests ALTER COLUMN latency_ms TYPE INTEGER');
    await conn.run('ALTER TABLE ws.requests ADD COLUMN region VARCHAR');
    await conn.run('ALTER TABLE ws.requests ADD COLUMN cost DECIMAL(9, 4)');
    await conn.run('ALTER TABLE ws.requests ADD COLUMN day DATE');
    for (const r of rs.slice(600)) await writer.add(r, ++cursor);
    await writer.flush();

    const rows = await stored(conn);
    expect(rows.length).toBe(rs.length);
    const byId = new Map(rows.map((r) => [r.request_id, r]));
    for (const r of rs) close(byId.get(r.request_id)!, r);
    expect(await queryOne(conn, 'SELECT count(region) AS r, count(cost) AS c, count(day) AS d FROM ws.requests')).toEqual({ r: 0, c: 0, d: 0 });
    expect(await loadCursor(conn, SOURCE)).toBe(cursor);
    conn.closeSync();
    await ws.close();
    db.close();
  });

  it('keeps a few data chunks however many batches wait behind a stalled commit', async () => {
    const { db, ws } = await openWorkspace();
    const conn = await db.instance.connect();
    await prepareTailTables(conn);
    const rs = await records(2100);
    // COMMIT waits at a gate, as a batch waits behind a checkpoint on a live tail.
    let open: () => void = () => {};
    let gate: Promise<void> | null = null;
    const stalling = new Proxy(conn, {
      get(target, prop) {
        if (prop === 'run') {
          return async (sql: string, ...rest: unknown[]) => {
            if (sql === 'COMMIT' && gate) await gate;
            return (target.run as (...a: unknown[]) => unknown).call(target, sql, ...rest);
          };
        }
        const v = Reflect.get(target, prop, target);
        return typeof v === 'function' ? v.bind(target) : v;
      },
    }) as DuckDBConnection;
    const writer = new TailWriter(stalling, SOURCE, { batchRows: 5000, flushMs: 3_600_000 });
    for (let i = 0; i < 100; i++) writer.add(rs[i], i + 1);
    await writer.flush(); // the first batch finds the table's layout
    const created = vi.spyOn(DuckDBDataChunk, 'create');
    gate = new Promise((r) => (open = r));
    const waiting: Promise<void>[] = [];
    for (let b = 1; b <= 20; b++) {
      for (let i = b * 100; i < (b + 1) * 100; i++) writer.add(rs[i], i + 1);
      waiting.push(writer.flush()); // the 250 ms timer's cut, 20 times during the stall
    }
    // Only the two batches behind the committing one are filled ahead; filling each made a
    // chunk per batch (19 here), which the pool then kept.
    expect(created.mock.calls.length).toBeLessThanOrEqual(3);
    gate = null;
    open();
    await Promise.all(waiting);
    expect(created.mock.calls.length).toBeLessThanOrEqual(3);
    created.mockRestore();
    expect((await stored(conn)).length).toBe(2100);
    expect(await loadCursor(conn, SOURCE)).toBe(2100);
    conn.closeSync();
    await ws.close();
    db.close();
  });

  it('commits rows and cursor together or not at all', async () => {
    const { db, ws } = await openWorkspace();
    const conn = await db.instance.connect();
    await prepareTailTables(conn);
    const rs = await records(300);
    const writer = new TailWriter(conn, SOURCE, { batchRows: 1000 });
    for (let i = 0; i < 100; i++) await writer.add(rs[i], i + 1);
    await writer.flush();
    // The cursor cannot be saved now, so the next batch must leave no row behind either.
    await conn.run('ALTER TABLE ws.tail_cursor RENAME TO tail_cursor_away');
    for (let i = 100; i < 300; i++) await writer.add(rs[i], i + 1);
    await expect(writer.flush()).rejects.toThrow(/tail_cursor/);
    await conn.run('ALTER TABLE ws.tail_cursor_away RENAME TO tail_cursor');
    expect((await stored(conn)).length).toBe(100);
    expect(await loadCursor(conn, SOURCE)).toBe(100);
    conn.closeSync();
    await ws.close();
    db.close();
  });
});

describe('existingIds', () => {
  it('finds the ids the workspace holds in the batch\'s time span, from the span\'s rows or, past the cap, by a join in DuckDB', async () => {
    const { db, ws } = await openWorkspace();
    const conn = await db.instance.connect();
    await prepareTailTables(conn);
    const t0 = Date.parse('2026-11-01T10:00:00Z');
    // 40 rows a second apart; r-5 twice (an export and a live row).
    const held = Array.from({ length: 40 }, (_, i) => ({ id: `r-${i}`, ts: toSqlTs(t0 + i * 1000) }));
    held.push({ id: 'r-5', ts: held[5].ts });
    for (const h of held) await conn.run(`INSERT INTO ws.requests (request_id, ts, _file) VALUES ($1, $2::TIMESTAMP, 'exports/a.parquet')`, [h.id, h.ts]);
    const from = toSqlTs(t0 + 5000);
    const to = toSqlTs(t0 + 20_000);
    // r-3 is held but outside the span; new-* are not held at all.
    const ids = ['r-5', 'r-12', 'r-20', 'r-3', 'new-1', 'new-2'];
    const viaSpan = await existingIds(conn, from, to, ids);
    const viaJoin = await existingIds(conn, from, to, ids, 10); // the span holds 17 rows, more than 10
    expect(viaSpan.sort()).toEqual(['r-12', 'r-20', 'r-5']);
    expect(viaJoin.sort()).toEqual(['r-12', 'r-20', 'r-5']);
    expect(await existingIds(conn, toSqlTs(t0 + 100_000), toSqlTs(t0 + 200_000), ids)).toEqual([]);
    conn.closeSync();
    await ws.close();
    db.close();
  });
});

describe('saveCursor', () => {
  it('keeps one row per service, the newest cursor in it, and rolls back with its transaction', async () => {
    const { db, ws } = await openWorkspace();
    const conn = await db.instance.connect();
    await saveCursor(conn, 'tail:http://a', 10);
    await saveCursor(conn, 'tail:http://b', 7);
    await saveCursor(conn, 'tail:http://a', 25);
    await conn.run('BEGIN TRANSACTION');
    await saveCursor(conn, 'tail:http://b', 99);
    await conn.run('ROLLBACK');
    expect(await loadCursor(conn, 'tail:http://a')).toBe(25);
    expect(await loadCursor(conn, 'tail:http://b')).toBe(7);
    expect(await loadCursor(conn, 'tail:http://c')).toBeNull();
    expect((await queryOne<{ n: number }>(conn, 'SELECT count(*) AS n FROM ws.tail_cursor'))?.n).toBe(2);
    conn.closeSync();
    await ws.close();
    db.close();
  });
});
