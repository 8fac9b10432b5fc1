import { formatError, toErrorValue } from '../../shared/errors';

/** Prints a value as JSON (for --json) with a trailing newline. */
export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

/**
 * Runs a command body; a failure prints one actionable line (or a JSON error with --json)
 * and exits non-zero, so scripts can rely on the exit code. A command whose --json output is
 * one object per line (`loupe tail`) passes `jsonLines`: its error is one more such line.
 */
export async function runCommand(json: boolean, body: () => Promise<void>, opts: { jsonLines?: boolean } = {}): Promise<void> {
  try {
    await body();
  } catch (err) {
    const value = toErrorValue(err);
    if (json && opts.jsonLines) process.stdout.write(JSON.stringify({ type: 'error', error: value }) + '\n');
    else if (json) process.stdout.write(JSON.stringify({ error: value }, null, 2) + '\n');
    console.error(`loupe: ${formatError(value)}`);
    process.exitCode = 1;
  }
}
