// Cold start of browser mode to first paint: spawn `serve-cli` (core + DuckDB + HTTP server),
// wait for its URL, load the page in an already-running Chromium and read first-contentful-
// paint. Median of 5. Run: npm run build:renderer && node --import tsx test/bench/browser-cold-start.ts
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { chromium } from '@playwright/test';
import { median, ms } from './stats';
import { reportResult } from './harness/report-result';

const exe = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
const browser = await chromium.launch({ executablePath: exe, args: ['--no-sandbox', '--disable-gpu'] });

const serverTimes: number[] = [];
const paintTimes: number[] = [];
const totals: number[] = [];
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'electron/serve-cli.ts', '--port', '0'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const m = /(http:\/\/\S+)/.exec(out);
      if (m) resolve(m[1]);
    });
    child.on('exit', () => reject(new Error(`server exited: ${out}`)));
  });
  const tReady = performance.now();
  const page = await browser.newPage();
  await page.goto(url);
  const fcp = await page.evaluate(
    () =>
      new Promise<number>((resolve) => {
        new PerformanceObserver((list) => {
          const e = list.getEntriesByName('first-contentful-paint')[0];
          if (e) resolve(e.startTime);
        }).observe({ type: 'paint', buffered: true });
      }),
  );
  await page.getByRole('heading', { name: 'Data' }).waitFor();
  serverTimes.push(tReady - t0);
  paintTimes.push(fcp);
  totals.push(tReady - t0 + fcp);
  await page.close();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}
await browser.close();
console.log(`browser mode cold start: server ready median ${ms(median(serverTimes))}, page first paint median ${ms(median(paintTimes))}, total median ${ms(median(totals))}`);
console.log(`runs (total): ${totals.map(ms).join(', ')}`);
reportResult({ figures: { serverReadyMs: median(serverTimes), firstPaintMs: median(paintTimes), totalMs: median(totals), totalRunsMs: totals } });
