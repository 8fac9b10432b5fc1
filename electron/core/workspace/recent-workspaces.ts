import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface RecentWorkspace {
  dir: string;
  name: string;
  openedAt: string;
}

const MAX = 12;

/** Loupe's per-user folder; LOUPE_HOME moves it (tests, portable installs). */
export function loupeHome(): string {
  return process.env.LOUPE_HOME ?? path.join(process.env.XDG_CONFIG_HOME ?? path.join(os.homedir(), '.config'), 'loupe');
}

function file(): string {
  return path.join(loupeHome(), 'recent-workspaces.json');
}

export async function listRecentWorkspaces(): Promise<RecentWorkspace[]> {
  try {
    const list = JSON.parse(await fs.readFile(file(), 'utf8')) as RecentWorkspace[];
    return Array.isArray(list) ? list : [];
  } catch {
    return [];
  }
}

export async function rememberWorkspace(dir: string): Promise<void> {
  const entry: RecentWorkspace = { dir, name: path.basename(dir), openedAt: new Date().toISOString() };
  const list = [entry, ...(await listRecentWorkspaces()).filter((w) => w.dir !== dir)].slice(0, MAX);
  await fs.mkdir(loupeHome(), { recursive: true });
  // Write-then-rename: a crash mid-write never leaves a truncated list behind.
  const tmp = `${file()}.${process.pid}.tmp`;
  await fs.writeFile(tmp, JSON.stringify(list, null, 2));
  await fs.rename(tmp, file());
}
