import path from 'node:path';
import { openDatabase } from '../../../electron/core/db/duckdb';
import { writeDriftData } from '../../integration/drift/drift-data';
import { tempDir } from '../../support/make-parquet';
import { expect, test } from '../support/web-app';

/**
 * From the alert to the requests behind it: the overview lists the format break on
 * route=billing, the slice opens with its charts, the keyboard walks the table, a request
 * opens in the drawer as text, and the slice's worst requests go to triage.
 */
test('drill from an alert to a slice, its charts and requests, and send them to triage', async ({ app }) => {
  const dir = tempDir('loupe-e2e-slices-');
  const db = await openDatabase();
  await writeDriftData(db.conn, path.join(dir, 'exports'), { rows: 60_000, partitioned: 'day', incidents: { badVersion: false } });
  db.close();

  await app.getByLabel('Workspace folder').fill(dir);
  await app.getByRole('button', { name: 'Open workspace' }).click();
  await expect(app.getByTestId('row-count')).toHaveText('60,000');

  await app.keyboard.press('Alt+1');
  const versions = app.getByRole('table', { name: 'Versions' });
  await expect(versions.getByRole('row')).toHaveCount(3);
  await expect(versions).toContainText('v1');
  const alert = app.getByRole('list', { name: 'Alerts' }).getByRole('button', { name: /output drift on format: PSI [\d.]+ in route=billing/ });
  await expect(alert).toBeVisible();
  await alert.click();

  // The alert opens its slice in the Slices view: bins of both windows, judge over time.
  await expect(app.getByRole('heading', { name: 'Slices' })).toBeVisible();
  const detail = app.getByRole('region', { name: 'Slice route=billing' });
  await expect(detail).toBeVisible();
  await expect(detail.getByRole('img', { name: /format ok: baseline vs current/ })).toBeVisible();
  await expect(detail.getByRole('img', { name: 'Judge mean per hour with the 2 sigma band' })).toBeVisible();
  await expect(detail.locator('.vega-chart svg').first()).toBeVisible();
  await app.keyboard.press('Escape');
  await expect(detail).toHaveCount(0);

  // Keyboard: find a slice, walk the table, open with Enter.
  await app.locator('body').press('/');
  await expect(app.getByLabel('Find a slice')).toBeFocused();
  await app.keyboard.type('locale=de');
  const grid = app.getByRole('grid', { name: 'Slices' });
  await expect(grid.getByRole('row', { selected: false }).first()).toBeVisible();
  await app.getByLabel('Slices: arrows or j/k to move, Enter to open').focus();
  await app.keyboard.press('Home');
  await expect(grid.locator('[aria-selected="true"] .name')).toHaveText('locale=de');
  await app.keyboard.press('j');
  await expect(grid.locator('[aria-selected="true"] .name')).toHaveText(/^(.+ × locale=de|locale=de × .+)$/);
  await app.keyboard.press('k');
  await app.keyboard.press('Enter');
  const de = app.getByRole('region', { name: 'Slice locale=de' });
  await expect(de).toBeVisible();
  await expect(de.getByRole('img', { name: 'judge score: baseline vs current' })).toBeVisible();

  // A request in the drawer, as inert text.
  const requests = de.getByRole('table', { name: 'Slice requests' });
  await expect(requests.getByRole('row')).toHaveCount(51);
  await requests.getByRole('button', { name: /^Open request / }).first().click();
  const drawer = app.getByRole('dialog', { name: /^Request req-/ });
  await expect(drawer.getByRole('region', { name: 'Prompt' })).toContainText('prompt ');
  await app.keyboard.press('Escape');
  await expect(drawer).toHaveCount(0);
  await expect(de).toBeVisible();

  // The slice's worst requests go to triage, once.
  await de.getByLabel('Requests to send to triage').fill('8');
  await de.getByRole('button', { name: 'Send 8 to triage' }).click();
  await expect(de.getByRole('status')).toContainText('8 added to triage');
  await de.getByRole('button', { name: 'Send 8 to triage' }).click();
  await expect(de.getByRole('status')).toContainText('0 added to triage, 8 already there');
  await de.getByRole('button', { name: 'open Triage' }).click();
  await expect(app.getByRole('heading', { name: 'Triage' })).toBeVisible();
  await expect(app.getByTestId('case-position')).toHaveText('1 / 8');
});
