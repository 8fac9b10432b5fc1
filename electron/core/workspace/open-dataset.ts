import type { DuckDBConnection } from '@duckdb/node-api';
import type { Problem } from '../../../shared/api';
import { LoupeError } from '../../../shared/errors';
import { quoteIdent, quoteLiteral } from '../db/duckdb';
import { requireSomeFiles, resolveParquetPaths } from './resolve-paths';
import { summarizeRelation, type OpenedDataset } from './summarize-relation';
import { firstLine, readFailure, validateParquetFile } from './validate-parquet';

export type { OpenedDataset };
export type ProgressFn = (label: string, done: number, total: number | null) => void;

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
  for (const [i, file] of resolved.files.entries()) {
    const check = await validateParquetFile(conn, file);
    if (check.ok) good.push(file);
    else problems.push(check.problem);
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

  progress(`Reading ${good.length} file${good.length === 1 ? '' : 's'}`, 0, null);
  try {
    const opened = await summarizeRelation(conn, {
      datasetId,
      relation,
      files: good,
      hivePartitions,
      problems,
    });
    progress('Done', 1, 1);
    return opened;
  } catch (err) {
    // Footers were fine but a data page is damaged: find which file, set it aside, retry.
    const bad = await findUnreadableFiles(conn, good);
    if (bad.length === 0 || bad.length === good.length) throw scanError(err, good);
    const rest = await openDataset(conn, datasetId, good.filter((f) => !bad.some((b) => b.file === f)), progress);
    rest.summary.problems = [...problems, ...bad, ...rest.summary.problems];
    return rest;
  }
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

async function findUnreadableFiles(conn: DuckDBConnection, files: string[]): Promise<Problem[]> {
  const problems: Problem[] = [];
  for (const file of files) {
    const failure = await readFailure(conn, file);
    if (failure) {
      problems.push({
        file,
        code: 'corrupt_parquet',
        message: `corrupt Parquet data: ${failure}`,
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
