import { z } from 'zod';

/**
 * Errors cross every boundary (IPC, HTTP, CLI) as values the user can act on:
 * what went wrong, where (file, column, request) and what to do next.
 */
export const errorCodes = [
  'bad_input',
  'not_found',
  'not_parquet',
  'corrupt_parquet',
  'empty_folder',
  'no_timestamp',
  'schema_conflict',
  'unauthorized',
  'forbidden',
  'conflict',
  'network',
  'cancelled',
  'internal',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export const loupeErrorSchema = z.object({
  code: z.enum(errorCodes),
  message: z.string(),
  file: z.string().optional(),
  column: z.string().optional(),
  hint: z.string().optional(),
});
export type LoupeErrorValue = z.infer<typeof loupeErrorSchema>;

export class LoupeError extends Error {
  readonly code: ErrorCode;
  readonly file?: string;
  readonly column?: string;
  readonly hint?: string;

  constructor(value: LoupeErrorValue) {
    super(value.message);
    this.name = 'LoupeError';
    this.code = value.code;
    this.file = value.file;
    this.column = value.column;
    this.hint = value.hint;
  }

  toValue(): LoupeErrorValue {
    const v: LoupeErrorValue = { code: this.code, message: this.message };
    if (this.file !== undefined) v.file = this.file;
    if (this.column !== undefined) v.column = this.column;
    if (this.hint !== undefined) v.hint = this.hint;
    return v;
  }
}

/** Anything thrown becomes a LoupeErrorValue; unknown errors keep their message. */
export function toErrorValue(err: unknown): LoupeErrorValue {
  if (err instanceof LoupeError) return err.toValue();
  const parsed = loupeErrorSchema.safeParse(err);
  if (parsed.success) return parsed.data;
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'internal', message };
}

/** One line for a terminal: "file: message (column c) — hint". */
export function formatError(e: LoupeErrorValue): string {
  let line = e.file ? `${e.file}: ${e.message}` : e.message;
  if (e.column) line += ` (column ${e.column})`;
  if (e.hint) line += ` — ${e.hint}`;
  return line;
}
