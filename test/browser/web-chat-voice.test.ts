/**
 * "Rekam suara" on the chat page (#22), in Debian's chromium with its fake microphone
 * (`--use-fake-device-for-media-stream`, a beeping tone; `--use-fake-ui-for-media-stream`
 * grants the permission): on a 390 px phone, a held button records and sends on release, and
 * the recording reaches a handoff ticket with the audio kept (a real WebM file as the browser
 * made it) and the applicant told the ticket number; pressing the button by keyboard starts a
 * recording that "Kirim suara" sends (for people who cannot hold) and "Batal" drops. axe-core
 * finds nothing while recording, and at 200% zoom the button and the recorder fit the screen;
 * the same on a 1280 px window and that window at 200% zoom (held with the mouse).
 * Where the browser cannot record (no navigator.mediaDevices, permission refused) pressing the
 * button says so in plain words and nothing is sent. Skips only without chromium.
 */
import type { Browser, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultHttpConfig } from '../../src/config.js';
import { axe, box, launchChromium, screenshot, SKIP, startChatServer, watch, type ChatServer } from './web-chat-harness.js';

let server: ChatServer;
let browser: Browser;

const PHONE: BrowserContextOptions = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
/** 200% browser zoom on the same phone. */
const PHONE_ZOOM_200: BrowserContextOptions = { viewport: { width: 195, height: 422 }, deviceScaleFactor: 4, isMobile: true, hasTouch: true };

async function openChat(options: BrowserContextOptions, initScript?: string): Promise<{ page: Page; problems: string[]; close: () => Promise<void> }> {
  const context = await browser.newContext({ locale: 'id-ID', timezoneId: 'Asia/Makassar', ...options });
  if (initScript) await context.addInitScript(initScript);
  const page = await context.newPage();
  const problems = watch(page);
  await page.goto(`${server.base}/`);
  await page.locator('#log .msg--welcome').waitFor({ timeout: 15_000 });
  await page.locator('#status[data-state="online"]').waitFor({ timeout: 15_000 });
  return { page, problems, close: () => context.close() };
}

interface VoiceRow {
  message_id: number;
  ticket_id: number | null;
  mime_type: string;
  size_bytes: number;
  duration_seconds: number | null;
  data: Buffer | null;
}

async function voiceNotesOf(page: Page): Promise<VoiceRow[]> {
  const visitor = await page.evaluate<string>("localStorage.getItem('sapa.visitorId')");
  return server.t.db
    .prepare(
      `SELECT a.message_id, m.ticket_id, a.mime_type, a.size_bytes, a.duration_seconds, a.data
       FROM attachments a JOIN messages m ON m.id = a.message_id JOIN conversations c ON c.id = m.conversation_id
       WHERE c.external_id = ? AND a.kind = 'voice' ORDER BY a.id`,
    )
    .all(visitor) as VoiceRow[];
}

const botTexts = (page: Page): Promise<string[]> => page.locator('#log .msg--bot:not(.msg--welcome) .msg__text').allTextContents();

const skipReason = SKIP;
if (skipReason) {
  describe('voice notes on the chat page in chromium', () => {
    it.skip(skipReason, () => undefined);
  });
} else {
  describe('voice notes on the chat page in chromium', () => {
    beforeAll(async () => {
      server = await startChatServer();
      browser = await launchChromium(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream']);
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    it('at 390 px: hold to speak sends on release, the recording reaches a handoff ticket; tap to start, "Kirim suara" and "Batal"', async () => {
      const { page, problems, close } = await openChat(PHONE);
      const button = page.getByRole('button', { name: 'Rekam suara', exact: true });
      expect(await button.getAttribute('aria-pressed')).toBe('false');
      const size = await box(page, '#voice');
      expect(size.width).toBeGreaterThanOrEqual(44);
      expect(size.height).toBeGreaterThanOrEqual(44);

      // Hold: press, speak (the fake microphone beeps), let go on the button.
      await page.mouse.move(size.x + size.width / 2, size.y + size.height / 2);
      await page.mouse.down();
      await expect.poll(() => page.textContent('#voice-status'), { timeout: 10_000 }).toMatch(/^Merekam… 0:0\d \(paling lama 3:00\)\. Lepas tombol untuk mengirim/);
      expect(await button.getAttribute('aria-pressed')).toBe('true');
      await page.waitForTimeout(1_600);
      await page.mouse.up();

      await page.locator('#log .msg--applicant', { hasText: '🎤 Pesan suara (0:01)' }).waitFor({ timeout: 15_000 });
      await expect.poll(async () => (await voiceNotesOf(page)).length, { timeout: 15_000 }).toBe(1);
      const [first] = await voiceNotesOf(page);
      expect(first!.ticket_id).not.toBeNull();
      expect(first!.mime_type).toBe('audio/webm');
      expect(first!.duration_seconds).toBeGreaterThanOrEqual(1);
      // The bytes are the browser's own WebM recording (EBML header), not something made up.
      expect([...first!.data!.subarray(0, 4)]).toEqual([0x1a, 0x45, 0xdf, 0xa3]);
      expect(first!.size_bytes).toBe(first!.data!.byteLength);
      expect(first!.size_bytes).toBeGreaterThan(1_000);
      await expect.poll(async () => (await botTexts(page)).some((text) => text.includes(`#${first!.ticket_id}`)), { timeout: 15_000 }).toBe(true);
      expect(await page.locator('#log .msg--applicant .msg__state').last().textContent()).toBe('✓ Terkirim');
      expect(await button.getAttribute('aria-pressed')).toBe('false');
      await screenshot(page, 'web-chat-voice-390-sent');

      // By keyboard (for people who cannot hold a button): Enter starts, the recorder's own buttons appear.
      await page.focus('#voice');
      await page.keyboard.press('Enter');
      await page.locator('#voice-actions').waitFor({ state: 'visible' });
      await expect.poll(() => page.textContent('#voice-status'), { timeout: 10_000 }).toMatch(/^Merekam… .*Tekan "Kirim suara" bila selesai\.$/);
      expect(await page.evaluate<string | null>('document.activeElement && document.activeElement.id')).toBe('voice-send');
      for (const id of ['#voice-send', '#voice-cancel']) {
        const control = await box(page, id);
        expect(control.height, `${id} height`).toBeGreaterThanOrEqual(44);
        expect(control.x + control.width).toBeLessThanOrEqual(390);
      }
      expect(await axe(page)).toEqual([]);
      await screenshot(page, 'web-chat-voice-390-recording');
      await page.waitForTimeout(1_300);
      await page.keyboard.press('Enter');
      await expect.poll(async () => (await voiceNotesOf(page)).length, { timeout: 15_000 }).toBe(2);
      const notes = await voiceNotesOf(page);
      // The second note joins the ticket the first one opened.
      expect(notes[1]!.ticket_id).toBe(first!.ticket_id);
      expect(await page.locator('#voice-actions').isVisible()).toBe(false);

      // "Batal" drops the recording; nothing is sent.
      await page.click('#voice');
      await page.locator('#voice-actions').waitFor({ state: 'visible' });
      await expect.poll(() => page.textContent('#voice-status'), { timeout: 10_000 }).toContain('Merekam…');
      await page.click('#voice-cancel');
      await expect.poll(() => page.textContent('#voice-status')).toBe('Rekaman dibatalkan.');
      // Escape cancels too (keyboard users), and focus stays usable.
      await page.focus('#voice');
      await page.keyboard.press('Space');
      await expect.poll(() => page.textContent('#voice-status'), { timeout: 10_000 }).toContain('Merekam…');
      await page.keyboard.press('Escape');
      await expect.poll(() => page.textContent('#voice-status')).toBe('Rekaman dibatalkan.');
      expect(await page.getAttribute('#voice', 'aria-pressed')).toBe('false');
      await page.waitForTimeout(500);
      expect(await voiceNotesOf(page)).toHaveLength(2);
      expect(await page.locator('#log .msg--applicant').count()).toBe(2);

      // A reload shows the notes from the history, labelled, in order.
      await page.reload();
      await page.locator('#status[data-state="online"]').waitFor({ timeout: 15_000 });
      await expect.poll(() => page.locator('#log .msg--applicant .msg__text').allTextContents(), { timeout: 15_000 }).toEqual(['🎤 Pesan suara', '🎤 Pesan suara']);
      expect(await axe(page)).toEqual([]);
      expect(problems).toEqual([]);
      await close();
    }, 120_000);

    it('on a touch screen: a finger held on the button records, and lifting it sends', async () => {
      const { page, problems, close } = await openChat(PHONE);
      const size = await box(page, '#voice');
      const point = { x: size.x + size.width / 2, y: size.y + size.height / 2 };
      // Raw touch events through the DevTools protocol: Playwright's touchscreen only taps.
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: [point] });
      await expect.poll(() => page.textContent('#voice-status'), { timeout: 10_000 }).toMatch(/^Merekam… 0:0\d.*Lepas tombol untuk mengirim/);
      await page.waitForTimeout(1_500);
      // Still recording after the long press (no long-press menu, no cancelled gesture).
      expect(await page.getAttribute('#voice', 'aria-pressed')).toBe('true');
      expect(await page.locator('#voice-actions').isVisible()).toBe(false);
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
      await page.locator('#log .msg--applicant', { hasText: 'Pesan suara (0:01)' }).waitFor({ timeout: 15_000 });
      await expect.poll(async () => (await voiceNotesOf(page)).length, { timeout: 15_000 }).toBe(1);
      const [note] = await voiceNotesOf(page);
      expect(note!.ticket_id).not.toBeNull();
      expect(note!.data!.byteLength).toBeGreaterThan(1_000);
      expect(problems).toEqual([]);
      await close();
    }, 60_000);

    // A desktop window and that window at 200% zoom (640x400 CSS px, the compact layout): held
    // with the mouse it sends on release; started by keyboard, the recorder's buttons fit.
    for (const [name, options] of [
      ['1280', { viewport: { width: 1280, height: 800 } }],
      ['1280-zoom200', { viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 }],
    ] as const) {
      it(`at ${name}: hold to speak with the mouse, the recorder by keyboard fits the window, axe finds nothing`, async () => {
        const { page, problems, close } = await openChat(options);
        const viewport = options.viewport;
        expect(await page.evaluate<boolean>("document.body.classList.contains('compact')")).toBe(name !== '1280');
        const button = page.getByRole('button', { name: 'Rekam suara', exact: true });
        expect(await button.isVisible()).toBe(true);
        const size = await box(page, '#voice');
        expect(size.width).toBeGreaterThanOrEqual(44);
        expect(size.height).toBeGreaterThanOrEqual(44);
        expect(size.x + size.width).toBeLessThanOrEqual(viewport.width);
        expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(viewport.width);
        expect(await axe(page)).toEqual([]);

        // Hold with the mouse, let go: sent, to a handoff ticket.
        await page.mouse.move(size.x + size.width / 2, size.y + size.height / 2);
        await page.mouse.down();
        await expect.poll(() => page.textContent('#voice-status'), { timeout: 10_000 }).toMatch(/^Merekam… 0:0\d.*Lepas tombol untuk mengirim/);
        expect(await button.getAttribute('aria-pressed')).toBe('true');
        await page.waitForTimeout(1_500);
        await page.mouse.up();
        await page.locator('#log .msg--applicant', { hasText: '🎤 Pesan suara (0:01)' }).waitFor({ timeout: 15_000 });
        await expect.poll(async () => (await voiceNotesOf(page)).length, { timeout: 15_000 }).toBe(1);
        const [first] = await voiceNotesOf(page);
        expect(first!.ticket_id).not.toBeNull();
        expect([...first!.data!.subarray(0, 4)]).toEqual([0x1a, 0x45, 0xdf, 0xa3]);
        await expect.poll(async () => (await botTexts(page)).some((text) => text.includes(`#${first!.ticket_id}`)), { timeout: 15_000 }).toBe(true);
        await screenshot(page, `web-chat-voice-${name}-sent`);

        // By keyboard: the recorder's own buttons, within the window, the conversation still visible.
        await page.focus('#voice');
        await page.keyboard.press('Enter');
        await page.locator('#voice-actions').waitFor({ state: 'visible' });
        await expect.poll(() => page.textContent('#voice-status'), { timeout: 10_000 }).toMatch(/^Merekam… .*Tekan "Kirim suara" bila selesai\.$/);
        for (const id of ['#voice-send', '#voice-cancel']) {
          const control = await box(page, id);
          expect(control.height, `${id} height`).toBeGreaterThanOrEqual(44);
          expect(control.x + control.width, `${id} within the width`).toBeLessThanOrEqual(viewport.width);
          expect(control.y + control.height, `${id} within the height`).toBeLessThanOrEqual(viewport.height + 0.5);
        }
        expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(viewport.width);
        expect((await box(page, '#log')).height / viewport.height, 'conversation share while recording').toBeGreaterThanOrEqual(0.3);
        expect(await axe(page)).toEqual([]);
        await screenshot(page, `web-chat-voice-${name}-recording`);
        await page.waitForTimeout(1_200);
        await page.keyboard.press('Enter');
        await expect.poll(async () => (await voiceNotesOf(page)).length, { timeout: 15_000 }).toBe(2);
        expect((await voiceNotesOf(page))[1]!.ticket_id).toBe(first!.ticket_id);
        expect(await page.locator('#voice-actions').isVisible()).toBe(false);
        expect(await axe(page)).toEqual([]);
        expect(problems).toEqual([]);
        await close();
      }, 90_000);
    }

    it('at 200% zoom the voice button and the recorder fit the screen and leave room for the conversation', async () => {
      const { page, problems, close } = await openChat(PHONE_ZOOM_200);
      expect(await page.evaluate<boolean>("document.body.classList.contains('compact')")).toBe(true);
      const viewport = { width: 195, height: 422 };
      // The button's word is folded away; its name stays.
      const button = page.getByRole('button', { name: 'Rekam suara', exact: true });
      expect(await button.isVisible()).toBe(true);
      const size = await box(page, '#voice');
      expect(size.width).toBeGreaterThanOrEqual(44);
      expect(size.height).toBeGreaterThanOrEqual(44);
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(viewport.width);
      expect((await box(page, '#send')).x + (await box(page, '#send')).width).toBeLessThanOrEqual(viewport.width);
      expect((await box(page, '#input')).width).toBeGreaterThanOrEqual(60);
      expect(await axe(page)).toEqual([]);

      await button.click();
      await page.locator('#voice-actions').waitFor({ state: 'visible' });
      await expect.poll(() => page.textContent('#voice-status'), { timeout: 10_000 }).toContain('Merekam…');
      await screenshot(page, 'web-chat-voice-zoom200-recording');
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(viewport.width);
      const log = await box(page, '#log');
      expect(log.height / viewport.height, 'conversation share while recording').toBeGreaterThanOrEqual(0.3);
      const form = await box(page, '#form');
      expect(form.y + form.height).toBeLessThanOrEqual(viewport.height + 0.5);
      expect(await axe(page)).toEqual([]);
      await page.waitForTimeout(1_200);
      await page.click('#voice-send');
      await page.locator('#log .msg--applicant', { hasText: '🎤 Pesan suara' }).waitFor({ timeout: 15_000 });
      await expect.poll(async () => (await voiceNotesOf(page)).length, { timeout: 15_000 }).toBe(1);
      expect(problems).toEqual([]);
      await close();
    }, 90_000);

    it('a recording over the server\'s limit is refused with a plain reason on the message, and nothing is stored', async () => {
      // 8 KB: a few seconds of the fake microphone are more (the real default is 4 MiB).
      const small = await startChatServer({ http: { ...defaultHttpConfig(), voiceBodyLimit: 8 * 1024 } });
      const context = await browser.newContext({ locale: 'id-ID', timezoneId: 'Asia/Makassar', ...PHONE });
      try {
        const page = await context.newPage();
        const problems = watch(page);
        await page.goto(`${small.base}/`);
        await page.locator('#status[data-state="online"]').waitFor({ timeout: 15_000 });
        await page.click('#voice');
        await expect.poll(() => page.textContent('#voice-status'), { timeout: 10_000 }).toContain('Merekam…');
        await page.waitForTimeout(4_000);
        await page.click('#voice-send');
        const failed = page.locator('#log .msg--failed');
        await failed.waitFor({ timeout: 15_000 });
        expect(await failed.locator('.msg__error').textContent()).toBe('Pesan suara terlalu panjang. Silakan rekam pesan yang lebih singkat.');
        expect(await failed.locator('.msg__text').textContent()).toMatch(/^🎤 Pesan suara \(0:0[3-5]\)$/);
        // Sending the same recording again would be refused again: no "Kirim ulang" here.
        expect(await failed.locator('.msg__resend').isVisible()).toBe(false);
        expect((small.t.db.prepare('SELECT count(*) AS n FROM attachments').get() as { n: number }).n).toBe(0);
        expect(await axe(page)).toEqual([]);
        await screenshot(page, 'web-chat-voice-too-large');
        // The browser logs the refused request itself; nothing else went wrong.
        expect(problems.filter((p) => !p.includes('413'))).toEqual([]);
      } finally {
        await context.close();
        await small.close();
      }
    }, 60_000);

    it('says plainly when the browser cannot record (no microphone API, permission refused) and sends nothing', async () => {
      // A browser without navigator.mediaDevices (old WebView, or a page that is not https).
      const none = await openChat(PHONE, "Object.defineProperty(Navigator.prototype, 'mediaDevices', { get: () => undefined, configurable: true });");
      await none.page.click('#voice');
      await expect.poll(() => none.page.textContent('#voice-status')).toBe(
        'Browser ini tidak dapat merekam suara. Silakan tulis pesan Anda, atau buka halaman ini di Chrome atau Safari yang terbaru.',
      );
      expect(await none.page.locator('#voice-status').getAttribute('role')).toBe('status');
      expect(await none.page.locator('#voice-actions').isVisible()).toBe(false);
      expect(await none.page.getAttribute('#voice', 'aria-pressed')).toBe('false');
      // The text box still works.
      await none.page.fill('#input', 'berapa biaya paspor?');
      await none.page.press('#input', 'Enter');
      await expect.poll(async () => (await botTexts(none.page)).some((text) => text.includes('Rp950.000')), { timeout: 15_000 }).toBe(true);
      expect(await axe(none.page)).toEqual([]);
      await screenshot(none.page, 'web-chat-voice-unsupported');
      expect(await voiceNotesOf(none.page)).toEqual([]);
      expect(none.problems).toEqual([]);
      await none.close();

      // The person (or the browser's settings) refused the microphone.
      const refused = await openChat(
        PHONE,
        "navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Permission denied', 'NotAllowedError'));",
      );
      await refused.page.click('#voice');
      await expect.poll(() => refused.page.textContent('#voice-status')).toContain('Izin mikrofon ditolak.');
      expect(await refused.page.getAttribute('#voice', 'aria-pressed')).toBe('false');
      expect(await voiceNotesOf(refused.page)).toEqual([]);
      expect(refused.problems).toEqual([]);
      await refused.close();
    }, 90_000);
  });
}
