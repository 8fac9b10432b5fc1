import type { DuckDBConnection } from '@duckdb/node-api';
import { LoupeError } from '../../../shared/errors';
import type { WorkspaceSession } from '../workspace/workspace-session';
import { pushEvalCases, pushStates } from './eval-push';
import { importServiceFeed } from './service-feed';
import { requireCredentials, type ServiceCredentials } from './service-request';

/** Triage's side of the service: the feed in, promoted eval cases out, on the open workspace. */
export class TriageRemote {
  constructor(
    private readonly conn: DuckDBConnection,
    private readonly workspace: WorkspaceSession,
    /** The workspace's service URL and token (kept in the core by the sync session). */
    private readonly credentials: () => Promise<ServiceCredentials | null>,
  ) {}

  async importFeed() {
    this.requireWorkspace();
    return importServiceFeed(this.conn, requireCredentials(await this.credentials()));
  }

  async pushEvalCases(onlyFailed: boolean) {
    const ws = this.requireWorkspace();
    return pushEvalCases(this.conn, ws.current.roles?.mapping ?? null, requireCredentials(await this.credentials()), onlyFailed);
  }

  async pushStates() {
    this.requireWorkspace();
    return pushStates(this.conn);
  }

  private requireWorkspace() {
    const ws = this.workspace.workspace;
    if (!ws) throw new LoupeError({ code: 'not_found', message: 'no workspace is open', hint: 'triage works in a workspace: open one in the Data view' });
    return ws;
  }
}
