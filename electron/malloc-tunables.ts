import { spawn } from 'node:child_process';
import os from 'node:os';

/**
 * glibc malloc settings for the process that runs Loupe's core, on Linux with glibc.
 *
 * On a live tail glibc's own heaps (DuckDB's C++ objects, Node's mallocs; not DuckDB's buffers,
 * which its bundled jemalloc holds) grew without levelling off: 37 → 63 MB from minute 1 to 14 at
 * 1,000 events/s, in steps, in the arenas of the threads that run DuckDB's statements. glibc
 * raises its mmap threshold to the size of every large block it frees (up to 32 MB), so after
 * the first checkpoint the next checkpoints' large temporary blocks came from those arenas, and
 * an arena gives back only what sits free at its top. With the threshold fixed at its default
 * 128 KiB, large blocks are mapped and unmapped whole, and the heaps stayed at 19–25 MB over the
 * same 14 minutes; over an hour they still rise slowly, 22 → 32 MB (five-minute medians), as
 * DuckDB keeps objects for every segment of the table (~0.6 KB in use per 256 KB block, ~2.5 KB
 * resident; test/bench/tail-rss-bench.ts prints glibc's share; docs/decisions/0003-glibc-mmap-threshold.md).
 */
export const MALLOC_TUNABLES = ['glibc.malloc.mmap_threshold=131072'];

/** `env` with MALLOC_TUNABLES added to GLIBC_TUNABLES; a tunable the user already set wins. */
export function withMallocTunables(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const have = (env.GLIBC_TUNABLES ?? '').split(':').filter(Boolean);
  const names = new Set(have.map((t) => t.split('=')[0]));
  const add = MALLOC_TUNABLES.filter((t) => !names.has(t.split('=')[0]));
  return add.length ? { ...env, GLIBC_TUNABLES: [...have, ...add].join(':') } : env;
}

/** True when this process runs on glibc without the tunables (glibc reads them only at exec). */
export function lacksMallocTunables(env: NodeJS.ProcessEnv = process.env): boolean {
  if (process.platform !== 'linux' || env.LOUPE_MALLOC_TUNABLES === 'off' || withMallocTunables(env) === env) return false;
  // The report is how Node tells glibc from musl (~5 ms); asked only when a relaunch is in question.
  const header = (process.report?.getReport() as { header?: { glibcVersionRuntime?: string } } | undefined)?.header;
  return !!header?.glibcVersionRuntime;
}

/**
 * Runs this same command again with the tunables and exits with its code; the caller stops
 * there. SIGTERM and SIGHUP are passed on; SIGINT is not, because Ctrl-C in a terminal already
 * reaches both processes and a second one would cut the core's orderly stop short.
 */
export async function relaunchWithMallocTunables(): Promise<never> {
  const child = spawn(process.execPath, [...process.execArgv, ...process.argv.slice(1)], {
    stdio: 'inherit',
    env: withMallocTunables(process.env),
  });
  for (const signal of ['SIGTERM', 'SIGHUP'] as const) process.on(signal, () => child.kill(signal));
  process.on('SIGINT', () => {});
  const code = await new Promise<number>((resolve) => {
    child.on('error', () => resolve(1));
    child.on('exit', (c, signal) => resolve(c ?? 128 + (signal ? os.constants.signals[signal] : 0)));
  });
  process.exit(code);
}
