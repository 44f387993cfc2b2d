/**
 * #22 in a real browser: Debian's chromium (playwright-core) against the real server. An
 * applicant's voice note (a WAV tone made here, no download) is on the ticket page as an
 * <audio controls> element that loads (duration about one second) and plays; a photo shows
 * as an image; a colleague who may only read the ticket sees that the recording is for the
 * holder, and no player. No console errors. Skips only without chromium.
 * Browser-side code is passed as strings: the test project's types have no DOM library.
 */
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeWav, PNG_1X1 } from '../helpers/audio.js';
import { createHarness, PASSWORD, type Harness } from '../server/dashboard-harness.js';
import { dashboardBrowser, type DashboardBrowser } from './dashboard-browser.js';
import { launchChromium, SKIP } from './web-chat-harness.js';

let h: Harness;
let browser: Browser;
let officers: DashboardBrowser;

const skipReason = SKIP;
if (skipReason) {
  describe('voice notes on the ticket page in chromium', () => {
    it.skip(skipReason, () => undefined);
  });
} else {
  describe('voice notes on the ticket page in chromium', () => {
    beforeAll(async () => {
      h = await createHarness();
      await h.app.listen({ port: 0, host: '127.0.0.1' });
      await h.t.say('', { from: 'opa-1', attachments: [{ kind: 'voice', mimeType: 'audio/wav', durationSeconds: 1, data: makeWav(1) }] });
      await h.t.say('', { from: 'oma-2', attachments: [{ kind: 'image', mimeType: 'image/png', data: PNG_1X1 }] });
      // play() without a click: the test presses nothing.
      browser = await launchChromium(['--autoplay-policy=no-user-gesture-required']);
      officers = dashboardBrowser(browser, `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`, PASSWORD);
    });

    afterAll(async () => {
      await browser?.close();
      await h?.close();
    });

    it('plays the voice note: the audio element loads (duration about 1 s) and plays', async () => {
      const { context, page, problems } = await officers.open('siti', 'phone', '/dashboard/tickets/1');
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
      const { context, page, problems } = await officers.open('siti', 'desktop', '/dashboard/tickets/2');
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
      const { context: budiContext, page: budiPage, problems: budiProblems } = await officers.open('budi', 'phone', '/dashboard/tickets/1');
      await budiPage.locator('#history .msg__file--missing').waitFor({ timeout: 10_000 });
      expect(await budiPage.locator('#history .msg__file--missing').textContent()).toBe('Pesan suara 0:01: hanya untuk pemegang tiket');
      expect(await budiPage.locator('#history audio').count()).toBe(0);
      expect(budiProblems).toEqual([]);
      await budiContext.close();
    });
  });
}
