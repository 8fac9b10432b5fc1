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
      await core.close();
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
