import { readSse } from '../../../electron/core/tail/sse-stream';
import type { LogRecord } from '../../../shared/log-schema';
import { auditSchema, deploymentsSchema } from '../../../shared/service-contract';
import type { RunningService } from '../../../service/server';
import { loadScenario } from '../../../service/scenario/load-scenario';
import { startService } from '../../../service/server';
import { cannedScenario, startMissedRegression, TOKENS } from '../../integration/control/control-fixture';
import { tempDir } from '../../support/make-parquet';
import { expect, test } from '../support/web-app';

let svc: RunningService | null = null;
test.afterEach(async () => {
  await svc?.close();
  svc = null;
});

const REGRESSION_START = Date.parse('2026-11-20T11:00:00Z');

test('a regressed canary the automation missed: see the alert, the evidence and the prompt diff, roll back with a reason, see it in the audit', async ({ app, web }) => {
  test.setTimeout(180_000);
  ({ svc } = await startMissedRegression());
  const url = svc.url;
  const h = web.core.handlers;
  // The workspace and its sync are the Data view's (tested there); here they are set up directly.
  await h.openWorkspace({ dir: tempDir('loupe-e2e-deploy-') });
  await h.serviceConnection({ set: { url, token: 'op' } });
  await h.syncWorkspace({});

  await app.keyboard.press('Alt+5');
  await expect(app.getByRole('heading', { name: 'Deployments', level: 1 })).toBeVisible();
  const alert = app.getByTestId('deployment-alert').filter({ hasText: 'format-ok' });
  await expect(alert).toBeVisible({ timeout: 60_000 });
  const alertShownAt = performance.now();
  const alertText = (await alert.textContent())!;
  const alertSimAt = Date.parse(`${alertText.slice(0, 16).replace(' ', 'T')}:00Z`);

  // The evidence: v2's format-ok rate far below v1's, the sql slice on top, the prompt diff.
  const v1Ok = parseFloat((await app.getByTestId('format-ok-v1').textContent())!);
  const v2Ok = parseFloat((await app.getByTestId('format-ok-v2').textContent())!);
  expect(v2Ok).toBeLessThan(v1Ok - 10);
  await expect(app.getByRole('table', { name: 'Top drifting slices' }).getByRole('row').nth(1)).toContainText('route=sql');
  const diff = app.getByRole('region', { name: 'Prompt diff' });
  await expect(diff.getByTestId('diff-left')).toContainText('Reply with a single JSON object.');
  await expect(diff.getByTestId('diff-right')).toContainText('Explain step by step, then answer.');
  await expect(diff.locator('del')).not.toHaveCount(0);

  // Keyboard only from here: the action, the reason, Enter.
  await app.getByRole('button', { name: 'Roll back to v1' }).focus();
  await app.keyboard.press('Enter');
  const dialog = app.getByRole('dialog', { name: 'Roll back assistant-prod to v1' });
  await expect(dialog.getByTestId('exact-action')).toContainText('POST /v1/deployments/assistant/rollback {version: v1} · If-Match r0.1');
  await expect(dialog.getByRole('button', { name: 'Roll back' })).toBeDisabled();
  const reason = 'v2 breaks JSON on the sql route (format-ok far below v1); the judge SLO did not catch it';
  await app.keyboard.type(reason);
  const sentAt = performance.now();
  await app.keyboard.press('Enter');
  await expect(dialog.getByTestId('control-done')).toContainText('assistant is rolled_back, traffic v1 100%');
  const confirmedAt = performance.now();
  await app.keyboard.press('Escape');
  await expect(app.getByTestId('deployment-state')).toHaveText('rolled_back');
  await expect(app.getByTestId('traffic-v1')).toHaveText('100%');

  // The service agrees, and the tail carries only v1 after the rollback.
  const headers = { Authorization: 'Bearer op' };
  const dep = deploymentsSchema.parse(await (await fetch(`${url}/v1/deployments`, { headers })).json()).deployments[0];
  expect(dep).toMatchObject({ state: 'rolled_back', pinned_version: 'v1' });
  const manual = auditSchema.parse(await (await fetch(`${url}/v1/audit`, { headers })).json()).entries.find((e) => !e.automatic)!;
  expect(manual.reason).toBe(reason);
  expect((manual.evidence as { alerts: string[] }).alerts[0]).toContain('format-ok');
  const after: LogRecord[] = [];
  const ac = new AbortController();
  const tailDeadline = Date.now() + 30_000;
  for await (const e of readSse(`${url}/v1/tail?cursor=0`, { token: 'op', signal: ac.signal })) {
    if (e.event !== 'request') continue;
    const r = JSON.parse(e.data) as LogRecord;
    if (r.deployment === 'assistant' && Date.parse(r.ts) > Date.parse(manual.at) + 1000) after.push(r);
    if (after.length >= 100 || Date.now() > tailDeadline) break;
  }
  ac.abort();
  expect(after.length).toBeGreaterThanOrEqual(100);
  expect(new Set(after.map((r) => r.model_version))).toEqual(new Set(['v1']));

  // The audit view: the action, manual, with its reason; time to mitigate from the alert.
  await app.getByRole('tab', { name: 'Audit' }).click();
  const row = app.getByTestId('audit-row').first();
  await expect(row).toContainText('rollback');
  await expect(row).toContainText('manual');
  await expect(row).toContainText(reason);
  await expect(app.getByTestId('mitigation-row').first()).toContainText('v2');
  const minutes = Number(await app.getByTestId('mitigation-minutes').first().textContent());
  expect(minutes).toBeGreaterThan(0);

  console.log(
    `deployments e2e: regression start → alert ${((alertSimAt - REGRESSION_START) / 60_000).toFixed(0)} min (service clock); ` +
      `alert shown → rollback confirmed ${((confirmedAt - alertShownAt) / 1000).toFixed(2)} s (wall clock: reading the evidence, the dialog, typing the reason, the service), ` +
      `of which Enter → confirmed ${((confirmedAt - sentAt) / 1000).toFixed(2)} s; ` +
      `alert → rollback in the audit ${minutes.toFixed(1)} min (service clock)`,
  );
});

test('a viewer token sees the actions disabled with the reason', async ({ app, web }) => {
  ({ svc } = await startMissedRegression());
  const h = web.core.handlers;
  await h.openWorkspace({ dir: tempDir('loupe-e2e-deploy-viewer-') });
  await h.serviceConnection({ set: { url: svc.url, token: 'view' } });
  await app.keyboard.press('Alt+5');
  await expect(app.getByTestId('actions-disabled')).toContainText('viewer token');
  await expect(app.getByRole('button', { name: 'Roll back to v1' })).toBeDisabled();
});

test('a conflict shows what changed, and the analyst decides again', async ({ app, web }) => {
  ({ svc } = await startMissedRegression());
  const h = web.core.handlers;
  await h.openWorkspace({ dir: tempDir('loupe-e2e-deploy-conflict-') });
  await h.serviceConnection({ set: { url: svc.url, token: 'op' } });
  await app.keyboard.press('Alt+5');
  await app.getByRole('button', { name: 'Roll back to v1' }).click();
  const dialog = app.getByRole('dialog');
  await dialog.getByLabel('Reason (kept in the audit log)').fill('v2 looks bad');
  // A colleague rolls back first.
  const res = await fetch(`${svc.url}/v1/deployments/assistant/rollback`, {
    method: 'POST',
    headers: { Authorization: 'Bearer other', 'Content-Type': 'application/json', 'X-Actor': 'colleague' },
    body: JSON.stringify({ version: 'v1', reason: 'colleague was faster' }),
  });
  expect(res.status).toBe(200);
  await dialog.getByRole('button', { name: 'Roll back' }).click();
  const conflict = dialog.getByTestId('conflict');
  await expect(conflict).toContainText('Not applied (412)');
  await expect(conflict.getByRole('list', { name: 'What changed' })).toContainText('state: rolling → rolled_back');
  await dialog.getByRole('button', { name: 'Review and decide again' }).click();
  await expect(dialog.getByTestId('exact-action')).toContainText(/If-Match r1\./);
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(app.getByTestId('deployment-state')).toHaveText('rolled_back');
  // The colleague's rollback is the only one.
  const entries = auditSchema.parse(await (await fetch(`${svc.url}/v1/audit`, { headers: { Authorization: 'Bearer op' } })).json()).entries;
  expect(entries.map((e) => e.reason)).toEqual(['colleague was faster']);
});

test('override after an automatic rollback needs the deployment name typed out', async ({ app, web }) => {
  test.setTimeout(120_000);
  const scenario = await loadScenario(cannedScenario('canary-regression'));
  // 120 simulated seconds per second: the canary starts 5 s in; the automation rolls it back soon after.
  svc = await startService({ scenario, seed: 3, speed: 120, dataDir: tempDir('loupe-e2e-override-svc-'), tokens: { ...TOKENS } });
  const h = web.core.handlers;
  await h.openWorkspace({ dir: tempDir('loupe-e2e-override-') });
  await h.serviceConnection({ set: { url: svc.url, token: 'op' } });
  await app.keyboard.press('Alt+5');
  const refresh = app.getByRole('button', { name: 'Refresh', exact: true });
  await expect(async () => {
    await refresh.click();
    await expect(app.getByTestId('deployment-state')).toHaveText('rolled_back', { timeout: 1000 });
  }).toPass({ timeout: 60_000 });

  await app.getByRole('button', { name: 'Override: re-enable v2' }).click();
  const dialog = app.getByRole('dialog', { name: 'Override assistant: re-enable v2' });
  await dialog.getByLabel('Reason (kept in the audit log)').fill('the judge dip was a sampling artefact');
  const send = dialog.getByRole('button', { name: 'Override', exact: true });
  const confirm = dialog.getByLabel(/to confirm the override/);
  await confirm.fill('asistant');
  await expect(send).toBeDisabled();
  await confirm.fill('assistant');
  await send.click();
  await expect(dialog.getByTestId('control-done')).toContainText('assistant is overridden');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(app.getByTestId('deployment-state')).toHaveText('overridden');

  await app.getByRole('tab', { name: 'Audit' }).click();
  const rows = app.getByTestId('audit-row');
  await expect(rows.nth(0)).toContainText('override');
  await expect(rows.nth(0)).toContainText('manual');
  await expect(rows.nth(1)).toContainText('automatic');
  await expect(rows.nth(1)).toContainText('auto-rollback of v2');
});
