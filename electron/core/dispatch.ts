import type { z } from 'zod';
import { api, isCallName, type Envelope } from '../../shared/api';
import { LoupeError, toErrorValue } from '../../shared/errors';
import type { Handlers } from './core';

/**
 * The one place a call from any transport enters the core: the name is checked, the input
 * validated against the contract, the handler run, and any failure turned into an error value.
 * Nothing a renderer sends can crash the core.
 */
export async function dispatch(handlers: Handlers, name: string, rawInput: unknown): Promise<Envelope<unknown>> {
  try {
    if (!isCallName(name)) {
      throw new LoupeError({ code: 'not_found', message: `unknown call "${name}"` });
    }
    const def: { input: z.ZodType; output: z.ZodType; binary?: boolean } = api[name];
    const parsed = def.input.safeParse(rawInput ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new LoupeError({
        code: 'bad_input',
        message: `invalid input for ${name}: ${issue.path.join('.') || 'input'} ${issue.message}`,
      });
    }
    const handler = handlers[name] as (input: unknown) => Promise<unknown>;
    const value = await handler(parsed.data);
    if (def.binary) return { ok: true, value };
    // The output is checked too: a core bug surfaces here, named, instead of as a broken view.
    const checked = def.output.safeParse(value);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      throw new LoupeError({ code: 'internal', message: `${name} returned an invalid result: ${issue.path.join('.')} ${issue.message}` });
    }
    return { ok: true, value: checked.data };
  } catch (err) {
    return { ok: false, error: toErrorValue(err) };
  }
}
