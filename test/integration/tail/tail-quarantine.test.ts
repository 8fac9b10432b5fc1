import { afterAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../../electron/core/db/duckdb';
import { MAX_EVENT_BYTES, parseTailEvent } from '../../../electron/core/tail/parse-tail-event';
import { TailRunner } from '../../../electron/core/tail/tail-runner';
import type { RunningService } from '../../../service/server';
import { openWorkspace, scenario, serveTail, until } from './tail-support';

const services: RunningService[] = [];
afterAll(async () => {
  for (const s of services) await s.close();
});

describe('malformed tail events', () => {
  it('are quarantined raw with their reason and counted, and the stream goes on', async () => {
    const { svc } = await serveTail(await scenario('tail-steady.yaml'), { speed: 25, faults: 'malformed-rate=0.05,seed=3' });
    services.push(svc);
    const { db, ws } = await openWorkspace();
    const runner = new TailRunner({ instance: db.instance, serviceUrl: svc.url, token: 'tok', from: 0 });
    await runner.start();
    await until(async () => {
      const r = await queryRows<{ reason: string }>(db.conn, 'SELECT DISTINCT reason FROM ws.tail_quarantine');
      return r.length === 3 && runner.snapshot().received >= 2000;
    }, 120_000, 'every kind of malformed event');
    await runner.stop();
    const s = runner.snapshot();
    expect(s.state).toBe('stopped');
    expect(s.error).toBeNull();

    const q = await queryRows<{ reason: string; n: number; max_bytes: number; max_kept: number }>(
      db.conn,
      'SELECT reason, count(*) AS n, max(bytes) AS max_bytes, max(length(raw)) AS max_kept FROM ws.tail_quarantine GROUP BY 1 ORDER BY 1',
    );
    expect(q.map((r) => r.reason)).toEqual(['bad_json', 'invalid_record', 'too_large']);
    const tooLarge = q.find((r) => r.reason === 'too_large')!;
    expect(tooLarge.max_bytes).toBeGreaterThan(1_000_000);
    expect(tooLarge.max_kept).toBeLessThan(MAX_EVENT_BYTES);
    const quarantined = q.reduce((a, r) => a + r.n, 0);
    expect(s.quarantined).toBe(quarantined);
    // Every cursor is either a request in the workspace or a quarantined event.
    const rows = await queryRows<{ n: number }>(db.conn, 'SELECT count(*) AS n FROM ws.requests WHERE _file = $1', [runner.source]);
    expect(rows[0].n + quarantined).toBe(s.cursor);
    expect(rows[0].n).toBe(s.ingested);
    await ws.close();
    db.close();
  }, 180_000);

  it('names what is wrong with a record', () => {
    const bad = parseTailEvent(JSON.stringify({ request_id: 'r1', ts: 'yesterday', latency_ms: 'fast' }), 7);
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.quarantined).toMatchObject({ cursor: 7, reason: 'invalid_record' });
      expect(bad.quarantined.detail).toMatch(/ts/);
    }
    const cut = parseTailEvent('{"request_id": "r1", "ts', 8);
    expect(cut.ok ? null : cut.quarantined.reason).toBe('bad_json');
  });
});
