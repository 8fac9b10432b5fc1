import type { DuckDBConnection } from '@duckdb/node-api';
import type { CallInput, CallOutput, ColumnStats } from '../../../shared/api';
import { LoupeError } from '../../../shared/errors';
import { queryArrowIPC } from '../arrow/result-to-arrow';
import { profileColumn } from './column-profile';
import { openDataset, type OpenedDataset, type ProgressFn } from './open-dataset';

/** The datasets open in this session, each a DuckDB view; ids are short and never reused. */
export class DatasetRegistry {
  private readonly open = new Map<string, OpenedDataset>();
  private nextId = 1;

  constructor(private readonly conn: DuckDBConnection) {}

  async openPaths(paths: string[], progress?: ProgressFn): Promise<CallOutput<'openDataset'>> {
    const id = String(this.nextId++);
    const dataset = await openDataset(this.conn, id, paths, progress);
    this.open.set(id, dataset);
    return dataset.summary;
  }

  /** A dataset opened elsewhere (a workspace's requests table), made browsable by id. */
  register(dataset: OpenedDataset): void {
    this.open.set(dataset.summary.datasetId, dataset);
  }

  async close(datasetId: string): Promise<boolean> {
    const d = this.open.get(datasetId);
    if (!d) return false;
    this.open.delete(datasetId);
    // Workspace tables belong to the workspace; only ad-hoc views are dropped.
    if (d.relation.startsWith('"dataset_')) await this.conn.run(`DROP VIEW IF EXISTS ${d.relation}`);
    return true;
  }

  get(datasetId: string): OpenedDataset {
    const d = this.open.get(datasetId);
    if (!d) {
      throw new LoupeError({ code: 'not_found', message: `dataset ${datasetId} is not open`, hint: 'open the files again' });
    }
    return d;
  }

  async profile(input: CallInput<'columnProfile'>): Promise<CallOutput<'columnProfile'>> {
    const d = this.get(input.datasetId);
    return profileColumn(this.conn, d.relation, this.column(d, input.column), input.bins);
  }

  async previewRows(input: CallInput<'previewRows'>): Promise<Uint8Array> {
    const d = this.get(input.datasetId);
    // DuckDB preserves insertion order for plain scans (preserve_insertion_order defaults on),
    // so pages stay stable as the user scrolls without an ORDER BY over the whole dataset.
    return queryArrowIPC(this.conn, `SELECT * FROM ${d.relation} LIMIT $1 OFFSET $2`, [input.limit, input.offset]);
  }

  private column(d: OpenedDataset, name: string): ColumnStats {
    const c = d.summary.columns.find((col) => col.name === name);
    if (!c) {
      throw new LoupeError({ code: 'bad_input', message: `no column named ${name}`, column: name, file: d.summary.files[0] });
    }
    return c;
  }
}
