import { z } from 'zod';

/**
 * What the Overview and Slices views receive from the drift engine: the report reduced to
 * what a table row or a chart needs (per-slice bin counts stay in the core until a slice is
 * opened). Definitions of every figure: electron/core/drift/README.md.
 */

export const axisSchema = z.enum(['input', 'output', 'quality']);
export type DriftAxis = z.infer<typeof axisSchema>;
export const driftLevelSchema = z.enum(['quiet', 'watch', 'alert']);
export const binningRuleSchema = z.enum(['quantile', 'equal-width', 'evidently']);

export const timeWindowSchema = z.object({ start: z.string(), end: z.string() });
export const driftWindowsSchema = z.object({ baseline: timeWindowSchema, current: timeWindowSchema });
export type DriftWindowsView = z.infer<typeof driftWindowsSchema>;

export const sliceDimSchema = z.object({ dimension: z.string(), value: z.string().nullable() });
export type SliceDimView = z.infer<typeof sliceDimSchema>;

export const axisCellSchema = z.object({
  feature: z.string(),
  psi: z.number().nullable(),
  pValue: z.number().nullable(),
  significant: z.boolean(),
  meetsSupport: z.boolean(),
  level: driftLevelSchema,
  score: z.number(),
});
export type AxisCell = z.infer<typeof axisCellSchema>;

export const sliceRowSchema = z.object({
  id: z.string(),
  dims: z.array(sliceDimSchema),
  support: z.object({ baseline: z.number(), current: z.number() }),
  judge: z.object({
    baselineMean: z.number().nullable(),
    currentMean: z.number().nullable(),
    baselineJudged: z.number(),
    currentJudged: z.number(),
  }),
  axes: z.partialRecord(axisSchema, axisCellSchema),
  score: z.number(),
});
export type SliceRow = z.infer<typeof sliceRowSchema>;

const judgeHourSchema = z.object({
  hour: z.string(),
  n: z.number(),
  mean: z.number(),
  threshold: z.number().nullable(),
  status: z.enum(['ok', 'flagged', 'insufficient_data']),
});

export const driftAlertSchema = z.object({
  id: z.string(),
  kind: z.enum(['psi', 'judge']),
  axis: axisSchema,
  sliceId: z.string(),
  dims: z.array(sliceDimSchema),
  window: timeWindowSchema,
  message: z.string(),
  feature: z.string().optional(),
  psi: z.number().optional(),
  pValue: z.number().optional(),
  score: z.number().optional(),
  parentSliceId: z.string().optional(),
  version: z.string().nullable().optional(),
  baselineMean: z.number().optional(),
  hours: z.array(z.object({ hour: z.string(), n: z.number(), mean: z.number(), threshold: z.number() })).optional(),
});
export type DriftAlertView = z.infer<typeof driftAlertSchema>;

const judgeStatsSchema = z.object({
  n: z.number(),
  mean: z.number().nullable(),
  sd: z.number().nullable(),
  ci95: z.tuple([z.number(), z.number()]).nullable(),
});

export const judgeVersionSchema = z.object({
  version: z.string().nullable(),
  status: z.enum(['ok', 'flagged', 'insufficient_data']),
  reason: z.string().optional(),
  reference: z.enum(['own', 'all_versions']),
  referenceBaseline: judgeStatsSchema,
  baseline: judgeStatsSchema,
  current: judgeStatsSchema,
  hours: z.array(judgeHourSchema),
  flaggedHours: z.array(z.string()),
});

export const driftFeatureSchema = z.object({
  id: z.string(),
  axis: axisSchema,
  label: z.string(),
  binLabels: z.array(z.string()),
});

export const driftReportViewSchema = z.object({
  windows: driftWindowsSchema,
  rows: z.object({ baseline: z.number(), current: z.number() }),
  config: z.object({
    bins: z.number(),
    binning: binningRuleSchema,
    minSupport: z.number(),
    alpha: z.number(),
    dimensions: z.array(z.string()),
    clusters: z.object({ k: z.number(), sampleSize: z.number(), seed: z.number(), distance: z.string(), meanDistance: z.number() }).nullable(),
  }),
  features: z.array(driftFeatureSchema),
  overall: sliceRowSchema,
  slices: z.array(sliceRowSchema),
  top: z.partialRecord(axisSchema, z.array(z.string())),
  alerts: z.array(driftAlertSchema),
  judge: z.object({ by: z.string(), rule: z.string(), versions: z.array(judgeVersionSchema) }).nullable(),
  timings: z.record(z.string(), z.number()),
  notes: z.array(z.string()),
  /** True when the frame was reused from an earlier call (only the scoring ran). */
  reused: z.boolean(),
});
export type DriftReportView = z.infer<typeof driftReportViewSchema>;

export const driftQuerySchema = z.object({
  baseline: timeWindowSchema.optional(),
  current: timeWindowSchema.optional(),
  minSupport: z.number().int().min(1).max(1e9).optional(),
  bins: z.number().int().min(2).max(100).optional(),
  binning: binningRuleSchema.optional(),
});
export type DriftQuery = z.infer<typeof driftQuerySchema>;

export const sliceFeatureDetailSchema = z.object({
  id: z.string(),
  axis: axisSchema,
  label: z.string(),
  status: z.string(),
  psi: z.number().nullable(),
  kl: z.number().nullable(),
  js: z.number().nullable(),
  pValue: z.number().nullable(),
  significant: z.boolean(),
  level: driftLevelSchema,
  bins: z.array(z.object({ label: z.string(), baseline: z.number(), current: z.number() })),
});

export const sliceHourSchema = z.object({
  hour: z.string(),
  window: z.enum(['baseline', 'current']),
  n: z.number(),
  judged: z.number(),
  judgeMean: z.number().nullable(),
  refusalRate: z.number().nullable(),
  formatOkRate: z.number().nullable(),
  /** The version serving most of this hour's requests. */
  mainVersion: z.string().nullable(),
});

export const sliceRequestSchema = z.object({
  requestId: z.string(),
  timestamp: z.string().nullable(),
  version: z.string().nullable(),
  judgeScore: z.number().nullable(),
  preview: z.string(),
});

export const sliceDetailSchema = z.object({
  slice: sliceRowSchema,
  windows: driftWindowsSchema,
  features: z.array(sliceFeatureDetailSchema),
  hours: z.array(sliceHourSchema),
  /** The slice's baseline judge mean and sd: the band is mean ± 2·sd/√n of each hour. */
  judgeBaseline: z.object({ mean: z.number().nullable(), sd: z.number().nullable(), n: z.number() }),
  /** A version starting (to) or stopping (from) to serve the slice. */
  versionChanges: z.array(z.object({ hour: z.string(), from: z.string().nullable(), to: z.string().nullable() })),
  requests: z.array(sliceRequestSchema),
  ms: z.number(),
});
export type SliceDetail = z.infer<typeof sliceDetailSchema>;

export const sparklinesSchema = z.object({
  days: z.array(z.string()),
  /** Slice id → judge mean per day (null: no judged request that day). */
  series: z.record(z.string(), z.array(z.number().nullable())),
});
export type Sparklines = z.infer<typeof sparklinesSchema>;

export const versionStatsSchema = z.object({
  version: z.string().nullable(),
  requests: z.number(),
  judged: z.number(),
  judgeMean: z.number().nullable(),
  judgeLow: z.number().nullable(),
  judgeHigh: z.number().nullable(),
  errorRate: z.number().nullable(),
  refusalRate: z.number().nullable(),
  formatOkRate: z.number().nullable(),
  latencyP50: z.number().nullable(),
  latencyP95: z.number().nullable(),
  firstSeen: z.string().nullable(),
  lastSeen: z.string().nullable(),
});
export type VersionStatsView = z.infer<typeof versionStatsSchema>;

export const overviewSchema = z.object({
  windows: driftWindowsSchema,
  /** Per version over the current window, and over the baseline window for comparison. */
  current: z.array(versionStatsSchema),
  baseline: z.array(versionStatsSchema),
  alerts: z.array(driftAlertSchema),
  judge: z.object({ by: z.string(), rule: z.string(), versions: z.array(judgeVersionSchema) }).nullable(),
  notes: z.array(z.string()),
});
export type OverviewView = z.infer<typeof overviewSchema>;
