/**
 * The admin's Kanal page in Debian's chromium: with holiday data that ends with 2026 and
 * the server's (fake) clock on 2 November 2026, the page shows the calendar warning and
 * what to add (which file, what to fill, where the SKB is published), at phone width,
 * with no console errors. Skips only without chromium. The moment is the fake clock's,
 * so the test passes on any real date.
 */
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebChannel } from '../../channels/web.js';
import { buildServer } from '../../src/server/app.js';
import { registerDashboard } from '../../src/server/dashboard/index.js';
import type { HolidayData } from '../../src/sla/holidays.js';
import { createStaffService } from '../../src/staff.js';
import { createTestCore, testPolicy, type TestCore } from '../helpers/core.js';
import { dashboardBrowser } from './dashboard-browser.js';
import { launchChromium, SKIP } from './web-chat-harness.js';

const PASSWORD = 'rahasia-kantor-123';

const only2026: HolidayData = {
  file: 'data/holidays.json',
  years: [{ year: 2026, status: 'official', decree: 'SKB 2026 (test)', holidays: [{ date: '2026-12-25', name: 'Hari Raya Natal', kind: 'holiday' }] }],
};

let t: TestCore;
let app: FastifyInstance;
let browser: Browser;
let base: string;

const skipReason = SKIP;
if (skipReason) {
  describe('Kanal page: holiday calendar in chromium', () => {
    it.skip(skipReason, () => undefined);
  });
} else {
  describe('Kanal page: holiday calendar in chromium', () => {
    beforeAll(async () => {
      t = createTestCore({ start: '2026-11-02T09:00:00+08:00' });
      const web = createWebChannel({ now: () => t.clock.now() });
      t.core.addChannel(web);
      await web.start(t.core.intake.sink);
      const staff = createStaffService(t.db, () => t.clock.now());
      staff.add({ username: 'admin', role: 'admin', password: PASSWORD });
      app = await buildServer({
        db: t.db,
        logger: pino({ level: 'silent' }),
        web,
        channels: () => t.core.channels(),
        problems: () => [],
        webChatPerMinute: 100,
        plugins: [(instance) => registerDashboard(instance, { core: t.core, staff, policy: { ...testPolicy(), holidays: only2026 } })],
      });
      await app.listen({ port: 0, host: '127.0.0.1' });
      base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
      browser = await launchChromium();
    });

    afterAll(async () => {
      await browser?.close();
      await app?.close();
      t?.close();
    });

    it('shows the warning and what to add, at 390 px, with no console errors', async () => {
      const { context, page, problems } = await dashboardBrowser(browser, base, PASSWORD).open('admin', 'phone', '/dashboard/channels');
      const card = page.locator('#calendar [data-calendar="warning"]');
      await card.waitFor({ timeout: 10_000 });
      const text = (await card.textContent()) ?? '';
      expect(text).toContain('Berkas libur: data/holidays.json');
      expect(text).toContain('Perlu tindakan');
      expect(text).toContain('2026Resmi (SKB) · 1 libur nasional, 0 cuti bersama · SKB 2026 (test)');
      expect(text).toContain('2027Belum ada di berkas');
      expect(text).toContain('Tindakan diperlukan: belum ada data libur resmi untuk 2027.');
      expect(text).toContain('17 Agu (Hari Kemerdekaan Republik Indonesia)');
      expect(text).toContain('Yang perlu ditambahkan');
      expect(text).toContain('Tunggu SKB libur nasional dan cuti bersama 2027 terbit');
      expect(await card.locator('a[href="https://menpan.go.id"]').count()).toBe(1);
      expect(await card.locator('.calendar-guide__example').textContent()).toContain('"year": 2027, "status": "official"');
      expect(text).toContain('npx sapa calendar check');
      expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
      expect(problems).toEqual([]);
      await context.close();
    });
  });
}
