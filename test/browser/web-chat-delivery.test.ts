/**
 * Sending from the chat page when things go wrong, in Debian's chromium against the real
 * server: a message the server cannot take shows the reason in the conversation (not in a
 * tooltip) and a "Kirim ulang" button, the status says it is unsent (never "Terhubung"),
 * and the message is stored once when it finally goes (at 390 px, 1280 px and 1280 px at 200%
 * zoom, axe-core clean); a POST whose answer is lost is
 * retried without a duplicate; after the network drops, unsent messages (also across a
 * reload) go out in order when it is back (both also at each of the three layouts, axe-core
 * clean, screenshots). And each message's time (office zone) and read
 * state: sent, then read once an officer opens the ticket on the dashboard or replies.
 * Skips only without chromium.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { axe, launchChromium, OFFICER_PASSWORD, screenshot, SKIP, startChatServer, watch, type ChatServer } from './web-chat-harness.js';

let server: ChatServer;
let browser: Browser;

const inbound = (text: string): number =>
  (server.t.db.prepare("SELECT count(*) AS n FROM messages WHERE direction = 'in' AND text = ?").get(text) as { n: number }).n;

/** The phone, a desktop window, and that window at 200% zoom (640x400 CSS px). */
const LAYOUTS = {
  '390': { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2 },
  '1280': { viewport: { width: 1280, height: 800 } },
  '1280-zoom200': { viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 },
} as const;
type LayoutName = keyof typeof LAYOUTS;

async function open(layout: LayoutName = '390'): Promise<{ page: Page; problems: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({ locale: 'id-ID', timezoneId: 'America/New_York', ...LAYOUTS[layout] });
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto(`${server.base}/`);
  await page.locator('#log .msg--welcome').waitFor({ timeout: 15_000 });
  await page.locator('#status[data-state="online"]').waitFor({ timeout: 15_000 });
  return { page, problems, close: () => context.close() };
}

async function write(page: Page, text: string): Promise<void> {
  await page.fill('#input', text);
  await page.click('#send');
}

const applicantTexts = (page: Page): Promise<string[]> => page.locator('#log .msg--applicant .msg__text').allTextContents();
const botCount = (page: Page): Promise<number> => page.locator('#log .msg--bot:not(.msg--welcome)').count();

const skipReason = SKIP;
if (skipReason) {
  describe('web chat delivery in chromium', () => {
    it.skip(skipReason, () => undefined);
  });
} else {
  describe('web chat delivery in chromium', () => {
    beforeAll(async () => {
      server = await startChatServer({ dashboard: true });
      browser = await launchChromium();
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    for (const layout of Object.keys(LAYOUTS) as LayoutName[]) {
      it(`at ${layout}: a message the server cannot take: the reason in view, "Kirim ulang", the status honest, stored once`, async () => {
        const { page, problems, close } = await open(layout);
        const before = inbound('berapa biaya paspor?');
        // The web channel stops taking messages (starting or shutting down): the server answers 503.
        await server.web.stop();
        await write(page, 'berapa biaya paspor?');
        const failed = page.locator('#log .msg--failed');
        await failed.waitFor({ timeout: 10_000 });
        // The reason is text in the conversation, announced, not a tooltip.
        const error = failed.locator('.msg__error');
        expect(await error.isVisible()).toBe(true);
        expect(await error.textContent()).toBe('Belum terkirim: layanan sedang tidak dapat menerima pesan.');
        expect(await error.getAttribute('role')).toBe('alert');
        expect(await failed.getAttribute('title')).toBeNull();
        const resend = failed.getByRole('button', { name: 'Kirim ulang' });
        expect(await resend.isVisible()).toBe(true);
        const size = await resend.boundingBox();
        expect(size!.height).toBeGreaterThanOrEqual(44);
        // In view: within the width, and above the bottom of the screen (the text box stays below it).
        expect(size!.x + size!.width).toBeLessThanOrEqual(LAYOUTS[layout].viewport.width);
        expect(size!.y + size!.height).toBeLessThanOrEqual(LAYOUTS[layout].viewport.height);
        expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(LAYOUTS[layout].viewport.width);
        // The stream is still connected, but the status does not say "Terhubung".
        expect(await page.getAttribute('#status', 'data-state')).toBe('unsent');
        expect(await page.textContent('#status')).toBe('1 pesan belum terkirim');
        expect(inbound('berapa biaya paspor?')).toBe(before);
        expect(await axe(page)).toEqual([]);
        await screenshot(page, `web-chat-${layout}-failed`);

        // Back up: "Kirim ulang" sends it at once; stored once, answered once, status back.
        await server.web.start(server.t.core.intake.sink);
        await resend.click();
        await expect.poll(() => botCount(page), { timeout: 15_000 }).toBe(1);
        expect(await page.locator('#log .msg--bot:not(.msg--welcome) .msg__text').first().textContent()).toContain('Rp950.000');
        await page.locator('#status[data-state="online"]').waitFor();
        expect(await page.locator('#log .msg--failed').count()).toBe(0);
        expect(await applicantTexts(page)).toEqual(['berapa biaya paspor?']);
        expect(inbound('berapa biaya paspor?')).toBe(before + 1);
        expect(await page.locator('#log .msg--applicant .msg__state').textContent()).toBe('✓ Terkirim');
        expect(problems.filter((p) => !p.includes('503'))).toEqual([]);
        await close();
      }, 60_000);
    }

    for (const layout of Object.keys(LAYOUTS) as LayoutName[]) it(`at ${layout}: a POST whose answer is lost is sent again with the same id: one message, one answer`, async () => {
      const { page, problems, close } = await open(layout);
      const before = inbound('syarat paspor baru apa saja?');
      let lost = 0;
      // The request reaches the server (and is stored); the answer never reaches the page.
      await page.route('**/chat/messages', async (route) => {
        if (lost === 0) {
          lost += 1;
          await route.fetch();
          await route.abort('connectionreset');
          return;
        }
        await route.continue();
      });
      await write(page, 'syarat paspor baru apa saja?');
      await expect.poll(() => botCount(page), { timeout: 15_000 }).toBe(1);
      expect(lost).toBe(1);
      await page.locator('#status[data-state="online"]').waitFor();
      expect(await applicantTexts(page)).toEqual(['syarat paspor baru apa saja?']);
      expect(inbound('syarat paspor baru apa saja?')).toBe(before + 1);
      const answers = server.t.db.prepare("SELECT count(*) AS n FROM messages WHERE direction = 'out' AND author = 'bot'").get() as { n: number };
      expect(answers.n).toBeGreaterThanOrEqual(1);
      // The page shows the stored message once, not a copy beside it: once its resend (same
      // id) is answered, which may come a moment after the bot's answer arrived by the stream.
      await expect.poll(() => page.locator('#log .msg--pending, #log .msg--failed').count(), { timeout: 15_000 }).toBe(0);
      expect(await applicantTexts(page)).toEqual(['syarat paspor baru apa saja?']);
      expect(inbound('syarat paspor baru apa saja?')).toBe(before + 1);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(LAYOUTS[layout].viewport.width);
      expect(await axe(page), `after the lost answer at ${layout}`).toEqual([]);
      await screenshot(page, `web-chat-${layout}-lost-answer`);
      expect(problems.filter((p) => !/ERR_CONNECTION_RESET|Failed to load resource/.test(p))).toEqual([]);
      await close();
    }, 60_000);

    for (const layout of Object.keys(LAYOUTS) as LayoutName[]) it(`offline at ${layout}: the status says so, messages wait in order (also across a reload) and go out when the network is back`, async () => {
      const { page, close } = await open(layout);
      const context = page.context();
      const { width, height } = LAYOUTS[layout].viewport;
      // Earlier layouts stored these texts too: count and order only what this one adds.
      const lastId = (server.t.db.prepare('SELECT coalesce(max(id), 0) AS id FROM messages').get() as { id: number }).id;
      const before = { first: inbound('kuota M-Paspor kapan dibuka?'), second: inbound('saya di Kupang') };
      await context.setOffline(true);
      await page.locator('#status[data-state="offline"]').waitFor({ timeout: 10_000 });
      expect(await page.textContent('#status')).toBe('Tidak ada koneksi');
      await write(page, 'kuota M-Paspor kapan dibuka?');
      await write(page, 'saya di Kupang');
      const first = page.locator('#log .msg--applicant', { hasText: 'kuota M-Paspor kapan dibuka?' });
      const second = page.locator('#log .msg--applicant', { hasText: 'saya di Kupang' });
      await first.locator('.msg__error').waitFor({ timeout: 10_000 });
      expect(await first.locator('.msg__error').textContent()).toBe('Belum terkirim: tidak ada koneksi internet.');
      expect(await first.locator('.msg__hint').textContent()).toBe('Akan dikirim ulang otomatis saat koneksi kembali.');
      expect(await second.locator('.msg__state').textContent()).toBe('Menunggu pesan sebelumnya…');
      // The reason and the status are on screen at this layout, nothing sideways.
      const reason = await first.locator('.msg__error').boundingBox();
      expect(reason!.x + reason!.width).toBeLessThanOrEqual(width);
      const status = await page.locator('#status').boundingBox();
      expect(status!.y + status!.height).toBeLessThanOrEqual(height);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      expect(await axe(page), `offline at ${layout}`).toEqual([]);
      await screenshot(page, `web-chat-${layout}-offline`);

      // Online again, but the server still cannot be reached for messages: a reload keeps them.
      await page.route('**/chat/messages', (route) => route.abort('connectionrefused'));
      await context.setOffline(false);
      await page.reload();
      await page.locator('#log .msg--applicant', { hasText: 'saya di Kupang' }).waitFor({ timeout: 15_000 });
      expect(await applicantTexts(page)).toEqual(['kuota M-Paspor kapan dibuka?', 'saya di Kupang']);
      await page.locator('#log .msg--failed .msg__error').first().waitFor({ timeout: 10_000 });
      expect(await page.locator('#log .msg--failed .msg__error').first().textContent()).toBe('Belum terkirim: server tidak dapat dihubungi.');
      expect(await page.getAttribute('#status', 'data-state')).toBe('unsent');
      expect(inbound('kuota M-Paspor kapan dibuka?')).toBe(before.first);
      expect(await axe(page), `server unreachable at ${layout}`).toEqual([]);
      await screenshot(page, `web-chat-${layout}-unreachable`);

      // The way is clear: both go out by themselves, in order, once each.
      await page.unroute('**/chat/messages');
      await expect.poll(() => inbound('saya di Kupang'), { timeout: 20_000 }).toBe(before.second + 1);
      expect(inbound('kuota M-Paspor kapan dibuka?')).toBe(before.first + 1);
      const order = server.t.db
        .prepare<[number], { text: string }>("SELECT text FROM messages WHERE id > ? AND direction = 'in' AND text IN ('kuota M-Paspor kapan dibuka?', 'saya di Kupang') ORDER BY id")
        .all(lastId);
      expect(order.map((r) => r.text)).toEqual(['kuota M-Paspor kapan dibuka?', 'saya di Kupang']);
      await page.locator('#status[data-state="online"]').waitFor({ timeout: 15_000 });
      await expect.poll(() => page.locator('#log .msg--failed, #log .msg--pending').count()).toBe(0);
      expect(await applicantTexts(page)).toEqual(['kuota M-Paspor kapan dibuka?', 'saya di Kupang']);
      expect(await page.evaluate<string | null>("localStorage.getItem('sapa.unsent')")).toBeNull();
      expect(await axe(page), `back online at ${layout}`).toEqual([]);
      await close();
    }, 90_000);

    it('times in the office zone, and "Dibaca petugas" once an officer opens the ticket or replies', async () => {
      const { page, problems, close } = await open();
      await write(page, 'petugas loket kasar sekali, saya mau komplain');
      await expect.poll(async () => (await page.locator('#log .msg--bot:not(.msg--welcome) .msg__text').allTextContents()).join('\n'), { timeout: 15_000 }).toMatch(/#\d+/);
      const mine = page.locator('#log .msg--applicant').first();
      // 09.00 WITA on the server's clock, whatever the browser's zone (New York here).
      expect(await mine.locator('time').textContent()).toBe('09.00 WITA');
      expect(await mine.locator('time').getAttribute('datetime')).toBe('2026-11-30T01:00:00.000Z');
      expect(await page.locator('#log .chat__day').allTextContents()).toEqual(['Senin, 30 November 2026']);
      expect(await mine.locator('.msg__state').textContent()).toBe('✓ Terkirim');

      // Five minutes later an officer opens the ticket on the dashboard.
      const visitor = await page.evaluate<string>("localStorage.getItem('sapa.visitorId')");
      const ticket = (server.t.db.prepare('SELECT t.id FROM tickets t JOIN conversations c ON c.id = t.conversation_id WHERE c.external_id = ?').get(visitor) as { id: number }).id;
      server.t.clock.advance(5 * 60_000);
      const login = await fetch(`${server.base}/api/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'siti', password: OFFICER_PASSWORD }),
      });
      expect(login.status).toBe(200);
      const cookie = login.headers.getSetCookie().map((c) => c.split(';')[0]).join('; ');
      const { csrfToken } = (await login.json()) as { csrfToken: string };
      const opened = await fetch(`${server.base}/api/tickets/${ticket}`, { headers: { cookie } });
      expect(opened.status).toBe(200);
      await expect.poll(() => mine.locator('.msg__state').textContent(), { timeout: 10_000 }).toBe('✓✓ Dibaca petugas');

      // The applicant adds something: sent, not read (the officer has not opened it since).
      server.t.clock.advance(60_000);
      await write(page, 'namanya saya tidak tahu, loket 3');
      const added = page.locator('#log .msg--applicant', { hasText: 'loket 3' });
      await expect.poll(() => added.locator('.msg__state').textContent(), { timeout: 10_000 }).toBe('✓ Terkirim');
      expect(await added.locator('time').textContent()).toBe('09.06 WITA');

      // The officer replies from the dashboard: the reply arrives live and everything before it is read.
      server.t.clock.advance(60_000);
      const reply = await fetch(`${server.base}/api/tickets/${ticket}/messages`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': csrfToken },
        body: JSON.stringify({ text: 'Terima kasih, Bapak/Ibu. Kami tindak lanjuti dengan kepala loket hari ini.' }),
      });
      expect(reply.status).toBeLessThan(300);
      const staff = page.locator('#log .msg--staff');
      await staff.waitFor({ timeout: 10_000 });
      expect(await staff.locator('.msg__who').textContent()).toBe('Petugas');
      expect(await staff.locator('time').textContent()).toBe('09.07 WITA');
      await expect.poll(() => added.locator('.msg__state').textContent(), { timeout: 10_000 }).toBe('✓✓ Dibaca petugas');
      // After a reload the states come from the history.
      await page.reload();
      await page.locator('#log .msg--staff').waitFor({ timeout: 15_000 });
      expect(await page.locator('#log .msg--applicant .msg__state').allTextContents()).toEqual(['✓✓ Dibaca petugas', '✓✓ Dibaca petugas']);
      expect(await axe(page)).toEqual([]);
      await screenshot(page, 'web-chat-390-read');
      expect(problems).toEqual([]);
      await close();
    }, 60_000);
  });
}
