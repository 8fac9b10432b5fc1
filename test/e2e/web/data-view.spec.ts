import fs from 'node:fs';
import path from 'node:path';
import { tempDir, writeRequestLog } from '../../support/make-parquet';
import { expect, test } from '../support/web-app';

test.describe('Data view', () => {
  let dir: string;
  let large: string;
  test.beforeAll(async () => {
    dir = tempDir('loupe-e2e-data-');
    await writeRequestLog(path.join(dir, 'requests.parquet'), 5000);
    large = path.join(tempDir('loupe-e2e-data-large-'), 'requests.parquet');
    await writeRequestLog(large, 150_000);
    fs.writeFileSync(path.join(dir, 'notes.parquet'), 'this is not parquet');
  });

  test('opens a generated Parquet file and shows rows, columns and a histogram', async ({ app }) => {
    await app.getByLabel('Files (read-only)').fill(path.join(dir, 'requests.parquet'));
    await app.getByRole('button', { name: 'Open', exact: true }).click();

    await expect(app.getByTestId('row-count')).toHaveText('5,000');
    await expect(app.getByTestId('time-range')).toContainText('2026-11-01 00:00:00');
    await expect(app.getByTestId('time-range')).toContainText('2026-11-04 11:19:00');

    const judge = app.locator('tr[data-column="judge_score"]');
    await expect(judge.getByTestId('null-rate')).toHaveText('95.0%');
    // The histogram is a vega-lite SVG with one bar per non-empty bin.
    const chart = judge.getByTestId('column-chart');
    await expect(chart).toHaveAttribute('data-state', 'ready');
    await expect(chart.locator('svg .mark-rect path')).not.toHaveCount(0);
    const route = app.locator('tr[data-column="route"]').getByTestId('column-chart');
    await expect(route.locator('svg')).toContainText('billing');

    // First rows arrive as Arrow and render in the virtualised table.
    const grid = app.getByRole('grid', { name: 'Rows' });
    await expect(grid.getByRole('row').nth(1)).toContainText('req-0');
    await expect(grid.getByRole('gridcell').filter({ hasText: 'req-4999' })).toHaveCount(0);
  });

  test('counts a column with few values exactly and marks the estimate for one with many', async ({ app }) => {
    await app.getByLabel('Files (read-only)').fill(large);
    await app.getByRole('button', { name: 'Open', exact: true }).click();
    await expect(app.getByTestId('row-count')).toHaveText('150,000');
    await expect(app.locator('tr[data-column="route"]').getByTestId('distinct')).toHaveText('3');
    // 150,000 request ids: past the exact-count limit, so an estimate, marked as one.
    await expect(app.locator('tr[data-column="request_id"]').getByTestId('distinct')).toHaveText(/^≈ [\d,]+$/);
  });

  test('a file that is not Parquet gets a message naming it, and the app keeps working', async ({ app }) => {
    await app.getByLabel('Files (read-only)').fill(path.join(dir, 'notes.parquet'));
    await app.getByRole('button', { name: 'Open', exact: true }).click();
    const alert = app.getByRole('alert');
    await expect(alert).toContainText('notes.parquet');
    await expect(alert).toContainText('not a Parquet file');

    await app.getByLabel('Files (read-only)').fill(dir);
    await app.getByRole('button', { name: 'Open', exact: true }).click();
    await expect(app.getByTestId('row-count')).toHaveText('5,000');
    await expect(app.getByRole('region', { name: 'Problems' })).toContainText('notes.parquet');
  });

  test('the folder browser opens a file without typing a path', async ({ app }) => {
    await app.getByLabel('Files (read-only)').fill(dir);
    await app.getByRole('button', { name: 'Browse…' }).click();
    await app.getByRole('button', { name: /requests\.parquet/ }).click();
    await expect(app.getByTestId('row-count')).toHaveText('5,000');
  });
});
