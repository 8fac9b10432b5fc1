import fs from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Problem } from '../../../shared/api';
import { queryOne, queryRows, quoteIdent, quoteLiteral } from '../db/duckdb';
import { WS, type WorkspaceLayout } from './layout';
import { checkParquetSignature, firstLine, readFailure, validateParquetFile } from './validate-parquet';

/**
 * Keeps the workspace's `requests` table in step with the Parquet files under exports/.
 * Only files that are new or changed (size or mtime) are read; each batch is one transaction,
 * so a crash leaves the table as it was before the batch. Why a table and not views over
 * Parquet: docs/decisions/0001-materialised-requests-table.md.
 */
export const REQUESTS = `${WS}.requests`;
/**
 * The file each row came from, so a re-synced partition replaces exactly its own rows. Hive
 * folders (date=/hour=) are not turned into columns: the timestamp already says when.
 */
export const SOURCE_COLUMN = '_file';
const BATCH_FILES = 96;

export interface IngestOptions {
  /** Rows with a request id already in the table are duplicates: counted, not added. */
  requestIdColumn: string | null;
  /** A file without this column cannot be placed in time and is listed, not ingested. */
  timestampColumn: string | null;
}

export interface IngestReport {
  filesSeen: number;
  filesIngested: number;
  rowsAdded: number;
  duplicates: number;
  problems: Problem[];
}

interface DiskFile {
  path: string;
  bytes: number;
  mtimeMs: number;
  /** From the Parquet footer, once checked. */
  rows?: number;
}

type Progress = (label: string, done: number, total: number | null) => void;

export async function ingestNewPartitions(
  conn: DuckDBConnection,
  layout: WorkspaceLayout,
  opts: IngestOptions,
  progress: Progress = () => {},
): Promise<IngestReport> {
  const onDisk = await listParquet(conn, layout.exportsDir);
  const known = new Map(
    (await queryRows<{ path: string; bytes: number; mtime_ms: number }>(
      conn,
      `SELECT path, bytes, mtime_ms FROM ${WS}.ingested_files
       UNION ALL SELECT path, bytes, mtime_ms FROM ${WS}.file_problems`,
    )).map((r) => [r.path, r]),
  );
  const todo = onDisk.filter((f) => {
    const k = known.get(f.path);
    return !k || k.bytes !== f.bytes || k.mtime_ms !== Math.trunc(f.mtimeMs);
  });
  const report: IngestReport = { filesSeen: onDisk.length, filesIngested: 0, rowsAdded: 0, duplicates: 0, problems: [] };
  if (todo.length === 0) return report;

  // Files that vanished from exports/ or changed lose their rows and records first
  // (quarantined files live outside exports/ and stay listed).
  const present = new Set(onDisk.map((f) => f.path));
  const gone = [...known.keys()].filter((p) => p.startsWith(layout.exportsDir + path.sep) && !present.has(p));
  const changed = todo.filter((f) => known.has(f.path)).map((f) => f.path);
  await forgetFiles(conn, [...gone, ...changed]);

  progress('Checking new partitions', 0, todo.length);
  const checked = await checkFiles(conn, todo);
  for (const { file, problem } of checked.bad) await recordProblem(conn, file, problem, report, layout);
  const good = checked.good;
  if (good.length === 0) return report;

  if (!(await tableExists(conn))) await createTable(conn, good);
  const tableCols = await describeTable(conn);

  let done = 0;
  for (const group of await groupBySchema(conn, good)) {
    for (let i = 0; i < group.files.length; i += BATCH_FILES) {
      const batch = group.files.slice(i, i + BATCH_FILES);
      await ingestBatch(conn, batch, group.columns, tableCols, opts, report, layout);
      done += batch.length;
      progress('Importing partitions', done, good.length);
    }
  }
  return report;
}

async function listParquet(conn: DuckDBConnection, dir: string): Promise<DiskFile[]> {
  const exists = await fs.stat(dir).then((s) => s.isDirectory(), () => false);
  if (!exists) return [];
  const rows = await queryRows<{ file: string }>(conn, 'SELECT file FROM glob($1) ORDER BY file', [path.join(dir, '**', '*.parquet')]);
  const files: DiskFile[] = [];
  for (const { file } of rows) {
    // In-flight downloads live under temp names; only complete files are data.
    if (path.basename(file).startsWith('.')) continue;
    const st = await fs.stat(file).catch(() => null);
    if (st?.isFile()) files.push({ path: file, bytes: st.size, mtimeMs: Math.trunc(st.mtimeMs) });
  }
  return files;
}

async function tableExists(conn: DuckDBConnection): Promise<boolean> {
  const row = await queryOne<{ n: number }>(
    conn,
    `SELECT count(*) AS n FROM duckdb_tables() WHERE database_name = '${WS}' AND table_name = 'requests'`,
  );
  return (row?.n ?? 0) > 0;
}

async function createTable(conn: DuckDBConnection, files: DiskFile[]): Promise<void> {
  // The first file's schema founds the table; other files' extra columns are added later.
  await conn.run(
    `CREATE TABLE ${REQUESTS} AS SELECT * FROM read_parquet(${quoteLiteral(files[0].path)}, filename = '${SOURCE_COLUMN}', hive_partitioning = false) LIMIT 0`,
  );
}

async function describeTable(conn: DuckDBConnection): Promise<Map<string, string>> {
  const rows = await queryRows<{ column_name: string; column_type: string }>(conn, `DESCRIBE ${REQUESTS}`);
  return new Map(rows.map((r) => [r.column_name, r.column_type]));
}

/**
 * Signatures first (cheap, no DuckDB), then every footer in one query; only when that query
 * fails are files read one by one to find the damaged ones.
 */
async function checkFiles(conn: DuckDBConnection, files: DiskFile[]) {
  const bad: Array<{ file: DiskFile; problem: Problem }> = [];
  const signed: DiskFile[] = [];
  for (const f of files) {
    const problem = await checkParquetSignature(f.path);
    if (problem) bad.push({ file: f, problem });
    else signed.push(f);
  }
  const good: DiskFile[] = [];
  try {
    const rows = new Map(
      (await queryRows<{ file_name: string; num_rows: number }>(
        conn,
        `SELECT file_name, num_rows FROM parquet_file_metadata(${fileList(signed)})`,
      )).map((r) => [r.file_name, r.num_rows]),
    );
    for (const f of signed) good.push({ ...f, rows: rows.get(f.path) ?? 0 });
  } catch {
    for (const f of signed) {
      const check = await validateParquetFile(conn, f.path);
      if (check.ok) good.push({ ...f, rows: check.rows });
      else bad.push({ file: f, problem: check.problem });
    }
  }
  return { good, bad };
}

function fileList(files: DiskFile[]): string {
  return `[${files.map((f) => quoteLiteral(f.path)).join(', ')}]`;
}

/** Files with the same column names and types share one INSERT; hourly exports usually all do. */
async function groupBySchema(conn: DuckDBConnection, files: DiskFile[]) {
  const signatures = await queryRows<{ file_name: string; sig: string }>(
    conn,
    `SELECT file_name, string_agg(name || ':' || coalesce(duckdb_type, ''), ',' ORDER BY column_id) AS sig
       FROM parquet_schema(${fileList(files)}) GROUP BY file_name`,
  );
  const sigOf = new Map(signatures.map((r) => [r.file_name, r.sig]));
  const groups = new Map<string, { columns: Array<{ name: string; type: string }>; files: DiskFile[] }>();
  for (const f of files) {
    const key = sigOf.get(f.path) ?? f.path;
    let g = groups.get(key);
    if (!g) {
      const cols = await queryRows<{ column_name: string; column_type: string }>(
        conn,
        `DESCRIBE SELECT * FROM read_parquet(${quoteLiteral(f.path)}, hive_partitioning = false)`,
      );
      g = { columns: cols.map((c) => ({ name: c.column_name, type: c.column_type })), files: [] };
      groups.set(key, g);
    }
    g.files.push(f);
  }
  return [...groups.values()];
}

async function ingestBatch(
  conn: DuckDBConnection,
  files: DiskFile[],
  columns: Array<{ name: string; type: string }>,
  tableCols: Map<string, string>,
  opts: IngestOptions,
  report: IngestReport,
  layout: WorkspaceLayout,
): Promise<void> {
  if (opts.timestampColumn && !columns.some((c) => c.name === opts.timestampColumn)) {
    for (const f of files) {
      await recordProblem(conn, f, {
        file: f.path,
        code: 'no_timestamp',
        column: opts.timestampColumn,
        message: `no "${opts.timestampColumn}" column, so its rows cannot be placed in time`,
        hint: 'export it with the timestamp column, or map another column to the timestamp role in the Data view',
      }, report, layout);
    }
    return;
  }

  // Union by name: new columns join the table; a changed type is cast to the table's type and
  // the conflict is listed, so one odd partition neither blocks the rest nor goes unnoticed.
  const conflicts: Problem[] = [];
  const select: string[] = [];
  for (const c of columns) {
    if (c.name === SOURCE_COLUMN) continue;
    const existing = tableCols.get(c.name);
    if (!existing) {
      await conn.run(`ALTER TABLE ${REQUESTS} ADD COLUMN ${quoteIdent(c.name)} ${c.type}`);
      tableCols.set(c.name, c.type);
      select.push(quoteIdent(c.name));
    } else if (existing !== c.type) {
      select.push(`TRY_CAST(${quoteIdent(c.name)} AS ${existing}) AS ${quoteIdent(c.name)}`);
      conflicts.push({
        file: files.length === 1 ? files[0].path : `${files.length} files from ${files[0].path}`,
        code: 'schema_conflict',
        column: c.name,
        message: `column "${c.name}" is ${c.type} here but ${existing} in the workspace; values were converted and those that could not be became null`,
        hint: 'fix the export so the column keeps one type, or re-export these partitions',
      });
    } else select.push(quoteIdent(c.name));
  }
  select.push(quoteIdent(SOURCE_COLUMN));

  const list = fileList(files);
  const rid = opts.requestIdColumn && columns.some((c) => c.name === opts.requestIdColumn) ? quoteIdent(opts.requestIdColumn) : null;
  const source = `SELECT ${select.join(', ')} FROM read_parquet(${list}, union_by_name = true, filename = '${SOURCE_COLUMN}', hive_partitioning = false)`;
  const dedupe = rid
    ? `WHERE ${rid} IS NULL OR NOT EXISTS (SELECT 1 FROM ${REQUESTS} r WHERE r.${rid} = src.${rid})
       QUALIFY ${rid} IS NULL OR row_number() OVER (PARTITION BY src.${rid} ORDER BY src.${quoteIdent(SOURCE_COLUMN)}) = 1`
    : '';

  await conn.run('BEGIN TRANSACTION');
  try {
    await conn.run(`INSERT INTO ${REQUESTS} BY NAME SELECT * FROM (${source}) src ${dedupe}`);
    const added = new Map(
      (await queryRows<{ f: string; n: number }>(
        conn,
        `SELECT ${quoteIdent(SOURCE_COLUMN)} AS f, count(*) AS n FROM ${REQUESTS} WHERE ${quoteIdent(SOURCE_COLUMN)} IN (SELECT unnest(${list})) GROUP BY 1`,
      )).map((r) => [r.f, r.n]),
    );
    const records = files.map((f) => {
      const inFile = f.rows ?? 0;
      const rowsAdded = added.get(f.path) ?? 0;
      report.rowsAdded += rowsAdded;
      report.duplicates += inFile - rowsAdded;
      report.filesIngested += 1;
      return { path: f.path, bytes: f.bytes, mtime_ms: f.mtimeMs, rows_in_file: inFile, rows_added: rowsAdded, duplicates: inFile - rowsAdded };
    });
    await conn.run(
      `INSERT INTO ${WS}.ingested_files (path, bytes, mtime_ms, rows_in_file, rows_added, duplicates)
       SELECT r.path, r.bytes, r.mtime_ms, r.rows_in_file, r.rows_added, r.duplicates
         FROM (SELECT unnest(from_json($1, '[{"path":"VARCHAR","bytes":"BIGINT","mtime_ms":"BIGINT","rows_in_file":"BIGINT","rows_added":"BIGINT","duplicates":"BIGINT"}]')) AS r)`,
      [JSON.stringify(records)],
    );
    for (const c of conflicts) await insertProblemRow(conn, c, files[0]);
    await conn.run('COMMIT');
    report.problems.push(...conflicts);
  } catch (err) {
    await conn.run('ROLLBACK');
    if (files.length === 1) {
      // Quarantine only what DuckDB truly cannot read; any other failure is ours to report.
      if ((await readFailure(conn, files[0].path)) === null) throw err;
      await recordProblem(conn, files[0], {
        file: files[0].path,
        code: 'corrupt_parquet',
        message: `could not import: ${firstLine((err as Error).message)}`,
        hint: 'the file may be damaged: export or download it again',
      }, report, layout);
      return;
    }
    // One bad file must not sink the batch: retry file by file to find it.
    for (const f of files) await ingestBatch(conn, [f], columns, tableCols, opts, report, layout);
  }
}

async function forgetFiles(conn: DuckDBConnection, files: string[]): Promise<void> {
  if (files.length === 0) return;
  const list = `[${files.map(quoteLiteral).join(', ')}]`;
  if (await tableExists(conn)) await conn.run(`DELETE FROM ${REQUESTS} WHERE ${quoteIdent(SOURCE_COLUMN)} IN (SELECT unnest(${list}))`);
  await conn.run(`DELETE FROM ${WS}.ingested_files WHERE path IN (SELECT unnest(${list}))`);
  await conn.run(`DELETE FROM ${WS}.file_problems WHERE path IN (SELECT unnest(${list}))`);
}

async function insertProblemRow(conn: DuckDBConnection, p: Problem, f: DiskFile): Promise<void> {
  await conn.run(
    `INSERT OR REPLACE INTO ${WS}.file_problems (path, code, message, column_name, hint, bytes, mtime_ms) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [f.path, p.code, p.message, p.column ?? null, p.hint ?? null, f.bytes, f.mtimeMs],
  );
}

/**
 * A file that cannot be read is moved to quarantine/ (keeping its partition path, so it is
 * clear where it came from) and listed; a sync then downloads a good copy in its place.
 */
async function recordProblem(
  conn: DuckDBConnection,
  f: DiskFile,
  problem: Problem,
  report: IngestReport,
  layout: WorkspaceLayout,
): Promise<void> {
  let listed = f;
  if (problem.code === 'corrupt_parquet' || problem.code === 'not_parquet') {
    const rel = path.relative(layout.exportsDir, f.path);
    const target = path.join(layout.quarantineDir, rel.startsWith('..') ? path.basename(f.path) : rel);
    try {
      await fs.mkdir(path.dirname(target), { recursive: true });
      await fs.rename(f.path, target);
      problem = { ...problem, file: target, message: `${problem.message} (moved from ${f.path})` };
      listed = { ...f, path: target };
    } catch {
      // Read-only folders keep the file where it is; it is still listed and skipped.
    }
  }
  await insertProblemRow(conn, problem, listed);
  report.problems.push(problem);
}
