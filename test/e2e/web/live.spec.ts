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
