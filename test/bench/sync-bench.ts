// Sync throughput of electron/core/exports/sync-exports.ts against the reference service on
// 127.0.0.1, with plain `fetch` baselines measured in the same run: a full sync of N hourly
// partitions of the 14-day sample, a no-op re-sync, and a sync resumed after an abort at half
// way. The service runs as its own process with a frozen clock (--speed 0). Median of 5.
// Needs the sample (npm start, or electron/sample-data.ts ensureSampleData) under sample-data/.
// Run: node --import tsx test/bench/sync-bench.ts [partitions=336]
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { syncExports } from '../../electron/core/exports/sync-exports';
import { runPool } from '../../electron/core/exports/pool';
import { sampleServiceDir } from '../../electron/sample-data';
import { readManifest, writeManifest } from '../../service/exports/write-partitions';
import type { ExportEntry } from '../../shared/service-contract';
import { tempDir } from '../support/make-parquet';
import { spawnService } from './spawn-service';
import { median, ms } from './stats';
import { reportResult } from './harness/report-result';

const sample = path.join(sampleServiceDir, 'exports');
const all = await readManifest(sample);
if (all.length === 0) throw new Error(`no sample under ${sample}: run npm start once (or ensureSampleData)`);
const n = Math.min(all.length, Number(process.argv[2] ?? all.length));
const root = tempDir('loupe-bench-sync-');

// The service's data dir: the first n partitions of the sample and a manifest naming only them.
const served: ExportEntry[] = all.slice(0, n);
for (const e of served) {
  const rel = path.join(`date=${e.id.slice(0, 10)}`, `hour=${e.id.slice(11)}`, 'part-0.parquet');
  await fsp.mkdir(path.join(root, 'svc', 'exports', path.dirname(rel)), { recursive: true });
  await fsp.copyFile(path.join(sample, rel), path.join(root, 'svc', 'exports', rel));
}
await writeManifest(path.join(root, 'svc', 'exports'), served);
const totalBytes = served.reduce((s, e) => s + e.bytes, 0);
const mb = totalBytes / 2 ** 20;
console.log(`${n} partitions, ${mb.toFixed(1)} MB, ${served.reduce((s, e) => s + e.rows, 0).toLocaleString('en-US')} rows`);

const svc = await spawnService(['--data-dir', path.join(root, 'svc'), '--speed', '0', '--token', 'tok']);
const auth = { Authorization: 'Bearer tok' };
let dirs = 0;
const freshDir = () => path.join(root, `client-${dirs++}`);
const drop = (dir: string) => fs.rmSync(dir, { recursive: true, force: true });

/** The baseline: GET every file with fetch and write it, `lanes` at a time; no hashing, no resume. */
async function plainFetch(dir: string, lanes: number): Promise<void> {
  const list = ((await (await fetch(`${svc.url}/v1/exports`, { headers: auth })).json()) as { exports: ExportEntry[] }).exports;
  await runPool(list, lanes, async (e) => {
    const res = await fetch(`${svc.url}/v1/exports/${encodeURIComponent(e.id)}`, { headers: auth });
    if (res.status !== 200) throw new Error(`${e.id}: ${res.status}`);
    const file = path.join(dir, `date=${e.id.slice(0, 10)}`, `hour=${e.id.slice(11)}`, 'part-0.parquet');
    await fsp.mkdir(path.dirname(file), { recursive: true });
    await fsp.writeFile(file, new Uint8Array(await res.arrayBuffer()));
  });
}

const times: Record<string, number[]> = { seq: [], par: [], sync: [], noop: [], resumed: [] };
const resumedBytes: number[] = [];
for (let run = 0; run < 5; run++) {
  for (const [key, lanes] of [['seq', 1], ['par', 3]] as const) {
    const dir = freshDir();
    const t0 = performance.now();
    await plainFetch(dir, lanes);
    times[key].push(performance.now() - t0);
    drop(dir);
  }

  const dir = freshDir();
  let t0 = performance.now();
  const full = await syncExports({ serviceUrl: svc.url, token: 'tok', exportsDir: dir });
  times.sync.push(performance.now() - t0);
  if (full.downloaded !== n || full.bytes !== totalBytes || full.failed.length) throw new Error(`full sync incomplete: ${JSON.stringify(full)}`);
  t0 = performance.now();
  const noop = await syncExports({ serviceUrl: svc.url, token: 'tok', exportsDir: dir });
  times.noop.push(performance.now() - t0);
  if (noop.downloaded !== 0 || noop.skipped !== n) throw new Error(`re-sync downloaded ${noop.downloaded}`);
  drop(dir);

  // Abort at half way, then time the sync that finishes the job.
  const rdir = freshDir();
  const ac = new AbortController();
  await syncExports({ serviceUrl: svc.url, token: 'tok', exportsDir: rdir, signal: ac.signal, progressEveryMs: 0, onProgress: (p) => p.bytesDone > totalBytes / 2 && ac.abort() }).catch(
    (err: { code?: string }) => {
      if (err.code !== 'cancelled') throw err;
    },
  );
  t0 = performance.now();
  const resumed = await syncExports({ serviceUrl: svc.url, token: 'tok', exportsDir: rdir });
  times.resumed.push(performance.now() - t0);
  resumedBytes.push(resumed.bytes);
  if (resumed.failed.length || resumed.downloaded + resumed.skipped !== n) throw new Error(`resumed sync incomplete: ${JSON.stringify(resumed)}`);
  drop(rdir);
}
await svc.stop();

const rate = (t: number, bytes = totalBytes) => `${(bytes / 2 ** 20 / (t / 1000)).toFixed(0)} MB/s`;
const base = median(times.seq);
const line = (name: string, t: number[], extra = '') =>
  console.log(`| ${name} | ${ms(median(t))} | ${extra || rate(median(t))} | ${(base / median(t)).toFixed(2)}× | ${t.map(ms).join(', ')} |`);
console.log(`\n${n} partitions (${mb.toFixed(1)} MB) from the reference service on 127.0.0.1, median of 5\n`);
console.log('| | time | throughput | speed vs plain fetch, 1 at a time | runs |\n|---|---:|---:|---:|---|');
line('plain fetch → file, 1 at a time (baseline)', times.seq);
line('plain fetch → file, 3 at a time', times.par);
line('syncExports, full (3 at a time, sha256, temp + rename)', times.sync);
line('syncExports, no-op re-sync', times.noop, `${n} skipped`);
line(`syncExports, resumed after an abort at half way`, times.resumed, `${rate(median(times.resumed), median(resumedBytes))} (${(median(resumedBytes) / 2 ** 20).toFixed(1)} MB left)`);
const mbPerS = (t: number, bytes = totalBytes) => bytes / 2 ** 20 / (t / 1000);
reportResult({
  figures: {
    partitions: n,
    mb,
    fullMs: median(times.sync),
    fullMbPerS: mbPerS(median(times.sync)),
    speedVsSequentialFetch: base / median(times.sync),
    noopMs: median(times.noop),
    resumedMs: median(times.resumed),
    resumedLeftMb: median(resumedBytes) / 2 ** 20,
  },
  peers: {
    'plain fetch, 1 at a time': { fullMs: base, fullMbPerS: mbPerS(base), speedVsSequentialFetch: 1 },
    'plain fetch, 3 at a time': { fullMs: median(times.par), fullMbPerS: mbPerS(median(times.par)), speedVsSequentialFetch: base / median(times.par) },
  },
});
fs.rmSync(root, { recursive: true, force: true });
