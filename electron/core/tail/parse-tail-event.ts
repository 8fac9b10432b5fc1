import { isExactLogRecord, logRecordSchema, type LogRecord } from '../../../shared/log-schema';

/**
 * One tail event checked before it may touch the workspace. Anything that is not a valid
 * schema-v1 record within the size limit is quarantined with the reason, never thrown: one
 * bad event must not stop the stream.
 */

/** Larger events are quarantined: a 1 MB prompt is a logging bug, not a request to analyse. */
export const MAX_EVENT_BYTES = 256 * 1024;
/** The raw text kept in quarantine is cut here (the original size is kept beside it). */
export const MAX_RAW_KEPT = 16 * 1024;

export type QuarantineReason = 'bad_json' | 'invalid_record' | 'too_large' | 'unknown_event';

export interface Quarantined {
  cursor: number | null;
  reason: QuarantineReason;
  detail: string;
  bytes: number;
  raw: string;
}

export type ParsedEvent = { ok: true; cursor: number | null; record: LogRecord } | { ok: false; quarantined: Quarantined };

/**
 * `event` is the SSE event type: `request` (or none) carries a record; any other type reaching
 * here (one this Loupe does not know, or a `gap` whose payload it cannot read) is quarantined.
 */
export function parseTailEvent(data: string, cursor: number | null, event?: string): ParsedEvent {
  // data.length counts UTF-16 units; close enough to bytes for a limit this far from the norm.
  const bytes = data.length;
  const reject = (reason: QuarantineReason, detail: string): ParsedEvent => ({
    ok: false,
    quarantined: { cursor, reason, detail, bytes, raw: data.length > MAX_RAW_KEPT ? data.slice(0, MAX_RAW_KEPT) : data },
  });
  if (event !== undefined && event !== 'request') {
    return reject('unknown_event', event === 'gap' ? 'a gap event without {requested, oldest}' : `an event of type "${event}", which this version of Loupe does not read`);
  }
  if (bytes > MAX_EVENT_BYTES) return reject('too_large', `event is ${bytes} bytes (limit ${MAX_EVENT_BYTES})`);
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch (err) {
    return reject('bad_json', (err as Error).message);
  }
  // The common case without zod's copy; anything else gets zod's verdict and messages.
  if (isExactLogRecord(value)) return { ok: true, cursor, record: value };
  const parsed = logRecordSchema.safeParse(value);
  if (!parsed.success) {
    const issues = parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.') || 'record'}: ${i.message}`);
    return reject('invalid_record', issues.join('; '));
  }
  return { ok: true, cursor, record: parsed.data };
}

/** SSE ids are decimal cursors; anything else is not ours to resume from. */
export function parseCursor(id: string | undefined): number | null {
  return id != null && /^\d+$/.test(id) ? Number(id) : null;
}
