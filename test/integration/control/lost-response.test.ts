import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControlClient } from '../../../electron/core/control/service-client';
import { LoupeError } from '../../../shared/errors';
import { auditSchema } from '../../../shared/service-contract';
import type { RunningService } from '../../../service/server';
import { startMissedRegression } from './control-fixture';

let svc: RunningService;
let proxy: http.Server;
let proxyUrl: string;
/** POSTs whose response the proxy drops after the service has acted; then it passes everything. */
let dropPosts = 0;
let forwardedPosts = 0;

beforeAll(async () => {
  ({ svc } = await startMissedRegression());
  const target = new URL(svc.url);
  // A proxy that loses the answer: the request reaches the service, which acts, and the
  // client sees the connection die, exactly the case where a naive retry would act twice.
  proxy = http.createServer((req, res) => {
    const upstream = http.request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers: req.headers }, (up) => {
      if (req.method === 'POST') forwardedPosts++;
      if (req.method === 'POST' && dropPosts > 0) {
        dropPosts--;
        up.resume();
        up.on('end', () => res.destroy());
        return;
      }
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
    });
    req.pipe(upstream);
  });
  await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', () => r()));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}, 120_000);
afterAll(async () => {
  proxy?.closeAllConnections();
  await new Promise<void>((r) => (proxy ? proxy.close(() => r()) : r()));
  await svc?.close();
});

const manualRollbacks = async () =>
  auditSchema.parse(await (await fetch(`${svc.url}/v1/audit`, { headers: { Authorization: 'Bearer op' } })).json()).entries.filter((e) => !e.automatic);

describe('a lost response', () => {
  it('is retried with the same Idempotency-Key and the service acts once', async () => {
    const client = new ControlClient({ url: proxyUrl, token: 'op', actor: 'test', retry: { baseMs: 10, maxMs: 20 } });
    const d = await client.deployment('assistant');
    dropPosts = 1;
    const r = await client.act({ kind: 'rollback', deployment: 'assistant', revision: d.revision, idempotencyKey: 'lost-1', action: { version: 'v1', reason: 'lost response test' } }, d);
    expect(forwardedPosts).toBe(2);
    expect(r.outcome === 'done' && r.replayed).toBe(true);
    expect(await manualRollbacks()).toHaveLength(1);
  });

  it('when every attempt is lost: a network error that says a retry is safe, and a later retry acts not again', async () => {
    const client = new ControlClient({ url: proxyUrl, token: 'op', actor: 'test', retry: { attempts: 2, baseMs: 10, maxMs: 20 } });
    const d = await client.deployment('assistant');
    // Undo the rollback first (override), so there is something to roll back again.
    const o = await client.act({ kind: 'override', deployment: 'assistant', revision: d.revision, idempotencyKey: 'lost-2o', action: { version: 'v2', reason: 'reset for the next test' } }, d);
    expect(o.outcome).toBe('done');
    const d2 = await client.deployment('assistant');
    dropPosts = 2;
    const req = { kind: 'rollback' as const, deployment: 'assistant', revision: d2.revision, idempotencyKey: 'lost-3', action: { version: 'v1', reason: 'all attempts lost' } };
    const err = await client.act(req, d2).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(LoupeError);
    expect((err as LoupeError).code).toBe('network');
    expect((err as LoupeError).hint).toMatch(/will not act twice/);
    // The user presses Retry: same key, same body.
    const r = await client.act(req, d2);
    expect(r.outcome === 'done' && r.replayed).toBe(true);
    expect((await manualRollbacks()).filter((e) => e.reason === 'all attempts lost')).toHaveLength(1);
  });
});
