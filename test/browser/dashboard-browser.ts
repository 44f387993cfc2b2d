/**
 * What the dashboard's browser tests share, on top of the web chat's harness
 * (web-chat-harness.ts: the real server, chromium, axe-core): the layouts they try, a page
 * watcher that also counts failed responses (except those a test expects), one login per
 * officer through the login page with its cookie reused by later pages (the server allows
 * 10 login requests a minute per address, and a test opens many pages), a check that the
 * page does not scroll sideways, and full-page screenshots in test-artifacts/.
 * Browser-side code is passed as strings: the test project's types have no DOM library.
 */
import { mkdirSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { repoPath } from '../../src/paths.js';
import { ARTIFACTS, OFFICER_PASSWORD } from './web-chat-harness.js';

export const LAYOUTS = {
  phone: { viewport: { width: 390, height: 844 } },
  desktop: { viewport: { width: 1280, height: 800 } },
  // A 1280 x 800 window at 200% zoom lays out like a 640 x 400 one with twice the pixels.
  zoom200: { viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 },
} as const;

export type Layout = keyof typeof LAYOUTS;

/**
 * Console errors, page errors and responses of 400 or more a page produced, except those
 * matching `allowed` (a refusal the test provokes shows as both a failed resource and a
 * console line).
 */
export function watchPage(page: Page, allowed: readonly RegExp[] = []): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && !allowed.some((a) => a.test(message.text()))) problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('response', (response) => {
    if (response.status() >= 400 && !allowed.some((a) => a.test(`${response.status()} ${response.url()}`))) problems.push(`${response.status()} ${response.url()}`);
  });
  return problems;
}

export interface OpenedPage {
  readonly context: BrowserContext;
  readonly page: Page;
  readonly problems: string[];
}

export interface DashboardBrowser {
  /** A new context at `layout`, logged in as `username`, on `path` with the live view connected. */
  open(username: string, layout: Layout, path: string, allowed?: readonly RegExp[]): Promise<OpenedPage>;
}

/**
 * `initScript` runs in every page before the page's own code (dashboard-desk.test.ts puts its
 * notification and sound recorders there). The saved login is the state right after logging
 * in, so what a test leaves in localStorage later does not carry over to the next context.
 */
export function dashboardBrowser(browser: Browser, base: string, password: string = OFFICER_PASSWORD, initScript?: string): DashboardBrowser {
  const sessions = new Map<string, Awaited<ReturnType<BrowserContext['storageState']>>>();
  return {
    async open(username, layout, path, allowed = []) {
      const saved = sessions.get(username);
      const context = await browser.newContext({ ...LAYOUTS[layout], locale: 'id-ID', ...(saved ? { storageState: saved } : {}) });
      if (initScript !== undefined) await context.addInitScript(initScript);
      const page = await context.newPage();
      const problems = watchPage(page, allowed);
      if (saved) {
        await page.goto(`${base}${path}`);
      } else {
        await page.goto(`${base}/dashboard/login?next=${encodeURIComponent(path)}`);
        await page.fill('#username', username);
        await page.fill('#password', password);
        await page.click('#submit');
        await page.waitForURL(`${base}${path}`);
        sessions.set(username, await context.storageState());
      }
      await page.locator('#live.live--on').waitFor();
      return { context, page, problems };
    },
  };
}

export async function expectNoSidewaysScroll(page: Page, layout: Layout, what: string): Promise<void> {
  expect(await page.evaluate<number>('document.documentElement.scrollWidth'), what).toBeLessThanOrEqual(LAYOUTS[layout].viewport.width + 1);
}

/** The whole page from its top, as `<name>.png` in test-artifacts/. */
export async function fullPageShot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.evaluate('window.scrollTo(0, 0)');
  await page.screenshot({ path: repoPath('test-artifacts', `${name}.png`), fullPage: true });
}
