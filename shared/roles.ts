import { z } from 'zod';

/**
 * A role says what a column means to Loupe, whatever the export calls it. Analyses ask for
 * roles, never for column names, so a Phoenix span dump and our log schema v1 read alike.
 * A role points at a column, or at a path inside one (a struct field or a JSON key).
 */
export const singleRoles = [
  'timestamp',
  'request_id',
  'deployment',
  'model_version',
  'prompt_revision',
  'judge_score',
  'judge_rationale',
  'feedback',
  'refused',
  'format_ok',
  'output_format',
  'output_text',
  'input_text',
  'latency',
  'input_tokens',
  'output_tokens',
  'input_embedding',
  'error',
  'status',
  'retrieval',
  'tool_calls',
] as const;
export type SingleRole = (typeof singleRoles)[number];

/** What each role is called in the UI. */
export const ROLE_LABELS: Record<SingleRole, string> = {
  timestamp: 'Timestamp',
  request_id: 'Request id',
  deployment: 'Deployment',
  model_version: 'Model version',
  prompt_revision: 'Prompt revision',
  judge_score: 'Judge score',
  judge_rationale: 'Judge rationale',
  feedback: 'Feedback',
  refused: 'Refused',
  format_ok: 'Format ok',
  output_format: 'Output format',
  output_text: 'Output text',
  input_text: 'Input text',
  latency: 'Latency',
  input_tokens: 'Input tokens',
  output_tokens: 'Output tokens',
  input_embedding: 'Input embedding',
  error: 'Error',
  status: 'Status',
  retrieval: 'Retrieval',
  tool_calls: 'Tool calls',
};


export const columnRefSchema = z.object({
  column: z.string().min(1),
  /** Path inside a struct or JSON string column, e.g. ['llm', 'model_name']. */
  path: z.array(z.string()).optional(),
});
export type ColumnRef = z.infer<typeof columnRefSchema>;

export const roleMappingSchema = z.object({
  roles: z.partialRecord(z.enum(singleRoles), columnRefSchema),
  /** Low-cardinality columns to slice by (route, locale, tenant tier…). */
  dimensions: z.array(columnRefSchema),
});
export type RoleMapping = z.infer<typeof roleMappingSchema>;
