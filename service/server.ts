import crypto from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import http from 'node:http';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { openDatabase, type Database } from '../electron/core/db/duckdb';
import type { LogRecord } from '../shared/log-schema';
import {
  controlActionSchema,
  evalCasePostSchema,
  type ExportEntry,
  type TriageFeedItem,
} from '../shared/service-contract';
import { ControlError, ControlPlane } from './control/control-plane';
import { StateStore } from './control/state-store';
import { describeFile, fileForId, readManifest, writeManifest } from './exports/write-partitions';
import { noFaults, type Faults } from './http/faults';
import { readJsonBody, sendError, sendJson } from './http/respond';
import type { Scenario } from './scenario/scenario-schema';
import { LiveGenerator } from './sim/live-generator';
import { makeRecord, type TrafficModel } from './sim/traffic';
import { serveTail } from './tail/sse-handler';
import { TailHub, type TailEvent } from './tail/tail-hub';

export type Role = 'viewer' | 'operator';

export interface ServiceOptions {
  port?: number;
  scenario: Scenario;
  seed?: number;
  speed?: number;
  dataDir: string;
  /** token → role */
  tokens?: Record<string, Role>;
  faults?: Faults;
  /** Tail events kept for resuming clients. */
  tailCapacity?: number;
  heartbeatMs?: number;
}

export interface RunningService {
  url: string;
  port: number;
  close(): Promise<void>;
  /** Simulated time now (ms). */
  now(): number;
  /**
   * Every tail event as the service emits it, with its wall-clock emit time (`emittedAt`, not
   * in the record or on the wire). For in-process benchmarks; returns the unsubscribe.
   */
  onTailEvent(listener: (e: TailEvent) => void): () => void;
}

const SERVICE_VERSION = '1.0.0';
const FEED_MAX = 5000;

/**
 * The reference service: the contract in shared/service-contract.ts, served over node:http
 * on loopback, with simulated traffic from a scenario. No framework: routing is a table.
 */
export async function startService(opts: ServiceOptions): Promise<RunningService> {
  const faults = opts.faults ?? noFaults();
  const tokens = opts.tokens ?? { 'operator-token': 'operator', 'viewer-token': 'viewer' };
  const exportsDir = path.join(opts.dataDir, 'exports');
  await fsp.mkdir(exportsDir, { recursive: true });
  const db: Database = await openDatabase({ memoryLimit: '1GB', threads: 1 });
  const store = await StateStore.open(opts.dataDir);

  let manifest: ExportEntry[] = await readManifest(exportsDir);
  if (manifest.length === 0) manifest = await scanExports(db, exportsDir);

  const startMs = Date.parse(opts.scenario.start);
  let live: LiveGenerator;
  // Requests are generated a tick at a time; an action taken while observing one is stamped
  // with that request's time, not the tick's start.
  let lastObserved = 0;
  const control = new ControlPlane(opts.scenario, store, startMs, () => Math.max(live.now(), lastObserved));
  const model: TrafficModel = { scenario: opts.scenario, seed: opts.seed ?? 42, startMs, weights: (d, t) => control.weights(d, t) };
  const hub = new TailHub(opts.tailCapacity ?? 200_000);
  const feed: TriageFeedItem[] = [];

  const toFeed = (r: LogRecord) => {
    const kind = r.feedback === 'down' ? 'thumbs_down' : r.feedback === 'edit' ? 'edit' : r.feedback === 'abandon' ? 'abandon' : r.judge_score != null && r.judge_score < 0.4 ? 'auto_flagged' : null;
    if (!kind) return;
    const reason = kind === 'auto_flagged' ? `judge score ${r.judge_score} below 0.4` : `user feedback: ${r.feedback}`;
    feed.push({ id: `fb_${r.request_id}`, kind, reason, at: r.ts, request: r });
    if (feed.length > FEED_MAX) feed.splice(0, feed.length - FEED_MAX);
  };

  live = new LiveGenerator({
    model,
    scenario: opts.scenario,
    speed: opts.speed ?? 1,
    conn: db.conn,
    exportsDir,
    onRecord: async (r) => {
      hub.push('request', JSON.stringify(r));
      toFeed(r);
      lastObserved = Date.parse(r.ts);
      await control.observe(r);
    },
    onExport: async (entries) => {
      manifest = [...manifest.filter((m) => !entries.some((e) => e.id === m.id)), ...entries];
      await writeManifest(exportsDir, manifest);
    },
  });
  // The feed starts with the last hours of history, so a fresh service has cases to triage.
  seedFeed(model, live.now(), toFeed);

  const roleOf = (req: http.IncomingMessage): Role | null => {
    const h = req.headers.authorization;
    const token = h?.startsWith('Bearer ') ? h.slice(7) : null;
    return token && Object.prototype.hasOwnProperty.call(tokens, token) ? tokens[token] : null;
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      if (!res.headersSent) sendError(res, 500, 'internal', (err as Error).message);
      else res.destroy();
    });
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const role = roleOf(req);
    if (!role) return sendError(res, 401, 'unauthorized', 'missing or unknown bearer token', { 'WWW-Authenticate': 'Bearer realm="loupe-service"' });
    if (faults.slowMs) await new Promise((r) => setTimeout(r, faults.slowMs));
    if (url.pathname !== '/v1/tail' && url.pathname !== '/v1/health') {
      if (faults.rate429 && faults.random() < faults.rate429) return sendError(res, 429, 'rate_limited', 'slow down', { 'Retry-After': '1' });
      if (faults.errorRate && faults.random() < faults.errorRate) return sendError(res, 503, 'unavailable', 'injected fault', { 'Retry-After': '0' });
    }

    const p = url.pathname;
    const method = req.method ?? 'GET';
    let m: RegExpExecArray | null;

    if (method === 'GET' && p === '/v1/health') {
      return sendJson(res, 200, { status: 'ok', version: SERVICE_VERSION, now: new Date(live.now()).toISOString(), role });
    }
    if (method === 'GET' && p === '/v1/exports') return sendJson(res, 200, { exports: manifest });
    if (method === 'GET' && (m = /^\/v1\/exports\/([^/]+)$/.exec(p))) return serveExport(req, res, decodeURIComponent(m[1]));
    if (method === 'GET' && p === '/v1/tail') return serveTail(req, res, hub, faults, opts.heartbeatMs);
    if (method === 'GET' && p === '/v1/deployments') return sendJson(res, 200, { deployments: control.list() });
    if (method === 'GET' && (m = /^\/v1\/deployments\/([^/]+)$/.exec(p))) return controlCall(res, async () => ({ status: 200, body: control.view(decodeURIComponent(m![1])) }));
    if (method === 'POST' && (m = /^\/v1\/deployments\/([^/]+)\/(rollback|override)$/.exec(p))) {
      if (role !== 'operator') return sendError(res, 403, 'forbidden', 'control actions need an operator token');
      return controlAction(req, res, decodeURIComponent(m[1]), m[2] as 'rollback' | 'override');
    }
    if (method === 'GET' && p === '/v1/audit') return sendJson(res, 200, { entries: control.audit() });
    if (method === 'GET' && p === '/v1/triage') {
      const since = url.searchParams.get('since');
      const limit = Math.min(1000, Number(url.searchParams.get('limit') ?? 200) || 200);
      const items = feed.filter((i) => !since || i.at > since).slice(-limit);
      return sendJson(res, 200, { items });
    }
    if (method === 'GET' && p === '/v1/eval-cases') {
      return sendJson(res, 200, { cases: Object.values(store.state.evalCases).sort((a, b) => a.received_at.localeCompare(b.received_at)) });
    }
    if (method === 'POST' && p === '/v1/eval-cases') {
      if (role !== 'operator') return sendError(res, 403, 'forbidden', 'pushing eval cases needs an operator token');
      return postEvalCases(req, res);
    }
    return sendError(res, 404, 'not_found', `no route ${method} ${p}`);
  }

  async function serveExport(req: http.IncomingMessage, res: http.ServerResponse, id: string): Promise<void> {
    const entry = manifest.find((e) => e.id === id);
    const file = fileForId(exportsDir, id);
    if (!entry || !file || !fs.existsSync(file)) return sendError(res, 404, 'not_found', `no export "${id}"`);
    const etag = `"${entry.sha256}"`;
    const headers: Record<string, string> = { ETag: etag, 'X-Sha256': entry.sha256, 'Accept-Ranges': 'bytes', 'Content-Type': 'application/vnd.apache.parquet' };
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, headers);
      res.end();
      return;
    }
    let start = 0;
    let end = entry.bytes - 1;
    let status = 200;
    const range = req.headers.range;
    const ifRange = req.headers['if-range'];
    if (range && (!ifRange || ifRange === etag)) {
      const r = /^bytes=(\d+)-(\d*)$/.exec(range);
      if (!r || Number(r[1]) >= entry.bytes) {
        res.writeHead(416, { 'Content-Range': `bytes */${entry.bytes}` });
        res.end();
        return;
      }
      start = Number(r[1]);
      end = r[2] ? Math.min(Number(r[2]), entry.bytes - 1) : entry.bytes - 1;
      status = 206;
      headers['Content-Range'] = `bytes ${start}-${end}/${entry.bytes}`;
    }
    headers['Content-Length'] = String(end - start + 1);
    res.writeHead(status, headers);
    const truncate = faults.truncateRate > 0 && faults.random() < faults.truncateRate;
    const stream = fs.createReadStream(file, { start, end: truncate ? start + Math.floor((end - start) / 2) : end });
    stream.pipe(res, { end: !truncate });
    if (truncate) stream.on('end', () => res.destroy());
  }

  async function controlCall(res: http.ServerResponse, fn: () => Promise<{ status: number; body: unknown }>): Promise<void> {
    try {
      const r = await fn();
      sendJson(res, r.status, r.body);
    } catch (err) {
      if (err instanceof ControlError) return sendJson(res, err.status, { error: { code: err.code, message: err.message }, ...(err.detail as object) });
      throw err;
    }
  }

  async function controlAction(req: http.IncomingMessage, res: http.ServerResponse, id: string, kind: 'rollback' | 'override'): Promise<void> {
    let body: unknown;
    try {
      body = await readJsonBody(req);
    } catch (err) {
      return sendError(res, 400, 'bad_request', `body is not JSON: ${(err as Error).message}`);
    }
    const parsed = controlActionSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return sendError(res, 400, 'bad_request', `${issue.path.join('.') || 'body'}: ${issue.message}`);
    }
    const key = header(req, 'idempotency-key');
    const fingerprint = crypto.createHash('sha256').update(`${kind}\n${id}\n${JSON.stringify(parsed.data)}`).digest('hex');
    if (key) {
      const seen = store.state.idempotency[key];
      if (seen) {
        if (seen.fingerprint !== fingerprint) return sendError(res, 422, 'idempotency_key_reused', 'this Idempotency-Key was used for a different request');
        return sendJson(res, seen.status, seen.body, { 'Idempotent-Replayed': 'true' });
      }
    }
    const actor = header(req, 'x-actor') ?? 'operator';
    let status = 200;
    let out: unknown;
    try {
      out = kind === 'rollback' ? await control.rollback(id, parsed.data, actor, header(req, 'if-match')) : await control.override(id, parsed.data, actor, header(req, 'if-match'));
    } catch (err) {
      if (!(err instanceof ControlError)) throw err;
      status = err.status;
      out = { error: { code: err.code, message: err.message }, ...(err.detail as object) };
    }
    // Only outcomes are remembered: a retry of a request that failed on the network must not act twice.
    if (key && status !== 404) await store.update((s) => void (s.idempotency[key] = { fingerprint, status, body: out }));
    sendJson(res, status, out);
  }

  async function postEvalCases(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    let body: unknown;
    try {
      body = await readJsonBody(req);
    } catch (err) {
      return sendError(res, 400, 'bad_request', `body is not JSON: ${(err as Error).message}`);
    }
    const parsed = evalCasePostSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return sendError(res, 400, 'bad_request', `${issue.path.join('.') || 'body'}: ${issue.message}`);
    }
    const created: string[] = [];
    const existing: string[] = [];
    await store.update((s) => {
      for (const c of parsed.data.cases) {
        if (s.evalCases[c.id]) existing.push(c.id);
        else {
          s.evalCases[c.id] = { ...c, received_at: new Date().toISOString() };
          created.push(c.id);
        }
      }
    });
    sendJson(res, created.length ? 201 : 200, { created, existing });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  live.start();
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    now: () => live.now(),
    onTailEvent: (listener) => hub.subscribe(listener),
    async close() {
      await live.stop();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      db.close();
    },
  };
}

function header(req: http.IncomingMessage, name: string): string | null {
  const v = req.headers[name];
  return (Array.isArray(v) ? v[0] : v) ?? null;
}

async function scanExports(db: Database, dir: string): Promise<ExportEntry[]> {
  const entries: ExportEntry[] = [];
  for (const day of await fsp.readdir(dir).catch(() => [])) {
    for (const hour of await fsp.readdir(path.join(dir, day)).catch(() => [])) {
      const file = path.join(dir, day, hour, 'part-0.parquet');
      if (fs.existsSync(file)) entries.push(await describeFile(db.conn, dir, file));
    }
  }
  if (entries.length) await writeManifest(dir, entries);
  return entries;
}

/** Regenerates the last hours before the live start (cheap and deterministic) for the feed. */
function seedFeed(model: TrafficModel, liveStart: number, add: (r: LogRecord) => void): void {
  const from = liveStart - 6 * 3_600_000;
  let seq = 1_000_000_000;
  for (let t = from; t < liveStart; t += 20_000) add(makeRecord(model, t, seq++));
}
