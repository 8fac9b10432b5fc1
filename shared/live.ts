import { z } from 'zod';
import { loupeErrorSchema } from './errors';

/**
 * The live tail's shapes in the contract: the snapshot the core sends a few times a second
 * (event `tail`), and the request drawer. Kept apart from api.ts so the live feature reads as
 * one file; api.ts references these.
 */

export const tailStateSchema = z.enum(['idle', 'connecting', 'live', 'reconnecting', 'stopped', 'error']);
export type TailState = z.infer<typeof tailStateSchema>;

/** The newest requests, trimmed to what the table shows; the drawer asks for the rest. */
export const liveRowSchema = z.object({
  request_id: z.string(),
  ts: z.string(),
  deployment: z.string(),
  model_version: z.string(),
  route: z.string(),
  locale: z.string(),
  tenant_tier: z.string(),
  status: z.string(),
  latency_ms: z.number(),
  judge_score: z.number().nullable(),
  /** The first 160 characters of the prompt, for scanning; render as text. */
  prompt: z.string(),
});
export type LiveRow = z.infer<typeof liveRowSchema>;

export const liveVersionSchema = z.object({
  deployment: z.string(),
  version: z.string(),
  requests: z.number(),
  errors: z.number(),
  errorRate: z.number().nullable(),
  judged: z.number(),
  judgeMean: z.number().nullable(),
  /** Where the baseline came from: the version's own scores, or its deployment's (a new canary). */
  baselineOf: z.enum(['version', 'deployment', 'none']),
  baselineMean: z.number().nullable(),
  baselineSd: z.number().nullable(),
  baselineN: z.number(),
  baselineErrorRate: z.number().nullable(),
  /** The hourly 2σ line μ_b − 2·s_b/√n for the last hour's n judged (null below 10). */
  threshold: z.number().nullable(),
  hourBelowThreshold: z.boolean(),
  /** flagged: the judge CUSUM crossed its threshold and has not come back to zero. */
  status: z.enum(['ok', 'flagged', 'insufficient_data']),
  /** The CUSUM as a share of its alert threshold (the larger of the two detectors): 1 alerts. */
  evidence: z.number().nullable(),
  /** Event time of the score that raised the flag. */
  flaggedAt: z.string().nullable(),
});
export type LiveVersion = z.infer<typeof liveVersionSchema>;

export const livePsiSchema = z.object({
  axis: z.enum(['input', 'output', 'quality']),
  feature: z.string(),
  psi: z.number().nullable(),
  current: z.number(),
  baseline: z.number(),
  level: z.enum(['quiet', 'watch', 'alert']),
});
export type LivePsi = z.infer<typeof livePsiSchema>;

export const liveMinuteSchema = z.object({
  minute: z.string(),
  version: z.string(),
  requests: z.number(),
  errors: z.number(),
  judged: z.number(),
  judgeMean: z.number().nullable(),
});

export const liveAlertSchema = z.object({
  id: z.string(),
  kind: z.enum(['judge', 'psi']),
  title: z.string(),
  detail: z.string(),
  /** What the notification opens: a deployment, or the Slices table ranked by the drifting axis. */
  target: z.object({
    view: z.enum(['deployments', 'slices']),
    deployment: z.string().optional(),
    slice: z.string().optional(),
    axis: z.enum(['input', 'output', 'quality']).optional(),
  }),
  /** Event time of the newest request when the alert fired. */
  eventTime: z.string(),
  raisedAt: z.string(),
  active: z.boolean(),
  /**
   * Raised by the rows a resumed tail replayed (the last hour it had stored): the state shows
   * in the view, but it was notified before the restart and is not notified again.
   */
  replayed: z.boolean(),
});
export type LiveAlert = z.infer<typeof liveAlertSchema>;

export const liveAnalyticsSchema = z.object({
  window: z.object({ start: z.string(), end: z.string() }).nullable(),
  baseline: z.object({ start: z.string(), end: z.string(), requests: z.number() }).nullable(),
  rule: z.string(),
  versions: z.array(liveVersionSchema),
  psi: z.array(livePsiSchema),
  minutes: z.array(liveMinuteSchema),
});
export type LiveAnalytics = z.infer<typeof liveAnalyticsSchema>;

export const tailSnapshotSchema = z.object({
  state: tailStateSchema,
  service: z.string().nullable(),
  error: loupeErrorSchema.nullable(),
  /** Events read from the stream (valid or not) since the tail started. */
  received: z.number(),
  ingested: z.number(),
  duplicates: z.number(),
  quarantined: z.number(),
  reconnects: z.number(),
  /** While reconnecting: why the last connection failed and when the next try is (null when live). */
  retry: z.object({ attempt: z.number(), reason: z.string(), nextAt: z.string() }).nullable(),
  cursor: z.number().nullable(),
  eventsPerSecond: z.number(),
  /** Now − the newest event's time (ms); null before the first event. */
  lagMs: z.number().nullable(),
  newestEventTime: z.string().nullable(),
  gaps: z.array(z.object({ requested: z.number(), oldest: z.number(), at: z.string(), hours: z.array(z.string()) })),
  /** Requests that arrived since the previous snapshot, newest first (at most 200). */
  rows: z.array(liveRowSchema),
  analytics: liveAnalyticsSchema,
  /**
   * Which evaluation `analytics` comes from (it is re-evaluated every few seconds, sent with
   * every snapshot): equal numbers, equal analytics. 0 before the first.
   */
  analyticsSeq: z.number(),
  alerts: z.array(liveAlertSchema),
  /**
   * Resident memory of the process the tail runs in, now and when the tail started (bytes); null
   * before a tail. An all-day stream should hold it level: the view keeps a window, the rows go to disk.
   */
  memory: z.object({ rssBytes: z.number(), startRssBytes: z.number() }).nullable(),
  /** Wall-clock time the snapshot was taken (for the view's end-to-end latency figure). */
  at: z.string(),
});
export type TailSnapshot = z.infer<typeof tailSnapshotSchema>;

export const tailStartInputSchema = z.object({
  /** Defaults to the workspace's service connection (serviceConnection). */
  url: z.string().url().optional(),
  token: z.string().min(1).optional(),
  /** 'resume' (default) continues after the workspace's saved cursor, else at the live head. */
  from: z.union([z.literal('resume'), z.literal('head'), z.number().int().min(0)]).default('resume'),
});
