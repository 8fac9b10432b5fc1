// `npm test`: every suite that needs no Electron binary, in order, continuing past a failing
// suite so one red step does not hide the others' results; exits non-zero if any failed.
import { spawnSync } from 'node:child_process';

const steps = [
  ['typecheck', 'npx', ['tsc', '-p', 'tsconfig.json', '--noEmit']],
  ['unit + integration (vitest)', 'npx', ['vitest', 'run']],
  ['build renderer', 'npx', ['vite', 'build', '--config', 'renderer/vite.config.ts', '--logLevel', 'warn']],
  ['e2e (Playwright, browser mode in Chromium)', 'npx', ['playwright', 'test', '-c', 'test/e2e/playwright.config.ts']],
];

const failed = [];
for (const [name, cmd, args] of steps) {
  console.log(`\n== ${name}`);
  const t0 = Date.now();
  const res = spawnSync(cmd, args, { stdio: 'inherit' });
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  if (res.status !== 0) {
    failed.push(name);
    console.log(`== ${name}: FAILED (${secs} s)`);
    // Without a renderer build the e2e step cannot say anything useful.
    if (name === 'build renderer') break;
  } else console.log(`== ${name}: ok (${secs} s)`);
}
if (failed.length) {
  console.log(`\nfailed: ${failed.join(', ')}`);
  process.exit(1);
}
