import type { DuckDBConnection } from '@duckdb/node-api';
import type { DatasetSummary, Problem } from '../../../shared/api';
import { LoupeError } from '../../../shared/errors';
import { queryOne, queryRows, quoteIdent, quoteLiteral } from '../db/duckdb';
import { computeTableStats } from './column-stats';
import { requireSomeFiles, resolveParquetPaths } from './resolve-paths';
import { findTimestampColumn, type TimestampColumn } from './timestamp-column';
import { firstLine, validateParquetFile } from './validate-parquet';

export interface OpenedDataset {
  summary: DatasetSummary;
  /** The DuckDB view every later query of this dataset reads. */
  relation: string;
  timestamp: TimestampColumn | null;
}

export type ProgressFn = (label: string, done: number, total: number | null) => void;

/** Exact distinct counts cost a hash table per column; past this, HyperLogLog (±~2%). */
const EXACT_DISTINCT_MAX_ROWS = 2_000_000;
const HIVE_SEGMENT = /[\\/]([A-Za-z_][\w.-]*)=[^\\/]*(?=[\\/])/g;

/**
 * Opens Parquet files as one dataset: resolves paths, sets bad files aside with a problem
 * each, creates a view over the good ones and computes the summary the Data view shows.
 */
export async function openDataset(
  conn: DuckDBConnection,
  datasetId: string,
  inputs: string[],
  progress: ProgressFn = () => {},
): Promise<OpenedDataset> {
  progress('Finding Parquet files', 0, null);
  const resolved = await resolveParquetPaths(conn, inputs);
  requireSomeFiles(resolved, inputs);

  const problems: Problem[] = [...resolved.problems];
  const good: string[] = [];
  let footerRows = 0;
  for (const [i, file] of resolved.files.entries()) {
    const check = await validateParquetFile(conn, file);
    if (check.ok) {
      good.push(file);
      footerRows += check.rows;
    } else problems.push(check.problem);
    if (i % 25 === 0) progress('Checking files', i + 1, resolved.files.length);
  }
  if (good.length === 0) {
    const first = problems[0];
    throw new LoupeError({
      code: first.code as 'corrupt_parquet',
      message: first.message,
      file: first.file,
      hint: first.hint,
    });
  }

  const hivePartitions = hiveKeys(good);
  const relation = quoteIdent(`dataset_${datasetId}`);
  await createView(conn, relation, good, hivePartitions.length > 0);

  const columns = await queryRows<{ column_name: string; column_type: string }>(conn, `DESCRIBE ${relation}`);
  const described = columns.map((c) => ({ name: c.column_name, type: c.column_type }));
  const timestamp = await findTimestampColumn(conn, relation, described);
  if (!timestamp) {
    problems.push({
      file: good.length === 1 ? good[0] : `${good.length} files`,
      code: 'no_timestamp',
      message: 'no usable timestamp column (no TIMESTAMP/DATE column, and no epoch or ISO-text column named like a time)',
      hint: 'time-based views need one: add a TIMESTAMP column such as `ts`, or map the timestamp role in the Data view',
    });
  }

  progress(`Reading ${good.length} file${good.length === 1 ? '' : 's'}`, 0, null);
  let stats;
  try {
    stats = await computeTableStats(conn, relation, described, timestamp?.expr ?? null, footerRows <= EXACT_DISTINCT_MAX_ROWS);
  } catch (err) {
    // Footers were fine but a data page is damaged: find which file, set it aside, retry.
    const bad = await findUnreadableFiles(conn, good, described);
    if (bad.length === 0 || bad.length === good.length) throw scanError(err, good);
    const rest = await openDataset(conn, datasetId, good.filter((f) => !bad.some((b) => b.file === f)), progress);
    rest.summary.problems = [...problems.filter((p) => p.code !== 'no_timestamp'), ...bad, ...rest.summary.problems];
    return rest;
  }
  progress('Done', 1, 1);

  return {
    relation,
    timestamp,
    summary: {
      datasetId,
      files: good,
      fileCount: good.length,
      rows: stats.rows,
      hivePartitions,
      timestampColumn: timestamp?.column ?? null,
      timeRange: stats.timeRange,
      columns: stats.columns,
      distinctApprox: !stats.distinctExact,
      problems,
    },
  };
}

export function parquetSource(files: string[], hive: boolean): string {
  const list = `[${files.map(quoteLiteral).join(', ')}]`;
  return `read_parquet(${list}, union_by_name = true, hive_partitioning = ${hive})`;
}

async function createView(conn: DuckDBConnection, relation: string, files: string[], hive: boolean): Promise<void> {
  await conn.run(`CREATE OR REPLACE TEMP VIEW ${relation} AS SELECT * FROM ${parquetSource(files, hive)}`);
}

function hiveKeys(files: string[]): string[] {
  const keys = new Set<string>();
  for (const f of files) for (const m of f.matchAll(HIVE_SEGMENT)) keys.add(m[1]);
  // DuckDB only exposes keys present in every path.
  return [...keys].filter((k) => files.every((f) => f.includes(`/${k}=`) || f.includes(`\\${k}=`)));
}

async function findUnreadableFiles(
  conn: DuckDBConnection,
  files: string[],
  columns: Array<{ name: string }>,
): Promise<Problem[]> {
  const problems: Problem[] = [];
  const touchAll = columns.map((c) => `count(${quoteIdent(c.name)})`).join(', ') || 'count(*)';
  for (const file of files) {
    try {
      await queryOne(conn, `SELECT ${touchAll} FROM read_parquet(${quoteLiteral(file)}, union_by_name = true)`);
    } catch (err) {
      problems.push({
        file,
        code: 'corrupt_parquet',
        message: `corrupt Parquet data: ${firstLine((err as Error).message)}`,
        hint: 'the file is damaged: export or download it again',
      });
    }
  }
  return problems;
}

function scanError(err: unknown, files: string[]): LoupeError {
  return new LoupeError({
    code: 'corrupt_parquet',
    message: `cannot read the data: ${firstLine((err as Error).message)}`,
    file: files.length === 1 ? files[0] : `${files.length} files`,
    hint: 'a file may be damaged or the files may have incompatible columns',
  });
}
