import { afterAll, describe, expect, it } from 'vitest';
import { queryOne, queryRows } from '../../../electron/core/db/duckdb';
import { syncExports } from '../../../electron/core/exports/sync-exports';
import { TailRunner } from '../../../electron/core/tail/tail-runner';
import type { RunningService } from '../../../service/server';
import type { ExportEntry } from '../../../shared/service-contract';
import { openWorkspace, scenario, seqOf, serveTail, until } from './tail-support';

const services: RunningService[] = [];
afterAll(async () => {
  for (const s of services) await s.close();
});

const HOUR = 3_600_000;

async function manifestOf(svc: RunningService): Promise<ExportEntry[]> {
  const res = await fetch(`${svc.url}/v1/exports`, { headers: { Authorization: 'Bearer tok' } });
  return ((await res.json()) as { exports: ExportEntry[] }).exports;
}

describe('a gap in the stream', () => {
  it('after a restart names the hours from the newest stored row, and a sync of just those hours fills the hole', async () => {
    // 2 requests/s simulated at 1800×: a simulated hour every 2 s, 3,600 events/s. The service
    // holds only the newest 2,000 events, so a tail that is away for a few seconds misses some.
    const { db, ws } = await openWorkspace();
    const s = await scenario('tail-steady.yaml', { rate: 2 });
    const { svc } = await serveTail(s, { speed: 1800, tailCapacity: 2000 });
    services.push(svc);
    const fast = { baseMs: 20, maxMs: 200 };

    // First run, from the first event, stopped early in the first simulated hour.
    const first = new TailRunner({ instance: db.instance, serviceUrl: svc.url, token: 'tok', from: 0, client: fast });
    await first.start();
    await until(() => first.snapshot().ingested >= 500, 30_000, '500 events');
    await first.stop();
    const stored = (await queryOne<{ newest: number }>(db.conn, "SELECT epoch_ms(max(ts))::DOUBLE AS newest FROM ws.requests WHERE _file LIKE 'tail:%'"))!.newest;

    // Away for long enough that the service drops what came in between and moves an hour on.
    await new Promise((r) => setTimeout(r, 3000));
    const second = new TailRunner({ instance: db.instance, serviceUrl: svc.url, token: 'tok', from: 'resume', client: fast });
    await second.start();
    await until(() => second.snapshot().gaps.length > 0 && second.snapshot().ingested > 100, 30_000, 'the gap and events after it');
    await second.stop();
    const snap = second.snapshot();
    expect(snap.gaps).toHaveLength(1);
    const gap = snap.gaps[0];
    expect(gap.requested).toBe(first.snapshot().cursor);
    expect(gap.oldest).toBeGreaterThan(gap.requested + 1);
    // From the hour of the newest row the first run stored (this run had none before the gap)
    // to the hour of the first event after it.
    const firstAfter = (await queryOne<{ t: number }>(db.conn, "SELECT epoch_ms(min(ts))::DOUBLE AS t FROM ws.requests WHERE _file LIKE 'tail:%' AND ts > epoch_ms($1::BIGINT)", [stored]))!.t;
    const hours: string[] = [];
    for (let h = Math.floor(stored / HOUR) * HOUR; h <= firstAfter; h += HOUR) hours.push(new Date(h).toISOString());
    expect(hours.length).toBeGreaterThanOrEqual(2);
    expect(gap.hours).toEqual(hours);

    // The live rows of the gap's hours have a hole where the gap was.
    const span = [hours[0], new Date(Date.parse(hours.at(-1)!) + HOUR).toISOString()].map((t) => t.replace('Z', ''));
    const hole = async () => {
      const seqs = (await queryRows<{ request_id: string }>(db.conn, 'SELECT request_id FROM ws.requests WHERE ts >= $1::TIMESTAMP AND ts < $2::TIMESTAMP', span))
        .map((r) => seqOf(r.request_id))
        .sort((a, b) => a - b);
      return seqs.at(-1)! - seqs[0] + 1 - seqs.length;
    };
    expect(await hole()).toBeGreaterThan(0);

    // Sync only the gap's hours, once the service has exported them: the hole is filled, the
    // rows the tail already had are not added again, and no other hour is downloaded.
    await until(async () => (await manifestOf(svc)).some((e) => Date.parse(e.start) > Date.parse(hours.at(-1)!)), 30_000, 'the gap hours and one after them exported');
    const manifest = await manifestOf(svc);
    const inGap = manifest.filter((e) => hours.includes(e.start));
    const result = await syncExports({ serviceUrl: svc.url, token: 'tok', exportsDir: ws.layout.exportsDir, hours });
    // (The service may have exported another hour since we looked: the manifest only grows.)
    expect(result).toMatchObject({ downloaded: inGap.length, skipped: 0, failed: [] });
    expect(result.manifest).toBeGreaterThanOrEqual(manifest.length);
    expect(manifest.length).toBeGreaterThan(inGap.length);
    const state = await ws.refresh();
    expect(state.lastIngest!.duplicates).toBeGreaterThan(0);
    expect(await hole()).toBe(0);
    const dupes = await queryOne<{ n: number; ids: number }>(db.conn, 'SELECT count(*)::INT AS n, count(DISTINCT request_id)::INT AS ids FROM ws.requests');
    expect(dupes!.n).toBe(dupes!.ids);
    await ws.close();
    db.close();
  }, 120_000);
});
