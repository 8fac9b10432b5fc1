import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where things live relative to the repository (or the unpacked app). */
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const repoRoot = root;
export const rendererDist = path.join(root, 'dist', 'renderer');
