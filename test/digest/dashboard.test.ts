/** The digest on the dashboard: GET /api/digest (supervisor), its chart, and the reports page section. */
import { afterEach, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../server/dashboard-harness.js';
import { NIK, PHONE, wita } from './fixture.js';

let h: Harness;
afterEach(async () => h?.close());

describe('GET /api/digest', () => {
  it('gives supervisors the same figures and text as the morning message; staff are refused', async () => {
    h = await createHarness({ start: wita(27, '10:00') });
    await h.complaint('saya mau komplain, pelayanan loket lambat sekali', 'a1');
    h.t.clock.set(wita(27, '10:20'));
    await h.t.say(`jual pulsa murah hubungi ${PHONE} NIK ${NIK}`, { from: 'a7' });
    h.t.clock.set(wita(28, '08:00'));
    const sari = await h.login('sari');
    const response = await sari.call('GET', '/api/digest?date=2026-11-27');
    expect(response.statusCode).toBe(200);
    const body = response.json() as Record<string, unknown>;
    expect(body).toMatchObject({
      date: '2026-11-27',
      messagesIn: 2,
      conversations: 2,
      botOnly: 1,
      botOnlyShare: 0.5,
      tickets: { opened: 1, resolved: 0, backlog: 1 },
      firstResponse: { opened: 1, count: 0, waiting: 1, medianMinutes: null, met: 0, breached: 1, withinSlaShare: 0 },
    });
    expect(String(body['text'])).toMatch(/^📊 Ringkasan SAPA · Jumat, 27 Nov 2026/);
    expect(response.body).not.toContain(NIK);
    expect(response.body).not.toContain(PHONE);
    // Without a date: yesterday in office time.
    expect((await sari.call('GET', '/api/digest')).json()).toMatchObject({ date: '2026-11-27' });

    const chart = await sari.call('GET', '/api/digest/chart.svg?date=2026-11-27');
    expect(chart.statusCode).toBe(200);
    expect(chart.headers['content-type']).toMatch(/^image\/svg\+xml/);
    expect(chart.body).toMatch(/^<svg/);

    expect((await sari.call('GET', '/api/digest?date=2026-02-30')).statusCode).toBe(400);
    expect((await sari.call('GET', '/api/digest?date=2027-01-01')).statusCode).toBe(400);
    const siti = await h.login('siti');
    expect((await siti.call('GET', '/api/digest?date=2026-11-27')).statusCode).toBe(403);
    expect((await h.app.inject({ method: 'GET', url: '/api/digest' })).statusCode).toBe(401);
  });

  it('the reports page has the digest section', async () => {
    h = await createHarness();
    const sari = await h.login('sari');
    const page = await sari.call('GET', '/dashboard/reports');
    expect(page.body).toContain('id="digest-text"');
    const script = await sari.call('GET', '/dashboard/reports.js');
    expect(script.body).toContain('/api/digest?date=');
  });
});
