import { z } from 'zod';

/**
 * The log record, schema v1: one row per request, as the service writes it to Parquet and
 * streams it on the tail. Parquet files carry `loupe_schema_version` in their key-value
 * metadata. Readers map other exports onto these roles (see shared/roles.ts).
 */
export const LOG_SCHEMA_VERSION = '1';
export const EMBEDDING_DIMS = 32;

/** Column name → DuckDB type, in file order. */
export const logColumnsV1 = [
  ['request_id', 'VARCHAR'],
  ['ts', 'TIMESTAMP'],
  ['deployment', 'VARCHAR'],
  ['model_version', 'VARCHAR'],
  ['prompt_revision', 'VARCHAR'],
  ['route', 'VARCHAR'],
  ['locale', 'VARCHAR'],
  ['tenant_tier', 'VARCHAR'],
  ['session_id', 'VARCHAR'],
  ['trace_id', 'VARCHAR'],
  ['prompt', 'VARCHAR'],
  ['retrieval', 'VARCHAR'],
  ['tool_calls', 'VARCHAR'],
  ['response', 'VARCHAR'],
  ['latency_ms', 'INTEGER'],
  ['input_tokens', 'INTEGER'],
  ['output_tokens', 'INTEGER'],
  ['status', 'VARCHAR'],
  ['error_code', 'VARCHAR'],
  ['refused', 'BOOLEAN'],
  ['output_format', 'VARCHAR'],
  ['format_ok', 'BOOLEAN'],
  ['feedback', 'VARCHAR'],
  ['judge_score', 'DOUBLE'],
  ['judge_rationale', 'VARCHAR'],
  ['input_embedding', 'FLOAT[]'],
] as const;

export const feedbackValues = ['up', 'down', 'edit', 'abandon'] as const;

export const logRecordSchema = z.object({
  request_id: z.string().min(1),
  /** ISO 8601, UTC. */
  ts: z.string().datetime({ offset: true }),
  deployment: z.string(),
  model_version: z.string(),
  prompt_revision: z.string(),
  route: z.string(),
  locale: z.string(),
  tenant_tier: z.string(),
  session_id: z.string(),
  trace_id: z.string(),
  prompt: z.string(),
  /** JSON text: [{doc_id, score, title}] */
  retrieval: z.string().nullable(),
  /** JSON text: [{name, arguments}] */
  tool_calls: z.string().nullable(),
  response: z.string(),
  latency_ms: z.number().int().nonnegative(),
  input_tokens: z.number().int().nonnegative(),
  output_tokens: z.number().int().nonnegative(),
  status: z.enum(['ok', 'error']),
  error_code: z.string().nullable(),
  refused: z.boolean(),
  output_format: z.enum(['json', 'text']),
  format_ok: z.boolean(),
  feedback: z.enum(feedbackValues).nullable(),
  judge_score: z.number().min(0).max(1).nullable(),
  judge_rationale: z.string().nullable(),
  input_embedding: z.array(z.number()).nullable(),
});
export type LogRecord = z.infer<typeof logRecordSchema>;

const isoDateTime = z.regexes.datetime({ offset: true });
const statusValues: ReadonlySet<unknown> = new Set(logRecordSchema.shape.status.options);
const formatValues: ReadonlySet<unknown> = new Set(logRecordSchema.shape.output_format.options);
const feedbackSet: ReadonlySet<unknown> = new Set(feedbackValues);
const textFields = ['deployment', 'model_version', 'prompt_revision', 'route', 'locale', 'tenant_tier', 'session_id', 'trace_id', 'prompt', 'response'] as const;
const nullableTextFields = ['retrieval', 'tool_calls', 'error_code', 'judge_rationale'] as const;
const countFields = ['latency_ms', 'input_tokens', 'output_tokens'] as const;
const fieldCount = Object.keys(logRecordSchema.shape).length;

/**
 * True when `v` (fresh from JSON.parse) is a schema-v1 record exactly as `logRecordSchema`
 * would return it: every rule of the schema, and no other keys (the schema strips those, so a
 * record with extras is left to it). The live tail checks every event with this first, because
 * zod copies each record it accepts (a second object, array and strings' worth of garbage per
 * event); it decides only the common case — anything it refuses goes to
 * `logRecordSchema.safeParse`, which accepts or names what is wrong exactly as before.
 * test/unit/tail/log-record-check.test.ts holds it to zod's verdict.
 */
export function isExactLogRecord(v: unknown): v is LogRecord {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const r = v as Record<string, unknown>;
  let keys = 0;
  for (const k in r) if (Object.hasOwn(r, k)) keys++;
  if (keys !== fieldCount) return false;
  if (typeof r.request_id !== 'string' || r.request_id.length < 1) return false;
  if (typeof r.ts !== 'string' || !isoDateTime.test(r.ts)) return false;
  for (const f of textFields) if (typeof r[f] !== 'string') return false;
  for (const f of nullableTextFields) if (r[f] !== null && typeof r[f] !== 'string') return false;
  for (const f of countFields) {
    const n = r[f];
    if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < 0) return false;
  }
  if (!statusValues.has(r.status) || !formatValues.has(r.output_format)) return false;
  if (r.feedback !== null && !feedbackSet.has(r.feedback)) return false;
  if (typeof r.refused !== 'boolean' || typeof r.format_ok !== 'boolean') return false;
  const j = r.judge_score;
  if (j !== null && (typeof j !== 'number' || !Number.isFinite(j) || j < 0 || j > 1)) return false;
  const e = r.input_embedding;
  if (e !== null) {
    if (!Array.isArray(e)) return false;
    for (let i = 0; i < e.length; i++) if (typeof e[i] !== 'number' || !Number.isFinite(e[i])) return false;
  }
  return true;
}
