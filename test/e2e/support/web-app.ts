import { test as base, expect, type Page } from '@playwright/test';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createCore, type Core } from '../../../electron/core/core';
import { startWebServer, type WebServer } from '../../../electron/serve';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export interface WebApp {
  server: WebServer;
  core: Core;
}

/**
 * The real core and browser-mode server, started once per worker on a free port; tests open
 * the page with the token exactly as a user opens the URL `npm run web` prints.
 */
export const test = base.extend<{ app: Page }, { web: WebApp }>({
  web: [
    async ({}, use) => {
      const core = await createCore({ transport: 'browser' });
      const server = await startWebServer({ core, staticDir: path.join(repo, 'dist', 'renderer') });
      await use({ server, core });
      await server.close();
      // A close that never returns would hold the worker for Playwright's 5-minute kill timer
      // and fail the run; say so and let the worker exit instead.
      const closed = await Promise.race([
        core.close().then(() => true),
        new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 20_000).unref()),
      ]);
      if (!closed) console.warn('e2e worker: core.close() did not finish within 20 s');
    },
    { scope: 'worker' },
  ],
  app: async ({ page, web }, use) => {
    const violations: string[] = [];
    await page.exposeFunction('__cspViolation', (v: string) => violations.push(v));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) =>
        (window as unknown as { __cspViolation(v: string): void }).__cspViolation(`${e.violatedDirective} ${e.blockedURI}`),
      );
    });
    await page.goto(web.server.openUrl);
    await use(page);
    expect(violations, 'the strict CSP was violated').toEqual([]);
  },
});

export { expect };
