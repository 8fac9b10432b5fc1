import crypto from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSse } from '../../../electron/core/tail/sse-stream';
import { openDatabase } from '../../../electron/core/db/duckdb';
import { logRecordSchema } from '../../../shared/log-schema';
import {
  auditSchema,
  controlResultSchema,
  deploymentsSchema,
  evalCaseListSchema,
  exportManifestSchema,
  healthSchema,
  triageFeedSchema,
} from '../../../shared/service-contract';
import { loadScenario } from '../../../service/scenario/load-scenario';
import { generateHistory } from '../../../service/sim/generate-history';
import { startService, type RunningService } from '../../../service/server';
import { tempDir } from '../../support/make-parquet';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures');
const OP = { Authorization: 'Bearer op' };
const VIEW = { Authorization: 'Bearer view' };
let svc: RunningService;
let dataDir: string;

const get = (p: string, headers: Record<string, string> = OP) => fetch(`${svc.url}${p}`, { headers });
const post = (p: string, body: unknown, headers: Record<string, string> = OP) =>
  fetch(`${svc.url}${p}`, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });

beforeAll(async () => {
  dataDir = tempDir('loupe-svc-');
  const scenario = await loadScenario(path.join(fixtures, 'scenarios', 'canary-regression.yaml'));
  // Two hours of history as exports, then a live clock from there at 60× real time.
  const db = await openDatabase();
  await generateHistory(db.conn, { ...scenario, rate: 2 }, { seed: 1, days: 2 / 24, out: path.join(dataDir, 'exports') });
  db.close();
  svc = await startService({ scenario: { ...scenario, live_from: '2h' }, seed: 1, speed: 60, dataDir, tokens: { op: 'operator', view: 'viewer' }, heartbeatMs: 200 });
});
afterAll(() => svc.close());

describe('auth', () => {
  it('answers 401 without a token or with an unknown one, on every endpoint', async () => {
    for (const p of ['/v1/health', '/v1/exports', '/v1/tail', '/v1/deployments', '/v1/audit', '/v1/triage', '/v1/eval-cases']) {
      const res = await fetch(`${svc.url}${p}`);
      expect(res.status, p).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await get(p, { Authorization: 'Bearer nope' })).status, p).toBe(401);
    }
  });

  it('lets a viewer read but not act (403)', async () => {
    expect(healthSchema.parse(await (await get('/v1/health', VIEW)).json()).role).toBe('viewer');
    const res = await post('/v1/deployments/assistant/rollback', { version: 'v1', reason: 'test it' }, VIEW);
    expect(res.status).toBe(403);
    expect((await post('/v1/eval-cases', { cases: [] }, VIEW)).status).toBe(403);
  });
});

describe('exports', () => {
  it('lists hourly partitions and serves them with ETag, Range and sha256', async () => {
    const { exports } = exportManifestSchema.parse(await (await get('/v1/exports')).json());
    expect(exports.length).toBeGreaterThanOrEqual(2);
    const e = exports[0];
    expect(e.id).toBe('2026-11-20T10');
    expect(e.schema_version).toBe('1');

    const full = await get(`/v1/exports/${e.id}`);
    expect(full.status).toBe(200);
    const bytes = Buffer.from(await full.arrayBuffer());
    expect(bytes.length).toBe(e.bytes);
    expect(crypto.createHash('sha256').update(bytes).digest('hex')).toBe(e.sha256);
    expect(full.headers.get('x-sha256')).toBe(e.sha256);
    const etag = full.headers.get('etag')!;

    const part = await get(`/v1/exports/${e.id}`, { ...OP, Range: 'bytes=100-' });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe(`bytes 100-${e.bytes - 1}/${e.bytes}`);
    expect(Buffer.from(await part.arrayBuffer()).equals(bytes.subarray(100))).toBe(true);

    expect((await get(`/v1/exports/${e.id}`, { ...OP, 'If-None-Match': etag })).status).toBe(304);
    // A stale If-Range gets the whole file, not a splice of two versions.
    expect((await get(`/v1/exports/${e.id}`, { ...OP, Range: 'bytes=100-', 'If-Range': '"old"' })).status).toBe(200);
    expect((await get(`/v1/exports/${e.id}`, { ...OP, Range: `bytes=${e.bytes + 5}-` })).status).toBe(416);
    expect((await get('/v1/exports/2001-01-01T00')).status).toBe(404);
  });

  it('writes the schema version into the Parquet metadata', async () => {
    const file = path.join(dataDir, 'exports', 'date=2026-11-20', 'hour=10', 'part-0.parquet');
    const db = await openDatabase();
    const rows = await db.conn.runAndReadAll(`SELECT decode(key) AS k, decode(value) AS v FROM parquet_kv_metadata('${file}')`);
    db.close();
    expect(rows.getRowObjectsJS()).toContainEqual({ k: 'loupe_schema_version', v: '1' });
  });
});

describe('tail', () => {
  it('streams log records with cursor ids and resumes after Last-Event-ID', async () => {
    const ac = new AbortController();
    const seen: Array<{ id: string; data: string }> = [];
    for await (const e of readSse(`${svc.url}/v1/tail?cursor=0`, { token: 'op', signal: ac.signal })) {
      if (e.event === 'request') seen.push({ id: e.id!, data: e.data });
      if (seen.length >= 20) break;
    }
    ac.abort();
    const ids = seen.map((s) => Number(s.id));
    expect(ids).toEqual(ids.map((_, i) => ids[0] + i));
    for (const s of seen) logRecordSchema.parse(JSON.parse(s.data));

    const resumed: number[] = [];
    const ac2 = new AbortController();
    for await (const e of readSse(`${svc.url}/v1/tail`, { token: 'op', lastEventId: String(ids[9]), signal: ac2.signal })) {
      if (e.event === 'request') resumed.push(Number(e.id));
      if (resumed.length >= 5) break;
    }
    ac2.abort();
    expect(resumed).toEqual([ids[9] + 1, ids[9] + 2, ids[9] + 3, ids[9] + 4, ids[9] + 5]);
  });
});

describe('deployments, rollback, override, audit', () => {
  it('lists deployments with versions, prompt texts, traffic, SLOs and a revision', async () => {
    const { deployments } = deploymentsSchema.parse(await (await get('/v1/deployments')).json());
    const a = deployments.find((d) => d.id === 'assistant')!;
    expect(a.versions.map((v) => v.version)).toContain('v1');
    expect(a.versions[0].prompt_text).toMatch(/JSON/);
    expect(a.revision).toMatch(/^r\d+\.\d+$/);
    expect(a.slo.judge_mean_min).toBe(0.7);
  });

  it('rejects a bad body with 400 and stores nothing', async () => {
    const before = auditSchema.parse(await (await get('/v1/audit')).json()).entries.length;
    for (const body of [{ version: 'v1' }, { version: 'v1', reason: '' }, { reason: 'no version here' }, '{not json']) {
      const res = await post('/v1/deployments/assistant/rollback', body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message.length).toBeGreaterThan(3);
    }
    expect(auditSchema.parse(await (await get('/v1/audit')).json()).entries.length).toBe(before);
  });

  it('refuses a stale revision with 412, showing the current deployment', async () => {
    const res = await post('/v1/deployments/summarizer/rollback', { version: 's1', reason: 'stale view' }, { ...OP, 'If-Match': 'r999.0' });
    expect(res.status).toBe(412);
    const body = (await res.json()) as { error: { code: string }; deployment: { revision: string } };
    expect(body.error.code).toBe('revision_mismatch');
    expect(body.deployment.revision).toMatch(/^r\d+\.\d+$/);
  });

  it('rolls back once per idempotency key, then refuses an invalid override with 409, then overrides', async () => {
    const s = deploymentsSchema.parse(await (await get('/v1/deployments')).json()).deployments.find((d) => d.id === 'summarizer')!;
    const headers = { ...OP, 'If-Match': s.revision, 'Idempotency-Key': 'k-1', 'X-Actor': 'ana' };
    const first = await post('/v1/deployments/summarizer/rollback', { version: 's1', reason: 'pin it for the test' }, headers);
    expect(first.status).toBe(200);
    const r1 = controlResultSchema.parse(await first.json());
    expect(r1.deployment.state).toBe('rolled_back');
    expect(r1.audit).toMatchObject({ action: 'rollback', automatic: false, actor: 'ana', to_version: 's1', reason: 'pin it for the test' });

    const replay = await post('/v1/deployments/summarizer/rollback', { version: 's1', reason: 'pin it for the test' }, headers);
    expect(replay.status).toBe(200);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(controlResultSchema.parse(await replay.json()).audit.id).toBe(r1.audit.id);
    const audit = auditSchema.parse(await (await get('/v1/audit')).json()).entries;
    expect(audit.filter((e) => e.id === r1.audit.id)).toHaveLength(1);

    const reused = await post('/v1/deployments/summarizer/rollback', { version: 's1', reason: 'different body' }, headers);
    expect(reused.status).toBe(422);

    const again = await post('/v1/deployments/summarizer/rollback', { version: 's1', reason: 'pin it twice' }, { ...OP, 'If-Match': r1.deployment.revision });
    expect(again.status).toBe(409);
    // An override must re-enable another version than the pinned one. (On the summarizer: the
    // assistant's regressed canary may be rolled back automatically meanwhile, under load.)
    const badOverride = await post('/v1/deployments/summarizer/override', { version: 's1', reason: 'nothing else to re-enable' }, OP);
    expect(badOverride.status).toBe(409);
  });
});

describe('triage feed and eval cases', () => {
  it('serves user-reported and auto-flagged cases with their requests', async () => {
    const { items } = triageFeedSchema.parse(await (await get('/v1/triage?limit=500')).json());
    expect(items.length).toBeGreaterThan(0);
    for (const i of items) expect(i.id).toBe(`fb_${i.request.request_id}`);
    expect(items.some((i) => i.kind === 'thumbs_down' || i.kind === 'auto_flagged')).toBe(true);
  });

  it('stores eval cases idempotently by id and rejects bad bodies storing nothing', async () => {
    const c = {
      id: 'case-1',
      input: 'Count weekly active users',
      context: { retrieval: null, tool_calls: null },
      expected: 'a single JSON object with the SQL',
      tags: ['rule:format_break'],
      source_request_id: 'req_1',
      root_cause: 'format_break',
      versions: { deployment: 'assistant', model_version: 'v2', prompt_revision: 'p2' },
    };
    expect((await post('/v1/eval-cases', { cases: [{ ...c, expected: '' }] })).status).toBe(400);
    expect((await post('/v1/eval-cases', { cases: [] })).status).toBe(400);
    expect((await post('/v1/eval-cases', 'nope')).status).toBe(400);
    expect(evalCaseListSchema.parse(await (await get('/v1/eval-cases')).json()).cases).toHaveLength(0);

    const first = await post('/v1/eval-cases', { cases: [c] });
    expect(first.status).toBe(201);
    expect(await first.json()).toEqual({ created: ['case-1'], existing: [] });
    const second = await post('/v1/eval-cases', { cases: [c] });
    expect(second.status).toBe(200);
    expect(await second.json()).toEqual({ created: [], existing: ['case-1'] });
    const list = evalCaseListSchema.parse(await (await get('/v1/eval-cases', VIEW)).json()).cases;
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject(c);
  });

  it('keeps its state across a restart', async () => {
    const scenario = await loadScenario(path.join(fixtures, 'scenarios', 'canary-regression.yaml'));
    await svc.close();
    svc = await startService({ scenario: { ...scenario, live_from: '2h' }, seed: 1, speed: 60, dataDir, tokens: { op: 'operator', view: 'viewer' } });
    expect(evalCaseListSchema.parse(await (await get('/v1/eval-cases')).json()).cases.map((c) => c.id)).toEqual(['case-1']);
    expect(auditSchema.parse(await (await get('/v1/audit')).json()).entries.some((e) => e.actor === 'ana')).toBe(true);
    const s = deploymentsSchema.parse(await (await get('/v1/deployments')).json()).deployments.find((d) => d.id === 'summarizer')!;
    expect(s.state).toBe('rolled_back');
    // The idempotency key is remembered too: the replay still does not act twice.
    const replay = await post('/v1/deployments/summarizer/rollback', { version: 's1', reason: 'pin it for the test' }, { ...OP, 'Idempotency-Key': 'k-1' });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
  });
});
