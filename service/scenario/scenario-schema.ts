import { z } from 'zod';

/**
 * A scenario says what production looks like: deployments and their versions, how traffic
 * splits between versions over time, the request rate, and the incidents to inject. Times are
 * offsets from the scenario's start (`"36h"`, `"13d 4h"`, `"90m"`), so one file works for a
 * 14-day export and for a live run. Documented in service/README.md.
 */
const duration = z.string().regex(/^(\s*\d+(\.\d+)?\s*(d|h|m|s)\s*)+$/, 'a duration like "13d 4h" or "90m"');

export const sliceSchema = z.object({
  route: z.string().optional(),
  locale: z.string().optional(),
  tenant_tier: z.string().optional(),
  model_version: z.string().optional(),
});

export const incidentSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('format_break'), at: duration, until: duration.optional(), slice: sliceSchema, prompt_revision: z.string().optional(), rate: z.number().min(0).max(1).default(0.6) }),
  z.object({ kind: z.literal('retrieval_regression'), at: duration, until: duration.optional(), slice: sliceSchema, judge_drop: z.number().min(0).max(1).default(0.3) }),
  z.object({ kind: z.literal('topic_shift'), at: duration, until: duration.optional(), slice: sliceSchema, topic: z.string(), share: z.number().min(0).max(1).default(0.35) }),
  z.object({ kind: z.literal('error_spike'), at: duration, until: duration.optional(), slice: sliceSchema, error_rate: z.number().min(0).max(1).default(0.25) }),
  z.object({ kind: z.literal('quality_regression'), at: duration, until: duration.optional(), slice: sliceSchema, judge_drop: z.number().min(0).max(1).default(0.2) }),
]);
export type Incident = z.infer<typeof incidentSchema>;

export const versionSchema = z.object({
  version: z.string(),
  model: z.string(),
  prompt_revision: z.string(),
  prompt_text: z.string(),
  /** Typical judge score of this version's answers (0..1). */
  quality: z.number().min(0).max(1).default(0.8),
  /** Median latency in ms (lognormal). */
  latency_ms: z.number().positive().default(900),
});

export const deploymentSchema = z.object({
  id: z.string(),
  name: z.string().optional(),
  versions: z.array(versionSchema).min(1),
  /** Traffic weights from a time on; the last step reached applies. */
  traffic: z.array(z.object({ at: duration, weights: z.record(z.string(), z.number().min(0)) })).min(1),
  slo: z
    .object({
      judge_mean_min: z.number().default(0.7),
      error_rate_max: z.number().default(0.08),
      window_minutes: z.number().default(60),
      min_judged: z.number().default(30),
      min_requests: z.number().default(200),
    })
    .default({ judge_mean_min: 0.7, error_rate_max: 0.08, window_minutes: 60, min_judged: 30, min_requests: 200 }),
});

export const scenarioSchema = z.object({
  name: z.string(),
  /** ISO time of offset 0. Exports cover [start, start + days); live runs continue after. */
  start: z.string().datetime({ offset: true }),
  /** Where a live run's clock starts, as an offset from `start` (after the exported history). */
  live_from: duration.default('14d'),
  /** Mean requests per second; the rate follows a daily cycle around it. */
  rate: z.number().positive(),
  daily_cycle: z.number().min(0).max(1).default(0.5),
  judge_sample: z.number().min(0).max(1).default(0.05),
  routes: z.array(z.string()).default(['support', 'search', 'billing', 'sql', 'summarize']),
  locales: z.array(z.string()).default(['en', 'de', 'fr', 'ja', 'es']),
  tenant_tiers: z.array(z.string()).default(['free', 'pro', 'enterprise']),
  base_error_rate: z.number().min(0).max(1).default(0.01),
  deployments: z.array(deploymentSchema).min(1),
  incidents: z.array(incidentSchema).default([]),
});
export type Scenario = z.infer<typeof scenarioSchema>;
export type ScenarioDeployment = z.infer<typeof deploymentSchema>;

/** "13d 4h 30m" → milliseconds */
export function parseDuration(text: string): number {
  const units: Record<string, number> = { d: 86_400_000, h: 3_600_000, m: 60_000, s: 1000 };
  let ms = 0;
  for (const m of text.matchAll(/(\d+(?:\.\d+)?)\s*(d|h|m|s)/g)) ms += Number(m[1]) * units[m[2]];
  return ms;
}
