// The reference service: export generation speed and size, the live tail's events/s to 1 and
// to 4 concurrent SSE clients, backlog replay, and the time to the first event. Medians of 5
// (export: of 3). The service runs as its own process (`service/cli.ts`, as `npm run service`).
// Run: node --import tsx test/bench/service-bench.ts [exportDays=2, 0 to skip]
import fs from 'node:fs';
import path from 'node:path';
import { openDatabase } from '../../electron/core/db/duckdb';
import { loadScenario } from '../../service/scenario/load-scenario';
import { generateHistory } from '../../service/sim/generate-history';
import { tempDir } from '../support/make-parquet';
import { spawnService } from './spawn-service';
import { median, ms } from './stats';
import { openTail, type TailCounter } from './tail-client';
import { reportResult } from './harness/report-result';

const exportDays = Number(process.argv[2] ?? 2); // 0 skips the export figure
const root = tempDir('loupe-bench-svc-');
const sleep = (n: number) => new Promise((r) => setTimeout(r, n));
const k = (x: number) => `${Math.round(x).toLocaleString('en-US')}`;
const rows: Array<[string, string, string]> = [];
const note = (row: [string, string, string]) => (rows.push(row), console.log(row.join('  ·  ')));
const figures: Record<string, number | string> = {};

// 1. `export`: rows/s and bytes/row of the default scenario (what the sample workspace is).
if (exportDays > 0) {
  const scenario = await loadScenario();
  const rates: number[] = [];
  let size = { rows: 0, bytes: 0 };
  for (let i = 0; i < 3; i++) {
    const out = path.join(root, `export-${i}`);
    const db = await openDatabase();
    const t0 = performance.now();
    const r = await generateHistory(db.conn, scenario, { seed: 42, days: exportDays, out });
    const secs = (performance.now() - t0) / 1000;
    db.close();
    rates.push(r.rows / secs);
    size = { rows: r.rows, bytes: r.entries.reduce((s, e) => s + e.bytes, 0) };
    fs.rmSync(out, { recursive: true, force: true });
  }
  Object.assign(figures, { exportRowsPerS: median(rates), exportBytesPerRow: size.bytes / size.rows, exportDays });
  note([`export, ${exportDays} days of the default scenario (${k(size.rows)} rows, ${(size.bytes / 2 ** 20).toFixed(1)} MB zstd)`, `${k(median(rates))} rows/s`, `runs ${rates.map(k).join(', ')}; ${(size.bytes / size.rows).toFixed(0)} bytes/row`]);
}

// 2. The live tail at a fixed offered load: the default rate at --speed 3600 (one simulated
//    hour a second, ~650–2,200 requests/s over the daily cycle) and 14400 (×4), with 1 and
//    with 4 clients, each on its own service process. Over 5 windows of 3 s after a 2 s
//    warm-up: events each client received per second, and whether the simulator kept up
//    (simulated time advanced ÷ (real time × speed), from /v1/health; 1.00 = on time).
//    Past what it can generate, the simulator's catch-up loop holds the event loop and the
//    tail arrives in bursts with pauses of seconds (see service/README.md).
// An overloaded service can hold its event loop for many seconds: a health call that takes
// longer than 10 s counts as a stall (NaN) instead of hanging the benchmark.
const simNow = async (url: string) =>
  fetch(`${url}/v1/health`, { headers: { Authorization: 'Bearer op' }, signal: AbortSignal.timeout(10_000) })
    .then(async (r) => Date.parse(((await r.json()) as { now: string }).now))
    .catch(() => NaN);
for (const speed of [3600, 14400]) {
  for (const clients of [1, 4]) {
    const svc = await spawnService(['--data-dir', path.join(root, `tail-${speed}-${clients}`), '--speed', String(speed), '--token', 'op']);
    const tails: TailCounter[] = Array.from({ length: clients }, () => openTail(svc.url, 'op'));
    await sleep(2000);
    const perClient: number[] = [];
    const keptUp: number[] = [];
    for (let w = 0; w < 5; w++) {
      const before = tails.map((t) => t.count);
      const sim0 = await simNow(svc.url);
      const t0 = performance.now();
      await sleep(3000);
      const sim1 = await simNow(svc.url);
      const secs = (performance.now() - t0) / 1000;
      perClient.push(median(tails.map((t, i) => (t.count - before[i]) / secs)));
      keptUp.push((sim1 - sim0) / (secs * 1000 * speed));
    }
    const lost = tails.reduce((s, t) => s + t.lost(), 0);
    figures[`tail speed ${speed}, ${clients} client(s): events/s per client`] = median(perClient);
    figures[`tail speed ${speed}, ${clients} client(s): kept up`] = median(keptUp);
    figures[`tail speed ${speed}, ${clients} client(s): ids skipped`] = lost;
    note([`live tail, --speed ${speed}, ${clients} client${clients > 1 ? 's' : ''}`, `${k(median(perClient))} events/s per client`, `${k(median(perClient) * clients)} in all; windows ${perClient.map(k).join(', ')}; kept up ${median(keptUp).toFixed(2)}; ids skipped ${lost}`]);

    // 3. Replay: 4 clients reconnect 20,000 events back (a resume by cursor) and read the
    //    backlog while the simulator keeps generating. 5 runs.
    if (speed === 3600 && clients === 4) {
      const replay: number[] = [];
      const firsts: number[] = [];
      for (let run = 0; run < 5; run++) {
        const head = Math.max(...tails.map((t) => t.lastId ?? 0));
        const back = Math.max(0, head - 20_000);
        const t0 = performance.now();
        const readers = Array.from({ length: clients }, () => openTail(svc.url, 'op', { cursor: back, stopAfter: 20_000 }));
        await Promise.all(readers.map((r) => r.done));
        const secs = (performance.now() - t0) / 1000;
        replay.push(readers.reduce((s, r) => s + r.count, 0) / clients / secs);
        firsts.push(median(readers.map((r) => r.firstEventMs ?? NaN)));
      }
      Object.assign(figures, { replayEventsPerSPerClient: median(replay), replayFirstEventMs: median(firsts) });
      note([`replay 20,000 events from a cursor, ${clients} clients at once (--speed ${speed})`, `${k(median(replay))} events/s per client`, `runs ${replay.map(k).join(', ')}; connect → first event ${ms(median(firsts))}`]);
    }
    for (const t of tails) t.close();
    await svc.stop();
  }
}

// 4. Time to first event from a cold start: spawn the service, connect at the live head,
//    receive one request event (--speed 3600: one simulated hour per second). 5 runs.
{
  const starts: number[] = [];
  const firsts: number[] = [];
  const connects: number[] = [];
  for (let run = 0; run < 5; run++) {
    const t0 = performance.now();
    const svc = await spawnService(['--data-dir', path.join(root, `first-${run}`), '--speed', '3600', '--token', 'op']);
    starts.push(svc.startMs);
    const tail = openTail(svc.url, 'op', { stopAfter: 1 });
    await tail.done;
    firsts.push(performance.now() - t0);
    connects.push(tail.firstEventMs ?? NaN);
    await svc.stop();
  }
  Object.assign(figures, { coldStartListeningMs: median(starts), coldStartFirstEventMs: median(firsts) });
  note(['cold start: process spawn → "listening on"', ms(median(starts)), `runs ${starts.map(ms).join(', ')}`]);
  note(['cold start: process spawn → first tail event received (--speed 3600)', ms(median(firsts)), `connect → first event ${ms(median(connects))}`]);
}

console.log('\n| measure | median | detail |\n|---|---:|---|');
for (const [a, b, c] of rows) console.log(`| ${a} | ${b} | ${c} |`);
reportResult({ figures });
fs.rmSync(root, { recursive: true, force: true });
