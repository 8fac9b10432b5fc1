import type { DuckDBInstance } from '@duckdb/node-api';
import type { CallParsedInput } from '../../../shared/api';
import { LoupeError } from '../../../shared/errors';
import type { TailSnapshot } from '../../../shared/live';
import type { WorkspaceSession } from '../workspace/workspace-session';
import { workspaceLiveAnalytics } from './live-analytics';
import { TailRunner } from './tail-runner';

/** Snapshots go to the renderer at most this often: a few a second keeps typing and scrolling smooth. */
export const SNAPSHOT_EVERY_MS = 250;

const idle = (): TailSnapshot => ({
  state: 'idle', service: null, error: null, received: 0, ingested: 0, duplicates: 0, quarantined: 0, reconnects: 0, retry: null,
  cursor: null, eventsPerSecond: 0, lagMs: null, newestEventTime: null, gaps: [], rows: [],
  analytics: { window: null, baseline: null, rule: '', versions: [], psi: [], minutes: [] }, alerts: [], analyticsSeq: 0, memory: null, at: new Date().toISOString(),
});

/** The core's one live tail, into the open workspace, with throttled `tail` events. */
export class TailSession {
  private runner: TailRunner | null = null;
  private timer: NodeJS.Timeout | null = null;
  private last: TailSnapshot = idle();
  private lastEmit = 0;

  constructor(
    private readonly instance: DuckDBInstance,
    private readonly workspace: WorkspaceSession,
    private readonly credentials: () => Promise<{ url: string; token: string } | null>,
    private readonly emit: (s: TailSnapshot) => void,
  ) {}

  async start(input: CallParsedInput<'tailStart'>): Promise<TailSnapshot> {
    if (!this.workspace.workspace) throw new LoupeError({ code: 'not_found', message: 'no workspace is open', hint: 'open a workspace: live requests are stored in it' });
    await this.stop();
    const saved = await this.credentials();
    const url = input.url ?? saved?.url;
    const token = input.token ?? (url === saved?.url ? saved?.token : undefined);
    if (!url || !token) throw new LoupeError({ code: 'bad_input', message: 'no service to tail', hint: 'set the service URL and token in the Data view first' });
    const runner = new TailRunner({
      instance: this.instance,
      serviceUrl: url,
      token,
      from: input.from,
      analytics: workspaceLiveAnalytics,
      onChange: () => this.schedule(),
    });
    this.runner = runner;
    await runner.start();
    return this.snapshot();
  }

  async stop(): Promise<TailSnapshot> {
    const runner = this.runner;
    if (!runner) return this.last;
    await runner.stop();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.runner = null;
    this.last = runner.snapshot();
    this.emit(this.last);
    return this.last;
  }

  /** The last snapshot sent; its rows went out with the event (each row is sent once). */
  status(): TailSnapshot {
    return { ...this.last, rows: [] };
  }

  private snapshot(): TailSnapshot {
    if (this.runner) this.last = this.runner.snapshot();
    return this.last;
  }

  /**
   * Throttle: at most one snapshot per SNAPSHOT_EVERY_MS, and always the latest state. A change
   * after a quiet spell goes out at once (same tick's changes coalesce); one within the interval
   * waits for its end. (A purely trailing timer held every commit back a full interval.)
   */
  private schedule(): void {
    if (this.timer) return;
    const wait = Math.max(0, this.lastEmit + SNAPSHOT_EVERY_MS - Date.now());
    this.timer = setTimeout(() => {
      this.timer = null;
      this.lastEmit = Date.now();
      if (this.runner) this.emit(this.snapshot());
    }, wait);
  }
}
