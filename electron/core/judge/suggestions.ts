import { LoupeError, toErrorValue, type LoupeErrorValue } from '../../../shared/errors';
import { suggestionSchema, type Suggestion, type SuggestionResult } from '../../../shared/judge-api';
import type { RetryOptions } from '../exports/retry';
import { chatJson, type StructuredMemo } from './chat-json';
import { Limiter } from './limiter';
import type { LlmConfig } from './llm-settings';
import { SUGGEST_SYSTEM, SUGGESTION_JSON_SCHEMA, caseUserMessage, type CaseField } from './suggest-prompt';

type Outcome =
  | { status: 'ok'; suggestion: Suggestion; model: string; tokens: { prompt: number; completion: number }; ms: number; structured: boolean }
  | { status: 'error'; error: LoupeErrorValue };

interface Entry {
  promise: Promise<Outcome>;
  /** Started by a prefetch rather than by the view asking for it. */
  prefetched: boolean;
  /** The view has asked for it; only the first ask can be a prefetch hit. */
  asked: boolean;
}

export interface SuggestionDeps {
  /** The usable LLM or a LoupeError saying how to add one. */
  config(): Promise<LlmConfig>;
  /** The case's request as role-tagged text, as the case view shows it. */
  fields(caseId: string): Promise<CaseField[]>;
  retry?: Pick<RetryOptions, 'onRetry' | 'random' | 'baseMs' | 'maxMs'>;
}

/**
 * Suggested root causes, one LLM call per case at most: answers (and errors, so a failure is
 * shown once rather than retried on every keypress) are cached; the next cases in the queue are
 * fetched in the background under one concurrency limit, so the suggestion is usually there
 * before the analyst reaches the case.
 */
export class SuggestionService {
  private readonly cache = new Map<string, Entry>();
  private stats = { asked: 0, prefetchHits: 0, promptTokens: 0, completionTokens: 0 };

  constructor(
    private readonly deps: SuggestionDeps,
    /** Shared with re-judging, so both together stay under the server's concurrency limit. */
    private readonly limiter = new Limiter(2),
    private readonly memo: StructuredMemo = new Set(),
  ) {}

  /** Forget answers, e.g. when the model or server changed. */
  reset(): void {
    this.cache.clear();
  }

  async suggest(caseId: string, prefetch: string[] = [], retry = false): Promise<SuggestionResult> {
    let cfg: LlmConfig;
    try {
      cfg = await this.deps.config();
    } catch (err) {
      const e = toErrorValue(err);
      return { status: 'unconfigured', caseId, hint: e.hint ? `${e.message}. ${e.hint}` : e.message, stats: { ...this.stats } };
    }
    this.limiter.setLimit(cfg.concurrency);
    this.stats.asked++;
    if (retry) this.cache.delete(caseId);
    const had = this.cache.get(caseId);
    if (had?.prefetched && !had.asked) this.stats.prefetchHits++;
    const entry = had ?? this.start(caseId, cfg, false);
    entry.asked = true;
    for (const id of prefetch) if (id !== caseId && !this.cache.has(id)) this.start(id, cfg, true);
    const out = await entry.promise;
    const stats = { ...this.stats };
    return out.status === 'ok' ? { ...out, caseId, prefetched: entry.prefetched, stats } : { status: 'error', caseId, error: out.error, stats };
  }

  private start(caseId: string, cfg: LlmConfig, prefetched: boolean): Entry {
    const promise = this.limiter.run(() => this.fetch(caseId, cfg));
    const entry = { promise, prefetched, asked: false };
    this.cache.set(caseId, entry);
    return entry;
  }

  private async fetch(caseId: string, cfg: LlmConfig): Promise<Outcome> {
    try {
      const fields = await this.deps.fields(caseId);
      const r = await chatJson(
        cfg,
        { system: SUGGEST_SYSTEM, user: caseUserMessage(fields), schemaName: 'root_cause_suggestion', jsonSchema: SUGGESTION_JSON_SCHEMA, validate: suggestionSchema },
        this.memo,
        this.deps.retry,
      );
      this.stats.promptTokens += r.tokens.prompt;
      this.stats.completionTokens += r.tokens.completion;
      return { status: 'ok', suggestion: r.value, model: cfg.model, tokens: r.tokens, ms: r.ms, structured: r.structured };
    } catch (err) {
      return { status: 'error', error: err instanceof LoupeError ? err.toValue() : toErrorValue(err) };
    }
  }
}
