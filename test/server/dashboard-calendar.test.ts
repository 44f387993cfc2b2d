/**
 * The holiday calendar on the admin's Kanal page: GET /api/calendar (admin only) and the
 * page that shows it. The data and every moment are given here (fake clock), so the test
 * does not change with today's date or with later edits of data/holidays.json.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { HolidayData } from '../../src/sla/holidays.js';
import { testPolicy } from '../helpers/core.js';
import { createHarness, type Harness } from './dashboard-harness.js';

let h: Harness;
afterEach(async () => h?.close());

const only2026: HolidayData = {
  file: 'data/holidays.json',
  years: [{ year: 2026, status: 'official', decree: 'SKB 2026 (test)', holidays: [{ date: '2026-12-25', name: 'Hari Raya Natal', kind: 'holiday' }] }],
};

interface CalendarJson {
  coverage: { warning: { years: number[]; message: string } | null; missing: { year: number; status: string }[]; years: { year: number; status: string }[] };
  guide: { file: string; years: number[]; example: string; publishers: { name: string; url: string }[]; check: string };
}

describe('GET /api/calendar', () => {
  it('gives admins the coverage, the warning from 1 November and what to add', async () => {
    h = await createHarness({ start: '2026-10-31T23:59:00+08:00', policy: { ...testPolicy(), holidays: only2026 } });
    const admin = await h.login('admin');
    const before = (await admin.call('GET', '/api/calendar')).json() as CalendarJson;
    expect(before.coverage.warning).toBeNull();
    expect(before.coverage.missing).toEqual([{ year: 2027, status: 'missing' }]);

    h.t.clock.set('2026-11-01T00:00:00+08:00');
    const response = await admin.call('GET', '/api/calendar');
    expect(response.statusCode).toBe(200);
    const body = response.json() as CalendarJson;
    expect(body.coverage).toMatchObject({
      localDate: '2026-11-01',
      years: [{ year: 2026, status: 'official', decree: 'SKB 2026 (test)', holidays: 1, cutiBersama: 0 }],
      warning: { code: 'HOLIDAYS_NOT_OFFICIAL', years: [2027] },
    });
    expect(body.guide).toMatchObject({ file: 'data/holidays.json', years: [2027], check: 'npx sapa calendar check' });
    expect(body.guide.example).toContain('"year": 2027, "status": "official"');
    expect(body.guide.example).toContain('"decree"');
    expect(body.guide.publishers.map((p) => p.url)).toEqual(['https://kemenag.go.id', 'https://kemnaker.go.id', 'https://menpan.go.id']);
  });

  it('is for admins only', async () => {
    h = await createHarness({ policy: { ...testPolicy(), holidays: only2026 } });
    expect((await (await h.login('siti')).call('GET', '/api/calendar')).statusCode).toBe(403);
    expect((await (await h.login('sari')).call('GET', '/api/calendar')).statusCode).toBe(403);
    expect((await h.app.inject({ method: 'GET', url: '/api/calendar' })).statusCode).toBe(401);
  });

  it('the Kanal page has the calendar section and its script renders /api/calendar', async () => {
    h = await createHarness();
    const admin = await h.login('admin');
    const page = await admin.call('GET', '/dashboard/channels');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<h2>Kalender libur</h2>');
    expect(page.body).toContain('id="calendar"');
    const script = await admin.call('GET', '/dashboard/channels.js');
    expect(script.statusCode).toBe(200);
    expect(script.body).toContain("api('GET', '/api/calendar')");
    expect(script.body).toContain('Yang perlu ditambahkan');
  });
});
