import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const onGlibc = process.platform === 'linux' && !!(process.report.getReport() as { header: { glibcVersionRuntime?: string } }).header.glibcVersionRuntime;

it.runIf(onGlibc)('`npm run web` runs the core in a process started again with the malloc tunables, which SIGTERM stops through the first', async () => {
  const env = { ...process.env };
  delete env.GLIBC_TUNABLES;
  // The command `npm run web` runs, minus the renderer build.
  const wrapper = spawn(process.execPath, ['--import', 'tsx', '--import', './electron/relaunch-with-malloc-tunables.ts', 'electron/serve-cli.ts', '--port', '0', '--token', 'tok'], {
    cwd: repo,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => wrapper.on('exit', (code) => resolve(code)));
  let out = '';
  wrapper.stdout.on('data', (d) => (out += d));
  wrapper.stderr.on('data', (d) => (out += d));
  await expect.poll(() => /http:\/\/127\.0\.0\.1:\d+/.exec(out)?.[0], { timeout: 30_000 }).toBeTruthy();
  const url = /http:\/\/127\.0\.0\.1:\d+/.exec(out)![0];

  const children = fs.readFileSync(`/proc/${wrapper.pid}/task/${wrapper.pid}/children`, 'utf8').trim().split(/\s+/).map(Number);
  expect(children).toHaveLength(1);
  const core = children[0];
  const environ = fs.readFileSync(`/proc/${core}/environ`, 'utf8').split('\0');
  expect(environ).toContain('GLIBC_TUNABLES=glibc.malloc.mmap_threshold=131072');
  expect(fs.readFileSync(`/proc/${wrapper.pid}/environ`, 'utf8').split('\0').some((v) => v.startsWith('GLIBC_TUNABLES='))).toBe(false);
  // The relaunched process is the one serving.
  const res = await fetch(`${url}/api/call/closeWorkspace`, { method: 'POST', headers: { Authorization: 'Bearer tok', 'Content-Type': 'application/json' }, body: '{}' });
  expect(await res.json()).toMatchObject({ ok: true });

  wrapper.kill('SIGTERM');
  expect(await exited).toBe(0);
  expect(fs.existsSync(`/proc/${core}`)).toBe(false);
}, 60_000);
