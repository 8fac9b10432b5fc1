import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runTailClient, type ConnectionState } from '../../../electron/core/tail/tail-client';
import { TailRunner } from '../../../electron/core/tail/tail-runner';
import { queryRows } from '../../../electron/core/db/duckdb';
import { historyModel } from '../../../service/sim/generate-history';
import { makeRecord } from '../../../service/sim/traffic';
import { openWorkspace, scenario, until } from './tail-support';

/** A stand-in for the service's /v1/tail whose every answer the test scripts, request by request. */
async function scriptedTail(answer: (req: http.IncomingMessage, res: http.ServerResponse, n: number) => void): Promise<{ url: string; requests: http.IncomingMessage[]; close: () => Promise<void> }> {
  const requests: http.IncomingMessage[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req);
    answer(req, res, requests.length);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of closers.splice(0)) await c();
});

interface Step {
  state: ConnectionState;
  detail?: { attempt: number; delayMs: number; reason: string };
  at: number;
}

describe('the tail client', () => {
  it('backs off exponentially, honours Retry-After, and resumes after the last event it saw', async () => {
    const svc = await scriptedTail((req, res, n) => {
      if (n <= 2) {
        res.writeHead(503, { 'Retry-After': '1' }).end('busy');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      const from = Number(req.headers['last-event-id'] ?? 0);
      // Two events, then the connection drops: the next request must resume after them.
      res.write(`id: ${from + 1}\nevent: request\ndata: {"n":${from + 1}}\n\nid: ${from + 2}\nevent: request\ndata: {"n":${from + 2}}\n\n`);
      if (n === 3) setTimeout(() => res.destroy(), 50);
    });
    closers.push(svc.close);
    const steps: Step[] = [];
    const seen: number[] = [];
    const ac = new AbortController();
    const done = runTailClient({
      serviceUrl: svc.url, token: 'tok', cursor: 10, signal: ac.signal, baseMs: 100, maxMs: 400, random: () => 1,
      onState: (state, detail) => steps.push({ state, detail, at: Date.now() }),
      onEvent: (_e, c) => {
        seen.push(c!);
        if (seen.length === 4) ac.abort();
      },
    });
    await done;
    expect(seen).toEqual([11, 12, 13, 14]);
    expect(svc.requests.map((r) => r.headers['last-event-id'])).toEqual(['10', '10', '10', '12']);
    expect(svc.requests.every((r) => r.headers.authorization === 'Bearer tok')).toBe(true);
    const retries = steps.filter((s) => s.state === 'reconnecting').map((s) => s.detail!);
    // 503s: backoff 100 then 200 ms (random() = 1), raised to Retry-After's second; the drop after
    // the stream went live starts the backoff again at 100 ms.
    expect(retries).toEqual([
      { attempt: 1, delayMs: 1000, reason: 'the tail answered 503' },
      { attempt: 2, delayMs: 1000, reason: 'the tail answered 503' },
      { attempt: 1, delayMs: 100, reason: expect.any(String) },
    ]);
    expect(steps.map((s) => s.state)).toEqual(['connecting', 'reconnecting', 'reconnecting', 'live', 'reconnecting', 'live']);
  });

  it('grows the backoff to its cap with full jitter', async () => {
    const svc = await scriptedTail((_req, res) => res.writeHead(502).end());
    closers.push(svc.close);
    const delays: number[] = [];
    const ac = new AbortController();
    const jitter = [1, 1, 1, 1, 0.5, 0];
    await runTailClient({
      serviceUrl: svc.url, token: 'tok', cursor: null, signal: ac.signal, baseMs: 10, maxMs: 50, random: () => jitter[delays.length] ?? 0,
      onState: (state, detail) => {
        if (state !== 'reconnecting') return;
        delays.push(detail!.delayMs);
        if (delays.length === 6) ac.abort();
      },
      onEvent: () => {},
    });
    // 10, 20, 40, then the 50 ms cap; jitter draws uniformly below the step (here 0.5 and 0).
    expect(delays).toEqual([10, 20, 40, 50, 25, 0]);
  });

  it('treats a connection with no event and no heartbeat as dead, and says so', async () => {
    const svc = await scriptedTail((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.flushHeaders(); // and then silence
    });
    closers.push(svc.close);
    const ac = new AbortController();
    const reasons: string[] = [];
    await runTailClient({
      serviceUrl: svc.url, token: 'tok', cursor: null, signal: ac.signal, idleTimeoutMs: 1000, baseMs: 10,
      onState: (state, detail) => {
        if (state !== 'reconnecting') return;
        reasons.push(detail!.reason);
        ac.abort();
      },
      onEvent: () => {},
    });
    expect(reasons).toEqual(['no event or heartbeat for 1 s']);
  });

  it('stops on an address with no tail (404), naming it, instead of retrying for ever', async () => {
    const svc = await scriptedTail((_req, res) => res.writeHead(404).end());
    closers.push(svc.close);
    await expect(runTailClient({ serviceUrl: `${svc.url}/wrong`, token: 'tok', cursor: null, signal: new AbortController().signal, onEvent: () => {} })).rejects.toMatchObject({
      code: 'not_found', message: `${svc.url}/wrong/v1/tail answered 404: no live tail there`, hint: expect.stringContaining('service URL'),
    });
    expect(svc.requests).toHaveLength(1);
  });

  it('quarantines an event type it does not read and a gap it cannot parse, and goes on', async () => {
    const s = await scenario('tail-steady.yaml');
    const model = historyModel(s, 3);
    const record = (i: number) => JSON.stringify(makeRecord(model, Date.parse(s.start) + i * 1000, i));
    const svc = await scriptedTail((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/event-stream' });
      res.write(`id: 1\nevent: request\ndata: ${record(1)}\n\n`);
      res.write('id: 2\nevent: deployment\ndata: {"deployment":"assistant","state":"rolled_back"}\n\n');
      res.write('id: 3\nevent: gap\ndata: {}\n\n');
      res.write(`id: 4\nevent: request\ndata: ${record(4)}\n\n`);
    });
    closers.push(svc.close);
    const { db, ws } = await openWorkspace();
    const runner = new TailRunner({ instance: db.instance, serviceUrl: svc.url, token: 'tok', from: 'head' });
    await runner.start();
    await until(() => runner.snapshot().ingested === 2 && runner.snapshot().quarantined === 2, 10_000, 'two requests and two quarantined');
    await runner.stop();
    expect(runner.snapshot()).toMatchObject({ cursor: 4, gaps: [], state: 'stopped', error: null });
    const q = await queryRows<{ cursor: number; reason: string; detail: string }>(db.conn, 'SELECT cursor::INT AS cursor, reason, detail FROM ws.tail_quarantine ORDER BY cursor');
    expect(q).toEqual([
      { cursor: 2, reason: 'unknown_event', detail: 'an event of type "deployment", which this version of Loupe does not read' },
      { cursor: 3, reason: 'unknown_event', detail: 'a gap event without {requested, oldest}' },
    ]);
    await ws.close();
    db.close();
  });

  it('shows in the snapshot why it is reconnecting and when it tries next', async () => {
    // A port nothing listens on: the service is down.
    const svc = await scriptedTail(() => {});
    await svc.close();
    const { db, ws } = await openWorkspace();
    const runner = new TailRunner({ instance: db.instance, serviceUrl: svc.url, token: 'tok', from: 'head', client: { baseMs: 300, maxMs: 300, random: () => 1 } });
    const t0 = Date.now();
    await runner.start();
    await until(() => runner.snapshot().retry !== null, 10_000, 'a retry');
    const t1 = Date.now();
    const s = runner.snapshot();
    expect(s.state).toBe('reconnecting');
    expect(s.retry!.reason).toMatch(/^fetch failed: .*ECONNREFUSED/);
    // The next try is the backoff (300 ms here) after the failure, which came between t0 and t1.
    expect(Date.parse(s.retry!.nextAt)).toBeGreaterThanOrEqual(t0 + 300);
    expect(Date.parse(s.retry!.nextAt)).toBeLessThanOrEqual(t1 + 300);
    await runner.stop();
    expect(runner.snapshot().retry).toBeNull();
    await ws.close();
    db.close();
  });
});
