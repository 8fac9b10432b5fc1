import path from 'node:path';
import { writeHourlyExport } from '../../support/make-export';
import { tempDir } from '../../support/make-parquet';
import { startOpenAITestServer } from '../../support/openai-test-server';
import { expect, test } from '../support/web-app';

test('configure an LLM, see its suggestion, accept it with one key', async ({ app, web }) => {
  const llm = await startOpenAITestServer([
    { kind: 'content', content: { root_cause: 'format_break', confidence: 0.82, rationale: 'The answer is <b>not</b> valid JSON.' }, usage: { prompt_tokens: 321, completion_tokens: 45 } },
  ]);
  const dir = tempDir('loupe-e2e-llm-');
  await writeHourlyExport(path.join(dir, 'exports'), 4, 60);
  try {
    await app.getByLabel('Workspace folder').fill(dir);
    await app.getByRole('button', { name: 'Open workspace' }).click();
    await expect(app.getByTestId('row-count')).toHaveText('240');
    await app.keyboard.press('Alt+4');
    await app.getByRole('button', { name: 'Collect from rules' }).click();
    await expect(app.getByTestId('case-position')).toHaveText(/^1 \/ \d+$/);

    // Without an LLM the queue works and the view says how to add one.
    await expect(app.getByTestId('suggestion')).toContainText('No LLM suggestions');
    await expect(app.getByTestId('suggestion')).toContainText('OpenAI-compatible base URL');
    await app.getByTestId('suggestion').getByRole('button', { name: 'LLM settings' }).click();
    const form = app.getByRole('form', { name: 'LLM settings' });
    await form.getByLabel('Base URL').fill(llm.baseUrl);
    await form.getByLabel('Model').fill('e2e-model');
    await form.getByLabel('API key').fill('sk-e2e-secret');
    await form.getByRole('button', { name: 'Save LLM settings' }).click();

    const bar = app.getByTestId('suggestion');
    await expect(bar).toContainText('Suggested: Format break (82%)');
    await expect(bar).toContainText('The answer is <b>not</b> valid JSON.');
    await expect(bar.locator('b')).toHaveCount(0);
    await expect(app.getByTestId('suggestion-meta')).toContainText('321 + 45 tokens');
    const meta = (await app.getByTestId('suggestion-meta').textContent())!;
    console.log(`triage LLM e2e: ${meta}`);
    // The key went to the core, never back to the page.
    expect(await app.content()).not.toContain('sk-e2e-secret');
    expect(llm.requests[0].authorization).toBe('Bearer sk-e2e-secret');

    const first = (await app.getByTestId('case-position').textContent())!;
    const total = first.split('/')[1].trim();
    await app.locator('body').focus();
    await app.keyboard.press('a');
    await expect(app.getByTestId('case-position')).toHaveText(`2 / ${total}`);
    // The next case was prefetched: its suggestion is on screen without another wait.
    await expect(app.getByTestId('suggestion-meta')).toContainText('prefetched');
    await app.keyboard.press('k');
    await expect(app.getByTestId('case-root-cause')).toHaveText('format break');

    const queue = await web.core.handlers.triageQueue({ filter: {} });
    const labelled = queue.cases.find((c) => c.root_cause === 'format_break')!;
    expect(labelled.from_suggestion).toBe(true);
    const history = (await web.core.handlers.triageCase({ caseId: labelled.case_id })).history;
    expect(JSON.parse(history.at(-1)!.suggestion!)).toEqual({ confidence: 0.82, rationale: 'The answer is <b>not</b> valid JSON.', model: 'e2e-model' });
  } finally {
    // The worker's core keeps secrets in the user's Loupe home: leave no test key behind.
    await web.core.handlers.llmSettings({ set: { baseUrl: llm.baseUrl, model: 'e2e-model', clearKey: true } }).catch(() => undefined);
    await llm.close();
  }
});
