import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { mergeResults, parseJsonLines, type BenchRecord } from './bench-record';
import { RESULT_ENV, type BenchResult } from './report-result';

export interface RunBenchOptions {
  name: string;
  args: string[];
  /** Where NAME.ts lives. */
  benchDir: string;
  /** Where NAME.jsonl is appended. */
  resultsDir: string;
  /** The git worktree whose commit and dirty flag are recorded. */
  repoRoot: string;
  /** Output of the bench; inherited by default. */
  stdio?: 'inherit' | 'pipe';
}

export type RunBenchOutcome = { ok: true; record: BenchRecord; file: string } | { ok: false; exitCode: number; message: string };

/** The benches in a folder that report results (those that call reportResult). */
export function reportingBenches(benchDir: string): string[] {
  return fs
    .readdirSync(benchDir)
    .filter((f) => f.endsWith('.ts') && fs.readFileSync(path.join(benchDir, f), 'utf8').includes('reportResult('))
    .map((f) => f.replace(/\.ts$/, ''));
}

function machine(): BenchRecord['machine'] {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    model: cpus[0]?.model.trim() ?? 'unknown',
    memGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    platform: `${os.platform()} ${os.arch()}`,
    node: process.versions.node,
  };
}

/**
 * Runs NAME.ts with its args in a child Node (tsx), collects what it reported, and appends one
 * record to NAME.jsonl. A bench that fails or reports nothing records nothing.
 */
export function runBench(o: RunBenchOptions): RunBenchOutcome {
  const file = path.join(o.benchDir, `${o.name}.ts`);
  if (!/^[\w-]+$/.test(o.name) || !fs.existsSync(file)) {
    return { ok: false, exitCode: 2, message: `no bench ${path.relative(o.repoRoot, file)}; benches that record results: ${reportingBenches(o.benchDir).join(', ')}` };
  }
  const git = (...a: string[]) => execFileSync('git', a, { cwd: o.repoRoot, encoding: 'utf8' }).trim();
  const commit = git('rev-parse', 'HEAD');
  // Results appended by earlier runs do not make the code under test dirty.
  const dirty = git('status', '--porcelain', '--', '.', ':(exclude)bench-results', ':(exclude)docs/benchmarks.md') !== '';
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'loupe-bench-'));
  const resultFile = path.join(tmp, 'result.jsonl');
  const env: NodeJS.ProcessEnv = { ...process.env, [RESULT_ENV]: resultFile };
  // Benches never write into the user's ~/.config/loupe unless asked to.
  env.LOUPE_HOME ??= path.join(tmp, 'home');

  const date = new Date().toISOString();
  const loadBefore = os.loadavg();
  const t0 = performance.now();
  const res = spawnSync(process.execPath, ['--import', 'tsx', file, ...o.args], { cwd: o.repoRoot, env, stdio: o.stdio ?? 'inherit' });
  const durationS = Math.round((performance.now() - t0) / 100) / 10;
  const loadAfter = os.loadavg();
  const reported = fs.existsSync(resultFile) ? parseJsonLines<BenchResult>(fs.readFileSync(resultFile, 'utf8'), resultFile) : [];
  fs.rmSync(tmp, { recursive: true, force: true });

  if (res.status !== 0) return { ok: false, exitCode: res.status ?? 1, message: `${o.name} failed (${res.signal ?? `exit ${res.status}`}); nothing recorded` };
  if (reported.length === 0) {
    return { ok: false, exitCode: 1, message: `${o.name} reported no figures (it must call reportResult from test/bench/harness/report-result.ts); nothing recorded` };
  }
  const round2 = (xs: number[]) => xs.map((x) => Math.round(x * 100) / 100);
  const record: BenchRecord = {
    bench: o.name,
    commit,
    dirty,
    date,
    durationS,
    machine: machine(),
    load: { before: round2(loadBefore), after: round2(loadAfter) },
    args: o.args,
    ...mergeResults(reported),
  };
  fs.mkdirSync(o.resultsDir, { recursive: true });
  const out = path.join(o.resultsDir, `${o.name}.jsonl`);
  fs.appendFileSync(out, `${JSON.stringify(record)}\n`);
  return { ok: true, record, file: out };
}
