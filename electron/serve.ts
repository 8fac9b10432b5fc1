import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { api, isCallName } from '../shared/api';
import { CONTENT_SECURITY_POLICY } from '../shared/csp';
import type { Core } from './core/core';
import { dispatch } from './core/dispatch';

/**
 * Browser mode: the same workbench over HTTP on loopback. One POST route per contract call
 * (`/api/call/<name>`), one WebSocket for events (`/api/events`), the built renderer for
 * everything else. Every request needs the random token: API calls as a bearer header (so a
 * cross-site page cannot ride a cookie), the page and its assets via `?token=` once and then
 * a SameSite=Strict cookie, the WebSocket via `?token=`.
 */
export interface WebServerOptions {
  core: Core;
  staticDir: string;
  port?: number;
  token?: string;
}

export interface WebServer {
  url: string;
  /** The URL to open, with the token. */
  openUrl: string;
  token: string;
  port: number;
  close(): Promise<void>;
}

const MAX_BODY = 16 * 1024 * 1024;
const COOKIE = 'loupe_token';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export async function startWebServer(opts: WebServerOptions): Promise<WebServer> {
  const token = opts.token ?? crypto.randomBytes(24).toString('base64url');
  const staticRoot = path.resolve(opts.staticDir);
  let port = 0;

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'internal', message: String(err) } });
      else res.destroy();
    });
  });

  const hostAllowed = (req: http.IncomingMessage) => {
    // Reject DNS-rebinding: a page on evil.example resolving to 127.0.0.1 sends its own Host.
    const host = req.headers.host ?? '';
    return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
  };

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    if (!hostAllowed(req)) return sendJson(res, 403, { ok: false, error: { code: 'forbidden', message: 'unexpected Host header' } });

    if (url.pathname.startsWith('/api/')) {
      if (!safeEqual(bearer(req), token)) return unauthorized(res);
      const m = /^\/api\/call\/([A-Za-z]+)$/.exec(url.pathname);
      if (!m || !isCallName(m[1])) return sendJson(res, 404, { ok: false, error: { code: 'not_found', message: `no route ${url.pathname}` } });
      if (req.method !== 'POST') return sendJson(res, 405, { ok: false, error: { code: 'bad_input', message: 'use POST' } });
      let input: unknown;
      try {
        const body = await readBody(req);
        input = body.length ? JSON.parse(body.toString('utf8')) : {};
      } catch (err) {
        return sendJson(res, 400, { ok: false, error: { code: 'bad_input', message: `request body is not JSON: ${(err as Error).message}` } });
      }
      const result = await dispatch(opts.core.handlers, m[1], input);
      if (!result.ok) return sendJson(res, statusFor(result.error.code), result);
      if (api[m[1]].binary) {
        const bytes = result.value as Uint8Array;
        res.writeHead(200, { 'Content-Type': 'application/vnd.apache.arrow.stream', 'Content-Length': bytes.byteLength });
        res.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        return;
      }
      return sendJson(res, 200, result);
    }

    // The page and its assets.
    const queryToken = url.searchParams.get('token');
    const authed = safeEqual(queryToken, token) || safeEqual(cookie(req, COOKIE), token);
    if (!authed) return unauthorized(res);
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { ok: false, error: { code: 'bad_input', message: 'use GET' } });
    if (safeEqual(queryToken, token)) {
      res.setHeader('Set-Cookie', `${COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
    }
    await serveStatic(url.pathname, res);
  }

  async function serveStatic(pathname: string, res: http.ServerResponse): Promise<void> {
    const rel = decodeURIComponent(pathname).replace(/^\/+/, '') || 'index.html';
    let file = path.resolve(staticRoot, rel);
    if (!file.startsWith(staticRoot + path.sep) && file !== staticRoot) {
      return sendJson(res, 404, { ok: false, error: { code: 'not_found', message: 'not found' } });
    }
    let stat = await fs.promises.stat(file).catch(() => null);
    if (!stat || stat.isDirectory()) {
      // Client-side routes fall back to the app shell.
      file = path.join(staticRoot, 'index.html');
      stat = await fs.promises.stat(file).catch(() => null);
      if (!stat) {
        res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('The renderer is not built. Run `npm run build:renderer`, then reload.');
        return;
      }
    }
    const ext = path.extname(file);
    res.writeHead(200, {
      'Content-Type': MIME[ext] ?? 'application/octet-stream',
      'Content-Length': stat.size,
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'Cache-Control': ext === '.html' ? 'no-store' : 'public, max-age=31536000, immutable',
    });
    fs.createReadStream(file).pipe(res);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
  const sockets = new Set<WebSocket>();
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (!hostAllowed(req) || url.pathname !== '/api/events' || !safeEqual(url.searchParams.get('token'), token)) {
      socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('error', () => sockets.delete(ws));
    });
  });
  const unsubscribe = opts.core.onEvent((name, payload) => {
    const message = JSON.stringify({ event: name, payload });
    for (const ws of sockets) if (ws.readyState === ws.OPEN) ws.send(message);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const base = `http://127.0.0.1:${port}`;

  return {
    url: base,
    openUrl: `${base}/?token=${token}`,
    token,
    port,
    async close() {
      unsubscribe();
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function statusFor(code: string): number {
  switch (code) {
    case 'bad_input':
    case 'not_parquet':
    case 'corrupt_parquet':
    case 'empty_folder':
    case 'no_timestamp':
    case 'schema_conflict':
      return 422;
    case 'not_found':
      return 404;
    case 'unauthorized':
      return 401;
    case 'forbidden':
      return 403;
    case 'conflict':
      return 409;
    default:
      return 500;
  }
}

function unauthorized(res: http.ServerResponse): void {
  sendJson(res, 401, {
    ok: false,
    error: { code: 'unauthorized', message: 'missing or wrong token', hint: 'open the URL that `npm run web` printed' },
  });
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

function bearer(req: http.IncomingMessage): string | null {
  const h = req.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7) : null;
}

function cookie(req: http.IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

function safeEqual(given: string | null | undefined, expected: string): boolean {
  if (!given) return false;
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

function readBody(req: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
