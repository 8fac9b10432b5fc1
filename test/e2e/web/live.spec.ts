import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { openDatabase } from '../../../electron/core/db/duckdb';
import { loadScenario } from '../../../service/scenario/load-scenario';
import { generateHistory } from '../../../service/sim/generate-history';
import { startService, type RunningService } from '../../../service/server';
import { tempDir } from '../../support/make-parquet';
import { expect, test } from '../support/web-app';

const scenarioFile = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'scenarios', 'live-judge-regression.yaml');
let svc: RunningService | null = null;
test.afterEach(async () => {
  await svc?.close();
  svc = null;
});

test('the Live view shows the stream rate and raises the judge alert for the regressed version', async ({ app, web }) => {
  test.setTimeout(240_000);
  const scenario = await loadScenario(scenarioFile);
  // A steady deployment listed before the regressed one: the notification must open assistant,
  // not the Deployments view's first deployment. It serves the summarize route (traffic.ts).
  const assistant = scenario.deployments[0];
  scenario.deployments.unshift({
    ...assistant,
    id: 'summarizer',
    versions: [{ ...assistant.versions[0], version: 's1' }],
    traffic: [{ at: '0h', weights: { s1: 1 } }],
  });
  // Six exported hours are the baseline; the live run starts after them.
  const dir = tempDir('loupe-e2e-live-');
  const db = await openDatabase();
  await generateHistory(db.conn, scenario, { seed: 42, days: 0.25, out: path.join(dir, 'exports') });
  db.close();
  // 60× real time: v2's judge drop starts 10 s into the run.
  svc = await startService({ scenario, dataDir: tempDir('loupe-e2e-live-svc-'), speed: 60, tokens: { tok: 'viewer' }, heartbeatMs: 1000 });
  const h = web.core.handlers;
  await h.openWorkspace({ dir });
  await h.serviceConnection({ set: { url: svc.url, token: 'tok' } });

  await app.keyboard.press('Alt+3');
  await expect(app.getByRole('heading', { name: 'Live', level: 1 })).toBeVisible();
  await app.getByRole('button', { name: 'Start live tail' }).click();
  await expect(app.getByTestId('live-state')).toHaveText('live', { timeout: 30_000 });
  await expect.poll(async () => Number((await app.getByTestId('live-rate').textContent())!.replace(/,/g, '')), { timeout: 30_000 }).toBeGreaterThan(100);
  await expect(app.getByRole('table', { name: 'Newest requests' }).getByRole('row').nth(1)).toBeVisible();
  // The charts update in place as the numbers move: the same drawing, new marks.
  const judgeSvg = await app.getByRole('img', { name: 'Judge mean per version, last hour' }).locator('svg').elementHandle({ timeout: 30_000 });
  // A short digest of the drawing, so a failure prints two numbers rather than two SVGs.
  const digest = () => judgeSvg!.evaluate((n) => [...n.innerHTML].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 0));
  const drawn = await digest();
  await expect.poll(digest, { timeout: 30_000 }).not.toBe(drawn);
  expect(await judgeSvg!.evaluate((n) => n.isConnected)).toBe(true);
  // The core's memory, and how far it moved since the tail started.
  await expect(app.getByTestId('live-memory')).toHaveText(/^[\d,]+ MB \([+−][\d,]+ since start\)$/);

  const alert = app.getByRole('alert').filter({ hasText: 'Judge mean of v2 (assistant) dropped' });
  await expect(alert).toBeVisible({ timeout: 120_000 });
  await expect(app.getByTestId('live-judge-flagged')).toContainText('v2 (assistant) below its baseline');
  await expect(app.getByTestId('live-judge-evidence')).toContainText('v2 (assistant) 100 %');
  await expect(app.getByRole('img', { name: 'Judge mean per version, last hour' })).toBeVisible();

  // The notification stays on other views, and opens the deployment it is about.
  await app.keyboard.press('Alt+6');
  await expect(app.getByRole('heading', { name: 'Data', level: 1 })).toBeVisible();
  await alert.getByRole('button', { name: 'Open deployment assistant' }).click();
  await expect(app.getByRole('heading', { name: 'Deployments', level: 1 })).toBeVisible();
  const list = app.getByRole('list', { name: 'Deployments list' });
  await expect(list.getByRole('button').first()).toContainText('summarizer');
  await expect(list.getByRole('button', { name: /assistant/ })).toHaveAttribute('aria-current', 'true');
  await expect(alert).toHaveCount(0);
  // The view computes its evidence on the core's connection; let it finish, so the next test's
  // calls do not queue behind it.
  await expect(app.getByRole('region', { name: 'Evidence' }).or(app.locator('.error-note')).first()).toBeVisible({ timeout: 120_000 });
  await h.tailStop({});
});

test('a tail whose service is down says why it is reconnecting, and keeps trying until stopped', async ({ app, web }) => {
  // A port nothing listens on.
  const closed = await startService({ scenario: await loadScenario(scenarioFile), dataDir: tempDir('loupe-e2e-live-down-'), speed: 1, tokens: { tok: 'viewer' } });
  const url = closed.url;
  await closed.close();
  const h = web.core.handlers;
  await h.openWorkspace({ dir: tempDir('loupe-e2e-live-down-ws-') });
  await h.serviceConnection({ set: { url, token: 'tok' } });

  await app.keyboard.press('Alt+3');
  await app.getByRole('button', { name: 'Start live tail' }).click();
  await expect(app.getByTestId('live-state')).toHaveText('reconnecting', { timeout: 30_000 });
  await expect(app.getByTestId('live-retry')).toContainText(/Reconnecting: fetch failed: connect ECONNREFUSED 127\.0\.0\.1:\d+ \(attempt \d+, next try at /);
  await app.getByRole('button', { name: 'Stop' }).click();
  await expect(app.getByTestId('live-state')).toHaveText('stopped');
  await expect(app.getByTestId('live-retry')).toHaveCount(0);
});

test('the newest requests: pause holds them back, a filter narrows them, a scrolled table stays put, Enter opens a request', async ({ app, web }) => {
  test.setTimeout(120_000);
  const steady = await loadScenario(path.join(path.dirname(scenarioFile), 'tail-steady.yaml'));
  // 20 requests/s simulated at 10×: 200 events/s.
  svc = await startService({ scenario: steady, dataDir: tempDir('loupe-e2e-live-table-svc-'), speed: 10, tokens: { tok: 'viewer' }, heartbeatMs: 1000 });
  const h = web.core.handlers;
  await h.openWorkspace({ dir: tempDir('loupe-e2e-live-table-') });
  await h.serviceConnection({ set: { url: svc.url, token: 'tok' } });
  await app.keyboard.press('Alt+3');
  await app.getByRole('button', { name: 'Start live tail' }).click();
  const table = app.getByRole('table', { name: 'Newest requests' });
  const rows = table.locator('[data-request-id]');
  await expect.poll(() => table.getAttribute('aria-rowcount').then(Number), { timeout: 30_000 }).toBeGreaterThan(200);

  // Pause: the table holds still while the newcomers wait; Resume puts them on top.
  await app.getByRole('button', { name: 'Pause' }).click();
  const top = await rows.first().getAttribute('data-request-id');
  const resume = app.getByRole('button', { name: /^Resume \((\d+) waiting\)$/ });
  await expect.poll(async () => Number(/\((\d+) waiting\)/.exec((await resume.textContent()) ?? '')?.[1] ?? 0), { timeout: 10_000 }).toBeGreaterThan(50);
  await expect(rows.first()).toHaveAttribute('data-request-id', top!);
  await resume.click();
  await expect(rows.first()).not.toHaveAttribute('data-request-id', top!);

  // Scrolled down, the rows in view stay where they are while new ones arrive above.
  const scroller = table.locator('div[style*="overflow: auto"]');
  // Scroll, let the virtualiser draw, then take the top row in view and its place in one look.
  const anchor = await scroller.evaluate(async (el) => {
    el.scrollTop = 20 * 26;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const top = el.getBoundingClientRect().y;
    const inView = [...el.querySelectorAll('[data-request-id]')].map((r) => ({ id: r.getAttribute('data-request-id')!, y: r.getBoundingClientRect().y })).filter((r) => r.y >= top);
    return inView.sort((a, b) => a.y - b.y)[0];
  });
  const placeOf = (id: string) => scroller.evaluate((el, id) => el.querySelector(`[data-request-id="${id}"]`)?.getBoundingClientRect().y ?? null, id);
  // Rows keep arriving above (counted by the row count until the 2,000-row window is full, so
  // watched here through what sits above the anchor instead): at least 20 more, and it has not moved.
  const above = () => scroller.evaluate((el) => el.scrollTop);
  const start = await above();
  await expect.poll(above, { timeout: 10_000 }).toBeGreaterThan(start + 20 * 26);
  expect(Math.abs((await placeOf(anchor.id))! - anchor.y)).toBeLessThan(2);

  // A filter on one slice value: every row shown has it.
  const route = (await rows.first().getByRole('cell').nth(3).textContent())!;
  await app.getByLabel('Filter dimension').selectOption('route');
  await app.getByLabel('Filter value').fill(route);
  await expect.poll(async () => [...new Set(await table.locator('[data-request-id] [role="cell"]:nth-child(4)').allTextContents())]).toEqual([route]);

  // From the keyboard, at the top of the table: a focused row stays where it is as rows arrive
  // (it would otherwise be pushed out of the drawn range and lose the focus), Enter opens it.
  const focusedId = () => app.evaluate(() => document.activeElement?.getAttribute('data-request-id') ?? null);
  const id = await scroller.evaluate(async (el) => {
    el.scrollTop = 0;
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const top = [...el.querySelectorAll<HTMLElement>('[data-request-id]')].find((r) => Math.abs(r.getBoundingClientRect().y - el.getBoundingClientRect().y) < 1)!;
    top.focus({ preventScroll: true });
    return el.scrollTop === 0 ? top.getAttribute('data-request-id') : null;
  });
  expect(id).toMatch(/^req_/);
  expect(await focusedId()).toBe(id);
  await expect.poll(above, { timeout: 10_000 }).toBeGreaterThan(15 * 26);
  expect(await focusedId()).toBe(id);
  await app.keyboard.press('Enter');
  const drawer = app.getByRole('dialog', { name: `Request ${id}` });
  await expect(drawer).toBeVisible();
  await app.keyboard.press('Escape');
  await expect(drawer).toHaveCount(0);
  await h.tailStop({});
});
