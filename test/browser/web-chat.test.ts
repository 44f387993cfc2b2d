/**
 * The applicant's chat page in a real browser (Debian's chromium via playwright-core, the
 * real server on 127.0.0.1): the page gets its visitor id from the server and keeps it
 * across reloads, an old unsigned id in localStorage is replaced without the applicant
 * noticing, no request URL carries the id, and "Percakapan baru" starts afresh on a shared
 * device while the previous conversation stays for staff. A first visit shows the office's
 * welcome without writing anything in the applicant's name (nothing stored, nothing counted
 * by the digest), at 390 px, 1280 px and 1280 px at 200% zoom. Skips only without chromium.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebChannel, type WebChannel } from '../../channels/web.js';
import { buildDigest } from '../../src/digest/build.js';
import { buildServer } from '../../src/server/app.js';
import { createTestCore, testPolicy, type TestCore } from '../helpers/core.js';
import { LAYOUTS, type Layout } from './dashboard-browser.js';
import { axe, launchChromium, screenshot, SKIP } from './web-chat-harness.js';

const STORED = 'sapa.visitorId';

let t: TestCore;
let web: WebChannel;
let app: FastifyInstance;
let browser: Browser;
let base: string;

const skipReason = SKIP;
if (skipReason) {
  describe('web chat in chromium', () => {
    it.skip(skipReason, () => undefined);
  });
} else {
  describe('web chat in chromium', () => {
    beforeAll(async () => {
      t = createTestCore();
      web = createWebChannel({ now: () => t.clock.now() });
      t.core.addChannel(web);
      await web.start(t.core.intake.sink);
      t.core.outbox.start();
      app = await buildServer({
        db: t.db,
        logger: pino({ level: 'silent' }),
        web,
        channels: () => t.core.channels(),
        problems: () => [],
        webChatPerMinute: 100,
        webChat: { knowledge: () => t.core.knowledge(), timeZone: 'Asia/Makassar' },
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      browser = await launchChromium();
    });

    afterAll(async () => {
      await browser?.close();
      await app?.close();
      await t?.core.outbox.stop();
      t?.close();
    });

    /** Every URL the page requested, and console errors. */
    const watch = (page: Page): { urls: string[]; problems: string[] } => {
      const urls: string[] = [];
      const problems: string[] = [];
      page.on('request', (request) => urls.push(request.url()));
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()}`);
      });
      page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
      return { urls, problems };
    };
    const storedId = (page: Page): Promise<string | null> => page.evaluate<string | null>(`localStorage.getItem('${STORED}')`);
    const botReplies = (page: Page) => page.locator('#log .msg--bot:not(.msg--welcome)');
    const welcome = (page: Page) => page.locator('#log .msg--welcome');
    const inboundCount = (): number => (t.db.prepare("SELECT count(*) AS n FROM messages WHERE direction = 'in'").get() as { n: number }).n;
    const messagesIn = (): number =>
      buildDigest(t.db, { date: '2026-11-30', calendar: testPolicy().calendar, timeZone: 'Asia/Makassar', now: t.clock.now() }).messagesIn;

    // At 390 px, 1280 px and 1280 px at 200% zoom (the viewports the dashboard's tests use).
    for (const layout of Object.keys(LAYOUTS) as Layout[]) it(`at ${layout}: greets a first-time visitor on the page itself: nothing is sent in their name, nothing counted`, async () => {
      const context = await browser.newContext({ ...LAYOUTS[layout], locale: 'id-ID' });
      const page = await context.newPage();
      const { problems } = watch(page);
      const before = inboundCount();
      await page.goto(`${base}/`);
      await welcome(page).waitFor({ timeout: 15_000 });
      // The office's greeting from the knowledge base (intents/greeting.yaml), with its topics.
      expect(await welcome(page).locator('.msg__text').textContent()).toContain('selamat datang di SAPA');
      expect(await page.locator('#quick-replies button').allTextContents()).toEqual(['Biaya paspor', 'Syarat paspor baru', 'Daftar M-Paspor', 'Paspor hilang/rusak']);
      await page.locator('#status[data-state="online"]').waitFor();
      expect(await page.locator('#log .msg--applicant').count()).toBe(0);
      // Nothing was stored: the digest's "messages in" does not move.
      expect(inboundCount()).toBe(before);
      expect(messagesIn()).toBe(before);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(LAYOUTS[layout].viewport.width);
      expect(await axe(page), `the welcome at ${layout}`).toEqual([]);
      await screenshot(page, `web-chat-welcome-${layout}`);
      // A reload of an empty conversation greets again, still without storing anything.
      await page.reload();
      await welcome(page).waitFor({ timeout: 15_000 });
      await page.locator('#status[data-state="online"]').waitFor();
      expect(inboundCount()).toBe(before);

      // A topic button is the applicant's first message: that one is stored and counted.
      await page.click('#quick-replies button:has-text("Biaya paspor")');
      await expect.poll(async () => (await botReplies(page).allTextContents()).join('\n'), { timeout: 15_000 }).toContain('Rp950.000');
      expect(inboundCount()).toBe(before + 1);
      expect(messagesIn()).toBe(before + 1);
      // The welcome stays on screen for this visit; it was never stored, so a reload shows the history only.
      expect(await welcome(page).count()).toBe(1);
      await page.reload();
      await expect.poll(async () => (await botReplies(page).allTextContents()).join('\n'), { timeout: 15_000 }).toContain('Rp950.000');
      expect(await welcome(page).count()).toBe(0);
      expect(await page.locator('#log .msg--applicant .msg__text').allTextContents()).toEqual(['Biaya paspor']);
      expect(await axe(page), `the first answer at ${layout}`).toEqual([]);
      expect(problems).toEqual([]);
      await context.close();
    });

    it('gets an id from the server, keeps it, replaces an old one, never puts it in a URL, and starts afresh on request', async () => {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'id-ID' });
      const page = await context.newPage();
      const { urls, problems } = watch(page);

      await page.goto(`${base}/`);
      await welcome(page).waitFor({ timeout: 15_000 });
      await page.locator('#status[data-state="online"]').waitFor();
      const first = await storedId(page);
      expect(first).toMatch(/^v1[A-Za-z0-9_-]{48}$/);

      // A question answered live over the stream.
      await page.fill('#input', 'berapa biaya paspor?');
      await page.click('#send');
      await expect.poll(async () => (await botReplies(page).allTextContents()).join('\n'), { timeout: 15_000 }).toContain('Rp950.000');

      // A reload keeps the conversation (same id, history shown again).
      await page.reload();
      await expect.poll(async () => (await botReplies(page).allTextContents()).join('\n'), { timeout: 15_000 }).toContain('Rp950.000');
      expect(await storedId(page)).toBe(first);

      // An id from before the server issued them is replaced transparently.
      await page.evaluate(`localStorage.setItem('${STORED}', 'a3f1c2d4e5b60718293a4b5c6d7e8f90')`);
      await page.reload();
      await welcome(page).waitFor({ timeout: 15_000 });
      const replaced = await storedId(page);
      expect(replaced).toMatch(/^v1[A-Za-z0-9_-]{48}$/);
      expect(replaced).not.toBe(first);
      await page.locator('#status[data-state="online"]').waitFor();

      // "Percakapan baru": confirmed, the log empties, a new id, the page's own greeting.
      const before = replaced!;
      page.once('dialog', (dialog) => void dialog.accept());
      await page.click('#new-conversation');
      // (Polled until the new id is stored: right after the click the old one is simply gone.)
      await expect.poll(async () => { const id = await storedId(page); return id !== null && id !== before; }, { timeout: 15_000 }).toBe(true);
      const fresh = await storedId(page);
      expect(fresh).toMatch(/^v1[A-Za-z0-9_-]{48}$/);
      await welcome(page).waitFor({ timeout: 15_000 });
      expect(await page.locator('#log .msg--applicant').count()).toBe(0);
      expect(await botReplies(page).count()).toBe(0);
      await page.fill('#input', 'status tiket saya');
      await page.click('#send');
      await expect.poll(() => page.locator('#log .msg--applicant .msg__text').allTextContents(), { timeout: 15_000 }).toEqual(['status tiket saya']);
      // Declining the question changes nothing.
      page.once('dialog', (dialog) => void dialog.dismiss());
      await page.click('#new-conversation');
      expect(await storedId(page)).toBe(fresh);

      // Server side: the earlier conversations are still there for staff. The replaced id
      // never wrote anything, so it has none (the page no longer greets in its name).
      const conversations = t.db.prepare("SELECT external_id FROM conversations WHERE channel = 'web' ORDER BY id").all() as { external_id: string }[];
      expect(conversations.map((c) => c.external_id).filter((id) => [first, before, fresh].includes(id))).toEqual([first, fresh]);
      const earlier = t.db.prepare("SELECT count(*) AS n FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.external_id = ?").get(first) as { n: number };
      expect(earlier.n).toBeGreaterThanOrEqual(2);

      // No request URL carried a visitor id; the stream was opened with tokens.
      const ids = [first!, before, fresh!];
      expect(urls.filter((url) => ids.some((id) => url.includes(id)))).toEqual([]);
      expect(urls.some((url) => url.includes('/chat/events?token='))).toBe(true);
      // The refused old id (403 on history) is the only failed request the page made.
      expect(problems.filter((p) => !/403/.test(p))).toEqual([]);
      await context.close();
    });
  });
}
