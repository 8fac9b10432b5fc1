import OpenAI from 'openai';
import type { z } from 'zod';
import { LoupeError } from '../../../shared/errors';
import { RetryableError, parseRetryAfter, withRetry, type RetryOptions } from '../exports/retry';
import { jsonFromText } from './json-from-text';
import type { LlmConfig } from './llm-settings';

export interface ChatJsonRequest<T> {
  system: string;
  user: string;
  /** Name and JSON schema for response_format; the same shape the zod schema checks. */
  schemaName: string;
  jsonSchema: Record<string, unknown>;
  validate: z.ZodType<T>;
  maxTokens?: number;
}

export interface ChatJsonResult<T> {
  value: T;
  tokens: { prompt: number; completion: number };
  ms: number;
  structured: boolean;
}

/** Servers (base URL + model) that refused response_format: ask them for plain JSON text. */
export type StructuredMemo = Set<string>;

/**
 * One JSON answer from any OpenAI-compatible server through the `openai` SDK. The SDK's own
 * retries are off: ours honour Retry-After and share one policy with the exports client.
 * Every failure becomes a LoupeError the analyst can act on.
 */
export async function chatJson<T>(
  cfg: LlmConfig,
  req: ChatJsonRequest<T>,
  memo: StructuredMemo,
  opts: Pick<RetryOptions, 'signal' | 'onRetry' | 'random' | 'baseMs' | 'maxMs'> = {},
): Promise<ChatJsonResult<T>> {
  const client = new OpenAI({ baseURL: cfg.baseUrl, apiKey: cfg.apiKey, maxRetries: 0, timeout: cfg.timeoutMs });
  const memoKey = `${cfg.baseUrl}\u0000${cfg.model}`;
  const t0 = performance.now();
  const ask = async (structured: boolean) =>
    withRetry(
      async () => {
        try {
          return await client.chat.completions.create(
            {
              model: cfg.model,
              temperature: 0,
              max_tokens: req.maxTokens ?? 400,
              messages: [
                { role: 'system', content: req.system },
                { role: 'user', content: req.user },
              ],
              ...(structured ? { response_format: { type: 'json_schema' as const, json_schema: { name: req.schemaName, strict: true, schema: req.jsonSchema } } } : {}),
            },
            { signal: opts.signal },
          );
        } catch (err) {
          throw classify(err, cfg);
        }
      },
      { attempts: cfg.attempts, baseMs: opts.baseMs ?? 500, maxMs: opts.maxMs ?? 20_000, signal: opts.signal, onRetry: opts.onRetry, random: opts.random },
    );

  let structured = !memo.has(memoKey);
  let completion: OpenAI.Chat.Completions.ChatCompletion;
  try {
    completion = await ask(structured);
  } catch (err) {
    if (!(structured && err instanceof StructuredRefused)) throw finalError(err, cfg);
    memo.add(memoKey);
    structured = false;
    try {
      completion = await ask(false);
    } catch (err2) {
      throw finalError(err2, cfg);
    }
  }
  const ms = performance.now() - t0;
  const content = completion.choices[0]?.message?.content ?? '';
  const tokens = { prompt: completion.usage?.prompt_tokens ?? 0, completion: completion.usage?.completion_tokens ?? 0 };
  const raw = jsonFromText(content);
  const parsed = req.validate.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const what = raw == null ? 'is not JSON' : `does not match ${req.schemaName}: ${issue.path.join('.') || 'answer'} ${issue.message}`;
    throw new LoupeError({
      code: 'bad_input',
      message: `${cfg.model}'s answer ${what} (it began: ${JSON.stringify(content.slice(0, 120))})`,
      hint: 'try again, or pick a model that follows JSON instructions',
    });
  }
  return { value: parsed.data, tokens, ms, structured };
}

class StructuredRefused extends Error {}

/** Sorts an SDK error into: retry later, refuse structured output, or stop now. */
function classify(err: unknown, cfg: LlmConfig): Error {
  if (err instanceof OpenAI.APIUserAbortError) return new LoupeError({ code: 'cancelled', message: 'the suggestion was cancelled' });
  if (err instanceof OpenAI.APIConnectionTimeoutError) return new RetryableError(`no answer from ${cfg.baseUrl} within ${cfg.timeoutMs} ms`);
  if (err instanceof OpenAI.APIConnectionError) return new RetryableError(`cannot reach ${cfg.baseUrl}: ${err.message}`);
  if (err instanceof OpenAI.APIError && err.status != null) {
    const status = err.status;
    const detail = firstLine(err.message);
    if (status === 429 || status >= 500) {
      const h = err.headers;
      const ms = h?.get('retry-after-ms');
      const after = ms && Number.isFinite(Number(ms)) ? Number(ms) : parseRetryAfter(h?.get('retry-after') ?? null);
      return new RetryableError(`${cfg.baseUrl} answered ${status}: ${detail}`, after);
    }
    if (status === 400 && /response_format|json_schema|structured/i.test(err.message)) return new StructuredRefused(detail);
    if (status === 401 || status === 403) {
      return new LoupeError({ code: 'unauthorized', message: `${cfg.baseUrl} refused the API key (${status})`, hint: 'check the key in "LLM settings"' });
    }
    if (status === 404) {
      return new LoupeError({ code: 'not_found', message: `${cfg.baseUrl} has no model "${cfg.model}" (404)`, hint: 'check the model name and that the base URL ends in /v1' });
    }
    return new LoupeError({ code: 'bad_input', message: `${cfg.baseUrl} refused the request (${status}): ${detail}` });
  }
  return err instanceof Error ? err : new Error(String(err));
}

/** After retries: a RetryableError becomes a plain network error value with the attempt count. */
function finalError(err: unknown, cfg: LlmConfig): Error {
  if (err instanceof RetryableError) {
    return new LoupeError({
      code: 'network',
      message: `${err.message} (gave up after ${cfg.attempts} attempt${cfg.attempts === 1 ? '' : 's'})`,
      hint: 'the queue still works without suggestions; try again later or raise the timeout in "LLM settings"',
    });
  }
  if (err instanceof StructuredRefused) return new LoupeError({ code: 'bad_input', message: err.message });
  return err as Error;
}

function firstLine(s: string): string {
  return s.split('\n')[0].slice(0, 300);
}
