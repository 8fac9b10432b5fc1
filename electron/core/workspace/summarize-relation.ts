import type { DuckDBConnection } from '@duckdb/node-api';
import type { DatasetSummary, Problem } from '../../../shared/api';
import { queryRows } from '../db/duckdb';
import { computeTableStats } from './column-stats';
import { findTimestampColumn, type TimestampColumn } from './timestamp-column';

export interface OpenedDataset {
  summary: DatasetSummary;
  /** The DuckDB view or table every later query of this dataset reads. */
  relation: string;
  timestamp: TimestampColumn | null;
}

export interface SummarizeInput {
  datasetId: string;
  relation: string;
  files: string[];
  hivePartitions: string[];
  problems: Problem[];
  /** A column the user mapped to the timestamp role; otherwise it is guessed. */
  timestampColumn?: string | null;
}

/** Schema, time column and one-pass stats of a relation: what the Data view shows. */
export async function summarizeRelation(conn: DuckDBConnection, input: SummarizeInput): Promise<OpenedDataset> {
  const columns = await queryRows<{ column_name: string; column_type: string }>(conn, `DESCRIBE ${input.relation}`);
  const described = columns.map((c) => ({ name: c.column_name, type: c.column_type }));
  const mapped = input.timestampColumn ? described.find((c) => c.name === input.timestampColumn) : undefined;
  const timestamp = mapped
    ? await findTimestampColumn(conn, input.relation, [mapped])
    : await findTimestampColumn(conn, input.relation, described);
  const problems = [...input.problems];
  if (!timestamp) {
    problems.push({
      file: input.files.length === 1 ? input.files[0] : `${input.files.length} files`,
      code: 'no_timestamp',
      column: input.timestampColumn ?? undefined,
      message: input.timestampColumn
        ? `the mapped timestamp column "${input.timestampColumn}" is missing or holds no usable times`
        : 'no usable timestamp column (no TIMESTAMP/DATE column, and no epoch or ISO-text column named like a time)',
      hint: 'time-based views need one: add a TIMESTAMP column such as `ts`, or map the timestamp role in the Data view',
    });
  }
  const stats = await computeTableStats(conn, input.relation, described, timestamp?.expr ?? null);
  return {
    relation: input.relation,
    timestamp,
    summary: {
      datasetId: input.datasetId,
      files: input.files,
      fileCount: input.files.length,
      rows: stats.rows,
      hivePartitions: input.hivePartitions,
      timestampColumn: timestamp?.column ?? null,
      timeRange: stats.timeRange,
      columns: stats.columns,
      distinctApprox: stats.columns.some((c) => c.distinctApprox),
      problems,
    },
  };
}
