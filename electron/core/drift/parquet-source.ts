import type { DuckDBConnection } from '@duckdb/node-api';
import type { Problem } from '../../../shared/api';
import { queryRows } from '../db/duckdb';
import { parquetSource } from '../workspace/open-dataset';
import { requireSomeFiles, resolveParquetPaths } from '../workspace/resolve-paths';
import { defaultLogSchemaV1Roles, restrictToColumns } from './log-schema-roles';
import type { DriftSource } from './relation';

/**
 * Files, folders (recursive **\/*.parquet) or globs → a drift source over
 * read_parquet([...], union_by_name = true, hive_partitioning = true) with the schema v1 roles
 * that the files actually have. Used by the CLI; the app passes its workspace table instead.
 */
export async function parquetDriftSource(
  conn: DuckDBConnection,
  paths: string[],
): Promise<{ source: DriftSource; files: string[]; problems: Problem[]; columns: Set<string> }> {
  const resolved = await resolveParquetPaths(conn, paths);
  requireSomeFiles(resolved, paths);
  const relation = parquetSource(resolved.files, true);
  const cols = await queryRows<{ column_name: string }>(conn, `DESCRIBE SELECT * FROM ${relation}`);
  const columns = new Set(cols.map((c) => c.column_name));
  return {
    source: { relation, roles: restrictToColumns(defaultLogSchemaV1Roles(), columns), cacheKey: resolved.files.join('\n') },
    files: resolved.files,
    problems: resolved.problems,
    columns,
  };
}
