import { afterAll, describe, expect, it } from 'vitest';
import { queryOne } from '../../../electron/core/db/duckdb';
import type { RunningService } from '../../../service/server';
import { tempDir } from '../../support/make-parquet';
import { runLoupe } from '../../support/run-cli';
import { openWorkspace, regressionWithHistory, scenario, serveTail } from '../tail/tail-support';

const services: RunningService[] = [];
afterAll(async () => {
  for (const s of services) await s.close();
});

interface Line {
  type: 'status' | 'alert' | 'summary';
  [k: string]: unknown;
}

describe('loupe tail', () => {
  it('streams into a workspace on a headless box, printing status, memory and the judge alert as JSON lines', async () => {
    const { s, dir } = await regressionWithHistory('loupe-cli-tail-', { seed: 42, days: 0.25 });
    const { svc } = await serveTail(s, { speed: 60 });
    services.push(svc);

    const res = await runLoupe(['tail', '--service', svc.url, '--token', 'tok', '--dir', dir, '--from', 'head', '--every', '1', '--duration', '30', '--json'], { timeoutMs: 150_000 });
    expect(res.code, res.stderr).toBe(0);
    const lines = res.stdout.trim().split('\n').map((l) => JSON.parse(l) as Line);
    const statuses = lines.filter((l) => l.type === 'status');
    expect(statuses.length).toBeGreaterThan(10);
    expect(statuses.some((l) => l.state === 'live' && (l.eventsPerSecond as number) > 50)).toBe(true);
    // The process's own memory, so a headless box can watch it stay level.
    const memory = statuses.at(-1)!.memory as { rssBytes: number; startRssBytes: number };
    expect(memory.rssBytes).toBeGreaterThan(50 * 2 ** 20);
    expect(memory.startRssBytes).toBeGreaterThan(50 * 2 ** 20);

    const alerts = lines.filter((l) => l.type === 'alert');
    expect(alerts.map((a) => a.id as string).filter((id) => id.startsWith('judge:assistant:v2'))).toHaveLength(1);
    expect(alerts.find((a) => (a.id as string).startsWith('judge:assistant:v2'))).toMatchObject({ active: true, target: { view: 'deployments', deployment: 'assistant' } });

    const summary = lines.at(-1)!;
    expect(summary.type).toBe('summary');
    expect(summary).toMatchObject({ state: 'stopped', duplicates: 0, quarantined: 0 });
    // Every request it reported is in the workspace, next to the exports, once.
    const { db, ws } = await openWorkspace(dir);
    const live = await queryOne<{ n: number; ids: number }>(db.conn, "SELECT count(*)::INT AS n, count(DISTINCT request_id)::INT AS ids FROM ws.requests WHERE _file LIKE 'tail:%'");
    expect(live).toEqual({ n: summary.ingested, ids: summary.ingested });
    expect((summary.ingested as number) > 1000).toBe(true);
    const exported = await queryOne<{ n: number }>(db.conn, "SELECT count(*)::INT AS n FROM ws.requests WHERE _file NOT LIKE 'tail:%'");
    expect(exported!.n).toBeGreaterThan(100_000);
    await ws.close();
    db.close();
  }, 240_000);

  it('prints readable status lines with the memory, and a summary, without --json', async () => {
    const { svc } = await serveTail(await scenario('tail-steady.yaml'), { speed: 1 });
    services.push(svc);
    const dir = tempDir('loupe-cli-tail-text-');
    const res = await runLoupe(['tail', '--service', svc.url, '--token', 'tok', '--dir', dir, '--from', 'head', '--every', '0.5', '--duration', '4']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toMatch(/^\[live\] \d+\/s {2}lag [\d.]+ s {2}added \d+ {2}dup 0 {2}quarantined 0 {2}reconnects 0 {2}rss \d+ MB/m);
    expect(res.stdout).toMatch(/^\d+ requests added, 0 already present, 0 quarantined, 0 reconnects; cursor \d+$/m);
  }, 60_000);

  it('stops with what to do when the service refuses the token, or none is given', async () => {
    const { svc } = await serveTail(await scenario('tail-steady.yaml'), { speed: 1 });
    services.push(svc);
    const dir = tempDir('loupe-cli-tail-bad-');
    const refused = await runLoupe(['tail', '--service', svc.url, '--token', 'not-a-token', '--dir', dir, '--duration', '20', '--json']);
    expect(refused.code).not.toBe(0);
    // Still one JSON object per line, the error last.
    const lines = refused.stdout.trim().split('\n').map((l) => JSON.parse(l) as Line);
    expect(lines.at(-1)).toEqual({
      type: 'error',
      error: expect.objectContaining({ code: 'unauthorized', message: 'the service refused the token for the tail (401)', hint: expect.stringContaining('LOUPE_TOKEN') }),
    });
    expect(refused.stderr).toContain('the service refused the token for the tail (401)');

    const none = await runLoupe(['tail', '--service', svc.url, '--dir', dir]);
    expect(none.code).not.toBe(0);
    expect(none.stderr).toMatch(/no token/);
    expect(none.stderr).toMatch(/--token or set LOUPE_TOKEN/);
  }, 60_000);
});
