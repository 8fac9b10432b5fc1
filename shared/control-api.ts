import { z } from 'zod';
import { versionStatsSchema } from './drift-schemas';
import { auditEntrySchema, deploymentSchema } from './service-contract';

/**
 * The shapes of the deployments / rollback calls in shared/api.ts, kept apart so the one
 * contract stays readable. The token never appears here: the core holds it.
 */

export const roleInfoSchema = z.object({
  role: z.enum(['viewer', 'operator']),
  /** Why actions are disabled, in words for the user; null when the token may act. */
  disabledReason: z.string().nullable(),
});

export const deploymentsOutputSchema = z.object({
  service: z.string(),
  serviceNow: z.string(),
  permissions: roleInfoSchema,
  deployments: z.array(deploymentSchema),
});

const sloAlertSchema = z.object({
  version: z.string(),
  at: z.string(),
  rule: z.enum(['judge', 'error', 'format']),
  value: z.number(),
  threshold: z.number(),
  message: z.string(),
});

const diffSegmentSchema = z.object({ text: z.string(), change: z.enum(['same', 'removed', 'added']) });

export const evidenceSchema = z.object({
  deployment: z.string(),
  window: z.object({ since: z.string(), until: z.string() }).nullable(),
  rows: z.number(),
  older: z.string().nullable(),
  newer: z.string().nullable(),
  versions: z.array(versionStatsSchema.extend({ version: z.string(), traffic: z.number() })),
  alerts: z.array(sloAlertSchema),
  topSlices: z.array(
    z.object({
      sliceId: z.string(),
      label: z.string(),
      axis: z.string(),
      feature: z.string(),
      psi: z.number().nullable(),
      pValue: z.number().nullable(),
      support: z.object({ older: z.number(), newer: z.number() }),
      judge: z.object({ older: z.number().nullable(), newer: z.number().nullable() }),
    }),
  ),
  promptDiff: z
    .object({
      from: z.string(),
      to: z.string(),
      changedLines: z.number(),
      rows: z.array(
        z.object({
          kind: z.enum(['same', 'changed', 'removed', 'added']),
          left: z.array(diffSegmentSchema).nullable(),
          right: z.array(diffSegmentSchema).nullable(),
        }),
      ),
    })
    .nullable(),
  notes: z.array(z.string()),
});
export type EvidenceValue = z.infer<typeof evidenceSchema>;

export const controlActInputSchema = z.object({
  kind: z.enum(['rollback', 'override']),
  deployment: z.string().min(1),
  version: z.string().min(1),
  reason: z.string().trim().min(3, 'a reason is required').max(2000),
  /** The revision the analyst looked at (If-Match). */
  revision: z.string().min(1),
  /** One per decision; a retry after a network error sends the same one. */
  idempotencyKey: z.string().min(8).max(200),
  /** Override only: the deployment name typed by the analyst, checked against the deployment. */
  confirmation: z.string().optional(),
  /** The evidence the analyst saw, stored with the audit entry. */
  evidence: z.record(z.string(), z.unknown()).optional(),
});
export type ControlActInput = z.infer<typeof controlActInputSchema>;

export const deploymentChangeSchema = z.object({
  field: z.enum(['state', 'pinned_version', 'traffic', 'versions', 'revision']),
  before: z.string(),
  after: z.string(),
});

export const controlOutcomeSchema = z.discriminatedUnion('outcome', [
  z.object({ outcome: z.literal('done'), replayed: z.boolean(), deployment: deploymentSchema, audit: auditEntrySchema }),
  z.object({
    outcome: z.literal('conflict'),
    status: z.union([z.literal(409), z.literal(412)]),
    code: z.string(),
    message: z.string(),
    current: deploymentSchema.nullable(),
    changes: z.array(deploymentChangeSchema),
  }),
]);
export type ControlOutcomeValue = z.infer<typeof controlOutcomeSchema>;

/** The analyst's own attempts, kept in the workspace: including the ones that never reached the audit log. */
export const journalEntrySchema = z.object({
  at: z.string(),
  kind: z.enum(['rollback', 'override']),
  deployment: z.string(),
  version: z.string(),
  reason: z.string(),
  revision: z.string(),
  idempotencyKey: z.string(),
  outcome: z.enum(['done', 'replayed', 'conflict', 'forbidden', 'network', 'error']),
  detail: z.string().nullable(),
  evidence: z.record(z.string(), z.unknown()).nullable(),
});
export type JournalEntry = z.infer<typeof journalEntrySchema>;

export const mitigationSchema = z.object({
  deployment: z.string(),
  version: z.string().nullable(),
  alertAt: z.string().nullable(),
  alert: z.string().nullable(),
  rollbackAt: z.string(),
  automatic: z.boolean(),
  actor: z.string(),
  minutes: z.number().nullable(),
});

export const auditOutputSchema = z.object({
  entries: z.array(auditEntrySchema),
  journal: z.array(journalEntrySchema),
  mitigation: z.array(mitigationSchema),
  notes: z.array(z.string()),
});
