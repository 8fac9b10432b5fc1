import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseTailEvent } from '../../../electron/core/tail/parse-tail-event';
import { loadScenario } from '../../../service/scenario/load-scenario';
import { historyModel } from '../../../service/sim/generate-history';
import { makeRecord } from '../../../service/sim/traffic';
import { isExactLogRecord, logRecordSchema } from '../../../shared/log-schema';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures');

/** Values tried in every field: right and wrong types, edges of each rule. */
const probes: unknown[] = [
  undefined, null, '', 'x', 'ok', 'error', 'json', 'text', 'up', 'down', 'edit', 'abandon', 'UP',
  0, -0, 1, -1, 0.5, 1.0000001, 1.5, 2 ** 53 - 1, 2 ** 53, 1e300, true, false, [], [1, 2], [0.5, 'a'], [null], {},
  '2026-11-20T00:00:00Z', '2026-11-20T00:00:00.123+01:00', '2026-11-20T00:00:00', '2026-11-20', '2026-11-20T25:00:00Z',
  '2027-02-29T00:00:00Z', '2028-02-29T00:00:00Z', '2026-11-20T00:00Z', '2026-11-20 00:00:00Z',
];

describe('isExactLogRecord', () => {
  it('accepts only what logRecordSchema accepts, and exactly as the schema would return it', async () => {
    const scenario = await loadScenario(path.join(fixtures, 'scenarios', 'tail-steady.yaml'));
    const model = historyModel(scenario, 1);
    const t0 = Date.parse(scenario.start);
    const base = Array.from({ length: 200 }, (_, i) => JSON.parse(JSON.stringify(makeRecord(model, t0 + i * 1000, i))) as Record<string, unknown>);
    // Real records take the fast path (with and without a judge score, feedback, embedding…).
    for (const r of base) expect(isExactLogRecord(r)).toBe(true);
    expect(new Set(base.map((r) => r.judge_score === null)).size).toBe(2);

    const cases: unknown[] = [null, [], 'record', 42, { ...base[0], extra: 1 }, { ...base[0], ['__proto__']: 1 }];
    for (const field of Object.keys(logRecordSchema.shape)) {
      for (const p of probes) {
        const r: Record<string, unknown> = { ...base[0] };
        if (p === undefined) delete r[field];
        else r[field] = p;
        cases.push(r);
      }
    }
    let accepted = 0;
    for (const c of cases) {
      const zod = logRecordSchema.safeParse(c);
      if (isExactLogRecord(c)) {
        accepted++;
        expect(zod.success, JSON.stringify(c).slice(0, 200)).toBe(true);
        expect(zod.data).toStrictEqual(c);
      }
    }
    expect(accepted).toBeGreaterThan(50); // the valid probes (e.g. other enum values) pass too
  });

  it('leaves parseTailEvent answering as zod did: same record, same quarantine reasons', () => {
    const good = { ...JSON.parse(JSON.stringify({ request_id: 'r1', ts: '2026-11-20T00:00:00Z', deployment: 'd', model_version: 'v1', prompt_revision: 'p', route: 'r', locale: 'en', tenant_tier: 't', session_id: 's', trace_id: 'tr', prompt: 'q', retrieval: null, tool_calls: null, response: 'a', latency_ms: 10, input_tokens: 1, output_tokens: 2, status: 'ok', error_code: null, refused: false, output_format: 'text', format_ok: true, feedback: null, judge_score: 0.5, judge_rationale: null, input_embedding: [0.1, 0.2] })) };
    const ok = parseTailEvent(JSON.stringify(good), 7);
    expect(ok).toEqual({ ok: true, cursor: 7, record: logRecordSchema.parse(good) });
    // Extra keys: not the fast path, and stripped as before.
    const extra = parseTailEvent(JSON.stringify({ ...good, debug: true }), 8);
    expect(extra.ok && extra.record).toEqual(logRecordSchema.parse(good));
    const bad = parseTailEvent(JSON.stringify({ ...good, latency_ms: -1, ts: 'yesterday' }), 9);
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.quarantined.reason).toBe('invalid_record');
    expect(!bad.ok && bad.quarantined.detail).toMatch(/^ts: .*; latency_ms: /);
  });
});
