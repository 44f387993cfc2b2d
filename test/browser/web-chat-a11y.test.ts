/**
 * The applicant's chat page as people use it, in Debian's chromium: at 390 px and 1280 px,
 * at 200% browser zoom on a 390x844 phone (the page then has 195x422 CSS px, drawn at twice
 * the pixel density) and on a 1280x800 window (640x400 CSS px), and with the text size at
 * 200% on the same phone. In each: the header, buttons, input and note leave most of the
 * screen to the conversation, nothing is wider
 * than the screen, the survey's stars carry their numbers and are at least 44x44, and axe-core
 * finds no violation at all, of any impact (with the conversation, the survey and, when folded,
 * the header menu showing). Also: the English page (at 390 px, 1280 px and 1280 px at 200%
 * zoom, the switch in the folded menu there), the widget (open state, close button,
 * names that match what is shown), and the page served over plain HTTP on a LAN address.
 * Screenshots go to test-artifacts/. Skips only without chromium.
 */
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultHttpConfig } from '../../src/config.js';
import { ARTIFACTS, axe, box, launchChromium, screenshot, SKIP, startChatServer, watch, type ChatServer } from './web-chat-harness.js';

interface Layout {
  readonly name: string;
  readonly context: BrowserContextOptions;
  /** Root font size set by the "large text" setting. */
  readonly fontSize?: string;
  readonly compact: boolean;
}

const LAYOUTS: readonly Layout[] = [
  { name: '390', context: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }, compact: false },
  { name: '1280', context: { viewport: { width: 1280, height: 800 } }, compact: false },
  // 200% browser zoom on a 390x844 phone: half the CSS pixels each way, each drawn twice as large.
  { name: '390-zoom200', context: { viewport: { width: 195, height: 422 }, deviceScaleFactor: 4, isMobile: true, hasTouch: true }, compact: true },
  // 200% browser zoom on a 1280x800 desktop window: 640x400 CSS px, short for the text (compact).
  { name: '1280-zoom200', context: { viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 }, compact: true },
  // The phone's text size at 200%: every rem doubles.
  { name: '390-text200', context: { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true }, fontSize: '200%', compact: true },
];

let server: ChatServer;
let browser: Browser;

/** The visible size of the page in CSS px. */
const viewportOf = (page: Page): Promise<{ width: number; height: number }> => page.evaluate('({ width: window.innerWidth, height: window.innerHeight })');

async function openChat(layout: Layout, query = ''): Promise<{ page: Page; problems: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({ locale: 'id-ID', timezoneId: 'Europe/Berlin', ...layout.context });
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto(`${server.base}/${query}`);
  // The setting applies to the root element (CSSOM: the page's CSP stays on).
  if (layout.fontSize) await page.evaluate(`document.documentElement.style.fontSize = '${layout.fontSize}'`);
  await page.locator('#log .msg--welcome').waitFor({ timeout: 15_000 });
  await page.locator('#status[data-state="online"]').waitFor({ timeout: 15_000 });
  return { page, problems, close: () => context.close() };
}

async function say(page: Page, text: string, expected: string | RegExp): Promise<void> {
  const replies = page.locator('#log .msg--bot:not(.msg--welcome) .msg__text');
  const before = await replies.count();
  await page.fill('#input', text);
  await page.press('#input', 'Enter');
  await expect
    .poll(async () => {
      const texts = await replies.allTextContents();
      return texts.length > before && texts.slice(before).some((t) => (typeof expected === 'string' ? t.includes(expected) : expected.test(t)));
    }, { timeout: 15_000 })
    .toBe(true);
}

/** The newest ticket of the page's visitor (the page keeps its id in localStorage). */
async function ticketOf(page: Page): Promise<number> {
  const visitor = await page.evaluate<string>("localStorage.getItem('sapa.visitorId')");
  const row = server.t.db
    .prepare('SELECT t.id FROM tickets t JOIN conversations c ON c.id = t.conversation_id WHERE c.external_id = ? ORDER BY t.id DESC LIMIT 1')
    .get(visitor) as { id: number } | undefined;
  if (!row) throw new Error('no ticket for this visitor');
  return row.id;
}

const skipReason = SKIP;
if (skipReason) {
  describe('web chat accessibility and layout in chromium', () => {
    it.skip(skipReason, () => undefined);
  });
} else {
  describe('web chat accessibility and layout in chromium', () => {
    beforeAll(async () => {
      server = await startChatServer();
      browser = await launchChromium();
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    for (const layout of LAYOUTS) {
      it(`at ${layout.name}: the conversation keeps the screen, stars have numbers, axe finds no violation`, async () => {
        const { page, problems, close } = await openChat(layout);
        const viewport = await viewportOf(page);
        expect(await page.evaluate<boolean>("document.body.classList.contains('compact')")).toBe(layout.compact);
        expect(await axe(page)).toEqual([]);
        await screenshot(page, `web-chat-${layout.name}-welcome`);

        // A question, a complaint (a ticket), the officer's answer, the ticket resolved: the survey.
        await say(page, 'berapa biaya paspor?', 'Rp950.000');
        await say(page, 'antrian lama sekali dan membingungkan, saya kecewa', /#\d+/);
        const ticket = await ticketOf(page);
        server.t.core.tickets.staffReply(ticket, null, 'Mohon maaf atas antrean kemarin, Bapak/Ibu. Loket prioritas kini kami buka sejak pukul 08.00.');
        server.t.core.tickets.setStatus(ticket, 'resolved', { type: 'staff' });
        const stars = page.locator('#quick-replies button.rating');
        await expect.poll(() => stars.count(), { timeout: 15_000 }).toBe(5);
        await page.locator('#log .msg--staff').waitFor();

        // Stars: the number is shown and is the button's name; each at least 44x44 CSS px.
        expect(await stars.locator('.rating__number').allTextContents()).toEqual(['1', '2', '3', '4', '5']);
        expect(await page.locator('#quick-replies').getAttribute('aria-label')).toBe('Beri nilai dari 1 sampai 5');
        for (let n = 1; n <= 5; n += 1) {
          const star = page.getByRole('button', { name: `${n} dari 5 bintang`, exact: true });
          const size = await star.boundingBox();
          expect(size!.width, `star ${n} width`).toBeGreaterThanOrEqual(44);
          expect(size!.height, `star ${n} height`).toBeGreaterThanOrEqual(44);
          expect(size!.x + size!.width).toBeLessThanOrEqual(viewport.width);
        }

        // Nothing wider than the screen; the header, replies, input and note leave the messages most of it.
        expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(viewport.width);
        const header = await box(page, '.chat__header');
        const log = await box(page, '#log');
        const form = await box(page, '#form');
        const send = await box(page, '#send');
        expect(header.height / viewport.height, 'header share').toBeLessThanOrEqual(layout.compact ? 0.14 : 0.2);
        expect(log.height / viewport.height, 'conversation share').toBeGreaterThanOrEqual(0.4);
        // At least five lines of message text fit in the conversation.
        const lineHeight = await page.locator('#log .msg__text').first().evaluate((node) => parseFloat((globalThis as unknown as { getComputedStyle(n: unknown): { lineHeight: string } }).getComputedStyle(node).lineHeight));
        expect(log.height / lineHeight, 'lines of text visible').toBeGreaterThanOrEqual(5);
        expect(form.y + form.height).toBeLessThanOrEqual(viewport.height + 0.5);
        expect(send.width).toBeGreaterThanOrEqual(44);
        expect(send.height).toBeGreaterThanOrEqual(44);
        // Messages show their time in the office zone (the browser is set to Berlin) and the read state.
        expect(await page.locator('#log .msg--staff time').first().textContent()).toBe('09.00 WITA');
        expect(await page.locator('#log .chat__day').first().textContent()).toBe('Senin, 30 November 2026');
        expect(await page.locator('#log .msg--applicant .msg__state').allTextContents()).toEqual(['✓✓ Dibaca petugas', '✓✓ Dibaca petugas']);

        expect(await axe(page)).toEqual([]);
        await screenshot(page, `web-chat-${layout.name}`);
        writeFileSync(
          `${ARTIFACTS}/web-chat-${layout.name}-layout.json`,
          JSON.stringify({ viewport, header: header.height, log: log.height, form: form.height, headerShare: header.height / viewport.height, logShare: log.height / viewport.height, linesVisible: log.height / lineHeight }, null, 2),
        );

        if (layout.compact) {
          // The header's actions are folded into a menu that says whether it is open.
          expect(await page.locator('#new-conversation').isVisible()).toBe(false);
          await page.click('#menu-toggle');
          expect(await page.getAttribute('#menu-toggle', 'aria-expanded')).toBe('true');
          await page.locator('#new-conversation').waitFor();
          expect(await axe(page)).toEqual([]);
          await screenshot(page, `web-chat-${layout.name}-menu`);
          await page.keyboard.press('Escape');
          expect(await page.getAttribute('#menu-toggle', 'aria-expanded')).toBe('false');
          expect(await page.locator('#new-conversation').isVisible()).toBe(false);
          // The privacy note is still on screen, at the top of the conversation.
          expect(await page.locator('.chat__note--log').isVisible()).toBe(true);
        } else {
          expect(await page.locator('#menu-toggle').isVisible()).toBe(false);
          expect(await page.locator('.chat__note--footer').isVisible()).toBe(true);
        }

        // Rating by number; the comment question follows.
        await page.getByRole('button', { name: '4 dari 5 bintang', exact: true }).click();
        await expect.poll(() => (server.t.db.prepare('SELECT rating FROM csat_ratings WHERE ticket_id = ?').get(ticket) as { rating: number } | undefined)?.rating, { timeout: 15_000 }).toBe(4);

        // The text box grows with a long message, and the conversation keeps its room.
        const empty = await box(page, '#input');
        await page.fill('#input', 'Baris satu\nBaris dua\nBaris tiga\nBaris empat\nBaris lima\nBaris enam\nBaris tujuh');
        const typed = await box(page, '#input');
        expect(typed.height).toBeGreaterThan(empty.height * 1.5);
        expect((await box(page, '#log')).height / viewport.height, 'conversation share while typing').toBeGreaterThanOrEqual(layout.compact ? 0.3 : 0.4);
        await screenshot(page, `web-chat-${layout.name}-typing`);

        // The conversation can be reached and scrolled with the keyboard.
        await page.focus('#log');
        expect(await page.evaluate<string | null>('document.activeElement && document.activeElement.id')).toBe('log');
        expect(problems).toEqual([]);
        await close();
      }, 90_000);
    }

    // The English page at 390 px, 1280 px and 1280 px at 200% zoom (where the header's actions,
    // the language switch among them, are folded into the menu and the note heads the conversation).
    for (const layout of LAYOUTS.filter((l) => ['390', '1280', '1280-zoom200'].includes(l.name))) it(`at ${layout.name}: speaks English: from the browser language, from ?lang=en, and by the switch (kept across reloads)`, async () => {
      const english = await browser.newContext({ ...layout.context, locale: 'en-US', timezoneId: 'Asia/Tokyo' });
      const page = await english.newPage();
      const { width } = layout.context.viewport!;
      const note = layout.compact ? '.chat__note--log' : '.chat__note--footer';
      /** The language switch and "New conversation" sit in the menu when the header is folded. */
      const openMenu = async (p: Page): Promise<void> => {
        if (layout.compact && (await p.getAttribute('#menu-toggle', 'aria-expanded')) !== 'true') await p.click('#menu-toggle');
      };
      const problems = watch(page);
      await page.goto(`${server.base}/`);
      await page.locator('#log .msg--welcome').waitFor({ timeout: 15_000 });
      expect(await page.getAttribute('html', 'lang')).toBe('en');
      expect(await page.textContent('#send')).toBe('Send');
      // At 390 px the box shares the row with the microphone (#22): the shorter English hint that
      // fits; at 1280 px the whole one; at 200% zoom whichever English hint fits.
      const hint = await page.getAttribute('#input', 'placeholder');
      if (layout.name === '390') expect(hint).toBe('Write a question…');
      else if (layout.name === '1280') expect(hint).toBe('Write a question or complaint…');
      else expect(hint).toMatch(/^(Write a question or complaint…|Write a question…|Message…)$/);
      expect(await page.getAttribute('#voice .chat__voice-text', 'data-text')).toBe('voice');
      expect(await page.textContent('#voice')).toBe('Record voice');
      expect(await page.locator(note).isVisible()).toBe(true);
      expect(await page.textContent(note)).toBe('Do not send your NIK, passport number or M-Paspor password here.');
      expect(await page.locator('#log .msg--welcome .msg__text').textContent()).toContain('Hello, welcome to SAPA');
      expect(await page.locator('#quick-replies button').allTextContents()).toEqual(['Passport fees', 'New passport requirements', 'Register in M-Paspor', 'Lost or damaged passport']);
      await page.locator('#status[data-state="online"]').waitFor();
      expect(await page.textContent('#status')).toBe('Connected');
      await say(page, 'how much does a passport cost?', 'Rp950,000');
      expect(await page.locator('#log .msg--applicant .msg__who').first().textContent()).toBe('You');
      expect(await page.locator('#log .msg--applicant .msg__state').first().textContent()).toBe('✓ Sent');
      expect(await page.locator('#log .msg--bot time').first().textContent()).toBe('09:00 WITA');
      expect(await page.locator('#log .chat__day').first().textContent()).toBe('Monday, 30 November 2026');
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
      expect(await axe(page)).toEqual([]);
      await screenshot(page, `web-chat-${layout.name}-en`);

      // The switch: everything the page says changes, the conversation stays.
      await openMenu(page);
      expect(await page.locator('#language').isVisible()).toBe(true);
      const toggle = await page.locator('#language').boundingBox();
      expect(toggle!.x + toggle!.width, 'the switch within the width').toBeLessThanOrEqual(width);
      expect(await axe(page), `the English page's switch at ${layout.name}`).toEqual([]);
      await screenshot(page, `web-chat-${layout.name}-en-switch`);
      expect(await page.textContent('#language')).toBe('Bahasa Indonesia');
      expect(await page.getAttribute('#language', 'lang')).toBe('id');
      await page.click('#language');
      expect(await page.getAttribute('html', 'lang')).toBe('id');
      expect(await page.textContent('#send')).toBe('Kirim');
      expect(await page.textContent('#status')).toBe('Terhubung');
      expect(await page.locator('#log .msg--applicant .msg__state').first().textContent()).toBe('✓ Terkirim');
      expect(await page.locator('#log .msg--bot time').first().textContent()).toBe('09.00 WITA');
      expect(page.url()).toContain('lang=id');
      await page.reload();
      await page.locator('#log .msg--applicant').first().waitFor({ timeout: 15_000 });
      expect(await page.getAttribute('html', 'lang')).toBe('id');
      expect(problems).toEqual([]);
      await english.close();

      // An Indonesian browser asked for English by the address (the widget does this).
      const asked = await openChat(layout, '?lang=en');
      expect(await asked.page.getAttribute('html', 'lang')).toBe('en');
      await openMenu(asked.page);
      expect(await asked.page.textContent('#new-conversation')).toBe('New conversation');
      expect(await axe(asked.page), `?lang=en at ${layout.name}`).toEqual([]);
      expect(await asked.page.textContent('h1')).toContain('Passport service');
      await asked.close();
    }, 60_000);

    it('the widget: a launcher that says whether the chat is open, a close button, names that match the text', async () => {
      // The office website on another origin, allowed to frame the chat (WEB_CHAT_FRAME_ANCESTORS).
      let hostOrigin = '';
      let lang = 'id';
      const site: Server = createServer((_request, response) => {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        response.end(
          `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Kantor Imigrasi Kupang</title></head>` +
            `<body><main><h1>Kantor Imigrasi Kelas I TPI Kupang</h1><p>Situs resmi kantor.</p></main><script src="${widgetServer.base}/widget.js" async></script></body></html>`,
        );
      });
      await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
      hostOrigin = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
      const widgetServer = await startChatServer({ http: { ...defaultHttpConfig(), frameAncestors: [hostOrigin] } });
      try {
        // A phone, a desktop window, and that window at 200% zoom (640x400 CSS px).
        for (const { name, width, height, scale } of [
          { name: '390', width: 390, height: 844, scale: 1 },
          { name: '1280', width: 1280, height: 844, scale: 1 },
          { name: '1280-zoom200', width: 640, height: 400, scale: 2 },
        ]) {
          const context = await browser.newContext({ locale: 'id-ID', viewport: { width, height }, deviceScaleFactor: scale });
          const page = await context.newPage();
          const problems = watch(page);
          await page.goto(hostOrigin);
          const launcher = page.locator('#sapa-widget-launcher');
          await launcher.waitFor();
          expect(await launcher.textContent()).toBe('Tanya Paspor');
          expect(await launcher.getAttribute('aria-label')).toBeNull();
          expect(await launcher.getAttribute('aria-expanded')).toBe('false');
          expect((await axe(page)).map((v) => v.id)).not.toContain('label-content-name-mismatch');
          expect(await axe(page)).toEqual([]);

          await launcher.click();
          expect(await launcher.getAttribute('aria-expanded')).toBe('true');
          const panel = page.locator('#sapa-widget-panel');
          await panel.waitFor();
          const chat = page.frameLocator('#sapa-widget-panel iframe');
          await chat.locator('#log .msg--welcome').waitFor({ timeout: 15_000 });
          expect(await chat.locator('html').getAttribute('lang')).toBe('id');
          // The chat in the office website's frame may use the microphone ("Rekam suara", #22).
          expect(await page.locator('#sapa-widget-panel iframe').getAttribute('allow')).toBe('microphone');
          const microphone = await chat
            .locator('html')
            .evaluate((node) => (node as unknown as { ownerDocument: { featurePolicy?: { allowsFeature(feature: string): boolean } } }).ownerDocument.featurePolicy?.allowsFeature('microphone') ?? null);
          expect(microphone).toBe(true);
          const close = page.getByRole('button', { name: 'Tutup', exact: true });
          const closeBox = await close.boundingBox();
          expect(closeBox!.width).toBeGreaterThanOrEqual(44);
          expect(closeBox!.height).toBeGreaterThanOrEqual(44);
          const panelBox = await panel.boundingBox();
          expect(panelBox!.x).toBeGreaterThanOrEqual(0);
          expect(panelBox!.x + panelBox!.width).toBeLessThanOrEqual(width);
          if (width === 390) expect(panelBox!.width).toBe(390); // a phone: the whole screen
          // The close button and the chat's text box are on screen (not below a short window's edge).
          expect(closeBox!.y).toBeGreaterThanOrEqual(0);
          expect(panelBox!.y + panelBox!.height).toBeLessThanOrEqual(height + 0.5);
          expect(await axe(page)).toEqual([]);
          await screenshot(page, `widget-${name}-open`);

          await close.click();
          expect(await panel.isVisible()).toBe(false);
          expect(await launcher.getAttribute('aria-expanded')).toBe('false');
          expect(await page.evaluate<string | null>('document.activeElement && document.activeElement.id')).toBe('sapa-widget-launcher');
          // Open again (the same conversation), then Escape closes it.
          await launcher.click();
          await panel.waitFor();
          await page.focus('#sapa-widget-close');
          await page.keyboard.press('Escape');
          expect(await panel.isVisible()).toBe(false);
          expect(problems).toEqual([]);
          await context.close();
        }

        // An English website gets an English launcher and chat.
        lang = 'en';
        const context = await browser.newContext({ locale: 'id-ID', viewport: { width: 1280, height: 800 } });
        const page = await context.newPage();
        await page.goto(hostOrigin);
        const launcher = page.locator('#sapa-widget-launcher');
        await launcher.waitFor();
        expect(await launcher.textContent()).toBe('Ask about passports');
        await launcher.click();
        const chat = page.frameLocator('#sapa-widget-panel iframe');
        await chat.locator('#log .msg--welcome').waitFor({ timeout: 15_000 });
        expect(await chat.locator('html').getAttribute('lang')).toBe('en');
        expect(await page.getByRole('button', { name: 'Close', exact: true }).isVisible()).toBe(true);
        await context.close();
      } finally {
        await widgetServer.close();
        await new Promise((resolve) => site.close(resolve));
      }
    }, 120_000);

    const lanAddress = Object.values(networkInterfaces())
      .flat()
      .find((net) => net && net.family === 'IPv4' && !net.internal)?.address;

    it.skipIf(!lanAddress)('works over plain HTTP on a LAN address (HOST=0.0.0.0, no https PUBLIC_URL)', async () => {
      const lan = await startChatServer({ host: '0.0.0.0', browserHost: lanAddress! });
      // The same server with an https PUBLIC_URL: there upgrade-insecure-requests is right, and
      // over plain HTTP it breaks the page, which shows this test would see the fault.
      const https = await startChatServer({ host: '0.0.0.0', browserHost: lanAddress!, http: { ...defaultHttpConfig(), publicUrl: 'https://sapa.example.go.id' } });
      try {
        const context = await browser.newContext({ locale: 'id-ID', viewport: { width: 390, height: 844 } });
        const page = await context.newPage();
        const problems = watch(page);
        const response = await page.goto(`${lan.base}/`);
        expect(response!.headers()['content-security-policy']).not.toContain('upgrade-insecure-requests');
        await page.locator('#log .msg--welcome').waitFor({ timeout: 15_000 });
        // The style sheet applied and the stream connected.
        expect(await page.locator('.chat__header').evaluate((node) => (globalThis as unknown as { getComputedStyle(n: unknown): { backgroundColor: string } }).getComputedStyle(node).backgroundColor)).toBe('rgb(18, 63, 122)');
        await page.locator('#status[data-state="online"]').waitFor({ timeout: 15_000 });
        await say(page, 'berapa biaya paspor?', 'Rp950.000');
        // Browsers give the microphone only to https pages (and localhost): the voice button says so.
        await page.click('#voice');
        await expect.poll(() => page.textContent('#voice-status')).toBe('Perekam suara tidak dapat dipakai di alamat ini (perlu https). Silakan tulis pesan Anda.');
        expect(problems).toEqual([]);
        await screenshot(page, 'web-chat-lan-http');

        const broken = await context.newPage();
        const brokenResponse = await broken.goto(`${https.base}/`);
        expect(brokenResponse!.headers()['content-security-policy']).toContain('upgrade-insecure-requests');
        await broken.waitForTimeout(1_500);
        expect(await broken.locator('#log .msg--welcome').count()).toBe(0);
        await context.close();
      } finally {
        await lan.close();
        await https.close();
      }
    }, 60_000);
  });
}
