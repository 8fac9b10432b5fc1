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
