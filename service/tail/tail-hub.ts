/**
 * The tail's memory: the newest events with their cursor ids (1, 2, 3…), and the live
 * subscribers. A client resuming from a cursor older than the oldest kept event gets a gap.
 */
export interface TailEvent {
  id: number;
  /** The SSE event type: 'request' for log records. */
  type: string;
  data: string;
  /**
   * Wall-clock ms when the service emitted the event (pushed it to the hub). Not part of the
   * log record and never sent on the wire: it exists for the latency benchmark
   * (RunningService.onTailEvent).
   */
  emittedAt: number;
}

export class TailHub {
  private readonly ring: TailEvent[] = [];
  private nextId = 1;
  private readonly listeners = new Set<(e: TailEvent) => void>();

  constructor(private readonly capacity = 200_000) {}

  push(type: string, data: string): TailEvent {
    const e = { id: this.nextId++, type, data, emittedAt: Date.now() };
    this.ring.push(e);
    if (this.ring.length > this.capacity) this.ring.splice(0, this.ring.length - this.capacity);
    for (const l of this.listeners) l(e);
    return e;
  }

  get head(): number {
    return this.nextId - 1;
  }

  get oldest(): number {
    return this.ring[0]?.id ?? this.nextId;
  }

  /** Events after `cursor`, or a gap when some were already dropped. */
  since(cursor: number): { gap: { requested: number; oldest: number } | null; events: TailEvent[] } {
    if (cursor + 1 < this.oldest && this.ring.length) {
      return { gap: { requested: cursor, oldest: this.oldest }, events: this.ring.slice() };
    }
    const start = this.ring.findIndex((e) => e.id > cursor);
    return { gap: null, events: start < 0 ? [] : this.ring.slice(start) };
  }

  subscribe(listener: (e: TailEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
