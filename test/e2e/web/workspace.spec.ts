import path from 'node:path';
import { writeHourlyExport } from '../../support/make-export';
import { tempDir } from '../../support/make-parquet';
import { expect, test } from '../support/web-app';

test('a workspace opens, a corrected role is saved, and it is still there after reopening', async ({ app }) => {
  const dir = tempDir('loupe-e2e-ws-');
  await writeHourlyExport(path.join(dir, 'exports'), 4, 30);

  await app.getByLabel('Workspace folder').fill(dir);
  await app.getByRole('button', { name: 'Open workspace' }).click();
  await expect(app.getByTestId('row-count')).toHaveText('120');
  await expect(app.getByTestId('workspace-import')).toContainText('imported 4 new partitions');

  const roles = app.getByRole('region', { name: 'Column roles' });
  await expect(roles.getByText('guessed')).toBeVisible();
  const latency = roles.getByLabel('Latency column');
  await expect(latency).toHaveValue('latency_ms');
  await latency.selectOption('output_tokens');
  await roles.getByRole('group', { name: 'Slice dimensions' }).getByLabel(/tenant_tier/).uncheck();
  await roles.getByRole('button', { name: 'Save roles' }).click();
  await expect(roles.getByText('guessed')).toHaveCount(0);

  // Reopen from the recent list after a reload: the mapping comes back from the workspace file.
  await app.reload();
  await app.getByRole('button', { name: path.basename(dir) }).click();
  await expect(app.getByTestId('row-count')).toHaveText('120');
  await expect(app.getByTestId('workspace-import')).toContainText('up to date');
  const again = app.getByRole('region', { name: 'Column roles' });
  await expect(again.getByLabel('Latency column')).toHaveValue('output_tokens');
  await expect(again.getByRole('group', { name: 'Slice dimensions' }).getByLabel(/tenant_tier/)).not.toBeChecked();
  await expect(again.getByRole('group', { name: 'Slice dimensions' }).getByLabel(/route/)).toBeChecked();
});
