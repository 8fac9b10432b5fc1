import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readBenchResults, type BenchRecord } from '../../bench/harness/bench-record';
import { runBench } from '../../bench/harness/run-bench';
import { tempDir } from '../../support/make-parquet';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const reportResult = path.join(repo, 'test', 'bench', 'harness', 'report-result.ts');

/** A folder with one bench that reports its args and a peer, and two that misbehave. */
function benchFolder(): string {
  const dir = tempDir('loupe-benches-');
  fs.writeFileSync(
    path.join(dir, 'tiny-bench.ts'),
    `import { reportResult } from ${JSON.stringify(reportResult)};
const n = Number(process.argv[2]);
console.log('tiny bench', n);
reportResult({ figures: { n, home: process.env.LOUPE_HOME ? 'set' : 'unset' } });
reportResult({ figures: { doubledMs: n * 2 }, peers: { 'plain loop': { doubledMs: n * 3 } } });
`,
  );
  fs.writeFileSync(path.join(dir, 'silent-bench.ts'), `console.log('prints but reports nothing');\n`);
  fs.writeFileSync(path.join(dir, 'failing-bench.ts'), `import { reportResult } from ${JSON.stringify(reportResult)};\nreportResult({ figures: { x: 1 } });\nprocess.exit(3);\n`);
  return dir;
}

describe('npm run bench', () => {
  it('appends one record per run with the commit, machine, load, args, figures and peers', () => {
    const benchDir = benchFolder();
    const resultsDir = tempDir('loupe-bench-results-');
    const opts = { benchDir, resultsDir, repoRoot: repo, stdio: 'pipe' as const };
    const first = runBench({ ...opts, name: 'tiny-bench', args: ['21'] });
    const second = runBench({ ...opts, name: 'tiny-bench', args: ['5'] });
    expect(first.ok && second.ok).toBe(true);

    const records = readBenchResults(resultsDir).get('tiny-bench')! as BenchRecord[];
    expect(records).toHaveLength(2);
    const r = records[0];
    expect(r).toMatchObject({
      bench: 'tiny-bench',
      args: ['21'],
      figures: { n: 21, home: 'set', doubledMs: 42 },
      peers: { 'plain loop': { doubledMs: 63 } },
    });
    expect(r.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(typeof r.dirty).toBe('boolean');
    expect(Date.parse(r.date)).toBeGreaterThan(Date.parse('2026-01-01'));
    expect(r.machine.cpus).toBeGreaterThan(0);
    expect(r.machine.memGiB).toBeGreaterThan(0);
    expect(r.load.before).toHaveLength(3);
    expect(r.load.after).toHaveLength(3);
    expect(records[1].figures.n).toBe(5);
  });

  it('records nothing for a bench that reports nothing, fails, or does not exist', () => {
    const benchDir = benchFolder();
    const resultsDir = tempDir('loupe-bench-results-');
    const opts = { benchDir, resultsDir, repoRoot: repo, stdio: 'pipe' as const, args: [] };
    const silent = runBench({ ...opts, name: 'silent-bench' });
    expect(silent).toMatchObject({ ok: false, exitCode: 1, message: expect.stringContaining('reported no figures') });
    expect(runBench({ ...opts, name: 'failing-bench' })).toMatchObject({ ok: false, exitCode: 3 });
    const missing = runBench({ ...opts, name: 'nope' });
    expect(missing).toMatchObject({ ok: false, exitCode: 2, message: expect.stringContaining('tiny-bench') });
    expect(runBench({ ...opts, name: '../escape' })).toMatchObject({ ok: false, exitCode: 2 });
    expect(fs.readdirSync(resultsDir)).toEqual([]);
  });
});
