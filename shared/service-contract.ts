import { z } from 'zod';
import { logRecordSchema } from './log-schema';

/**
 * The service contract v1: what Loupe calls on the team's LLM service. Every endpoint takes
 * `Authorization: Bearer <token>`; a token has the role `viewer` (read) or `operator` (read
 * and control actions). 401 without a valid token, 403 when the role is not enough.
 * shared/openapi.yaml says the same for non-TypeScript implementers.
 */

export const serviceErrorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
export type ServiceError = z.infer<typeof serviceErrorSchema>;

export const healthSchema = z.object({
  status: z.literal('ok'),
  version: z.string(),
  /** The service's clock (simulated time in the reference service). */
  now: z.string(),
  role: z.enum(['viewer', 'operator']),
});

// ---- Exports: GET /v1/exports, GET /v1/exports/{id} (Range, ETag, X-Sha256) ----------------

export const exportEntrySchema = z.object({
  id: z.string(),
  start: z.string(),
  end: z.string(),
  rows: z.number().int().nonnegative(),
  bytes: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  schema_version: z.string(),
});
export type ExportEntry = z.infer<typeof exportEntrySchema>;
export const exportManifestSchema = z.object({ exports: z.array(exportEntrySchema) });

// ---- Tail: GET /v1/tail (text/event-stream) -------------------------------------------------
// Each event: `id: <cursor>` (a decimal sequence number), `event: request`, `data: <LogRecord JSON>`.
// Resume with `Last-Event-ID: <cursor>` (or `?cursor=`): events after it follow. Comments
// (`: heartbeat`) every few seconds. `event: gap` with {requested, oldest} when the cursor is
// older than the service still holds; the stream then continues from `oldest`.

export const tailEventSchema = logRecordSchema;
export const tailGapSchema = z.object({ requested: z.number(), oldest: z.number() });

// ---- Deployments ----------------------------------------------------------------------------

export const deploymentStateSchema = z.enum(['rolling', 'stable', 'rolled_back', 'overridden']);
export type DeploymentState = z.infer<typeof deploymentStateSchema>;

export const versionSchema = z.object({
  version: z.string(),
  model: z.string(),
  prompt_revision: z.string(),
  prompt_text: z.string(),
  created_at: z.string(),
});

export const deploymentSchema = z.object({
  id: z.string(),
  name: z.string(),
  versions: z.array(versionSchema),
  /** version → share of traffic (sums to 1). */
  traffic: z.record(z.string(), z.number()),
  state: deploymentStateSchema,
  /** The version traffic is pinned to after a rollback. */
  pinned_version: z.string().nullable(),
  slo: z.object({
    judge_mean_min: z.number(),
    error_rate_max: z.number(),
    window_minutes: z.number(),
    min_judged: z.number(),
    min_requests: z.number(),
  }),
  /** Changes on every state change; send it back as If-Match. */
  revision: z.string(),
  updated_at: z.string(),
});
export type Deployment = z.infer<typeof deploymentSchema>;
export const deploymentsSchema = z.object({ deployments: z.array(deploymentSchema) });

/** POST /v1/deployments/{id}/rollback and /override. Headers: Idempotency-Key, If-Match. */
export const controlActionSchema = z.object({
  version: z.string().min(1),
  reason: z.string().trim().min(3, 'a reason is required').max(2000),
  /** What the analyst looked at when deciding, kept in the audit log. */
  evidence: z.record(z.string(), z.unknown()).optional(),
});
export type ControlAction = z.infer<typeof controlActionSchema>;
export const controlResultSchema = z.object({ deployment: deploymentSchema, audit: z.lazy(() => auditEntrySchema) });

// ---- Audit ----------------------------------------------------------------------------------

export const auditEntrySchema = z.object({
  id: z.string(),
  at: z.string(),
  deployment: z.string(),
  action: z.enum(['rollback', 'override', 'deploy', 'promote']),
  automatic: z.boolean(),
  actor: z.string(),
  from_version: z.string().nullable(),
  to_version: z.string().nullable(),
  reason: z.string(),
  evidence: z.record(z.string(), z.unknown()).nullable(),
  revision_before: z.string().nullable(),
  revision_after: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;
export const auditSchema = z.object({ entries: z.array(auditEntrySchema) });

// ---- Triage feed and eval cases -------------------------------------------------------------

export const triageFeedItemSchema = z.object({
  id: z.string(),
  kind: z.enum(['thumbs_down', 'edit', 'abandon', 'auto_flagged']),
  reason: z.string(),
  at: z.string(),
  request: logRecordSchema,
});
export const triageFeedSchema = z.object({ items: z.array(triageFeedItemSchema) });
export type TriageFeedItem = z.infer<typeof triageFeedItemSchema>;

export const evalCaseSchema = z.object({
  id: z.string().min(1).max(200),
  input: z.string(),
  context: z.object({ retrieval: z.unknown().nullable(), tool_calls: z.unknown().nullable() }),
  expected: z.string().min(1),
  tags: z.array(z.string()),
  source_request_id: z.string(),
  root_cause: z.string().nullable(),
  versions: z.object({
    deployment: z.string().nullable(),
    model_version: z.string().nullable(),
    prompt_revision: z.string().nullable(),
  }),
});
export type ServiceEvalCase = z.infer<typeof evalCaseSchema>;
/** POST /v1/eval-cases: idempotent by case id (the same id again replaces nothing and answers 200). */
export const evalCasePostSchema = z.object({ cases: z.array(evalCaseSchema).min(1).max(1000) });
export const evalCasePostResultSchema = z.object({ created: z.array(z.string()), existing: z.array(z.string()) });
export const evalCaseListSchema = z.object({ cases: z.array(evalCaseSchema.extend({ received_at: z.string() })) });
