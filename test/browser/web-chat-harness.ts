/**
 * What the web chat browser tests share: the real server on a real port (the core on a
 * fake clock, the real web channel and outbox, optionally the dashboard), Debian's
 * chromium through playwright-core, axe-core run inside the page, and screenshots in
 * test-artifacts/. Browser-side code is passed as strings: the test project's types have
 * no DOM library.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { pino } from 'pino';
import { createWebChannel, type WebChannel } from '../../channels/web.js';
import type { HttpConfig } from '../../src/config.js';
import { repoPath } from '../../src/paths.js';
import { buildServer } from '../../src/server/app.js';
import { registerDashboard } from '../../src/server/dashboard/index.js';
import { createStaffService, type StaffService } from '../../src/staff.js';
import { createTestCore, testPolicy, type TestCore } from '../helpers/core.js';

export const CHROMIUM = '/usr/bin/chromium';
export const SKIP = existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) to run the browser tests`;
export const ARTIFACTS = repoPath('test-artifacts');
export const OFFICER_PASSWORD = 'sepeda-biru-lasiana-77';

export interface ChatServer {
  readonly t: TestCore;
  readonly web: WebChannel;
  readonly app: FastifyInstance;
  readonly base: string;
  readonly staff: StaffService | null;
  close(): Promise<void>;
}

export interface ChatServerOptions {
  readonly dashboard?: boolean;
  readonly http?: HttpConfig;
  /** Address to listen on (default 127.0.0.1). */
  readonly host?: string;
  /** The address the browser uses (default: the host). */
  readonly browserHost?: string;
}

export async function startChatServer(options: ChatServerOptions = {}): Promise<ChatServer> {
  const t = createTestCore();
  const web = createWebChannel({ now: () => t.clock.now() });
  t.core.addChannel(web);
  await web.start(t.core.intake.sink);
  t.core.outbox.start();
  let staff: StaffService | null = null;
  if (options.dashboard) {
    staff = createStaffService(t.db, () => t.clock.now());
    staff.add({ username: 'siti', role: 'staff', password: OFFICER_PASSWORD, displayName: 'Siti' });
  }
  const dashboardStaff = staff;
  const app = await buildServer({
    db: t.db,
    logger: pino({ level: 'silent' }),
    web,
    channels: () => t.core.channels(),
    problems: () => [],
    webChatPerMinute: 100,
    ...(options.http ? { http: options.http } : {}),
    webChat: { now: () => t.clock.now(), knowledge: () => t.core.knowledge(), timeZone: 'Asia/Makassar', receiptsEveryMs: 250 },
    plugins: dashboardStaff ? [(instance) => registerDashboard(instance, { core: t.core, staff: dashboardStaff, policy: testPolicy() })] : [],
  });
  const host = options.host ?? '127.0.0.1';
  await app.listen({ port: 0, host });
  const port = (app.server.address() as AddressInfo).port;
  const base = `http://${options.browserHost ?? host}:${port}`;
  return {
    t,
    web,
    app,
    base,
    staff,
    async close() {
      await app.close();
      await t.core.outbox.stop();
      t.close();
    },
  };
}

/** `extraArgs`: e.g. the fake microphone (`--use-fake-device-for-media-stream`) for the voice note tests. */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', ...extraArgs],
  });
}

/** Console errors, page errors and failed responses a page produced. */
export function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  return problems;
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly help: string;
  readonly targets: string[];
}

/**
 * Runs axe-core (WCAG 2.0-2.2 A/AA and best practices) in the page as it is now and returns
 * every violation. The source is evaluated through the DevTools protocol, so the page's
 * own Content-Security-Policy stays on.
 */
export async function axe(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate<boolean>('typeof window.axe === "object"'))) await page.evaluate(AXE_SOURCE);
  return page.evaluate<AxeViolation[]>(`(async () => {
    const result = await window.axe.run(document, { resultTypes: ['violations'], iframes: false });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => String(n.target)) }));
  })()`);
}

/** Only what the issue forbids: serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  return (await axe(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: repoPath('test-artifacts', `${name}.png`) });
}

export interface Box {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export async function box(page: Page, selector: string): Promise<Box> {
  const found = await page.locator(selector).first().boundingBox();
  if (!found) throw new Error(`${selector} is not visible`);
  return found;
}
