import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { withMallocTunables } from '../../electron/malloc-tunables';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface WebProcess {
  child: ChildProcess;
  url: string;
  token: string;
  call<T = unknown>(name: string, input: unknown): Promise<T>;
}

/**
 * Starts browser mode (core + server) as its own process, as `npm run web` does — with the malloc
 * tunables `npm run web` relaunches with, passed straight in, so `child` is the core's process.
 */
export async function startWebProcess(env: Record<string, string> = {}): Promise<WebProcess> {
  const token = `t${Math.random().toString(36).slice(2)}`;
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repo, 'electron', 'serve-cli.ts'), '--port', '0', '--token', token], {
    cwd: repo,
    env: { ...withMallocTunables(process.env), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`browser mode did not start: ${out}`)), 30_000);
    child.stdout!.on('data', (d) => {
      out += d;
      const m = /(http:\/\/127\.0\.0\.1:\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    });
    child.stderr!.on('data', (d) => (out += d));
    child.on('exit', (code) => reject(new Error(`browser mode exited with ${code}: ${out}`)));
  });
  return {
    child,
    url,
    token,
    async call<T>(name: string, input: unknown): Promise<T> {
      const res = await fetch(`${url}/api/call/${name}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(input),
      });
      const env = (await res.json()) as { ok: boolean; value?: T; error?: { message: string } };
      if (!env.ok) throw new Error(`${name}: ${env.error?.message}`);
      return env.value as T;
    },
  };
}

export function kill9(p: WebProcess): Promise<void> {
  return new Promise((resolve) => {
    p.child.once('exit', () => resolve());
    p.child.kill('SIGKILL');
  });
}
