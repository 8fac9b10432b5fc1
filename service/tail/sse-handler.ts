import type http from 'node:http';
import type { Faults } from '../http/faults';
import type { TailEvent, TailHub } from './tail-hub';
import { malformedEvent } from './malformed';

/**
 * GET /v1/tail: Server-Sent Events. Resumes after `Last-Event-ID` (or `?cursor=`); without a
 * cursor, starts at the live head. Backlog is written respecting backpressure; heartbeats keep
 * proxies from closing an idle stream.
 */
export function serveTail(req: http.IncomingMessage, res: http.ServerResponse, hub: TailHub, faults: Faults, heartbeatMs = 5000): void {
  const url = new URL(req.url ?? '/', 'http://x');
  const header = req.headers['last-event-id'];
  const raw = (Array.isArray(header) ? header[0] : header) ?? url.searchParams.get('cursor');
  const cursor = raw != null && /^\d+$/.test(raw) ? Number(raw) : hub.head;

  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  });
  res.write('retry: 1000\n\n');

  let sent = 0;
  let closed = false;
  const queue: TailEvent[] = [];
  let draining = false;

  const format = (e: TailEvent) => `id: ${e.id}\nevent: ${e.type}\ndata: ${e.data}\n\n`;
  const close = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    clearInterval(hb);
    res.end();
  };
  const pump = () => {
    if (draining || closed) return;
    while (queue.length) {
      const e = queue.shift()!;
      const text = faults.malformedRate > 0 && faults.random() < faults.malformedRate ? format({ ...e, data: malformedEvent(e.data, faults.random) }) : format(e);
      const ok = res.write(text);
      sent++;
      if (faults.dropEvery && sent >= faults.dropEvery) {
        // Fault: the connection drops mid-stream, as a flaky proxy would.
        res.destroy();
        closed = true;
        unsubscribe();
        clearInterval(hb);
        return;
      }
      if (!ok) {
        draining = true;
        res.once('drain', () => {
          draining = false;
          pump();
        });
        return;
      }
    }
  };

  const { gap, events } = hub.since(cursor);
  if (gap) res.write(`event: gap\ndata: ${JSON.stringify(gap)}\n\n`);
  queue.push(...events);
  const unsubscribe = hub.subscribe((e) => {
    queue.push(e);
    pump();
  });
  const hb = setInterval(() => res.write(': heartbeat\n\n'), heartbeatMs);
  req.on('close', close);
  res.on('error', close);
  pump();
}
