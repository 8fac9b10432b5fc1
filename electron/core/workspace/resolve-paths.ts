import fs from 'node:fs/promises';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Problem } from '../../../shared/api';
import { LoupeError } from '../../../shared/errors';
import { queryRows } from '../db/duckdb';

export interface ResolvedPaths {
  files: string[];
  problems: Problem[];
}

const hasGlob = (p: string) => /[*?[]/.test(p);

/**
 * Expands what the user picked — files, folders (recursively) and globs — into Parquet files.
 * A missing path or a folder without Parquet becomes a problem naming it; the rest still load.
 */
export async function resolveParquetPaths(conn: DuckDBConnection, inputs: string[]): Promise<ResolvedPaths> {
  const files = new Set<string>();
  const problems: Problem[] = [];

  for (const raw of inputs) {
    const input = path.resolve(raw);
    if (hasGlob(raw)) {
      const matched = await globFiles(conn, input);
      if (matched.length === 0) {
        problems.push({ file: raw, code: 'not_found', message: 'the pattern matches no files', hint: 'check the folder and the pattern' });
      }
      matched.forEach((f) => files.add(f));
      continue;
    }
    const stat = await fs.stat(input).catch(() => null);
    if (!stat) {
      problems.push({ file: raw, code: 'not_found', message: 'no such file or folder', hint: 'check the path' });
    } else if (stat.isDirectory()) {
      const matched = await globFiles(conn, path.join(input, '**', '*.parquet'));
      if (matched.length === 0) {
        problems.push({
          file: raw,
          code: 'empty_folder',
          message: 'the folder holds no .parquet files (searched all subfolders)',
          hint: 'pick a folder with Parquet exports, or sync one from the service',
        });
      }
      matched.forEach((f) => files.add(f));
    } else {
      files.add(input);
    }
  }

  return { files: [...files].sort(), problems };
}

async function globFiles(conn: DuckDBConnection, pattern: string): Promise<string[]> {
  const rows = await queryRows<{ file: string }>(conn, 'SELECT file FROM glob($1) ORDER BY file', [pattern]);
  return rows.map((r) => r.file).filter((f) => !f.endsWith('.tmp') && !path.basename(f).startsWith('.'));
}

/** Throws when nothing usable is left: the first problem is the user's best lead. */
export function requireSomeFiles(resolved: ResolvedPaths, inputs: string[]): void {
  if (resolved.files.length > 0) return;
  const first = resolved.problems[0];
  throw new LoupeError({
    code: (first?.code as 'not_found' | 'empty_folder') ?? 'not_found',
    message: first?.message ?? 'nothing to open',
    file: first?.file ?? inputs.join(', '),
    hint: first?.hint,
  });
}
