import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { CallOutput } from '../../../shared/api';
import { LoupeError } from '../../../shared/errors';

type Listing = CallOutput<'listDirectory'>;

/** One folder's entries, folders first; hidden entries are skipped. */
export async function listDirectory(dir?: string): Promise<Listing> {
  const target = path.resolve(dir && dir.trim() ? dir : os.homedir());
  let dirents;
  try {
    dirents = await fs.readdir(target, { withFileTypes: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new LoupeError({
      code: code === 'ENOENT' ? 'not_found' : 'bad_input',
      message: code === 'ENOTDIR' ? 'not a folder' : `cannot list the folder (${code ?? 'error'})`,
      file: target,
      hint: 'pick another folder',
    });
  }
  const entries: Listing['entries'] = [];
  for (const d of dirents) {
    if (d.name.startsWith('.')) continue;
    const full = path.join(target, d.name);
    if (d.isDirectory()) entries.push({ name: d.name, path: full, kind: 'dir', bytes: 0 });
    else if (d.isFile()) {
      const bytes = await fs.stat(full).then((s) => s.size, () => 0);
      entries.push({ name: d.name, path: full, kind: d.name.toLowerCase().endsWith('.parquet') ? 'parquet' : 'file', bytes });
    }
  }
  entries.sort((a, b) => (a.kind === 'dir' ? 0 : 1) - (b.kind === 'dir' ? 0 : 1) || a.name.localeCompare(b.name));
  const parent = path.dirname(target);
  return { path: target, parent: parent === target ? null : parent, entries };
}
