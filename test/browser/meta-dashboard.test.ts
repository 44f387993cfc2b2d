/**
 * #19 on the dashboard in a real browser (Debian's chromium, playwright-core) against the
 * composed application with Messenger and the official Instagram API configured on fake
 * Graph API servers (test/helpers/meta-harness.ts): the ticket page shows how long Meta's
 * reply window stays open, "closed" once it has, and why an officer's reply outside it was
 * not sent; the Kanal page's Meta card shows the webhook address to paste into the Meta
 * app, each channel's state and webhook fields, the Instagram token, and the variables a
 * channel still lacks. The clock is injected (the server's; the page shows the server's
 * now). Skips only without chromium.
 * Browser-side code is passed as strings: the test project's types have no DOM library.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaffService } from '../../src/staff.js';
import { HOUR, complain, messagesOf, settle, startMetaHarness, stopMetaHarness, waitFor, type MetaHarness } from '../helpers/meta-harness.js';
import { dashboardBrowser, type DashboardBrowser } from './dashboard-browser.js';
import { launchChromium, SKIP } from './web-chat-harness.js';

const PASSWORD = 'tiga-burung-hinggap-di-lontar';

function addOfficers(h: MetaHarness): void {
  const staff = createStaffService(h.app.core.db, () => h.clock.now());
  staff.add({ username: 'sari', role: 'staff', password: PASSWORD });
  staff.add({ username: 'admin1', role: 'admin', password: PASSWORD });
}

const skipReason = SKIP;
if (skipReason) {
  describe('Messenger and Instagram on the dashboard in chromium', () => {
    it.skip(skipReason, () => undefined);
  });
} else {
  describe('Messenger and Instagram on the dashboard in chromium', () => {
    let h: MetaHarness;
    let browser: Browser;
    let officers: DashboardBrowser;
    let closedTicket: number;
    let openTicket: number;
    let lateReply: number;

    beforeAll(async () => {
      h = await startMetaHarness({ env: { PUBLIC_URL: 'http://sapa.local' } });
      addOfficers(h);
      // One applicant wrote 27 hours ago (the officer's reply 2 hours later was refused), one 2 hours ago.
      closedTicket = await complain(h, '7800000000000001');
      await waitFor(() => messagesOf(h, 'messenger', '7800000000000001').find((m) => m.direction === 'out' && m.deliveryStatus === 'sent'), 'the bot answer');
      h.clock.advance(25 * HOUR);
      lateReply = h.app.core.tickets.staffReply(closedTicket, null, 'Mohon maaf baru kami balas.').messageId;
      await settle(h);
      await waitFor(() => messagesOf(h, 'messenger', '7800000000000001').find((m) => m.id === lateReply && m.deliveryStatus === 'failed'), 'the late reply refused');
      openTicket = await complain(h, '7800000000000002');
      h.clock.advance(2 * HOUR);
      const instagram = h.app.core.channels().find((c) => c.name === 'instagram') as unknown as { tokenStatus(): { source: string } | null };
      await waitFor(() => instagram.tokenStatus()?.source === 'refreshed', 'the Instagram token refreshed at start');
      browser = await launchChromium();
      officers = dashboardBrowser(browser, h.app.url, PASSWORD);
    });

    afterAll(async () => {
      await browser?.close();
      if (h) await stopMetaHarness(h);
    });

    it('the ticket page shows the reply window left, and closed with the reason on the refused reply', async () => {
      const { context, page, problems } = await officers.open('sari', 'phone', `/dashboard/tickets/${openTicket}`);
      const open = page.locator('#timers li[data-window]');
      await open.waitFor({ timeout: 10_000 });
      expect(await open.getAttribute('data-window')).toBe('ok');
      const openText = (await open.textContent()) ?? '';
      expect(openText).toContain('Jendela balasan Meta');
      expect(openText).toContain('bisa dibalas sampai');
      expect(openText).toContain('dalam 22 jam 0 mnt');
      expect(openText).toContain('Terbuka');

      await page.goto(`${h.app.url}/dashboard/tickets/${closedTicket}`);
      const closed = page.locator('#timers li[data-window]');
      await closed.waitFor({ timeout: 10_000 });
      expect(await closed.getAttribute('data-window')).toBe('overdue');
      expect(await closed.textContent()).toContain('tertutup: balasan baru terkirim setelah pemohon menulis lagi');
      const refused = page.locator(`#history li[data-message-id="${lateReply}"] .msg__failed`);
      await refused.waitFor({ timeout: 10_000 });
      const reason = (await refused.textContent()) ?? '';
      expect(reason).toMatch(/^Gagal terkirim: Tidak terkirim: di luar jendela 24 jam Messenger\. Pemohon terakhir menulis 25 jam lalu/);
      expect(problems).toEqual([]);
      await context.close();
    });

    it("the Kanal page's Meta card shows the webhook address, both channels with their webhook fields, and the Instagram token", async () => {
      const { context, page, problems } = await officers.open('admin1', 'desktop', '/dashboard/channels');
      const card = page.locator('#channels li[data-channel="meta"]');
      await card.waitFor({ timeout: 10_000 });
      const text = (await card.textContent()) ?? '';
      expect(text).toContain('Messenger & Instagram (Meta)');
      expect(text).toContain('Terpasang');
      expect(await card.locator('code').textContent()).toBe('http://sapa.local/webhooks/meta');
      expect(text).toContain('Meta hanya menerima alamat webhook HTTPS');
      expect(text).toContain('Tersambung · langganan webhook: messages, messaging_postbacks, message_echoes, message_deliveries, message_reads');
      expect(text).toContain('Tersambung · langganan webhook: messages, messaging_postbacks, messaging_seen');
      expect(text).toContain('diperbarui otomatis, berlaku sampai');
      // The channels' own cards too.
      expect(await page.locator('#channels li[data-channel="messenger"]').textContent()).toContain('Tersambung');
      expect(await page.locator('#channels li[data-channel="instagram"]').textContent()).toContain('Tersambung');
      expect(text).not.toMatch(/EAAG|IGAA|d41d8cd9/);
      expect(problems).toEqual([]);
      await context.close();
    });
  });

  describe('the Meta card with Instagram not configured, in chromium', () => {
    let h: MetaHarness;
    let browser: Browser;

    beforeAll(async () => {
      h = await startMetaHarness({ env: { INSTAGRAM_ACCOUNT_ID: null, INSTAGRAM_ACCESS_TOKEN: null } });
      addOfficers(h);
      browser = await launchChromium();
    });

    afterAll(async () => {
      await browser?.close();
      if (h) await stopMetaHarness(h);
    });

    it('names the variables Instagram lacks and that PUBLIC_URL is unset', async () => {
      const { context, page, problems } = await dashboardBrowser(browser, h.app.url, PASSWORD).open('admin1', 'phone', '/dashboard/channels');
      const card = page.locator('#channels li[data-channel="meta"]');
      await card.waitFor({ timeout: 10_000 });
      const text = (await card.textContent()) ?? '';
      expect(text).toContain('Belum lengkap');
      expect(text).toContain('belum dipasang; isi di .env: INSTAGRAM_ACCOUNT_ID, INSTAGRAM_ACCESS_TOKEN');
      expect(text).toContain('PUBLIC_URL belum diisi');
      expect(problems).toEqual([]);
      await context.close();
    });
  });
}
