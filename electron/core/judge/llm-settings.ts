import type { DuckDBConnection } from '@duckdb/node-api';
import type { z } from 'zod';
import { LoupeError } from '../../../shared/errors';
import type { llmSettingsInputSchema, llmSettingsOutputSchema } from '../../../shared/judge-api';
import type { SecretStore } from '../secrets/secret-store';
import { readSetting, writeSetting } from '../workspace/state-db';

const SETTING = 'llm_settings';
const keyFor = (baseUrl: string) => `llm-key:${normalise(baseUrl)}`;
const normalise = (u: string) => u.replace(/\/+$/, '');

export const HOW_TO_ADD_LLM =
  'Suggestions are optional. To add one, give an OpenAI-compatible base URL (https://api.openai.com/v1, a local Ollama at http://localhost:11434/v1, or vLLM), a model and, for hosted servers, an API key in "LLM settings" in the Triage view.';

interface Stored {
  baseUrl: string;
  model: string;
  timeoutMs?: number;
  concurrency?: number;
  attempts?: number;
}

/** Everything a call to the LLM needs, the key included: this never leaves the core. */
export interface LlmConfig {
  baseUrl: string;
  model: string;
  apiKey: string;
  timeoutMs: number;
  concurrency: number;
  attempts: number;
}

const DEFAULTS = { timeoutMs: 30_000, concurrency: 2, attempts: 4 };

/**
 * Local servers (Ollama, vLLM on loopback) usually take no key, but the SDK insists on one;
 * they get a placeholder. A hosted server without a key is "not configured".
 */
function isLoopback(baseUrl: string): boolean {
  try {
    const h = new URL(baseUrl).hostname;
    return h === 'localhost' || h === '127.0.0.1' || h === '[::1]' || h === '::1';
  } catch {
    return false;
  }
}

export async function llmSettings(
  conn: DuckDBConnection,
  secrets: SecretStore,
  input: z.output<typeof llmSettingsInputSchema>,
): Promise<z.output<typeof llmSettingsOutputSchema>> {
  if (input.set) {
    const { apiKey, clearKey, ...rest } = input.set;
    const stored: Stored = { ...rest, baseUrl: normalise(rest.baseUrl) };
    await writeSetting(conn, SETTING, stored);
    if (clearKey) await secrets.set(keyFor(stored.baseUrl), null);
    else if (apiKey) await secrets.set(keyFor(stored.baseUrl), apiKey);
  }
  const s = await readSetting<Stored>(conn, SETTING);
  const hasKey = s ? (await secrets.get(keyFor(s.baseUrl))) != null : false;
  const configured = Boolean(s && (hasKey || isLoopback(s.baseUrl)));
  return {
    configured,
    baseUrl: s?.baseUrl ?? null,
    model: s?.model ?? null,
    hasKey,
    timeoutMs: s?.timeoutMs ?? DEFAULTS.timeoutMs,
    concurrency: s?.concurrency ?? DEFAULTS.concurrency,
    attempts: s?.attempts ?? DEFAULTS.attempts,
    storage: secrets.kind,
    warning: secrets.warning,
    hint: configured ? null : s ? `No API key is saved for ${s.baseUrl}: add one in "LLM settings" (local servers on localhost need none).` : HOW_TO_ADD_LLM,
  };
}

/** The usable configuration, or a LoupeError saying how to add one. */
export async function resolveLlm(conn: DuckDBConnection, secrets: SecretStore): Promise<LlmConfig> {
  const s = await readSetting<Stored>(conn, SETTING);
  if (!s) throw new LoupeError({ code: 'not_found', message: 'no LLM is configured', hint: HOW_TO_ADD_LLM });
  const key = await secrets.get(keyFor(s.baseUrl));
  if (!key && !isLoopback(s.baseUrl)) {
    throw new LoupeError({ code: 'unauthorized', message: `no API key is saved for ${s.baseUrl}`, hint: 'add the key in "LLM settings" in the Triage view' });
  }
  return {
    baseUrl: s.baseUrl,
    model: s.model,
    apiKey: key ?? 'no-key',
    timeoutMs: s.timeoutMs ?? DEFAULTS.timeoutMs,
    concurrency: s.concurrency ?? DEFAULTS.concurrency,
    attempts: s.attempts ?? DEFAULTS.attempts,
  };
}
