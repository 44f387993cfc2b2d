/**
 * A Messenger applicant's ticket in Debian's chromium (#18): delivery and read receipts at
 * 390 px, 1280 px and 200% zoom, and the contact panel (the name from Meta's profile, the
 * channel, the applicant's earlier ticket). The whole application (startApp) runs with Messenger against
 * the fake Graph API on loopback (test/helpers/meta-harness.ts); the applicant's complaint and
 * Meta's delivery and read receipts arrive through the real, signed webhook. The officer's reply
 * is sent from the page; the page then shows "Terkirim 09.03 · Dibaca 09.07" under it (office
 * time), live, as Meta reports them. axe-core on each layout (no serious or critical violation),
 * no sideways scroll, screenshots in test-artifacts/. Time comes from the app's fake clock.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaffService } from '../../src/staff.js';
import { complain, envelope, inbound, messagesOf, messengerMessage, newMid, PAGE_ID, post, settle, startMetaHarness, stopMetaHarness, waitFor, type MetaHarness } from '../helpers/meta-harness.js';
import { dashboardBrowser, expectNoSidewaysScroll, fullPageShot, type DashboardBrowser, type Layout } from './dashboard-browser.js';
import { launchChromium, OFFICER_PASSWORD, seriousViolations, SKIP } from './web-chat-harness.js';

const MINUTE = 60_000;
const PSID = '7300000000000181';
const REPLY = 'Mohon maaf atas antreannya, Bapak/Ibu. Kami cek hari ini juga.';

let h: MetaHarness;
let browser: Browser;
let officer: DashboardBrowser;
let ticketId: number;
let deliveredAt: number;
let readAt: number;

const replyOf = (page: Page) => page.locator('#history .msg--out', { hasText: 'Kami cek hari ini juga' });

const skipReason = SKIP;
if (skipReason) {
  describe('receipts on the ticket page in chromium', () => {
    it.skip(skipReason, () => undefined);
  });
} else {
  describe('receipts on the ticket page in chromium', () => {
    beforeAll(async () => {
      h = await startMetaHarness();
      createStaffService(h.app.core.db, () => h.clock.now()).add({ username: 'siti', role: 'staff', password: OFFICER_PASSWORD, displayName: 'Siti' });
      // Meta's profile of the person: SAPA asks for the name after the first message.
      h.messenger.addProfile(PSID, { first_name: 'Maria', last_name: 'Bria' });
      ticketId = await complain(h, PSID);
      browser = await launchChromium();
      officer = dashboardBrowser(browser, h.app.url);
    }, 60_000);

    afterAll(async () => {
      await browser?.close();
      if (h) await stopMetaHarness(h);
    });

    it('at 390 px: the reply shows when Meta delivered it and when it was read, in office time, live', { timeout: 60_000 }, async () => {
      const { context, page, problems } = await officer.open('siti', 'phone', `/dashboard/tickets/${ticketId}`);
      await page.locator('#history .msg--in').first().waitFor();
      // The channel by its name, not its id.
      expect(await page.locator('#head .badge--channel').first().textContent()).toBe('Messenger');
      await page.click('#claim');
      await expect.poll(() => page.locator('#assignee').textContent()).toBe('Ditangani Siti');

      h.clock.advance(2 * MINUTE); // 09.02 WITA
      await page.fill('#reply-text', REPLY);
      await page.press('#reply-text', 'Control+Enter');
      await replyOf(page).waitFor();
      await settle(h);
      const sent = await waitFor(() => messagesOf(h, 'messenger', PSID).find((m) => m.text === REPLY && m.deliveryStatus === 'sent'), 'the reply sent to Messenger');
      // Nothing reported yet: nothing said. The page is loaded again with its live stream held
      // back, as when the receipt comes between the page's first load and its stream opening
      // (or while a dropped stream reconnects): the page must read it when the stream opens.
      let releaseStream = (): void => undefined;
      const streamHeld = new Promise<void>((resolve) => (releaseStream = resolve));
      await page.route('**/api/events', async (route) => {
        await streamHeld;
        await route.continue();
      });
      await page.reload();
      await replyOf(page).waitFor();
      expect(await replyOf(page).locator('.msg__receipt').count()).toBe(0);

      // Meta: delivered at 09.03 (by the message's mid), while the page has no stream.
      deliveredAt = h.clock.now().getTime() + MINUTE;
      expect(await post(h, envelope('page', PAGE_ID, deliveredAt, [{ sender: { id: PSID }, recipient: { id: PAGE_ID }, timestamp: deliveredAt, delivery: { mids: [sent.externalId] } }]))).toBe(200);
      await waitFor(() => messagesOf(h, 'messenger', PSID).find((m) => m.text === REPLY && m.deliveredAt !== null) ?? undefined, 'the receipt stored');
      releaseStream();
      await page.locator('#live.live--on').waitFor({ timeout: 10_000 });
      await page.unroute('**/api/events');
      await replyOf(page).locator('.msg__receipt').waitFor({ timeout: 10_000 });
      expect(await replyOf(page).locator('.msg__receipt').textContent()).toBe('Terkirim 09.03');

      // Meta: read up to 09.07 (a watermark).
      readAt = deliveredAt + 4 * MINUTE;
      expect(await post(h, envelope('page', PAGE_ID, readAt, [{ sender: { id: PSID }, recipient: { id: PAGE_ID }, timestamp: readAt, read: { watermark: readAt } }]))).toBe(200);
      const receipt = replyOf(page).locator('.msg__receipt');
      await expect.poll(() => receipt.textContent({ timeout: 1_000 }).catch(() => null), { timeout: 10_000 }).toBe('Terkirim 09.03 · Dibaca 09.07');
      expect(await receipt.locator('time').nth(0).getAttribute('datetime')).toBe(new Date(deliveredAt).toISOString());
      expect(await receipt.locator('time').nth(1).getAttribute('datetime')).toBe(new Date(readAt).toISOString());
      expect(await receipt.getAttribute('class')).toContain('msg__receipt--read');
      // The applicant's own messages never carry receipts.
      expect(await page.locator('#history .msg--in .msg__receipt').count()).toBe(0);

      await expectNoSidewaysScroll(page, 'phone', 'ticket with receipts');
      expect(await seriousViolations(page)).toEqual([]);
      await fullPageShot(page, 'ticket-receipts-390');
      expect(problems).toEqual([]);
      await context.close();
    });

    for (const layout of ['desktop', 'zoom200'] as const satisfies readonly Layout[]) {
      it(`at ${layout}: the receipts are shown, the page fits and axe finds nothing serious`, { timeout: 60_000 }, async () => {
        expect(readAt, 'the 390 px test ran first').toBeGreaterThan(0);
        const { context, page, problems } = await officer.open('siti', layout, `/dashboard/tickets/${ticketId}`);
        const receipt = replyOf(page).locator('.msg__receipt');
        await receipt.waitFor();
        expect(await receipt.textContent()).toBe('Terkirim 09.03 · Dibaca 09.07');
        // The page reads its data again when its stream opens (the history is drawn anew): measure the drawn line.
        await page.locator('#live.live--on').waitFor();
        await expect.poll(async () => (await receipt.boundingBox())?.width ?? 0, { timeout: 10_000 }).toBeGreaterThan(0);
        await expectNoSidewaysScroll(page, layout, `ticket with receipts at ${layout}`);
        expect(await seriousViolations(page)).toEqual([]);
        await fullPageShot(page, `ticket-receipts-${layout}`);
        expect(problems).toEqual([]);
        await context.close();
      });
    }

    it('at 1280 px: the contact panel names the person (Meta profile), the channel, and the earlier ticket', { timeout: 60_000 }, async () => {
      await waitFor(() => h.app.core.db.prepare<[number], { n: string | null }>('SELECT c.display_name AS n FROM contacts c JOIN tickets t ON t.contact_id = c.id WHERE t.id = ?').get(ticketId)?.n ?? undefined, 'the name from the profile');
      h.app.core.tickets.setStatus(ticketId, 'closed', { type: 'system' });
      h.clock.advance(2 * 60 * MINUTE); // within the session's 8 idle hours
      // The same person complains again: a new ticket.
      expect(await post(h, messengerMessage(PSID, h.clock.now().getTime(), { mid: newMid(), text: 'antrian lama sekali lagi hari ini, saya kecewa dengan pelayanannya' }))).toBe(200);
      await settle(h);
      const again = await waitFor(() => inbound(messagesOf(h, 'messenger', PSID)).at(-1)?.ticketId ?? undefined, 'the second ticket');
      expect(again).not.toBe(ticketId);
      const { context, page, problems } = await officer.open('siti', 'desktop', `/dashboard/tickets/${again}`);
      await page.locator('#contact .contact__name').waitFor();
      expect(await page.locator('#contact .contact__name').textContent()).toBe('Maria Bria');
      expect(await page.locator('#meta').textContent()).toContain('Maria Bria');
      expect(await page.locator('#contact').textContent()).toContain('Messenger');
      const earlier = page.locator('#contact-tickets li', { hasText: `#${ticketId}` });
      await earlier.waitFor();
      expect(await earlier.textContent()).toContain('Ditutup');
      expect(await earlier.locator('a').getAttribute('href')).toBe(`/dashboard/tickets/${ticketId}`);
      await expectNoSidewaysScroll(page, 'desktop', 'contact panel');
      expect(await seriousViolations(page)).toEqual([]);
      await fullPageShot(page, 'ticket-contact-panel-1280');
      expect(problems).toEqual([]);
      await context.close();
    });
  });
}
