import { z } from 'zod';
import { loupeErrorSchema } from './errors';

/**
 * Contract shapes for the LLM judge (suggested root causes, re-judging) and the service side
 * of triage (feed import, eval-case push). Kept apart from shared/api.ts so that file only
 * gains the call entries.
 */

export const suggestionRootCauses = ['retrieval_miss', 'hallucination', 'format_break', 'safety', 'other'] as const;

/** What the model must answer, validated before anything is shown. */
export const suggestionSchema = z.object({
  root_cause: z.enum(suggestionRootCauses),
  confidence: z.number().min(0).max(1),
  rationale: z.string().min(1).max(4000),
});
export type Suggestion = z.infer<typeof suggestionSchema>;

export const tokenUsageSchema = z.object({ prompt: z.number(), completion: z.number() });

export const llmSettingsInputSchema = z.object({
  set: z
    .object({
      /** Any OpenAI-compatible server: https://api.openai.com/v1, http://localhost:11434/v1 (Ollama), vLLM… */
      baseUrl: z.string().url(),
      model: z.string().min(1).max(200),
      /** Goes into the secret store and never comes back out. */
      apiKey: z.string().min(1).max(1000).optional(),
      clearKey: z.boolean().optional(),
      timeoutMs: z.number().int().min(100).max(600_000).optional(),
      concurrency: z.number().int().min(1).max(16).optional(),
      attempts: z.number().int().min(1).max(10).optional(),
    })
    .optional(),
});

export const llmSettingsOutputSchema = z.object({
  configured: z.boolean(),
  baseUrl: z.string().nullable(),
  model: z.string().nullable(),
  hasKey: z.boolean(),
  timeoutMs: z.number(),
  concurrency: z.number(),
  attempts: z.number(),
  storage: z.enum(['safeStorage', 'file-0600', 'memory']),
  warning: z.string().nullable(),
  /** How to add an LLM, when none is usable. */
  hint: z.string().nullable(),
});

export const suggestionStatsSchema = z.object({
  /** Suggestions asked for by the view (not prefetches). */
  asked: z.number(),
  /** Of those, how many were already fetched or in flight thanks to prefetching. */
  prefetchHits: z.number(),
  promptTokens: z.number(),
  completionTokens: z.number(),
});

export const suggestionResultSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('ok'),
    caseId: z.string(),
    suggestion: suggestionSchema,
    model: z.string(),
    tokens: tokenUsageSchema,
    ms: z.number(),
    /** False when the server had no JSON-schema output and the JSON was read from plain text. */
    structured: z.boolean(),
    prefetched: z.boolean(),
    stats: suggestionStatsSchema,
  }),
  z.object({ status: z.literal('error'), caseId: z.string(), error: loupeErrorSchema, stats: suggestionStatsSchema }),
  z.object({ status: z.literal('unconfigured'), caseId: z.string(), hint: z.string(), stats: suggestionStatsSchema }),
]);
export type SuggestionResult = z.infer<typeof suggestionResultSchema>;

export const suggestInputSchema = z.object({
  caseId: z.string().min(1),
  /** The next cases in the queue, fetched in the background. */
  prefetch: z.array(z.string().min(1)).max(10).default([]),
  /** Ask again even if an earlier answer (or error) is cached. */
  retry: z.boolean().default(false),
});

export const rejudgeInputSchema = z.object({
  caseId: z.string().min(1).optional(),
  /** "route=search × locale=de"; with modelVersion, narrows the sample. */
  slice: z.string().min(1).optional(),
  modelVersion: z.string().min(1).optional(),
  n: z.number().int().min(1).max(200).default(20),
  /** Replaces the saved rubric for this run and saves it. */
  rubric: z.string().min(20).max(20_000).optional(),
});

export const rejudgeOutputSchema = z.object({
  n: z.number(),
  judged: z.number(),
  /** Mean |re-judge − online judge| over judged requests. */
  meanAbsDiff: z.number().nullable(),
  /** Share of judged requests where both agree on pass (score ≥ 0.5) or fail. */
  agreement: z.number().nullable(),
  threshold: z.number(),
  tokens: tokenUsageSchema,
  items: z.array(
    z.object({
      request_id: z.string(),
      online: z.number(),
      rejudge: z.number().nullable(),
      rationale: z.string().nullable(),
      error: z.string().nullable(),
    }),
  ),
  rubric: z.string(),
  model: z.string(),
});
export type RejudgeOutput = z.infer<typeof rejudgeOutputSchema>;

export const feedImportOutputSchema = z.object({
  fetched: z.number(),
  added: z.number(),
  merged: z.number(),
  bySource: z.record(z.string(), z.number()),
  /** The newest item time seen; the next import asks only for newer items. */
  since: z.string().nullable(),
});

export const evalPushStateSchema = z.object({
  case_id: z.string(),
  status: z.enum(['pushed', 'failed']),
  detail: z.string().nullable(),
  at: z.string(),
});

export const evalPushOutputSchema = z.object({
  created: z.number(),
  existing: z.number(),
  failed: z.array(z.object({ case_id: z.string(), message: z.string() })),
  states: z.array(evalPushStateSchema),
});
