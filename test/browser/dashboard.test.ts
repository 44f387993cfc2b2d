/**
 * The dashboard in a real browser: Debian's chromium driven by playwright-core against the
 * real server on 127.0.0.1. An officer logs in at phone width (390 px), sees a web-chat
 * complaint appear live, claims it, replies (the channel receives it), resolves it; the
 * applicant's script payload stays text; no console errors. Skips only without chromium.
 * Browser-side code is passed as strings: the test project's types have no DOM library.
 */
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../channels/channel.js';
import { createWebChannel, type WebChannel } from '../../channels/web.js';
import { repoPath } from '../../src/paths.js';
import { buildServer } from '../../src/server/app.js';
import { registerDashboard } from '../../src/server/dashboard/index.js';
import { createStaffService } from '../../src/staff.js';
import { createTestCore, testPolicy, type TestCore } from '../helpers/core.js';
import { watchPage } from './dashboard-browser.js';
import { launchChromium, SKIP } from './web-chat-harness.js';
const PASSWORD = 'rahasia-kantor-123';
/** Issued by the server in beforeAll, as the chat page gets it. */
let VISITOR: string;
const PAYLOAD = '<script>window.__pwned = 1</script><img src=x onerror="window.__pwned = 2">';

let t: TestCore;
let web: WebChannel;
let app: FastifyInstance;
let browser: Browser;
let base: string;
/** What the web channel was asked to deliver (the recording side of the real channel). */
const delivered: OutboundMessage[] = [];

const skipReason = SKIP;
if (skipReason) {
  describe('dashboard in chromium', () => {
    it.skip(skipReason, () => undefined);
  });
} else {
  describe('dashboard in chromium', () => {
    beforeAll(async () => {
      t = createTestCore();
      web = createWebChannel({ now: () => t.clock.now() });
      // The outbox sends through this wrapper, which records and then delivers for real.
      t.core.addChannel({ ...web, send: async (message) => (delivered.push(message), web.send(message)) });
      await web.start(t.core.intake.sink);
      t.core.outbox.start();
      const staff = createStaffService(t.db, () => t.clock.now());
      staff.add({ username: 'siti', role: 'staff', password: PASSWORD, displayName: 'Siti' });
      staff.add({ username: 'sari', role: 'supervisor', password: PASSWORD });
      app = await buildServer({
        db: t.db,
        logger: pino({ level: 'silent' }),
        web,
        channels: () => t.core.channels(),
        problems: () => [],
        webChatPerMinute: 100,
        plugins: [(instance) => registerDashboard(instance, { core: t.core, staff, policy: testPolicy() })],
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      VISITOR = ((await (await fetch(`${base}/chat/visitors`, { method: 'POST' })).json()) as { visitorId: string }).visitorId;
      browser = await launchChromium();
    });

    afterAll(async () => {
      await browser?.close();
      await app?.close();
      await t?.core.outbox.stop();
      t?.close();
    });

    const watch = (page: Page): string[] => watchPage(page);

    const logIn = async (page: Page, username: string, next = ''): Promise<void> => {
      await page.goto(`${base}/dashboard/login${next}`);
      await page.fill('#username', username);
      await page.fill('#password', PASSWORD);
      await page.click('#submit');
    };

    it('logs in, sees a complaint arrive live, claims, replies, resolves — at 390 px, with no console errors', async () => {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'id-ID' });
      const page = await context.newPage();
      const problems = watch(page);

      await page.goto(`${base}/dashboard`);
      await page.waitForURL(/\/dashboard\/login\?next=%2Fdashboard$/);
      await logIn(page, 'siti', '?next=%2Fdashboard');
      await page.waitForURL(`${base}/dashboard`);
      await page.locator('#tickets .empty').waitFor();
      await page.locator('#live.live--on').waitFor();

      // The applicant complains through the web chat API while the queue is open.
      const posted = await fetch(`${base}/chat/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ visitorId: VISITOR, clientMessageId: 'browser-msg-0001', text: `saya mau komplain, petugas loket kasar sekali ${PAYLOAD}` }),
      });
      expect(posted.status).toBe(202);
      const card = page.locator('#tickets li[data-ticket-id]');
      await card.waitFor({ timeout: 10_000 });
      await expect.poll(() => card.locator('.card__summary').textContent()).toContain(PAYLOAD);
      expect(await card.locator('.badge--channel').textContent()).toBe('Web chat');

      // Usable at 390 px: nothing wider than the screen, the card and filters within it.
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      const box = await card.boundingBox();
      expect(box!.x).toBeGreaterThanOrEqual(0);
      expect(box!.x + box!.width).toBeLessThanOrEqual(390);
      mkdirSync(repoPath('test-artifacts'), { recursive: true });
      await page.screenshot({ path: repoPath('test-artifacts', 'queue-390.png'), fullPage: true });

      await card.locator('a').click();
      await page.waitForURL(/\/dashboard\/tickets\/\d+$/);
      await page.locator('#history .msg').first().waitFor();
      expect(await page.locator('#history .msg__text').first().textContent()).toContain(PAYLOAD);
      await page.click('#claim');
      await expect.poll(() => page.locator('#assignee').textContent()).toBe('Ditangani Siti');

      await page.selectOption('#canned', 'fees');
      expect(await page.inputValue('#reply-text')).toContain('Rp');
      await page.fill('#reply-text', 'Mohon maaf atas kejadian ini, Bapak/Ibu. Kami tindak lanjuti hari ini.');
      await page.click('#send');
      await expect.poll(() => delivered.map((m) => m.text), { timeout: 10_000 }).toContain('Mohon maaf atas kejadian ini, Bapak/Ibu. Kami tindak lanjuti hari ini.');
      expect(delivered.find((m) => m.author === 'staff')?.conversationExternalId).toBe(VISITOR);
      await page.locator('#history .msg--out', { hasText: 'Kami tindak lanjuti' }).waitFor();
      const history = (await (await fetch(`${base}/chat/history`, { headers: { 'x-visitor-id': VISITOR } })).json()) as { messages: { author: string; text: string }[] };
      expect(history.messages.some((m) => m.author === 'staff' && m.text.includes('Kami tindak lanjuti'))).toBe(true);

      await page.click('#resolve');
      await page.locator('#head .badge--status', { hasText: 'Selesai' }).waitFor();
      expect(await page.locator('#head').textContent()).not.toMatch(/null|undefined/);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      await page.screenshot({ path: repoPath('test-artifacts', 'ticket-390.png'), fullPage: true });

      expect(await page.evaluate<unknown>('window.__pwned')).toBeUndefined();
      expect(problems).toEqual([]);
      await context.close();
    });

    it('shows a supervisor the reports with server-rendered charts under the CSP', async () => {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
      const page = await context.newPage();
      const problems = watch(page);
      await logIn(page, 'sari', '?next=%2Fdashboard%2Freports');
      await page.waitForURL(`${base}/dashboard/reports`);
      await page.locator('#tiles .tile').first().waitFor();
      const images = page.locator('#charts img');
      await expect.poll(() => images.count()).toBe(5);
      for (let i = 0; i < 5; i += 1) {
        await images.nth(i).scrollIntoViewIfNeeded();
        await expect.poll(() => images.nth(i).evaluate((node) => {
          const img = node as unknown as { complete: boolean; naturalWidth: number };
          return img.complete && img.naturalWidth > 0;
        })).toBe(true);
      }
      expect(await page.locator('#nav a').allTextContents()).toEqual(['Antrean', 'Catat aduan', 'Pengetahuan', 'Laporan']);
      // Dates come from the server's (fake) clock, not the browser's: the digest is yesterday's
      // in office time and the range ends today, whatever day the suite runs on.
      await expect.poll(() => page.locator('#digest-text').textContent()).not.toBe('');
      expect(await page.locator('#digest-date').inputValue()).toBe('2026-11-29');
      expect(await page.locator('#to').inputValue()).toBe('2026-11-30');
      expect(problems).toEqual([]);
      await context.close();
    });
  });
}
