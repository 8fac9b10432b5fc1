import type { CallOutput, EventPayload } from '../../../shared/api';
import { LoupeError } from '../../../shared/errors';
import type { SecretStore } from '../secrets/secret-store';
import { readSetting, writeSetting } from '../workspace/state-db';
import type { WorkspaceSession } from '../workspace/workspace-session';
import type { DuckDBConnection } from '@duckdb/node-api';
import { syncExports } from './sync-exports';

const tokenKey = (url: string) => `service-token:${url.replace(/\/+$/, '')}`;

/** Sync for the open workspace: one run at a time, cancellable, progress as events. */
export class SyncSession {
  private running: AbortController | null = null;

  constructor(
    private readonly conn: DuckDBConnection,
    private readonly workspace: WorkspaceSession,
    private readonly secrets: SecretStore,
    private readonly emit: (p: EventPayload<'sync'>) => void,
  ) {}

  async connection(set?: { url: string; token?: string }): Promise<CallOutput<'serviceConnection'>> {
    this.requireWorkspace();
    if (set) {
      await writeSetting(this.conn, 'service_url', set.url.replace(/\/+$/, ''));
      if (set.token) await this.secrets.set(tokenKey(set.url), set.token);
    }
    const url = await readSetting<string>(this.conn, 'service_url');
    return {
      url,
      hasToken: url ? (await this.secrets.get(tokenKey(url))) != null : false,
      storage: this.secrets.kind,
      warning: this.secrets.warning,
    };
  }

  /** URL and token of the workspace's service, for other core modules (control calls); never for the renderer. */
  async credentials(): Promise<{ url: string; token: string } | null> {
    if (!this.workspace.workspace) return null;
    const url = await readSetting<string>(this.conn, 'service_url');
    const token = url ? await this.secrets.get(tokenKey(url)) : null;
    return url && token ? { url, token } : null;
  }

  async sync(concurrency?: number, hours?: string[]): Promise<CallOutput<'syncWorkspace'>> {
    const ws = this.requireWorkspace();
    if (this.running) throw new LoupeError({ code: 'conflict', message: 'a sync is already running', hint: 'wait for it or cancel it' });
    const url = await readSetting<string>(this.conn, 'service_url');
    const token = url ? await this.secrets.get(tokenKey(url)) : null;
    if (!url || !token) {
      throw new LoupeError({ code: 'bad_input', message: 'no service to sync from', hint: 'set the service URL and token first' });
    }
    this.running = new AbortController();
    try {
      const result = await syncExports({
        serviceUrl: url,
        token,
        exportsDir: ws.layout.exportsDir,
        concurrency,
        hours,
        signal: this.running.signal,
        onProgress: (p) => this.emit(p),
      });
      const workspace = await this.workspace.refresh();
      return { ...result, workspace };
    } finally {
      this.running = null;
    }
  }

  cancel(): boolean {
    if (!this.running) return false;
    this.running.abort(new LoupeError({ code: 'cancelled', message: 'sync cancelled' }));
    return true;
  }

  private requireWorkspace() {
    const ws = this.workspace.workspace;
    if (!ws) throw new LoupeError({ code: 'not_found', message: 'no workspace is open', hint: 'open a workspace first: exports sync into it' });
    return ws;
  }
}
