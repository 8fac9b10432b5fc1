import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { openDatabase, queryOne } from '../../../electron/core/db/duckdb';
import type { LogRecord } from '../../../shared/log-schema';
import type { ExportEntry } from '../../../shared/service-contract';
import { loadScenario } from '../../../service/scenario/load-scenario';
import { historyModel } from '../../../service/sim/generate-history';
import { LiveGenerator } from '../../../service/sim/live-generator';
import { tempDir } from '../../support/make-parquet';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures');

it('exports each finished live hour with exactly the requests it streamed, and leaves no spool behind', async () => {
  const scenario = { ...(await loadScenario(path.join(fixtures, 'scenarios', 'tail-steady.yaml'))), rate: 5, live_from: '0h' };
  const db = await openDatabase();
  const exportsDir = tempDir('loupe-live-exports-');
  const spoolDir = tempDir('loupe-live-spools-');
  const streamed: LogRecord[] = [];
  const exported: ExportEntry[] = [];
  // An hour of simulated time per ~0.4 s of real time.
  const live = new LiveGenerator({
    model: historyModel(scenario, 7),
    scenario,
    speed: 9000,
    conn: db.conn,
    exportsDir,
    onRecord: (r) => void streamed.push(r),
    onExport: (e) => void exported.push(...e),
    spoolDir,
  });
  live.start();
  await expect.poll(() => exported.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(2);
  await live.stop();

  for (const e of exported.slice(0, 2)) {
    const file = path.join(exportsDir, `date=${e.id.slice(0, 10)}`, `hour=${e.id.slice(11)}`, 'part-0.parquet');
    const inHour = streamed.filter((r) => r.ts >= e.start && r.ts < e.end);
    expect(inHour.length).toBeGreaterThan(1000);
    expect(e.rows).toBe(inHour.length);
    const ids = await queryOne<{ n: number; lo: string; hi: string }>(db.conn, 'SELECT count(DISTINCT request_id) AS n, min(request_id) AS lo, max(request_id) AS hi FROM read_parquet($1)', [file]);
    expect(ids?.n).toBe(inHour.length);
    expect([ids?.lo, ids?.hi]).toEqual([inHour.map((r) => r.request_id).sort()[0], inHour.map((r) => r.request_id).sort().at(-1)]);
  }
  // The spools are gone: written hours and the unfinished one.
  expect(fs.readdirSync(spoolDir)).toEqual([]);
  db.close();
});
