/**
 * End-to-end latency of the live tail: from the reference service emitting an event to the
 * Live view showing it, at RATE events/s (tail-steady scenario with its rate set to RATE, speed 1).
 *
 * - The service runs in this process; `onTailEvent` gives each event's wall-clock emit time
 *   (`emittedAt`, not part of the record).
 * - The core runs as browser mode in its own process (`electron/serve-cli.ts`, as `npm run web`),
 *   with an empty workspace open; Debian's Chromium (headless) shows the Live view.
 * - In the page, a MutationObserver records performance.timeOrigin + performance.now() when a
 *   row (`[data-request-id]`) is first added to the DOM, and a wrapper on WebSocket records when
 *   each `tail` snapshot arrives and which request ids it carries.
 *
 * The table is virtualised: of a snapshot's rows only the newest ~24 are in the DOM, the rest
 * are in the list a scroll away. So two figures: "rendered" (rows that entered the DOM, at the
 * time they did) and "all" (every row of a snapshot at the time the first of its rows entered
 * the DOM — the same React commit put them all in the table). Each run starts the tail, waits
 * WARM seconds, measures the events emitted in the next SECONDS seconds, and stops the tail.
 *   node --import tsx test/bench/tail-latency-bench.ts [RUNS=3] [SECONDS=30] [RATE=200]
 */
import { chromium } from '@playwright/test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../../service/scenario/load-scenario';
import { startService } from '../../service/server';
import { tempDir } from '../support/make-parquet';
import { startWebProcess } from '../support/web-process';
import { median } from './stats';
import { reportResult } from './harness/report-result';

const RUNS = Number(process.argv[2] ?? 3);
const SECONDS = Number(process.argv[3] ?? 30);
const RATE = Number(process.argv[4] ?? 200);
const WARM_S = 5;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

interface PageRecord {
  messages: Array<{ recv: number; ids: string[] }>;
  seen: Record<string, number>;
}
declare global {
  interface Window {
    __bench: PageRecord;
  }
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};
const summary = (xs: number[]) => (xs.length ? { p50: pct(xs, 50), p95: pct(xs, 95), max: Math.max(...xs), n: xs.length } : { p50: NaN, p95: NaN, max: NaN, n: 0 });
const fmt = (s: { p50: number; p95: number; max: number; n: number }) => `p50 ${s.p50.toFixed(0)} ms, p95 ${s.p95.toFixed(0)} ms, max ${s.max.toFixed(0)} ms (n ${s.n})`;

/** Runs in the page before the app: records snapshot arrivals and row insertions. */
const PAGE_SCRIPT = `
  window.__bench = { messages: [], seen: {} };
  const now = () => performance.timeOrigin + performance.now();
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(url, protocols) {
      super(url, protocols);
      this.addEventListener('message', (ev) => {
        const t = now();
        const m = JSON.parse(String(ev.data));
        if (m.event === 'tail' && m.payload.rows && m.payload.rows.length) window.__bench.messages.push({ recv: t, ids: m.payload.rows.map((r) => r.request_id) });
      });
    }
  };
  new MutationObserver((list) => {
    const t = now();
    for (const m of list)
      for (const n of m.addedNodes) {
        if (!(n instanceof HTMLElement)) continue;
        const rows = n.matches('[data-request-id]') ? [n] : Array.from(n.querySelectorAll('[data-request-id]'));
        for (const r of rows) window.__bench.seen[r.dataset.requestId] ??= t;
      }
  }).observe(document, { childList: true, subtree: true });
`;

const scenario = { ...(await loadScenario(path.join(root, 'test/fixtures/scenarios/tail-steady.yaml'))), rate: RATE };
const svc = await startService({ scenario, dataDir: tempDir('loupe-bench-latency-svc-'), speed: 1, tokens: { tok: 'viewer' }, heartbeatMs: 1000 });
const emitted = new Map<string, number>();
svc.onTailEvent((e) => {
  const m = /"request_id":"([^"]+)"/.exec(e.data);
  if (m) emitted.set(m[1], e.emittedAt);
});
const core = await startWebProcess();
const browser = await chromium.launch({ executablePath: process.env.LOUPE_CHROMIUM ?? '/usr/bin/chromium', args: ['--no-sandbox', '--headless', '--disable-gpu'] });
const results: Array<{ rendered: ReturnType<typeof summary>; all: ReturnType<typeof summary>; toPage: ReturnType<typeof summary>; missing: number; events: number }> = [];
try {
  await core.call('openWorkspace', { dir: tempDir('loupe-bench-latency-ws-') });
  await core.call('serviceConnection', { set: { url: svc.url, token: 'tok' } });
  const page = await browser.newPage();
  // As source text: tsx's esbuild would wrap named functions in a helper the page lacks.
  await page.addInitScript({ content: PAGE_SCRIPT });
  await page.goto(core.url + `/?token=${core.token}`);
  // The shortcut works once the app has mounted: wait for its first view, then open Live.
  await page.locator('h1').first().waitFor({ timeout: 30_000 });
  await page.keyboard.press('Alt+3');
  await page.getByRole('heading', { name: 'Live', level: 1 }).waitFor();

  for (let run = 0; run < RUNS; run++) {
    await page.getByRole('button', { name: 'Start live tail' }).click();
    await page.getByTestId('live-state').filter({ hasText: /^live$/ }).waitFor({ timeout: 30_000 });
    await page.waitForTimeout(WARM_S * 1000);
    const w0 = Date.now();
    await page.evaluate(() => {
      window.__bench.messages = [];
      window.__bench.seen = {};
    });
    await page.waitForTimeout(SECONDS * 1000);
    const w1 = Date.now();
    await page.waitForTimeout(3000); // let the window's last events arrive
    const rec = await page.evaluate(() => window.__bench);
    await page.getByRole('button', { name: 'Stop' }).click();
    await page.getByRole('button', { name: 'Start live tail' }).waitFor();

    if (process.env.BENCH_DEBUG) console.log(`page: ${rec.messages.length} tail snapshots with rows, ${Object.keys(rec.seen).length} rows rendered; service emitted ${emitted.size}`);
    const batchOf = new Map<string, { recv: number; shown: number | null }>();
    for (const msg of rec.messages) {
      const times = msg.ids.map((id) => rec.seen[id]).filter((t): t is number => t != null);
      const b = { recv: msg.recv, shown: times.length ? Math.min(...times) : null };
      for (const id of msg.ids) batchOf.set(id, b);
    }
    const rendered: number[] = [];
    const all: number[] = [];
    const toPage: number[] = [];
    let missing = 0;
    let events = 0;
    for (const [id, t] of emitted) {
      if (t < w0 || t > w1) continue;
      events++;
      const b = batchOf.get(id);
      if (rec.seen[id] != null) rendered.push(rec.seen[id] - t);
      if (!b || b.shown == null) {
        missing++;
        continue;
      }
      all.push(b.shown - t);
      toPage.push(b.recv - t);
    }
    emitted.clear();
    const r = { rendered: summary(rendered), all: summary(all), toPage: summary(toPage), missing, events };
    results.push(r);
    console.log(`run ${run + 1}: ${events} events emitted in ${SECONDS} s; all rows ${fmt(r.all)}; rendered rows ${fmt(r.rendered)}; snapshot reaches the page ${fmt(r.toPage)}; not shown ${missing}`);
  }
} finally {
  await browser.close();
  core.child.kill('SIGTERM');
  await svc.close();
}
const med = (f: (r: (typeof results)[number]) => number) => median(results.map(f)).toFixed(0);
console.log(`median of ${RUNS} runs at ${RATE} events/s, emit → row in the Live view:`);
console.log(`  all rows (snapshot's first render): p50 ${med((r) => r.all.p50)} ms, p95 ${med((r) => r.all.p95)} ms, max ${med((r) => r.all.max)} ms (target p95 ≤ 500 ms)`);
console.log(`  rendered rows only:                 p50 ${med((r) => r.rendered.p50)} ms, p95 ${med((r) => r.rendered.p95)} ms, max ${med((r) => r.rendered.max)} ms`);
console.log(`  of which emit → snapshot in the page: p50 ${med((r) => r.toPage.p50)} ms, p95 ${med((r) => r.toPage.p95)} ms; rows never shown: ${med((r) => r.missing)}`);
const medOf = (f: (r: (typeof results)[number]) => number) => median(results.map(f));
reportResult({
  figures: {
    runs: RUNS,
    seconds: SECONDS,
    ratePerS: RATE,
    allRowsP50Ms: medOf((r) => r.all.p50),
    allRowsP95Ms: medOf((r) => r.all.p95),
    allRowsMaxMs: medOf((r) => r.all.max),
    renderedRowsP50Ms: medOf((r) => r.rendered.p50),
    renderedRowsP95Ms: medOf((r) => r.rendered.p95),
    toPageP50Ms: medOf((r) => r.toPage.p50),
    toPageP95Ms: medOf((r) => r.toPage.p95),
    rowsNeverShown: medOf((r) => r.missing),
  },
});
