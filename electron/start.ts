import { spawn } from 'node:child_process';
import { startService } from '../service/server';
import { loadScenario } from '../service/scenario/load-scenario';
import { runBrowserMode, stopOnSignals } from './browser-mode';
import { electronBinaryPath } from './electron-binary';
import { repoRoot } from './paths';
import { ensureSampleData, sampleServiceDir, sampleWorkspaceDir } from './sample-data';

/**
 * `npm start`: generates the sample data on first run, starts the reference service on it,
 * and opens Loupe on the sample workspace — in Electron when its binary is installed,
 * otherwise (saying so in one line) in browser mode.
 */
const log = (line: string) => console.log(line);
await ensureSampleData(log);

const scenario = await loadScenario();
// 60× real time: the live tail moves visibly and the v43 canary is rolled back automatically
// a few minutes in, so a first run shows the whole loop.
const serviceOptions = {
  scenario,
  seed: 42,
  speed: Number(process.env.LOUPE_SPEED ?? 60),
  dataDir: sampleServiceDir,
  tokens: { 'operator-token': 'operator', 'viewer-token': 'viewer' } as const,
};
const service = await startService({ port: Number(process.env.LOUPE_SERVICE_PORT ?? 8787), ...serviceOptions }).catch(() =>
  // 8787 taken: any free port will do.
  startService({ port: 0, ...serviceOptions }),
);
log(`Reference service on ${service.url} (tokens: operator-token, viewer-token)`);
const sample = { dir: sampleWorkspaceDir, serviceUrl: service.url, token: 'operator-token' };

const exe = electronBinaryPath();
if (exe) {
  const child = spawn(exe, [repoRoot, ...process.argv.slice(2)], {
    stdio: 'inherit',
    env: { ...process.env, LOUPE_SAMPLE_WORKSPACE: sample.dir, LOUPE_SAMPLE_SERVICE: sample.serviceUrl, LOUPE_SAMPLE_TOKEN: sample.token },
  });
  child.on('exit', (code) => void service.close().finally(() => process.exit(code ?? 0)));
} else {
  log("Electron's binary is not installed on this machine (it downloads from outside the npm registry); serving browser mode instead.");
  const server = await runBrowserMode({ port: Number(process.env.LOUPE_PORT ?? 0), sample });
  log(`Loupe (browser mode) on ${server.openUrl}`);
  stopOnSignals(async () => {
    await server.close();
    await service.close();
  });
}
