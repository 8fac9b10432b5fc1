import { LoupeError } from '../../../shared/errors';

/**
 * Baseline and current windows, half-open [start, end) in UTC ISO strings.
 * Defaults: end = the latest timestamp rounded up to the next whole hour; current = the 24 h
 * before end; baseline = the 7 days before current. Both are editable (CLI: A..B).
 */
export interface TimeWindow {
  start: string;
  end: string;
}

export interface DriftWindows {
  baseline: TimeWindow;
  current: TimeWindow;
}

export const HOUR_MS = 3_600_000;
export const DEFAULT_CURRENT_MS = 24 * HOUR_MS;
export const DEFAULT_BASELINE_MS = 7 * 24 * HOUR_MS;

/** Window flag codes in the drift frame. */
export const BASELINE = 0;
export const CURRENT = 1;

/** Parses "A..B" (ISO dates or timestamps, UTC unless an offset is given) into a window. */
export function parseWindow(text: string, what: string): TimeWindow {
  const parts = text.split('..');
  if (parts.length !== 2 || !parts[0].trim() || !parts[1].trim()) {
    throw new LoupeError({
      code: 'bad_input',
      message: `${what} window "${text}" is not of the form A..B`,
      hint: 'e.g. 2026-11-01..2026-11-08 or 2026-11-08T00:00..2026-11-09T00:00 (start inclusive, end exclusive)',
    });
  }
  const [start, end] = parts.map((p) => parseInstant(p.trim(), what));
  if (!(Date.parse(start) < Date.parse(end))) {
    throw new LoupeError({ code: 'bad_input', message: `${what} window ends before it starts: ${text}` });
  }
  return { start, end };
}

function parseInstant(text: string, what: string): string {
  // A bare date or a timestamp without an offset means UTC.
  const withZone = /[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : /T|\s/.test(text) ? `${text}Z` : `${text}T00:00:00Z`;
  const ms = Date.parse(withZone.replace(' ', 'T'));
  if (Number.isNaN(ms)) {
    throw new LoupeError({ code: 'bad_input', message: `${what} window: "${text}" is not a date or timestamp`, hint: 'use ISO 8601, e.g. 2026-11-08T12:00' });
  }
  return new Date(ms).toISOString();
}

/** Default windows ending at the hour after the latest timestamp. */
export function defaultWindows(latestIso: string, overrides: Partial<DriftWindows> = {}): DriftWindows {
  const latest = Date.parse(latestIso);
  const end = Math.floor(latest / HOUR_MS) * HOUR_MS + HOUR_MS;
  const current = overrides.current ?? { start: iso(end - DEFAULT_CURRENT_MS), end: iso(end) };
  const baselineEnd = Date.parse(current.start);
  const baseline = overrides.baseline ?? { start: iso(baselineEnd - DEFAULT_BASELINE_MS), end: iso(baselineEnd) };
  return checkWindows({ baseline, current });
}

export function checkWindows(w: DriftWindows): DriftWindows {
  const overlap = Date.parse(w.baseline.start) < Date.parse(w.current.end) && Date.parse(w.current.start) < Date.parse(w.baseline.end);
  if (overlap) {
    throw new LoupeError({
      code: 'bad_input',
      message: `the baseline (${w.baseline.start}..${w.baseline.end}) and current (${w.current.start}..${w.current.end}) windows overlap`,
      hint: 'a request can belong to one window only: make them disjoint',
    });
  }
  return w;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** Naive-UTC timestamp strings DuckDB casts to TIMESTAMP. */
export function sqlTimestamp(isoText: string): string {
  return isoText.replace('T', ' ').replace('Z', '');
}
