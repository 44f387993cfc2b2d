/**
 * The officers' and supervisors' points of #18 at each of the three layouts the issue names
 * (390 px, 1280 px and 1280 px at 200% zoom), in Debian's chromium against the real server on
 * 127.0.0.1. dashboard-desk.test.ts checks each point in depth at one layout; this file walks
 * through them again at every layout, so none works only at the width it was built at:
 * - queue: a new complaint arrives live with its unread marker, the last message and its age,
 *   human labels, the tab-title count, the alert feed, the search by number;
 * - ticket: "Ambil tiket" before the history where the page is one column, "/" canned answers
 *   at the cursor, Ctrl+Enter, an internal note that looks different and resets, the audit
 *   trail in words, the contact panel;
 * - a colleague's ticket: read-only with the Indonesian notice and "Minta ambil alih", no toast;
 * - supervisor: the integrity report loud in the alert feed, the reports' drill-down;
 * - admin: the confirmation before disabling an account fits the screen.
 * axe-core on every screen (no serious or critical violation), no sideways scroll, full-page
 * screenshots in test-artifacts/. Time comes from the server's fake clock.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestCore } from '../helpers/core.js';
import { dashboardBrowser, expectNoSidewaysScroll, fullPageShot, LAYOUTS, type DashboardBrowser, type Layout } from './dashboard-browser.js';
import { launchChromium, OFFICER_PASSWORD, seriousViolations, SKIP, startChatServer, type ChatServer } from './web-chat-harness.js';

let server: ChatServer;
let t: TestCore;
let base: string;
let browser: Browser;
let officers: DashboardBrowser;
let said = 0;

/** An applicant writes on the web chat (a new visitor each time); the ticket it joined, if any. */
async function webSays(text: string): Promise<number | null> {
  const { visitorId } = (await (await fetch(`${base}/chat/visitors`, { method: 'POST' })).json()) as { visitorId: string };
  said += 1;
  const posted = await fetch(`${base}/chat/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ visitorId, clientMessageId: `desk-tour-${said}`, text }),
  });
  expect(posted.status).toBe(202);
  await t.settle();
  const row = t.db
    .prepare<[string], { ticket_id: number | null }>(
      "SELECT m.ticket_id FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.external_id = ? AND m.direction = 'in' ORDER BY m.id DESC LIMIT 1",
    )
    .get(visitorId);
  return row?.ticket_id ?? null;
}

const closeAll = (): void => {
  t.db.prepare("UPDATE tickets SET status = 'closed', closed_at = ? WHERE status != 'closed'").run(t.clock.now().getTime());
};
const cardIds = (page: Page): Promise<number[]> => page.evaluate<number[]>("[...document.querySelectorAll('#tickets li[data-ticket-id]')].map((n) => Number(n.dataset.ticketId))");

async function checked(page: Page, layout: Layout, what: string): Promise<void> {
  await expectNoSidewaysScroll(page, layout, `${what} at ${layout}`);
  expect(await seriousViolations(page), `${what} at ${layout}`).toEqual([]);
  await fullPageShot(page, `tour-${what}-${layout}`);
}

const skipReason = SKIP;
if (skipReason) {
  describe('the desk at every layout in chromium', () => {
    it.skip(skipReason, () => undefined);
  });
} else {
  describe('the desk at every layout in chromium', () => {
    beforeAll(async () => {
      server = await startChatServer({ dashboard: true });
      ({ t, base } = server);
      server.staff!.add({ username: 'budi', role: 'staff', password: OFFICER_PASSWORD, displayName: 'Budi' });
      server.staff!.add({ username: 'sari', role: 'supervisor', password: OFFICER_PASSWORD, displayName: 'Sari' });
      server.staff!.add({ username: 'adi', role: 'admin', password: OFFICER_PASSWORD, displayName: 'Adi' });
      browser = await launchChromium();
      officers = dashboardBrowser(browser, base);
    });

    afterAll(async () => {
      await browser?.close();
      await server?.close();
    });

    for (const layout of Object.keys(LAYOUTS) as Layout[]) {
      const oneColumn = LAYOUTS[layout].viewport.width < 760;

      it(`at ${layout}: queue, ticket and a colleague's ticket`, { timeout: 120_000 }, async () => {
        closeAll();
        const { context, page, problems } = await officers.open('siti', layout, '/dashboard');
        const ticketId = await webSays('saya mau komplain, petugas loket 3 tidak ramah kepada ibu saya');
        expect(ticketId).not.toBeNull();
        const card = page.locator(`#tickets li[data-ticket-id="${ticketId}"]`);
        await card.waitFor({ timeout: 10_000 });
        await expect.poll(() => card.locator('.badge--unread').textContent()).toBe('1 baru');
        expect(await card.locator('.card__who').textContent()).toBe('Bot: ');
        expect(await card.locator('.card__age').textContent()).toBe(' · baru saja');
        const meta = (await card.locator('.card__meta').textContent()) ?? '';
        expect(meta).toContain('Pengaduan · ');
        expect(meta).not.toMatch(/complaint|handoff|_/);
        await expect.poll(() => page.title()).toMatch(/^\(\d+\) Antrean · SAPA$/);
        await page.locator('#alert-list li', { hasText: `Buka tiket #${ticketId}` }).waitFor({ timeout: 10_000 });
        await checked(page, layout, 'queue');
        await page.fill('#q', `#${ticketId}`);
        await page.press('#q', 'Enter');
        await expect.poll(() => cardIds(page)).toEqual([ticketId]);
        await checked(page, layout, 'queue-search');

        // The ticket.
        await card.locator('a').first().click();
        await page.waitForURL(`${base}/dashboard/tickets/${ticketId}`);
        await page.locator('#history .msg').first().waitFor();
        const claim = await page.locator('#claim').boundingBox();
        const history = await page.locator('#history').boundingBox();
        if (oneColumn) expect(claim!.y + claim!.height, 'claim before the history').toBeLessThan(history!.y);
        else expect(claim!.x, 'claim beside the history').toBeGreaterThan(history!.x + history!.width);
        await page.click('#claim');
        await expect.poll(() => page.locator('#assignee').textContent()).toBe('Ditangani Siti');
        const area = page.locator('#reply-text');
        await area.fill('Selamat pagi. ');
        await area.press('End');
        await area.pressSequentially('/biaya');
        await page.locator('#slash-list:not(.hidden) [role=option]').first().waitFor();
        await checked(page, layout, 'ticket-slash');
        await area.press('Enter');
        const value = await area.inputValue();
        expect(value.startsWith('Selamat pagi. ')).toBe(true);
        expect(value).toContain('Rp');
        await area.press('Control+Enter');
        await page.locator('#history .msg--out', { hasText: 'Selamat pagi.' }).waitFor();
        await area.fill('Sudah saya telepon ibunya.');
        await page.check('#internal');
        expect(await page.locator('#composer-title').textContent()).toBe('Catatan internal');
        await checked(page, layout, 'ticket-note');
        await area.press('Control+Enter');
        await page.locator('#history .msg--internal', { hasText: 'Sudah saya telepon' }).waitFor();
        expect(await page.isChecked('#internal')).toBe(false);
        expect(await page.locator('#send').textContent()).toBe('Kirim balasan');
        await page.click('.t-events summary');
        const trail = await page.locator('#events li span').allTextContents();
        expect(trail).toContain('Diambil oleh Siti');
        expect(trail.join(' ')).not.toMatch(/status|claimed|staff_reply/);
        expect(await page.locator('#contact .contact__name').isVisible()).toBe(true);
        expect(await page.locator('#contact').textContent()).toContain('Web chat');
        await checked(page, layout, 'ticket');

        // A colleague's ticket by a direct link: read-only, said in Indonesian, no toast.
        const colleagues = await webSays('saya mau komplain, kursi ruang tunggu rusak');
        t.core.tickets.claim(colleagues!, server.staff!.findByUsername('budi')!.id);
        await page.goto(`${base}/dashboard/tickets/${colleagues}`);
        await page.locator('#readonly:not(.hidden)').waitFor();
        expect(await page.locator('#readonly-text').textContent()).toContain('Tiket ini ditangani oleh Budi.');
        expect(await page.isDisabled('#claim')).toBe(true);
        expect(await page.locator('#composer').isHidden()).toBe(true);
        expect(await page.getByRole('button', { name: 'Minta ambil alih' }).isVisible()).toBe(true);
        expect(await page.locator('#toast').count()).toBe(0);
        await checked(page, layout, 'ticket-readonly');
        expect(problems).toEqual([]);
        await context.close();
      });

      it(`at ${layout}: a supervisor's loud integrity alert and the reports' drill-down; an admin's confirmation`, { timeout: 120_000 }, async () => {
        closeAll();
        const { context, page, problems } = await officers.open('sari', layout, '/dashboard');
        const ticketId = await webSays('saya mau lapor, ada calo minta uang 500 ribu supaya paspor cepat');
        const integrity = page.locator('#alert-list li[data-kind="integrity_report"]', { hasText: `Buka tiket #${ticketId}` });
        await integrity.waitFor({ timeout: 10_000 });
        expect(await integrity.getAttribute('class')).toContain('feed__item--loud');
        await checked(page, layout, 'alerts');

        await page.goto(`${base}/dashboard/reports`);
        await page.locator('#live.live--on').waitFor();
        await page.locator('#integrity-list li', { hasText: `#${ticketId}` }).waitFor();
        await page.getByRole('button', { name: /Laporan integritas: lihat tiketnya/ }).click();
        await page.locator('#drill:not([hidden]) #drill-list li', { hasText: `#${ticketId}` }).waitFor();
        expect(await page.evaluate<string | undefined>('document.activeElement?.id')).toBe('drill');
        await checked(page, layout, 'reports-drill');
        expect(problems).toEqual([]);
        await context.close();

        const admin = await officers.open('adi', layout, '/dashboard/accounts');
        const budi = admin.page.locator('#accounts li[data-username="budi"]');
        await budi.getByRole('button', { name: 'Nonaktifkan' }).click();
        const dialog = admin.page.locator('#confirm-disable');
        await expect.poll(() => dialog.evaluate((d) => (d as unknown as { open: boolean }).open)).toBe(true);
        const shown = await dialog.boundingBox();
        expect(shown!.x).toBeGreaterThanOrEqual(0);
        expect(shown!.x + shown!.width).toBeLessThanOrEqual(LAYOUTS[layout].viewport.width + 1);
        expect(await admin.page.locator('#confirm-disable-ok').isVisible()).toBe(true);
        await checked(admin.page, layout, 'accounts-confirm');
        await admin.page.click('#confirm-disable-cancel');
        expect(server.staff!.findByUsername('budi')?.disabled).toBe(false);
        expect(admin.problems).toEqual([]);
        await admin.context.close();
      });
    }
  });
}
