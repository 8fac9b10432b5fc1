import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { queryOne, queryRows } from '../../../electron/core/db/duckdb';
import { TailRunner } from '../../../electron/core/tail/tail-runner';
import { openWorkspace, seqOf, spawnService, until } from './tail-support';

const TOTAL = 100_000;
const DROP_EVERY = 7919;
const services: Array<{ close(): Promise<void> }> = [];
afterAll(async () => {
  for (const s of services) await s.close();
});

describe('live tail: nothing lost, nothing twice', () => {
  it(`streams ${TOTAL.toLocaleString('en')} events through a connection dropped every ${DROP_EVERY} events and a restart, and holds exactly the service's requests`, async () => {
    // 20 req/s simulated at 500× = 10,000 events/s: 100k events cover ~1.4 simulated hours,
    // so the service also writes the first hour as an export to compare against.
    // The service runs in its own process: generating 10k events/s would starve this one.
    const svc = await spawnService('tail-steady.yaml', { speed: 500, faults: `drop-every=${DROP_EVERY}` });
    services.push(svc);
    const dataDir = svc.dataDir;
    const { db, ws, dir } = await openWorkspace();
    const fast = { baseMs: 20, maxMs: 200 };

    // First run: from the very first event, stopped part-way (as if the app closed).
    const first = new TailRunner({ instance: db.instance, serviceUrl: svc.url, token: 'tok', from: 0, client: fast });
    await first.start();
    await until(() => first.snapshot().received >= TOTAL / 3, 120_000, 'a third of the events');
    await first.stop();
    const firstSnap = first.snapshot();
    expect(firstSnap.state).toBe('stopped');
    expect(firstSnap.reconnects).toBeGreaterThan(0);

    // Second run resumes from the cursor committed in the workspace.
    const second = new TailRunner({ instance: db.instance, serviceUrl: svc.url, token: 'tok', from: 'resume', client: fast });
    await second.start();
    await until(() => (second.snapshot().cursor ?? 0) >= TOTAL, 240_000, `${TOTAL} events`);
    await second.stop();
    const snap = second.snapshot();
    expect(snap.reconnects).toBeGreaterThanOrEqual(Math.floor((TOTAL - firstSnap.received) / DROP_EVERY) - 1);
    expect(snap.quarantined).toBe(0);

    const source = first.source;
    const stats = await queryOne<{ n: number; ids: number; cursor: number }>(
      db.conn,
      `SELECT count(*) AS n, count(DISTINCT request_id) AS ids,
              (SELECT cursor FROM ws.tail_cursor WHERE service = $1) AS cursor
         FROM ws.requests WHERE _file = $1`,
      [source],
    );
    // Every cursor 1…N is one request: as many rows as cursors, each request once.
    expect(stats!.cursor).toBeGreaterThanOrEqual(TOTAL);
    expect(stats!.n).toBe(stats!.cursor);
    expect(stats!.ids).toBe(stats!.n);
    // The service numbers its requests consecutively: no hole in the sequence.
    const seqs = (await queryRows<{ request_id: string }>(db.conn, 'SELECT request_id FROM ws.requests WHERE _file = $1', [source])).map((r) => seqOf(r.request_id)).sort((a, b) => a - b);
    expect(seqs.at(-1)! - seqs[0] + 1).toBe(seqs.length);

    // The service's own export of the first hour: exactly our rows of that hour.
    const hourFile = path.join(dataDir, 'exports', 'date=2026-11-20', 'hour=00', 'part-0.parquet');
    await until(() => fs.existsSync(hourFile), 60_000, 'the service to export the first hour');
    const cmp = await queryOne<{ theirs: number; ours: number; missing: number; extra: number }>(
      db.conn,
      `WITH theirs AS (SELECT request_id FROM read_parquet($1)),
            ours AS (SELECT request_id FROM ws.requests WHERE _file = $2 AND ts < TIMESTAMP '2026-11-20 01:00:00')
       SELECT (SELECT count(*) FROM theirs) AS theirs, (SELECT count(*) FROM ours) AS ours,
              (SELECT count(*) FROM (SELECT * FROM theirs EXCEPT SELECT * FROM ours)) AS missing,
              (SELECT count(*) FROM (SELECT * FROM ours EXCEPT SELECT * FROM theirs)) AS extra`,
      [hourFile, source],
    );
    expect(cmp).toMatchObject({ missing: 0, extra: 0 });
    expect(cmp!.theirs).toBeGreaterThan(50_000);

    // That export arriving later (a sync) adds none of the requests the tail already holds.
    const before = (await queryOne<{ n: number }>(db.conn, 'SELECT count(*)::INT AS n FROM ws.requests'))!.n;
    const synced = path.join(dir, 'exports', 'date=2026-11-20', 'hour=00', 'part-0.parquet');
    fs.mkdirSync(path.dirname(synced), { recursive: true });
    fs.copyFileSync(hourFile, synced);
    const state = await ws.refresh();
    expect(state.lastIngest).toMatchObject({ filesIngested: 1, rowsAdded: 0, duplicates: cmp!.theirs });
    expect((await queryOne<{ n: number }>(db.conn, 'SELECT count(*)::INT AS n FROM ws.requests'))!.n).toBe(before);
    await ws.close();
    db.close();
  }, 420_000);
});
