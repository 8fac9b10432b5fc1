import fs from 'node:fs/promises';
import path from 'node:path';
import { openDatabase } from './core/db/duckdb';
import { readManifest } from '../service/exports/write-partitions';
import { loadScenario } from '../service/scenario/load-scenario';
import { generateHistory } from '../service/sim/generate-history';
import { repoRoot } from './paths';

export const sampleRoot = path.join(repoRoot, 'sample-data');
export const sampleServiceDir = path.join(sampleRoot, 'service');
export const sampleWorkspaceDir = path.join(sampleRoot, 'workspace');

/**
 * The bundled sample: two weeks of the default scenario, written once (about 30 s) as the
 * reference service's exports, and copied into a workspace so Loupe opens with data.
 */
export async function ensureSampleData(log: (line: string) => void): Promise<void> {
  const exportsDir = path.join(sampleServiceDir, 'exports');
  if ((await readManifest(exportsDir)).length === 0) {
    log('Generating the sample data (14 days of the default scenario, once, about 30 s)…');
    const db = await openDatabase();
    try {
      const scenario = await loadScenario();
      const r = await generateHistory(db.conn, scenario, { seed: 42, days: 14, out: exportsDir, onDay: (d) => d % 7 === 0 && log(`  day ${d} of 14`) });
      log(`  ${r.rows.toLocaleString('en-US')} requests in ${r.entries.length} hourly partitions`);
    } finally {
      db.close();
    }
  }
  const wsExports = path.join(sampleWorkspaceDir, 'exports');
  const exists = await fs.stat(wsExports).then(() => true, () => false);
  if (!exists) {
    await fs.mkdir(sampleWorkspaceDir, { recursive: true });
    await fs.cp(exportsDir, wsExports, { recursive: true, filter: (src) => !src.endsWith('manifest.json') });
  }
}
