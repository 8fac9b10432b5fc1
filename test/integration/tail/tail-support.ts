import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase, type Database } from '../../../electron/core/db/duckdb';
import { guessRoles } from '../../../electron/core/workspace/guess-roles';
import { Workspace } from '../../../electron/core/workspace/workspace';
import { parseFaults } from '../../../service/http/faults';
import { generateHistory } from '../../../service/sim/generate-history';
import { loadScenario } from '../../../service/scenario/load-scenario';
import type { Scenario } from '../../../service/scenario/scenario-schema';
import { startService, type RunningService } from '../../../service/server';
import { tempDir } from '../../support/make-parquet';

export const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures');

export async function scenario(name: string, patch: Partial<Scenario> = {}): Promise<Scenario> {
  return { ...(await loadScenario(path.join(fixtures, 'scenarios', name))), ...patch };
}

export async function serveTail(s: Scenario, opts: { speed: number; faults?: string; dataDir?: string; tailCapacity?: number }): Promise<{ svc: RunningService; dataDir: string }> {
  const dataDir = opts.dataDir ?? tempDir('loupe-tail-svc-');
  const svc = await startService({ scenario: s, dataDir, speed: opts.speed, tokens: { tok: 'viewer' }, faults: parseFaults(opts.faults), tailCapacity: opts.tailCapacity, heartbeatMs: 500 });
  return { svc, dataDir };
}

/**
 * The live-judge-regression scenario and a workspace folder holding `days` of its exported
 * history (the live analytics' baseline); at speed 60 v2's judge drop starts 10 s into the run.
 */
export async function regressionWithHistory(prefix: string, opts: { seed: number; days: number }): Promise<{ s: Scenario; dir: string }> {
  const s = await scenario('live-judge-regression.yaml');
  const dir = tempDir(prefix);
  const gen = await openDatabase();
  await generateHistory(gen.conn, s, { seed: opts.seed, days: opts.days, out: path.join(dir, 'exports') });
  gen.close();
  return { s, dir };
}

/** A fresh workspace attached to a fresh in-memory core database. */
export async function openWorkspace(dir = tempDir('loupe-tail-ws-')): Promise<{ db: Database; ws: Workspace; dir: string }> {
  const db = await openDatabase({ memoryLimit: '1GB' });
  const ws = await Workspace.open(db.conn, dir, (c) => guessRoles(c).mapping);
  return { db, ws, dir };
}

export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The sequence number the service put in a request id (req_<seq base 36>_<hex>). */
export function seqOf(requestId: string): number {
  return parseInt(requestId.split('_')[1], 36);
}

/**
 * The reference service in its own process (its CLI), for runs fast enough that generating
 * the traffic would starve the test's own event loop.
 */
export async function spawnService(scenarioFile: string, opts: { speed: number; faults?: string; dataDir?: string; rate?: number }): Promise<{ url: string; dataDir: string; close(): Promise<void> }> {
  const { spawn } = await import('node:child_process');
  const dataDir = opts.dataDir ?? tempDir('loupe-tail-svc-');
  const root = path.resolve(fixtures, '..', '..');
  const args = ['--import', 'tsx', path.join(root, 'service', 'cli.ts'), '--port', '0', '--scenario', path.join(fixtures, 'scenarios', scenarioFile),
    '--speed', String(opts.speed), '--data-dir', dataDir, '--token', 'tok'];
  if (opts.faults) args.push('--faults', opts.faults);
  if (opts.rate) args.push('--rate', String(opts.rate));
  const child = spawn(process.execPath, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += String(d)));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += String(d);
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.once('exit', (code) => reject(new Error(`service exited (${code}): ${stderr}`)));
  });
  return {
    url,
    dataDir,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
