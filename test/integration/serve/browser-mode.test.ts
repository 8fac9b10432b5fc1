import path from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callNames } from '../../../shared/api';
import fs from 'node:fs';
import { createCore, type Core } from '../../../electron/core/core';
import { startWebServer, type WebServer } from '../../../electron/serve';
import { tempDir, writeRequestLog } from '../../support/make-parquet';

let server: WebServer;
let core: Core;
let file: string;

const call = (name: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${server.url}/api/call/${name}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
const auth = () => ({ Authorization: `Bearer ${server.token}` });

beforeAll(async () => {
  const dir = tempDir('loupe-serve-');
  file = path.join(dir, 'log.parquet');
  await writeRequestLog(file, 500);
  // A stand-in for the built renderer, so this test does not depend on `vite build`.
  const staticDir = path.join(dir, 'renderer');
  fs.mkdirSync(staticDir);
  fs.writeFileSync(path.join(staticDir, 'index.html'), '<!doctype html><title>Loupe</title>');
  core = await createCore({ transport: 'browser' });
  server = await startWebServer({ core, staticDir, port: 0 });
});
afterAll(async () => {
  await server.close();
  await core.close();
});

describe('browser mode', () => {
  it('answers 401 on every API route without the token, and with a wrong one', async () => {
    for (const name of callNames) {
      expect((await call(name, {})).status, name).toBe(401);
      expect((await call(name, {}, { Authorization: 'Bearer nope' })).status, name).toBe(401);
    }
  });

  it('answers 401 for the page without the token, and serves it with the token', async () => {
    expect((await fetch(`${server.url}/`)).status).toBe(401);
    const page = await fetch(server.openUrl);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Loupe</title>');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/);
  });

  it('never serves files outside the renderer folder', async () => {
    const http = await import('node:http');
    for (const target of ['/../../../../etc/passwd', '/%2e%2e/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2f..%2fetc%2fpasswd']) {
      const body = await new Promise<string>((resolve, reject) => {
        const req = http.request(`${server.url}${target}?token=${server.token}`, { method: 'GET' }, (res) => {
          let text = '';
          res.on('data', (d) => (text += d));
          res.on('end', () => resolve(text));
        });
        req.on('error', reject);
        req.end();
      });
      expect(body, target).not.toContain('root:');
    }
  });

  it('does not let a cookie alone authorise an API call', async () => {
    const res = await call('appInfo', {}, { Cookie: `loupe_token=${server.token}` });
    expect(res.status).toBe(401);
  });

  it('rejects a foreign Host header (DNS rebinding)', async () => {
    const http = await import('node:http');
    const status = await new Promise<number>((resolve, reject) => {
      const req = http.request(`${server.url}/api/call/appInfo`, { method: 'POST', headers: { ...auth(), Host: 'evil.example' } }, (res) =>
        resolve(res.statusCode ?? 0),
      );
      req.on('error', reject);
      req.end('{}');
    });
    expect(status).toBe(403);
  });

  it('serves calls with the token and gives typed errors for bad input', async () => {
    const info = await (await call('appInfo', {}, auth())).json();
    expect(info).toMatchObject({ ok: true, value: { transport: 'browser' } });

    const bad = await call('openDataset', { paths: 'x' }, auth());
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({ ok: false, error: { code: 'bad_input' } });

    const notJson = await fetch(`${server.url}/api/call/appInfo`, { method: 'POST', headers: auth(), body: '{nope' });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: { message: string } }).error.message).toMatch(/not JSON/);

    const missing = await call('openDataset', { paths: ['/definitely/not/here.parquet'] }, auth());
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ ok: false, error: { code: 'not_found', file: '/definitely/not/here.parquet' } });
  });

  it('sends rows as Arrow IPC bytes', async () => {
    const opened = (await (await call('openDataset', { paths: [file] }, auth())).json()) as { value: { datasetId: string } };
    const res = await call('previewRows', { datasetId: opened.value.datasetId, offset: 10, limit: 5 }, auth());
    expect(res.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
    const table = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
    expect(table.numRows).toBe(5);
    expect(table.getChild('request_id')?.get(0)).toBe('req-10');
    expect(table.getChild('ts')?.get(0)).toBe(Date.UTC(2026, 10, 1, 0, 10));
  });

  it('streams events over the WebSocket only with the token', async () => {
    const denied = new WebSocket(`${server.url.replace('http', 'ws')}/api/events`);
    const deniedResult = await new Promise<string>((resolve) => {
      denied.on('unexpected-response', (_req, res) => resolve(String(res.statusCode)));
      denied.on('open', () => resolve('open'));
      denied.on('error', () => resolve('error'));
    });
    expect(deniedResult).toBe('401');

    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/api/events?token=${server.token}`);
    await new Promise((resolve, reject) => {
      ws.on('open', resolve);
      ws.on('error', reject);
    });
    const events: Array<{ event: string; payload: { label: string; finished: boolean } }> = [];
    ws.on('message', (m) => events.push(JSON.parse(String(m))));
    await call('openDataset', { paths: [file] }, auth());
    await expect.poll(() => events.some((e) => e.event === 'progress' && e.payload.finished)).toBe(true);
    ws.close();
  });
});
