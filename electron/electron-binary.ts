import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './paths';

/**
 * Where Electron's binary is, without triggering its download: since Electron 45 the npm
 * package fetches the binary on first `require('electron')`, which cannot work offline.
 * Returns null when it is absent, so callers can fall back to browser mode.
 */
export function electronBinaryPath(): string | null {
  const pkgDir = path.join(repoRoot, 'node_modules', 'electron');
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const exe = path.join(override, process.platform === 'win32' ? 'electron.exe' : 'electron');
    return fs.existsSync(exe) ? exe : null;
  }
  const pathFile = path.join(pkgDir, 'path.txt');
  if (!fs.existsSync(pathFile)) return null;
  const exe = path.join(pkgDir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(exe) ? exe : null;
}
