import { createParser, type EventSourceMessage } from 'eventsource-parser';

export interface SseOptions {
  token: string;
  /** Resume after this cursor (sent as Last-Event-ID). */
  lastEventId?: string | null;
  signal?: AbortSignal;
  /** Called for heartbeat comments, so a watchdog can tell a quiet stream from a dead one. */
  onComment?: () => void;
}

export class SseHttpError extends Error {
  constructor(
    readonly status: number,
    readonly retryAfter: string | null,
  ) {
    super(`the tail answered ${status}`);
  }
}

/**
 * One SSE connection as an async iterator of events, parsed by eventsource-parser (the
 * parser behind most SSE clients in the ecosystem) rather than by hand. Ends when the server
 * closes; throws when the connection fails, so the caller decides how to reconnect.
 */
export async function* readSse(url: string, opts: SseOptions): AsyncGenerator<EventSourceMessage> {
  const headers: Record<string, string> = { Authorization: `Bearer ${opts.token}`, Accept: 'text/event-stream' };
  if (opts.lastEventId) headers['Last-Event-ID'] = opts.lastEventId;
  const res = await fetch(url, { headers, signal: opts.signal });
  if (res.status !== 200 || !res.body) {
    await res.body?.cancel();
    throw new SseHttpError(res.status, res.headers.get('retry-after'));
  }
  const queue: EventSourceMessage[] = [];
  const parser = createParser({ onEvent: (e) => queue.push(e), onComment: () => opts.onComment?.() });
  const decoder = new TextDecoder();
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    parser.feed(decoder.decode(chunk, { stream: true }));
    while (queue.length) yield queue.shift()!;
  }
}
