import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../../electron/core/db/duckdb';
import { loadScenario } from '../../../service/scenario/load-scenario';
import { generateHistory } from '../../../service/sim/generate-history';
import { startService, type RunningService } from '../../../service/server';
import { tempDir } from '../../support/make-parquet';

const here = path.dirname(fileURLToPath(import.meta.url));
export const controlScenario = (name: string) => path.resolve(here, '..', '..', 'fixtures', 'control', `${name}.yaml`);
export const cannedScenario = (name: string) => path.resolve(here, '..', '..', 'fixtures', 'scenarios', `${name}.yaml`);

export const TOKENS = { op: 'operator', view: 'viewer', other: 'operator' } as const;

/**
 * The missed-regression scenario: two hours of exported history (the canary v2 starts at 1 h and
 * breaks JSON on sql), then the live service from there, on port 0.
 */
export async function startMissedRegression(speed = 60): Promise<{ svc: RunningService; dataDir: string }> {
  const dataDir = tempDir('loupe-control-svc-');
  const scenario = await loadScenario(controlScenario('missed-regression'));
  const db = await openDatabase();
  await generateHistory(db.conn, scenario, { seed: 7, days: 2 / 24, out: path.join(dataDir, 'exports') });
  db.close();
  const svc = await startService({ scenario, seed: 7, speed, dataDir, tokens: { ...TOKENS } });
  return { svc, dataDir };
}

/** Another client acting on the service directly, as a colleague's Loupe or a script would. */
export async function actDirectly(url: string, kind: 'rollback' | 'override', deployment: string, body: { version: string; reason: string }, token = 'other') {
  const res = await fetch(`${url}/v1/deployments/${deployment}/${kind}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json', 'Idempotency-Key': `other-${Math.random()}`, 'X-Actor': 'colleague' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as unknown };
}
