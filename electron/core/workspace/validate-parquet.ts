import fs from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Problem } from '../../../shared/api';
import { queryOne, quoteLiteral } from '../db/duckdb';

const MAGIC = 'PAR1';

/**
 * Checks one file cheaply before it joins a dataset: the PAR1 magic at both ends (a missing
 * tail magic is the signature of a truncated download) and a footer DuckDB can parse.
 * Returns the row count from the footer, or a problem naming the file.
 */
export type FileCheck = { ok: true; rows: number } | { ok: false; problem: Problem };

export async function validateParquetFile(conn: DuckDBConnection, file: string): Promise<FileCheck> {
  const problem = await checkParquetSignature(file);
  if (problem) return { ok: false, problem };
  try {
    const meta = await queryOne<{ rows: number }>(conn, 'SELECT num_rows AS rows FROM parquet_file_metadata($1)', [file]);
    return { ok: true, rows: meta?.rows ?? 0 };
  } catch (err) {
    return {
      ok: false,
      problem: {
        file,
        code: 'corrupt_parquet',
        message: `corrupt Parquet footer: ${firstLine((err as Error).message)}`,
        hint: 'the file is damaged: export or download it again',
      },
    };
  }
}

/** The cheap half of the check: file system and PAR1 signatures only, no DuckDB. */
export async function checkParquetSignature(file: string): Promise<Problem | null> {
  let handle: fs.FileHandle | undefined;
  try {
    handle = await fs.open(file, 'r');
    const { size } = await handle.stat();
    if (size === 0) {
      return { file, code: 'corrupt_parquet', message: 'the file is empty (0 bytes)', hint: 'export or download it again' };
    }
    const head = Buffer.alloc(4);
    await handle.read(head, 0, 4, 0);
    if (head.toString('latin1') !== MAGIC) {
      return {
        file,
        code: 'not_parquet',
        message: 'not a Parquet file (it does not start with the PAR1 signature)',
        hint: 'open .parquet files; convert CSV or JSON to Parquet first',
      };
    }
    const tail = Buffer.alloc(4);
    await handle.read(tail, 0, 4, Math.max(0, size - 4));
    if (size < 12 || tail.toString('latin1') !== MAGIC) {
      return {
        file,
        code: 'corrupt_parquet',
        message: `truncated or corrupt Parquet (${size} bytes, no footer signature at the end)`,
        hint: 'the download or export was cut short: fetch the file again',
      };
    }
  } catch (err) {
    return { file, code: 'not_found', message: `cannot read the file: ${(err as Error).message}`, hint: 'check permissions' };
  } finally {
    await handle?.close();
  }

  return null;
}

export function firstLine(message: string): string {
  return message.split('\n')[0].replace(/^[A-Za-z ]+Error: /, '');
}

/**
 * Reads every column of one file to the end. Footers can be sound while a data page is not;
 * this is the slow, certain check used only after a scan has failed. Returns DuckDB's message
 * when the file cannot be read, or null.
 */
export async function readFailure(conn: DuckDBConnection, file: string): Promise<string | null> {
  try {
    await queryOne(conn, `SELECT count(COLUMNS(*)) FROM read_parquet(${quoteLiteral(file)})`);
    return null;
  } catch (err) {
    return firstLine((err as Error).message);
  }
}
