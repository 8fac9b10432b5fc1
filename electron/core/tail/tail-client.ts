import type { EventSourceMessage } from 'eventsource-parser';
import { LoupeError } from '../../../shared/errors';
import { tailGapSchema } from '../../../shared/service-contract';
import { parseRetryAfter, sleep } from '../exports/retry';
import { readSse, SseHttpError } from './sse-stream';
import { parseCursor } from './parse-tail-event';

export type ConnectionState = 'connecting' | 'live' | 'reconnecting';

export interface TailClientOptions {
  /** The service's base URL (…/v1/tail is appended). */
  serviceUrl: string;
  token: string;
  /** Resume after this cursor; null starts at the live head. */
  cursor: number | null;
  signal: AbortSignal;
  /** Awaited, so a slow consumer slows the socket (TCP backpressure) instead of buffering. */
  onEvent: (e: EventSourceMessage, cursor: number | null) => void | Promise<void>;
  onGap?: (gap: { requested: number; oldest: number }) => void;
  onState?: (state: ConnectionState, detail?: { attempt: number; delayMs: number; reason: string }) => void;
  /** No byte (event or heartbeat) for this long means the connection is dead: reconnect. */
  idleTimeoutMs?: number;
  baseMs?: number;
  maxMs?: number;
  random?: () => number;
}

/**
 * The tail as a stream that survives: reconnects with exponential backoff and full jitter
 * (honouring Retry-After), resumes after the last cursor it saw with Last-Event-ID, and treats
 * a silent connection (no event, no heartbeat) as dead. Resolves when the signal aborts;
 * rejects only on what waiting cannot fix (a refused token).
 */
export async function runTailClient(o: TailClientOptions): Promise<void> {
  let cursor = o.cursor;
  let attempt = 0;
  const base = o.baseMs ?? 250;
  const max = o.maxMs ?? 10_000;
  const random = o.random ?? Math.random;
  const url = `${o.serviceUrl.replace(/\/+$/, '')}/v1/tail`;
  o.onState?.('connecting');
  while (!o.signal.aborted) {
    const conn = new AbortController();
    const abortConn = () => conn.abort();
    o.signal.addEventListener('abort', abortConn, { once: true });
    let lastByte = Date.now();
    const idle = o.idleTimeoutMs ?? 20_000;
    const watchdog = setInterval(() => {
      if (Date.now() - lastByte > idle) conn.abort(new Error(`no event or heartbeat for ${Math.round(idle / 1000)} s`));
    }, Math.min(1000, idle / 2));
    let reason = 'the service closed the stream';
    let retryAfterMs: number | null = null;
    try {
      let first = true;
      for await (const e of readSse(url, { token: o.token, lastEventId: cursor == null ? null : String(cursor), signal: conn.signal, onComment: () => (lastByte = Date.now()) })) {
        lastByte = Date.now();
        if (first) {
          first = false;
          attempt = 0;
          o.onState?.('live');
        }
        if (e.event === 'gap') {
          const gap = tailGapSchema.safeParse(safeJson(e.data));
          if (gap.success) {
            o.onGap?.(gap.data);
            continue;
          }
          // Unreadable: not dropped unseen, but handed on like any event the consumer must judge.
        }
        const c = parseCursor(e.id);
        try {
          await o.onEvent(e, c);
        } catch (err) {
          throw new ConsumerError(err);
        }
        if (c != null) cursor = c;
      }
    } catch (err) {
      if (err instanceof ConsumerError) throw err.inner;
      if (o.signal.aborted) break;
      if (err instanceof SseHttpError) {
        if (err.status === 401 || err.status === 403) {
          throw new LoupeError({
            code: err.status === 401 ? 'unauthorized' : 'forbidden',
            message: `the service refused the token for the tail (${err.status})`,
            hint: "check the service token: the Data view's service connection, or `loupe tail --token` / LOUPE_TOKEN",
          });
        }
        if (err.status === 404) {
          // Not a service that is restarting: this address has no tail, and waiting will not give it one.
          throw new LoupeError({
            code: 'not_found',
            message: `${url} answered 404: no live tail there`,
            hint: 'check the service URL: Loupe reads the tail at <service>/v1/tail',
          });
        }
        retryAfterMs = parseRetryAfter(err.retryAfter);
        reason = `the tail answered ${err.status}`;
      } else {
        reason = conn.signal.reason instanceof Error ? conn.signal.reason.message : describeFailure(err);
      }
    } finally {
      clearInterval(watchdog);
      o.signal.removeEventListener('abort', abortConn);
    }
    if (o.signal.aborted) break;
    attempt++;
    const backoff = random() * Math.min(max, base * 2 ** Math.min(attempt - 1, 16));
    const delayMs = retryAfterMs != null ? Math.max(retryAfterMs, backoff) : backoff;
    o.onState?.('reconnecting', { attempt, delayMs, reason });
    await sleep(delayMs, o.signal).catch(() => {});
  }
}

/** The consumer failed (e.g. the workspace cannot be written): reconnecting would not help. */
class ConsumerError extends Error {
  constructor(readonly inner: unknown) {
    super('tail consumer failed');
  }
}

/** fetch says only "fetch failed"; the cause says what (connect ECONNREFUSED 127.0.0.1:8787). */
function describeFailure(err: unknown): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  // An AggregateError (localhost tried over IPv6 and IPv4) has an empty message and the code.
  const cause = e.cause?.message || e.cause?.code;
  return cause && !e.message.includes(cause) ? `${e.message}: ${cause}` : e.message;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
