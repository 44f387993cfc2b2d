/**
 * #22 in a real browser: Debian's chromium (playwright-core) against the real server. An
 * applicant's voice note (a WAV tone made here, no download) is on the ticket page as an
 * <audio controls> element that loads (duration about one second) and plays; a photo shows
 * as an image; a colleague who may only read the ticket sees that the recording is for the
 * holder, and no player. No console errors. Skips only without chromium.
 * Browser-side code is passed as strings: the test project's types have no DOM library.
 */
import { existsSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWav, PNG_1X1 } from '../helpers/audio.js';
import { createHarness, PASSWORD, type Harness } from '../server/dashboard-harness.js';

const CHROMIUM = '/usr/bin/chromium';
const SKIP = existsSync(CHROMIUM) ? null : `${CHROMIUM} is missing: install Debian's chromium (apt-get install chromium) to run the browser tests`;

let h: Harness;
let browser: Browser;
let base: string;

if (SKIP) {
  describe('voice notes on the ticket page in chromium', () => {
    it.skip(SKIP, () => undefined);
  });
} else {
  describe('voice notes on the ticket page in chromium', () => {
    beforeAll(async () => {
      h = await createHarness();
      await h.app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
      await h.t.say('', { from: 'opa-1', attachments: [{ kind: 'voice', mimeType: 'audio/wav', durationSeconds: 1, data: makeWav(1) }] });
      await h.t.say('', { from: 'oma-2', attachments: [{ kind: 'image', mimeType: 'image/png', data: PNG_1X1 }] });
      browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
          // play() without a click: the test presses nothing.
          '--autoplay-policy=no-user-gesture-required',
        ],
      });
    });

    afterAll(async () => {
      await browser?.close();
      await h?.close();
    });

    const watch = (page: Page): string[] => {
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()}`);
      });
      page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
      page.on('response', (response) => {
        if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
      });
      return problems;
    };

    const logIn = async (page: Page, username: string, next: string): Promise<void> => {
      await page.goto(`${base}/dashboard/login?next=${encodeURIComponent(next)}`);
      await page.fill('#username', username);
      await page.fill('#password', PASSWORD);
      await page.click('#submit');
      await page.waitForURL(`${base}${next}`);
    };

    it('plays the voice note: the audio element loads (duration about 1 s) and plays', async () => {
      const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'id-ID' });
      const page = await context.newPage();
      const problems = watch(page);
      await logIn(page, 'siti', '/dashboard/tickets/1');
      const player = page.locator('#history audio');
      await player.waitFor({ timeout: 10_000 });
      expect(await page.locator('#history .msg__file-label').textContent()).toBe('Pesan suara 0:01');
      expect(await player.getAttribute('aria-label')).toBe('Pesan suara 0:01 dari pemohon');
      const state = (await page.evaluate(`(async () => {
        const audio = document.querySelector('#history audio');
        if (audio.readyState < 1) {
          await new Promise((resolve, reject) => {
            audio.addEventListener('loadedmetadata', resolve, { once: true });
            audio.addEventListener('error', () => reject(new Error('audio error ' + (audio.error && audio.error.code))), { once: true });
          });
        }
        await audio.play();
        const started = performance.now();
        while (audio.currentTime === 0 && performance.now() - started < 3000) await new Promise((r) => setTimeout(r, 20));
        return { duration: audio.duration, currentTime: audio.currentTime, error: audio.error && audio.error.code, src: audio.currentSrc };
      })()`)) as { duration: number; currentTime: number; error: number | null; src: string };
      expect(state.error).toBeNull();
      expect(state.src).toMatch(/\/api\/tickets\/1\/attachments\/\d+$/);
      expect(state.duration).toBeGreaterThan(0.9);
      expect(state.duration).toBeLessThan(1.1);
      expect(state.currentTime).toBeGreaterThan(0);
      expect(problems).toEqual([]);
      await context.close();
    });

    it('shows a photo; a colleague who may only read the ticket gets no player', async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'id-ID' });
      const page = await context.newPage();
      const problems = watch(page);
      await logIn(page, 'siti', '/dashboard/tickets/2');
      const image = page.locator('#history img.msg__image');
      await image.waitFor({ timeout: 10_000 });
      await expect
        .poll(() => page.evaluate(`(() => { const img = document.querySelector('#history img.msg__image'); return img.complete ? img.naturalWidth : -1; })()`))
        .toBe(1);
      expect(problems).toEqual([]);
      await context.close();

      // Siti holds ticket 1; Budi opens it read-only.
      const siti = await h.login('siti');
      expect((await siti.call('POST', '/api/tickets/1/claim')).statusCode).toBe(200);
      const budiContext = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: 'id-ID' });
      const budiPage = await budiContext.newPage();
      const budiProblems = watch(budiPage);
      await logIn(budiPage, 'budi', '/dashboard/tickets/1');
      await budiPage.locator('#history .msg__file--missing').waitFor({ timeout: 10_000 });
      expect(await budiPage.locator('#history .msg__file--missing').textContent()).toBe('Pesan suara 0:01: hanya untuk pemegang tiket');
      expect(await budiPage.locator('#history audio').count()).toBe(0);
      expect(budiProblems).toEqual([]);
      await budiContext.close();
    });
  });
}
