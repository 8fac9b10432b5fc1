/**
 * Core memory on a long live tail: the reference service (own process, tail-steady scenario at
 * RATE events/s, speed 1) streams into browser mode's core (own process, `electron/serve-cli.ts`,
 * as `npm run web` runs it) with an empty workspace open. The core's RSS (VmRSS of its process)
 * is sampled every EVERY seconds; prints the series against the events ingested, and the
 * least-squares slope of RSS over time and over events after the warm-up (the first third), the
 * medians per five minutes, and the slope from minute 10 on. Each sample also splits RSS by who
 * mapped it (smaps.ts), so a creep can be told apart: glibc's heaps (DuckDB's C++ objects, Node's
 * mallocs) or the other anonymous memory (V8's heap, DuckDB's jemalloc).
 *   node --import tsx test/bench/tail-rss-bench.ts [MINUTES=10] [RATE=1000] [EVERY_S=30]
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TailSnapshot } from '../../shared/live';
import { tempDir } from '../support/make-parquet';
import { startWebProcess } from '../support/web-process';
import { rssByKind } from './smaps';
import { median } from './stats';
import { reportResult } from './harness/report-result';
import { spawnService } from './spawn-service';

const MINUTES = Number(process.argv[2] ?? 10);
const RATE = Number(process.argv[3] ?? 1000);
const EVERY_S = Number(process.argv[4] ?? 30);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

function slope(xs: number[], ys: number[]): number {
  const n = xs.length;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  return sxx ? sxy / sxx : 0;
}

const svc = await spawnService(['--scenario', path.join(root, 'test/fixtures/scenarios/tail-steady.yaml'), '--rate', String(RATE), '--speed', '1', '--data-dir', tempDir('loupe-bench-rss-svc-'), '--token', 'tok']);
const core = await startWebProcess();
const pid = core.child.pid!;
try {
  await core.call('openWorkspace', { dir: tempDir('loupe-bench-rss-ws-') });
  await core.call('serviceConnection', { set: { url: svc.url, token: 'tok' } });
  const idleRss = rssMb(pid);
  await core.call('tailStart', { from: 'head' });
  const t0 = Date.now();
  const samples: Array<{ s: number; rss: number; ingested: number; glibc: number }> = [];
  console.log(`core pid ${pid}, RSS with the workspace open before the tail: ${idleRss.toFixed(0)} MB; ${MINUTES} min at ${RATE} events/s, a sample every ${EVERY_S} s`);
  // RSS split by who mapped it (smaps.ts): glibc's heaps, other anonymous memory (V8, DuckDB's jemalloc), files.
  console.log('   t s   RSS MB   ingested   events/s   glibc MB   other anon MB   files MB');
  for (let k = 1; k * EVERY_S <= MINUTES * 60; k++) {
    await new Promise((r) => setTimeout(r, t0 + k * EVERY_S * 1000 - Date.now()));
    const snap = await core.call<TailSnapshot>('tailStatus', {});
    const kinds = rssByKind(pid);
    const s = { s: Math.round((Date.now() - t0) / 1000), rss: rssMb(pid), ingested: snap.ingested, glibc: kinds.glibc };
    samples.push(s);
    console.log(
      `${String(s.s).padStart(6)} ${s.rss.toFixed(0).padStart(8)} ${String(s.ingested).padStart(10)} ${String(Math.round(snap.eventsPerSecond)).padStart(10)} ${kinds.glibc.toFixed(0).padStart(10)} ${kinds.otherAnon.toFixed(0).padStart(15)} ${kinds.files.toFixed(0).padStart(10)}`,
    );
  }
  const stop = await core.call<TailSnapshot>('tailStop', {});
  const warm = samples.slice(Math.floor(samples.length / 3));
  const perMin = slope(warm.map((x) => x.s / 60), warm.map((x) => x.rss));
  const per100k = slope(warm.map((x) => x.ingested / 100_000), warm.map((x) => x.rss));
  const rss = warm.map((x) => x.rss);
  console.log(`after warm-up (t ≥ ${warm[0].s} s, ${warm.length} samples): RSS ${Math.min(...rss).toFixed(0)}–${Math.max(...rss).toFixed(0)} MB, slope ${perMin.toFixed(2)} MB/min = ${per100k.toFixed(2)} MB per 100k events`);
  // The question is whether RSS keeps growing once the tail is warm: medians per five
  // minutes, and the slope from minute 10 on (its checkpoint spikes included).
  const fiveMinuteMedians = (of: (x: (typeof samples)[number]) => number): string => {
    const out: string[] = [];
    for (let from = 0; from < MINUTES * 60; from += 300) {
      const w = samples.filter((x) => x.s > from && x.s <= from + 300).map(of);
      if (w.length) out.push(median(w).toFixed(0));
    }
    return out.join(', ');
  };
  console.log(`medians per five minutes: ${fiveMinuteMedians((x) => x.rss)} MB; of them glibc's heaps: ${fiveMinuteMedians((x) => x.glibc)} MB`);
  const late = samples.filter((x) => x.s >= 600);
  if (late.length >= 4) {
    const lateRss = late.map((x) => x.rss);
    console.log(`from minute 10 (${late.length} samples): RSS ${Math.min(...lateRss).toFixed(0)}–${Math.max(...lateRss).toFixed(0)} MB, slope ${slope(late.map((x) => x.s / 60), lateRss).toFixed(2)} MB/min = ${slope(late.map((x) => x.ingested / 100_000), lateRss).toFixed(2)} MB per 100k events`);
    // A checkpoint's transient spike (4 samples of 101 in an hour, up to 2.7× the rest) tilts a fit; the
    // same fit without the samples above 1.5 × the median says whether the floor moves.
    const cut = 1.5 * median(lateRss);
    const calm = late.filter((x) => x.rss <= cut);
    console.log(`  without the ${late.length - calm.length} checkpoint spikes (> ${cut.toFixed(0)} MB): slope ${slope(calm.map((x) => x.s / 60), calm.map((x) => x.rss)).toFixed(2)} MB/min = ${slope(calm.map((x) => x.ingested / 100_000), calm.map((x) => x.rss)).toFixed(2)} MB per 100k events`);
  }
  console.log(`ingested ${stop.ingested} events (${(stop.ingested / ((Date.now() - t0) / 1000)).toFixed(0)}/s), duplicates ${stop.duplicates}, quarantined ${stop.quarantined}, reconnects ${stop.reconnects}`);
  const perFive = (of: (x: (typeof samples)[number]) => number) => {
    const out: number[] = [];
    for (let from = 0; from < MINUTES * 60; from += 300) {
      const w = samples.filter((x) => x.s > from && x.s <= from + 300).map(of);
      if (w.length) out.push(median(w));
    }
    return out;
  };
  reportResult({
    figures: {
      minutes: MINUTES,
      ratePerS: RATE,
      events: stop.ingested,
      duplicates: stop.duplicates,
      quarantined: stop.quarantined,
      rssMedianPer5MinMb: perFive((x) => x.rss),
      glibcMedianPer5MinMb: perFive((x) => x.glibc),
      slopeAfterWarmupMbPerMin: perMin,
    },
  });
} finally {
  core.child.kill('SIGTERM');
  await svc.stop();
}
