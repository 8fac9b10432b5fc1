import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadScenario } from '../../../service/scenario/load-scenario';
import { startService } from '../../../service/server';
import { tempDir } from '../../support/make-parquet';
import { expect, test } from '../support/web-app';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures');

test('import the service triage feed, promote with the keyboard, push to the eval-case sink', async ({ app, web }) => {
  const scenario = await loadScenario(path.join(fixtures, 'scenarios', 'canary-regression.yaml'));
  const svc = await startService({ scenario: { ...scenario, live_from: '12h' }, dataDir: tempDir('loupe-e2e-svc-'), speed: 0, tokens: { op: 'operator' } });
  try {
    const dir = tempDir('loupe-e2e-feed-');
    await app.getByLabel('Workspace folder').fill(dir);
    await app.getByRole('button', { name: 'Open workspace' }).click();
    // Connecting is the Data view's job (tested there); here the token goes straight to the core.
    await expect.poll(async () => (await web.core.handlers.recentWorkspaces({})).some((w) => w.dir === dir)).toBe(true);
    await web.core.handlers.serviceConnection({ set: { url: svc.url, token: 'op' } });

    await app.keyboard.press('Alt+4');
    await app.getByRole('button', { name: 'Import from service' }).click();
    await expect(app.getByRole('status').filter({ hasText: "new cases from the service's feed" })).toBeVisible();
    await expect(app.getByTestId('case-position')).toHaveText(/^1 \/ \d+$/);
    await expect(app.locator('.case-head')).toContainText('service:');

    await app.locator('body').focus();
    await app.keyboard.press('3');
    await expect(app.getByTestId('case-position')).toHaveText(/^2 \//);
    await app.keyboard.press('k');
    await expect(app.getByTestId('case-root-cause')).toHaveText('format break');
    await app.keyboard.press('p');
    await app.keyboard.type('a valid JSON answer');
    await app.keyboard.press('Enter');
    await expect(app.getByTestId('push-state')).toContainText('0 pushed of 1 promoted');
    await app.getByRole('button', { name: 'Push eval cases' }).click();
    await expect(app.getByTestId('push-state')).toContainText('1 pushed of 1 promoted');

    const res = await fetch(`${svc.url}/v1/eval-cases`, { headers: { Authorization: 'Bearer op' } });
    const { cases } = (await res.json()) as { cases: Array<{ expected: string; root_cause: string | null; tags: string[] }> };
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ expected: 'a valid JSON answer', root_cause: 'format_break' });
    expect(cases[0].tags.some((t) => t.startsWith('service:'))).toBe(true);
  } finally {
    await svc.close();
  }
});
