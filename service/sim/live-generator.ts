import type { DuckDBConnection } from '@duckdb/node-api';
import type { LogRecord } from '../../shared/log-schema';
import type { ExportEntry } from '../../shared/service-contract';
import { RecordSpool } from '../exports/write-partitions';
import { parseDuration, type Scenario } from '../scenario/scenario-schema';
import { arrivals, makeRecord, type TrafficModel } from './traffic';

const HOUR = 3_600_000;
const TICK_MS = 50;

export interface LiveOptions {
  model: TrafficModel;
  scenario: Scenario;
  /** Simulated seconds per real second. */
  speed: number;
  conn: DuckDBConnection;
  exportsDir: string;
  onRecord: (r: LogRecord) => Promise<void> | void;
  onExport: (e: ExportEntry[]) => Promise<void> | void;
  /** Where each hour's records are spooled until written (default: the system's temp dir). */
  spoolDir?: string;
}

/**
 * Live traffic: a simulated clock that starts at the scenario's live_from and runs `speed`
 * times real time. Each tick generates the requests that arrived since the last one; each
 * completed simulated hour is written as an export partition, so exports follow the tail.
 */
const YIELD_EVERY = 500;
const MAX_PENDING_WRITES = 2;

export class LiveGenerator {
  private simNow: number;
  private readonly realStart = Date.now();
  private readonly simStart: number;
  private seq: number;
  private carry = 0;
  /** The current hour's records, spooled to disk until the hour is written as an export. */
  private hour: RecordSpool;
  private hourStart: number;
  private timer: NodeJS.Timeout | null = null;
  /** The running tick, if any: a tick that outlasts TICK_MS is not started again. */
  private ticking: Promise<void> | null = null;
  private stopped = false;
  private writes = Promise.resolve();
  private pendingWrites = 0;

  constructor(private readonly o: LiveOptions) {
    this.simStart = o.model.startMs + parseDuration(o.scenario.live_from);
    this.simNow = this.simStart;
    this.hourStart = Math.floor(this.simStart / HOUR) * HOUR;
    this.seq = historySequence(o.model, this.simStart);
    this.hour = new RecordSpool(o.spoolDir);
  }

  now(): number {
    return this.simNow;
  }

  start(): void {
    this.timer = setInterval(() => {
      this.ticking ??= this.tick().finally(() => (this.ticking = null));
    }, TICK_MS);
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.stopped = true;
    await this.ticking?.catch(() => {}); // a failed tick was reported where it failed
    await this.writes;
    // The unfinished hour is not an export yet (as before: its records were dropped with the buffer).
    await this.hour.discard();
  }

  private async tick(): Promise<void> {
    const target = this.simStart + (Date.now() - this.realStart) * this.o.speed;
    // Large steps are cut per hour, so hour boundaries flush in order.
    while (this.simNow < target && !this.stopped) {
      const to = Math.min(target, this.hourStart + HOUR);
      const a = arrivals(this.o.model, this.simNow, to, this.carry);
      this.carry = a.carry;
      for (const [i, t] of a.times.entries()) {
        if (this.stopped) return;
        const r = makeRecord(this.o.model, t, this.seq++);
        await this.hour.add(r);
        await this.o.onRecord(r);
        // Past what the simulator can generate in real time, it falls behind instead of holding
        // the event loop: health checks, heartbeats and the tail keep being served.
        if (i % YIELD_EVERY === YIELD_EVERY - 1) await new Promise((resolve) => setImmediate(resolve));
      }
      this.simNow = to;
      if (to >= this.hourStart + HOUR) {
        this.flushHour();
        // Backpressure: at most a couple of hours being written, never an unbounded queue in memory.
        if (this.pendingWrites > MAX_PENDING_WRITES) await this.writes;
      }
    }
  }

  private flushHour(): void {
    const spool = this.hour;
    this.hour = new RecordSpool(this.o.spoolDir);
    this.hourStart += HOUR;
    if (spool.count === 0) {
      void spool.discard();
      return;
    }
    this.pendingWrites++;
    this.writes = this.writes
      .then(async () => this.o.onExport(await spool.writePartitions(this.o.conn, this.o.exportsDir)))
      .catch((err) => {
        console.error(`export of a live hour failed: ${(err as Error).message}`);
      })
      .finally(() => this.pendingWrites--);
  }
}

/** How many requests the history holds before `untilMs`, so live ids continue its sequence. */
export function historySequence(model: TrafficModel, untilMs: number): number {
  let n = 0;
  let carry = 0;
  for (let h = model.startMs; h < untilMs; h += HOUR) {
    const a = arrivals(model, h, Math.min(h + HOUR, untilMs), carry);
    carry = a.carry;
    n += a.times.length;
  }
  return n;
}
