import { z } from 'zod';
import { roleMappingSchema } from './roles';
import { auditOutputSchema, controlActInputSchema, controlOutcomeSchema, deploymentsOutputSchema, evidenceSchema } from './control-api';
import { tailSnapshotSchema, tailStartInputSchema } from './live';
import {
  evalPushOutputSchema,
  evalPushStateSchema,
  feedImportOutputSchema,
  llmSettingsInputSchema,
  llmSettingsOutputSchema,
  rejudgeInputSchema,
  rejudgeOutputSchema,
  suggestInputSchema,
  suggestionResultSchema,
} from './judge-api';
import {
  driftQuerySchema,
  driftReportViewSchema,
  overviewSchema,
  sliceDetailSchema,
  sparklinesSchema,
} from './drift-schemas';

/**
 * The one contract between the renderer and the core. Every call is declared here once —
 * name, zod input, zod output — and both transports (Electron IPC in main.ts/preload.ts,
 * HTTP + WebSocket in serve.ts) and the renderer's typed client are generated from it.
 * Adding a call is one entry here and one handler in electron/core/handlers.ts.
 */

/** Outputs marked binary cross as raw bytes (Arrow IPC), never as JSON. */
export const arrowBytes = z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected Arrow IPC bytes');

interface CallDef<I extends z.ZodType, O extends z.ZodType> {
  input: I;
  output: O;
  /** True when the output is Arrow IPC bytes. */
  binary?: boolean;
}

function call<I extends z.ZodType, O extends z.ZodType>(def: CallDef<I, O>): CallDef<I, O> {
  return def;
}

// ---- Data: opening Parquet and looking inside ---------------------------------------------

export const problemSchema = z.object({
  file: z.string(),
  code: z.string(),
  message: z.string(),
  column: z.string().optional(),
  hint: z.string().optional(),
});
export type Problem = z.infer<typeof problemSchema>;

export const columnKindSchema = z.enum(['numeric', 'text', 'boolean', 'temporal', 'nested', 'other']);
export type ColumnKind = z.infer<typeof columnKindSchema>;

export const columnStatsSchema = z.object({
  name: z.string(),
  type: z.string(),
  kind: columnKindSchema,
  nullCount: z.number(),
  nullRate: z.number(),
  /** Distinct non-null values: exact, or a HyperLogLog estimate when distinctApprox. */
  distinct: z.number().nullable(),
  distinctApprox: z.boolean(),
});
export type ColumnStats = z.infer<typeof columnStatsSchema>;

export const datasetSummarySchema = z.object({
  datasetId: z.string(),
  files: z.array(z.string()),
  fileCount: z.number(),
  rows: z.number(),
  hivePartitions: z.array(z.string()),
  timestampColumn: z.string().nullable(),
  timeRange: z.object({ min: z.string(), max: z.string() }).nullable(),
  columns: z.array(columnStatsSchema),
  /** True when some column's distinct count is an estimate. */
  distinctApprox: z.boolean(),
  problems: z.array(problemSchema),
});
export type DatasetSummary = z.infer<typeof datasetSummarySchema>;

export const columnProfileSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('histogram'),
    column: z.string(),
    temporal: z.boolean(),
    /** 'length' charts text or list length where the values themselves are too many to show. */
    of: z.enum(['value', 'length']),
    bins: z.array(z.object({ start: z.number(), end: z.number(), count: z.number() })),
  }),
  z.object({
    kind: z.literal('top-values'),
    column: z.string(),
    values: z.array(z.object({ value: z.string(), count: z.number() })),
    otherCount: z.number(),
  }),
  z.object({ kind: z.literal('none'), column: z.string(), reason: z.string() }),
]);
export type ColumnProfile = z.infer<typeof columnProfileSchema>;

const datasetRef = z.object({ datasetId: z.string().min(1) });

// ---- Workspaces ---------------------------------------------------------------------------

export const workspaceSummarySchema = z.object({
  dir: z.string(),
  name: z.string(),
  /** The requests table; null until the first partition is imported. */
  dataset: datasetSummarySchema.nullable(),
  roles: roleMappingSchema.nullable(),
  /** True while the mapping is Loupe's guess, until the user saves it. */
  rolesGuessed: z.boolean(),
  lastImport: z.object({
    filesSeen: z.number(),
    filesIngested: z.number(),
    rowsAdded: z.number(),
    duplicates: z.number(),
  }),
  /** Duplicate request ids skipped across all partitions. */
  duplicates: z.number(),
  /** Files set aside or only partly usable (quarantined, schema conflicts, no timestamp). */
  problems: z.array(problemSchema),
});
export type WorkspaceSummary = z.infer<typeof workspaceSummarySchema>;

// ---- Triage ------------------------------------------------------------------------------

export const rootCauseSchema = z.enum(['retrieval_miss', 'hallucination', 'format_break', 'safety', 'other']);
export const caseStatusSchema = z.enum(['open', 'labelled', 'promoted', 'dismissed']);

export const triageCaseRowSchema = z.object({
  case_id: z.string(),
  request_id: z.string(),
  sources: z.array(z.string()),
  slice: z.string().nullable(),
  model_version: z.string().nullable(),
  created_at: z.string(),
  root_cause: rootCauseSchema.nullable(),
  from_suggestion: z.boolean(),
  labelled_at: z.string().nullable(),
  note: z.string().nullable(),
  expected: z.string().nullable(),
  status: caseStatusSchema,
});
export type TriageCaseRow = z.infer<typeof triageCaseRowSchema>;

export const triageFilterSchema = z.object({
  status: z.array(caseStatusSchema).optional(),
  source: z.string().optional(),
  slice: z.string().optional(),
  modelVersion: z.string().optional(),
});

export const labelEventSchema = z.object({
  event_id: z.number(),
  case_id: z.string(),
  kind: z.enum(['label', 'note', 'promote', 'dismiss', 'reopen', 'undo']),
  root_cause: z.string().nullable(),
  note: z.string().nullable(),
  expected: z.string().nullable(),
  suggestion: z.string().nullable(),
  undoes: z.number().nullable(),
  actor: z.string(),
  at: z.string(),
});

/** A field of the logged request, always as text: logged content is untrusted and shown inert. */
export const requestFieldSchema = z.object({ role: z.string(), column: z.string(), text: z.string().nullable() });

// ---- The calls -----------------------------------------------------------------------------

export const api = {
  /** Opens Parquet files, folders (recursive, hive partitions) or globs as one dataset. */
  openDataset: call({
    input: z.object({ paths: z.array(z.string().min(1)).min(1).max(10_000) }),
    output: datasetSummarySchema,
  }),
  closeDataset: call({ input: datasetRef, output: z.object({ closed: z.boolean() }) }),
  /** A small chart's worth of a column: equal-width bins or top values. */
  columnProfile: call({
    input: datasetRef.extend({ column: z.string().min(1), bins: z.number().int().min(2).max(200).optional() }),
    output: columnProfileSchema,
  }),
  /** A page of rows as Arrow IPC; nested values arrive as JSON text. */
  previewRows: call({
    input: datasetRef.extend({
      offset: z.number().int().min(0),
      limit: z.number().int().min(1).max(5000),
    }),
    output: arrowBytes,
    binary: true,
  }),
  /** Lists a folder so browser mode can offer a file picker (Electron has a native dialog). */
  listDirectory: call({
    input: z.object({ path: z.string().optional() }),
    output: z.object({
      path: z.string(),
      parent: z.string().nullable(),
      entries: z.array(
        z.object({ name: z.string(), path: z.string(), kind: z.enum(['dir', 'parquet', 'file']), bytes: z.number() }),
      ),
    }),
  }),
  /** Opens (creating if needed) a workspace folder and imports any new partitions. */
  openWorkspace: call({ input: z.object({ dir: z.string().min(1) }), output: workspaceSummarySchema }),
  /** Imports partitions that arrived since the last look. */
  refreshWorkspace: call({ input: z.object({}), output: workspaceSummarySchema }),
  closeWorkspace: call({ input: z.object({}), output: z.object({ closed: z.boolean() }) }),
  recentWorkspaces: call({
    input: z.object({}),
    output: z.array(z.object({ dir: z.string(), name: z.string(), openedAt: z.string() })),
  }),
  /** Saves the user's column → role mapping in the workspace. */
  setRoles: call({ input: z.object({ mapping: roleMappingSchema }), output: workspaceSummarySchema }),
  triageQueue: call({
    input: z.object({ filter: triageFilterSchema.default({}) }),
    output: z.object({
      cases: z.array(triageCaseRowSchema),
      counts: z.record(caseStatusSchema, z.number()),
      labelsLastHour: z.number(),
      /** Promoted ÷ (labelled + promoted + dismissed): how much triage turns into eval cases. */
      conversion: z.number().nullable(),
      versions: z.array(z.string()),
      sources: z.array(z.string()),
      /** Labelled root causes counted by model version and by slice: which version breaks how. */
      rootCauses: z.array(z.object({ by: z.enum(['version', 'slice']), key: z.string(), root_cause: rootCauseSchema, n: z.number() })),
    }),
  }),
  triageCase: call({
    input: z.object({ caseId: z.string().min(1) }),
    output: z.object({
      case: triageCaseRowSchema,
      fields: z.array(requestFieldSchema),
      history: z.array(labelEventSchema.extend({ undone: z.boolean() })),
      /** Other cases in the same slice, and requests in the workspace with the same slice. */
      similar: z.object({
        sameSliceCases: z.number(),
        sameSliceRequests: z.number().nullable(),
        /** Requests whose input embedding is within cosine similarity 0.95 of this one. */
        nearEmbeddings: z.number().nullable(),
      }),
    }),
  }),
  /** One triage action, committed to the workspace before it is answered. */
  triageAct: call({
    input: z.object({
      caseId: z.string().min(1),
      action: z.enum(['label', 'note', 'promote', 'dismiss', 'reopen']),
      rootCause: rootCauseSchema.optional(),
      note: z.string().max(10_000).optional(),
      expected: z.string().max(10_000).optional(),
      suggestion: z.object({ confidence: z.number(), rationale: z.string(), model: z.string() }).nullable().optional(),
    }),
    output: z.object({ event: labelEventSchema, case: triageCaseRowSchema }),
  }),
  triageUndo: call({
    input: z.object({}),
    output: z.object({ event: labelEventSchema.nullable(), case: triageCaseRowSchema.nullable() }),
  }),
  /** Runs the auto-flag rules over the workspace and adds what they find to the queue. */
  triageCollect: call({
    input: z.object({}),
    output: z.object({
      added: z.number(),
      merged: z.number(),
      skipped: z.array(z.object({ rule: z.string(), missing: z.array(z.string()) })),
    }),
  }),
  triageRules: call({
    input: z.object({
      set: z
        .object({
          judgeBelow: z.number().min(0).max(1).nullable(),
          formatBreak: z.boolean(),
          refusalWithNegativeFeedback: z.boolean(),
          limitPerRule: z.number().int().min(1).max(10_000),
        })
        .optional(),
    }),
    output: z.object({
      judgeBelow: z.number().nullable(),
      formatBreak: z.boolean(),
      refusalWithNegativeFeedback: z.boolean(),
      limitPerRule: z.number(),
    }),
  }),
  exportEvalSet: call({
    input: z.object({ out: z.string().min(1), parquet: z.boolean().default(true) }),
    output: z.object({ cases: z.number(), files: z.array(z.string()) }),
  }),
  // ---- Triage: LLM suggestions, re-judge, service feed and eval-case push (electron/core/judge, triage) ----
  /** Base URL, model and key of an OpenAI-compatible server; the key goes in and never comes back out. */
  llmSettings: call({ input: llmSettingsInputSchema, output: llmSettingsOutputSchema }),
  /** The suggested root cause of a case (an error or "unconfigured" is a value, not a throw); prefetches the next ones. */
  triageSuggest: call({ input: suggestInputSchema, output: suggestionResultSchema }),
  /** Re-scores a case or a sample of a slice with the judge rubric and compares with the online judge. */
  triageRejudge: call({ input: rejudgeInputSchema, output: rejudgeOutputSchema }),
  /** Imports the service's triage feed (GET /v1/triage) into the queue as `service:<kind>` cases. */
  triageImportFeed: call({ input: z.object({}), output: feedImportOutputSchema }),
  /** Pushes promoted cases to the service's eval-case sink; each case ends pushed or failed. */
  triagePushEvalCases: call({ input: z.object({ onlyFailed: z.boolean().default(false) }), output: evalPushOutputSchema }),
  triageEvalPushes: call({ input: z.object({}), output: z.array(evalPushStateSchema) }),
  /** The service this workspace syncs from; the token goes in and never comes back out. */
  serviceConnection: call({
    input: z.object({ set: z.object({ url: z.string().url(), token: z.string().min(1).optional() }).optional() }),
    output: z.object({
      url: z.string().nullable(),
      hasToken: z.boolean(),
      storage: z.enum(['safeStorage', 'file-0600', 'memory']),
      warning: z.string().nullable(),
    }),
  }),
  /** Downloads new or changed export partitions into the workspace, then imports them. */
  syncWorkspace: call({
    input: z.object({
      concurrency: z.number().int().min(1).max(16).optional(),
      /** Only the partitions overlapping these hours (ISO times of hour starts): the hours a tail gap skipped. */
      hours: z.array(z.string().datetime()).max(24 * 366).optional(),
    }),
    output: z.object({
      manifest: z.number(),
      downloaded: z.number(),
      skipped: z.number(),
      bytes: z.number(),
      seconds: z.number(),
      failed: z.array(z.object({ id: z.string(), file: z.string(), message: z.string() })),
      workspace: workspaceSummarySchema,
    }),
  }),
  cancelSync: call({ input: z.object({}), output: z.object({ cancelled: z.boolean() }) }),
  // ---- Drift: overview, slices, slice detail (electron/core/drift) ----
  overview: call({ input: driftQuerySchema, output: overviewSchema }),
  driftReport: call({ input: driftQuerySchema, output: driftReportViewSchema }),
  sliceDetail: call({
    input: z.object({ sliceId: z.string(), requests: z.number().int().min(1).max(500).default(50) }),
    output: sliceDetailSchema,
  }),
  sliceSparklines: call({ input: z.object({}), output: sparklinesSchema }),
  requestDetail: call({ input: z.object({ requestId: z.string().min(1) }), output: z.object({ fields: z.array(requestFieldSchema) }) }),
  sendSliceToTriage: call({
    input: z.object({ sliceId: z.string(), n: z.number().int().min(1).max(1000).default(20), order: z.enum(['judge_asc', 'recent']).default('judge_asc') }),
    output: z.object({ added: z.number(), merged: z.number(), source: z.string() }),
  }),
  /** Starts streaming the service's tail into the open workspace; progress arrives as `tail` events. */
  tailStart: call({ input: tailStartInputSchema, output: tailSnapshotSchema }),
  tailStop: call({ input: z.object({}), output: tailSnapshotSchema }),
  tailStatus: call({ input: z.object({}), output: tailSnapshotSchema }),
  // ---- Deployments and rollback (electron/core/control) ----
  /** Deployments from the service, and whether this token may act (the service says: /v1/health role). */
  deployments: call({ input: z.object({}), output: deploymentsOutputSchema }),
  /** Per-version evidence from the workspace, the newer version's top drifting slices, the prompt diff. */
  deploymentEvidence: call({ input: z.object({ deployment: z.string().min(1) }), output: evidenceSchema }),
  /** Rollback or override with If-Match and an Idempotency-Key; a 409/412 comes back as a value with what changed. */
  controlAct: call({ input: controlActInputSchema, output: controlOutcomeSchema }),
  /** The service's audit log, the analyst's own attempts, and time to mitigate per rollback. */
  controlAudit: call({ input: z.object({}), output: auditOutputSchema }),
  appInfo: call({
    input: z.object({}),
    output: z.object({
      version: z.string(),
      transport: z.enum(['electron', 'browser']),
      duckdbVersion: z.string(),
      sampleDataPath: z.string().nullable(),
    }),
  }),
} as const;

export type Api = typeof api;
export type CallName = keyof Api;
export type CallInput<N extends CallName> = z.input<Api[N]['input']>;
/** The input after validation (defaults applied) — what core handlers receive. */
export type CallParsedInput<N extends CallName> = z.output<Api[N]['input']>;
export type CallOutput<N extends CallName> = z.output<Api[N]['output']>;

export const callNames = Object.keys(api) as CallName[];

export function isCallName(name: string): name is CallName {
  return Object.prototype.hasOwnProperty.call(api, name);
}

// ---- Event streams -------------------------------------------------------------------------

export const events = {
  /** Progress of long work (opening many files, computing stats, syncing…). */
  progress: z.object({
    task: z.string(),
    label: z.string(),
    done: z.number(),
    total: z.number().nullable(),
    finished: z.boolean(),
  }),
  /** Live tail: throttled snapshots (a few a second) of the stream, its analytics and alerts. */
  tail: tailSnapshotSchema,
  /** Export sync: bytes, files, rate and ETA, a few times a second. */
  sync: z.object({
    filesDone: z.number(),
    filesTotal: z.number(),
    bytesDone: z.number(),
    bytesTotal: z.number(),
    bytesPerSecond: z.number(),
    etaSeconds: z.number().nullable(),
    current: z.array(z.string()),
    finished: z.boolean(),
  }),
} as const;

export type Events = typeof events;
export type SyncProgressEvent = z.output<Events['sync']>;
export type EventName = keyof Events;
export type EventPayload<E extends EventName> = z.output<Events[E]>;
export const eventNames = Object.keys(events) as EventName[];

/** What a call returns across a transport: a value or an error the user can act on. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: import('./errors').LoupeErrorValue };

/** The typed client both transports implement for the renderer. */
export interface LoupeClient {
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N>>;
  on<E extends EventName>(name: E, listener: (payload: EventPayload<E>) => void): () => void;
  readonly transport: 'electron' | 'browser';
}
