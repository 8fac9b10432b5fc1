import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { WorkspaceSummary } from '../../../shared/api';
import { LoupeError } from '../../../shared/errors';
import type { RoleMapping } from '../../../shared/roles';
import type { DatasetRegistry } from './datasets';
import type { ProgressFn } from './open-dataset';
import { Workspace, type GuessRoles } from './workspace';

/** The core's one open workspace, and the translation of its state into the contract's shape. */
export class WorkspaceSession {
  private ws: Workspace | null = null;

  constructor(
    private readonly conn: DuckDBConnection,
    private readonly datasets: DatasetRegistry,
    private readonly guess: GuessRoles,
  ) {}

  get workspace(): Workspace | null {
    return this.ws;
  }

  async open(dir: string, progress?: ProgressFn): Promise<WorkspaceSummary> {
    await this.close();
    this.ws = await Workspace.open(this.conn, dir, this.guess, progress);
    return this.summary();
  }

  async refresh(progress?: ProgressFn): Promise<WorkspaceSummary> {
    await this.require().refresh(progress);
    return this.summary();
  }

  async setRoles(mapping: RoleMapping): Promise<WorkspaceSummary> {
    await this.require().setRoles(mapping);
    return this.summary();
  }

  async close(): Promise<boolean> {
    if (!this.ws) return false;
    const id = this.ws.current.dataset?.summary.datasetId;
    if (id) await this.datasets.close(id);
    await this.ws.close();
    this.ws = null;
    return true;
  }

  private require(): Workspace {
    if (!this.ws) throw new LoupeError({ code: 'not_found', message: 'no workspace is open', hint: 'open a workspace folder first' });
    return this.ws;
  }

  private summary(): WorkspaceSummary {
    const s = this.require().current;
    if (s.dataset) this.datasets.register(s.dataset);
    return {
      dir: s.layout.root,
      name: path.basename(s.layout.root),
      dataset: s.dataset?.summary ?? null,
      roles: s.roles?.mapping ?? null,
      rolesGuessed: s.roles?.guessed ?? true,
      lastImport: {
        filesSeen: s.lastIngest.filesSeen,
        filesIngested: s.lastIngest.filesIngested,
        rowsAdded: s.lastIngest.rowsAdded,
        duplicates: s.lastIngest.duplicates,
      },
      duplicates: s.duplicates,
      problems: s.quarantined,
    };
  }
}
