import { spawn } from 'node:child_process';
import { runBrowserMode, stopOnSignals } from './browser-mode';
import { electronBinaryPath } from './electron-binary';
import { repoRoot } from './paths';

/**
 * `npm start`: Loupe in Electron when its binary is installed; otherwise one line saying so,
 * then the same app in browser mode.
 */
const exe = electronBinaryPath();
if (exe) {
  const child = spawn(exe, [repoRoot, ...process.argv.slice(2)], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  console.log("Electron's binary is not installed on this machine (it downloads from outside the npm registry); serving browser mode instead.");
  const server = await runBrowserMode({ port: Number(process.env.LOUPE_PORT ?? 0) });
  console.log(`Loupe (browser mode) on ${server.openUrl}`);
  stopOnSignals(server.close);
}
