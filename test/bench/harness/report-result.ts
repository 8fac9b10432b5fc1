import fs from 'node:fs';

/** A figure: a number, a few numbers (the runs behind a median), or a short label. */
export type Figure = number | number[] | string | boolean | null;
export type Figures = Record<string, Figure>;

export interface BenchResult {
  /** What this bench measures of Loupe. Name keys with their unit: `p95Ms`, `eventsPerS`, `rssMb`. */
  figures: Figures;
  /** Peers measured in the same run, by name; the same keys as `figures` where comparable. */
  peers?: Record<string, Figures>;
  /** One line on what the run could not do or how to read it. */
  note?: string;
}

/** Set by `npm run bench` (test/bench/harness/run.ts): where a bench writes its result. */
export const RESULT_ENV = 'LOUPE_BENCH_RESULT';

/**
 * Hands the bench's figures to `npm run bench`, which adds the commit, machine and load and
 * appends them to bench-results/NAME.jsonl. Run directly (`node --import tsx test/bench/x.ts`),
 * a bench only prints as before.
 */
export function reportResult(result: BenchResult): void {
  const file = process.env[RESULT_ENV];
  if (file) fs.appendFileSync(file, `${JSON.stringify(result)}\n`);
}
