import fs from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Problem } from '../../../shared/api';
import { LoupeError } from '../../../shared/errors';
import { roleMappingSchema, type RoleMapping } from '../../../shared/roles';
import { queryOne, queryRows, quoteLiteral } from '../db/duckdb';
import { ingestNewPartitions, REQUESTS, SOURCE_COLUMN, type IngestReport } from './ingest-partitions';
import { WS, workspaceLayout, type WorkspaceLayout } from './layout';
import { rememberWorkspace } from './recent-workspaces';
import { attachWorkspaceDb, detachWorkspaceDb, readSetting, writeSetting } from './state-db';
import { summarizeRelation, type OpenedDataset } from './summarize-relation';

const SUMMARY_CACHE = 'summary_cache';

export type GuessRoles = (columns: Array<{ name: string; type: string; distinct?: number | null; rows?: number }>) => RoleMapping;

export interface SavedRoles {
  mapping: RoleMapping;
  /** True until the user confirms or edits the mapping in the Data view. */
  guessed: boolean;
}

export interface WorkspaceState {
  layout: WorkspaceLayout;
  dataset: OpenedDataset | null;
  roles: SavedRoles | null;
  lastIngest: IngestReport;
  quarantined: Problem[];
  duplicates: number;
}

/**
 * An open workspace: its DuckDB file attached to the core's database, the requests table kept
 * in step with exports/, and the role mapping saved alongside. One at a time per core.
 */
export class Workspace {
  private constructor(
    private readonly conn: DuckDBConnection,
    readonly layout: WorkspaceLayout,
    private readonly guess: GuessRoles,
    private state: Omit<WorkspaceState, 'layout'>,
  ) {}

  static async open(
    conn: DuckDBConnection,
    dir: string,
    guess: GuessRoles,
    progress?: (label: string, done: number, total: number | null) => void,
  ): Promise<Workspace> {
    const layout = workspaceLayout(dir);
    try {
      await fs.mkdir(layout.exportsDir, { recursive: true });
    } catch (err) {
      throw new LoupeError({
        code: 'bad_input',
        message: `cannot create the workspace folder (${(err as NodeJS.ErrnoException).code ?? 'error'})`,
        file: layout.root,
        hint: 'pick a folder you can write to',
      });
    }
    await detachWorkspaceDb(conn);
    try {
      await attachWorkspaceDb(conn, layout.stateFile);
    } catch (err) {
      const msg = (err as Error).message;
      throw new LoupeError({
        code: 'bad_input',
        message: /lock/i.test(msg)
          ? 'the workspace is open in another Loupe process'
          : `cannot open the workspace database: ${msg.split('\n')[0]}`,
        file: layout.stateFile,
        hint: /lock/i.test(msg) ? 'close the other window or CLI command, then retry' : 'check the folder permissions',
      });
    }
    const ws = new Workspace(conn, layout, guess, {
      dataset: null,
      roles: await readSetting<SavedRoles>(conn, 'roles'),
      lastIngest: { filesSeen: 0, filesIngested: 0, rowsAdded: 0, duplicates: 0, problems: [] },
      quarantined: [],
      duplicates: 0,
    });
    await ws.refresh(progress);
    await rememberWorkspace(layout.root);
    return ws;
  }

  get current(): WorkspaceState {
    return { layout: this.layout, ...this.state };
  }

  /** Imports new or changed partitions, then re-reads the summary. */
  async refresh(progress?: (label: string, done: number, total: number | null) => void): Promise<WorkspaceState> {
    // Before anything is imported, names and types of the first export are enough to find
    // the timestamp and request id the import needs.
    const provisional = this.state.roles?.mapping ?? (await this.firstFileColumns().then((c) => (c ? this.guess(c) : null)));
    this.state.lastIngest = await ingestNewPartitions(
      this.conn,
      this.layout,
      {
        requestIdColumn: provisional?.roles.request_id?.column ?? null,
        timestampColumn: provisional?.roles.timestamp?.column ?? null,
      },
      progress,
    );
    await this.summarize();
    // Until the user saves a mapping, re-guess with the data's statistics: cardinality is what
    // tells a slice dimension from free text.
    const dataset = this.state.dataset?.summary;
    if (dataset && (!this.state.roles || this.state.roles.guessed)) {
      const mapping = this.guess(dataset.columns.filter((c) => c.name !== SOURCE_COLUMN).map((c) => ({ ...c, rows: dataset.rows })));
      if (JSON.stringify(mapping) !== JSON.stringify(this.state.roles?.mapping)) {
        this.state.roles = { mapping, guessed: true };
        await writeSetting(this.conn, 'roles', this.state.roles);
      }
    }
    return this.current;
  }

  async setRoles(mapping: RoleMapping): Promise<WorkspaceState> {
    const parsed = roleMappingSchema.parse(mapping);
    const columns = new Set(this.state.dataset?.summary.columns.map((c) => c.name) ?? []);
    for (const [role, ref] of Object.entries(parsed.roles)) {
      if (ref && columns.size && !columns.has(ref.column)) {
        throw new LoupeError({ code: 'bad_input', message: `no column named "${ref.column}" for the ${role} role`, column: ref.column });
      }
    }
    this.state.roles = { mapping: parsed, guessed: false };
    await writeSetting(this.conn, 'roles', this.state.roles);
    await this.summarize();
    return this.current;
  }

  async close(): Promise<void> {
    await detachWorkspaceDb(this.conn);
  }

  private async summarize(): Promise<void> {
    const exists = await queryOne<{ n: number }>(
      this.conn,
      `SELECT count(*) AS n FROM duckdb_tables() WHERE database_name = '${WS}' AND table_name = 'requests'`,
    );
    const files = await queryRows<{ path: string }>(this.conn, `SELECT path FROM ${WS}.ingested_files ORDER BY path`);
    this.state.quarantined = (
      await queryRows<{ path: string; code: string; message: string; column_name: string | null; hint: string | null }>(
        this.conn,
        `SELECT path, code, message, column_name, hint FROM ${WS}.file_problems ORDER BY path`,
      )
    ).map((r) => ({ file: r.path, code: r.code, message: r.message, column: r.column_name ?? undefined, hint: r.hint ?? undefined }));
    const dup = await queryOne<{ n: number | null }>(this.conn, `SELECT sum(duplicates) AS n FROM ${WS}.ingested_files`);
    this.state.duplicates = dup?.n ?? 0;
    if (!exists?.n) {
      this.state.dataset = null;
      return;
    }
    // Column statistics scan the whole table; a reopen with nothing new reuses the last ones.
    // The key changes with any row added (imports and the live tail), any re-import, the
    // quarantine and the mapped timestamp; `v` with the summary's shape (v2: a distinct-is-an-
    // estimate flag per column), so a summary cached by an older Loupe is computed again.
    const timestampColumn = this.state.roles?.mapping.roles.timestamp?.column ?? null;
    const table = await queryOne<{ n: number; files: number; last: string | null }>(
      this.conn,
      `SELECT (SELECT count(*) FROM ${REQUESTS}) AS n, count(*) AS files, CAST(max(ingested_at) AS VARCHAR) AS last FROM ${WS}.ingested_files`,
    );
    const key = JSON.stringify({ v: 2, root: this.layout.root, table, timestampColumn, quarantined: this.state.quarantined });
    const cached = await readSetting<{ key: string; dataset: OpenedDataset }>(this.conn, SUMMARY_CACHE);
    if (cached?.key === key) {
      this.state.dataset = cached.dataset;
      return;
    }
    this.state.dataset = await summarizeRelation(this.conn, {
      datasetId: `ws:${this.layout.root}`,
      relation: REQUESTS,
      files: files.map((f) => f.path),
      hivePartitions: [],
      problems: this.state.quarantined,
      timestampColumn,
    });
    await writeSetting(this.conn, SUMMARY_CACHE, { key, dataset: this.state.dataset });
  }

  /** The columns of the table, or of the first export when nothing is imported yet. */
  private async firstFileColumns(): Promise<Array<{ name: string; type: string }> | null> {
    const rows = await queryRows<{ file: string }>(
      this.conn,
      `SELECT file FROM glob(${quoteLiteral(`${this.layout.exportsDir}/**/*.parquet`)}) ORDER BY file LIMIT 1`,
    );
    if (!rows.length) return null;
    try {
      const cols = await queryRows<{ column_name: string; column_type: string }>(
        this.conn,
        `DESCRIBE SELECT * FROM read_parquet(${quoteLiteral(rows[0].file)}, hive_partitioning = false)`,
      );
      return cols.map((c) => ({ name: c.column_name, type: c.column_type }));
    } catch {
      return null;
    }
  }
}
