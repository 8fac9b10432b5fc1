import fs from 'node:fs';
import path from 'node:path';
import { writeHourlyExport } from '../../support/make-export';
import { tempDir } from '../../support/make-parquet';
import { expect, test } from '../support/web-app';

test('label 20 cases with the keyboard only, undo one, promote two, export the eval set', async ({ app }) => {
  const dir = tempDir('loupe-e2e-triage-');
  await writeHourlyExport(path.join(dir, 'exports'), 10, 60);

  await app.getByLabel('Workspace folder').fill(dir);
  await app.getByRole('button', { name: 'Open workspace' }).click();
  await expect(app.getByTestId('row-count')).toHaveText('600');

  await app.keyboard.press('Alt+4');
  await expect(app.getByRole('heading', { name: 'Triage' })).toBeVisible();
  await app.getByRole('button', { name: 'Collect from rules' }).click();
  await expect(app.getByRole('status').filter({ hasText: 'new cases from the rules' })).toBeVisible();
  await expect(app.getByTestId('case-position')).toHaveText(/^1 \/ \d+$/);
  const total = Number((await app.getByTestId('case-position').textContent())!.split('/')[1]);
  expect(total).toBeGreaterThanOrEqual(22);
  // The mouse is not used from here on.
  await app.locator('body').focus();

  const keys = ['1', '2', '3', '4', '5'];
  let keystrokes = 0;
  for (let i = 0; i < 20; i++) {
    await expect(app.getByTestId('case-position')).toHaveText(`${i + 1} / ${total}`);
    if (i === 7 || i === 15) {
      // Promote: p, the expected behaviour, Enter.
      await app.keyboard.press('p');
      await app.keyboard.type(`answer ${i} in valid JSON`);
      await app.keyboard.press('Enter');
      keystrokes += 3;
      continue;
    }
    await app.keyboard.press(keys[i % 5]);
    keystrokes++;
    if (i === 4) {
      // Undo goes back to the case just labelled and reopens it; label it again.
      await expect(app.getByTestId('case-position')).toHaveText(`6 / ${total}`);
      await app.keyboard.press('u');
      await expect(app.getByTestId('case-position')).toHaveText(`5 / ${total}`);
      await expect(app.getByTestId('case-status')).toHaveText('open');
      await app.keyboard.press('2');
      keystrokes += 2;
    }
  }
  await expect(app.getByTestId('triage-progress')).toContainText(`20 / ${total} done`);
  await expect(app.getByTestId('triage-progress')).toContainText('10% promoted');
  console.log(`triage e2e: 20 cases in ${keystrokes} keystrokes; ${(await app.getByTestId('triage-progress').textContent())}`);

  // The history of the undone case shows the undo.
  await app.keyboard.press('k');
  await app.keyboard.press('?');
  await expect(app.getByRole('dialog', { name: 'Keyboard shortcuts' })).toContainText('promote to the eval set');
  await app.keyboard.press('Escape');
  await expect(app.getByRole('dialog')).toHaveCount(0);

  const out = path.join(dir, 'eval-set.jsonl');
  await app.getByLabel('Eval set file').fill(out);
  await app.getByRole('button', { name: 'Export eval set' }).click();
  await expect(app.getByRole('status').filter({ hasText: 'exported 2 eval cases' })).toBeVisible();
  const lines = fs.readFileSync(out, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  expect(lines).toHaveLength(2);
  for (const c of lines) {
    expect(Object.keys(c).sort()).toEqual(['context', 'expected', 'id', 'input', 'root_cause', 'source_request_id', 'tags', 'versions']);
    expect(c.expected).toMatch(/^answer (7|15) in valid JSON$/);
    expect(c.input).toMatch(/^how do I configure the thing/);
    expect(c.versions.model_version).toMatch(/^v[12]$/);
    expect(c.tags.some((t: string) => t.startsWith('rule:'))).toBe(true);
  }
  expect(fs.existsSync(path.join(dir, 'eval-set.parquet'))).toBe(true);
});

test('logged content renders as inert text', async ({ app, web }) => {
  const dir = tempDir('loupe-e2e-hostile-');
  const part = path.join(dir, 'exports', 'date=2026-11-01', 'hour=00');
  fs.mkdirSync(part, { recursive: true });
  const { openDatabase } = await import('../../../electron/core/db/duckdb');
  const db = await openDatabase();
  await db.conn.run(`COPY (SELECT 'evil-1' AS request_id, TIMESTAMP '2026-11-01 00:00:00' AS ts, 'v1' AS model_version,
      '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>' AS prompt,
      '[click me](javascript:window.__pwned=3) <b>bold</b>' AS response, false AS format_ok, 0.1 AS judge_score)
    TO '${path.join(part, 'part-0.parquet')}' (FORMAT parquet)`);
  db.close();
  void web;
  await app.getByLabel('Workspace folder').fill(dir);
  await app.getByRole('button', { name: 'Open workspace' }).click();
  await expect(app.getByTestId('row-count')).toHaveText('1');
  await app.keyboard.press('Alt+4');
  await app.getByRole('button', { name: 'Collect from rules' }).click();
  const prompt = app.getByRole('region', { name: 'Prompt' });
  await expect(prompt).toContainText('<script>window.__pwned=2</script>');
  await expect(app.getByRole('region', { name: 'Response' })).toContainText('[click me](javascript:window.__pwned=3) <b>bold</b>');
  await expect(prompt.locator('img, script')).toHaveCount(0);
  await expect(app.locator('.case a')).toHaveCount(0);
  expect(await app.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
});
