/**
 * Every figure of Friday 27 November's digest against hand-computed values (fixture.ts
 * tells the story), the text rendered from it, masking, and the chart.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDigest, renderDigestChart, renderDigestText, type Digest } from '../../src/digest/index.js';
import { metricsReport, dateRange } from '../../src/metrics/index.js';
import { testPolicy } from '../helpers/core.js';
import { buildFixture, NIK, PASSPORT, PHONE, TZ, wita, type Fixture } from './fixture.js';

let f: Fixture;
let digest: Digest;

beforeAll(async () => {
  f = await buildFixture();
  digest = buildDigest(f.db, { date: '2026-11-27', calendar: testPolicy().calendar, timeZone: TZ, now: f.t.clock.now() });
});

describe('digest figures (Friday 27 Nov 2026, built Monday 30 Nov 12:00 WITA)', () => {
  it('counts messages in by channel, conversations and the bot-only share', () => {
    expect(digest.date).toBe('2026-11-27');
    expect(digest.generatedAt).toBe('2026-11-30T04:00:00.000Z');
    // a2 complaint + "5", a3 complaint + "2", a4, a1 complaints, a7 out of scope: Telegram 7; a6 fee question: WhatsApp 1.
    expect(digest.messagesIn).toBe(8);
    expect(digest.byChannel).toEqual([
      { channel: 'telegram', count: 7 },
      { channel: 'whatsapp', count: 1 },
    ]);
    // a1, a2, a3, a4, a6, a7; only a6 (FAQ) and a7 (out of scope) never touched a ticket or an officer.
    expect(digest.conversations).toBe(6);
    expect(digest.botOnly).toBe(2);
    expect(digest.botOnlyShare).toBe(0.3333);
  });

  it('counts tickets opened, resolved, the backlog at the end of the day and its oldest ticket', () => {
    expect(digest.tickets).toEqual({
      opened: 4, // t2, t3, t4, t1
      resolved: 2, // t2 11:00, t3 14:10 (t9 was Thursday)
      backlog: 2, // t4 and t1 open at Friday midnight
      oldestOpen: {
        ref: `#${f.tickets.t4}`,
        priority: 'normal',
        status: 'open',
        openedAt: '2026-11-27T05:00:00.000Z',
        ageMinutes: 180, // 13:00 -> 16:00 closing
      },
    });
  });

  it('measures first response in business minutes across the weekend, with its SLA share', () => {
    // t2 30, t3 170, t1 Fri 15-16 + Mon 8-9 = 120 (not 66 wall-clock hours); t4 unanswered.
    // Sorted [30, 120, 170]: median 120; p90 at rank 1.8 = 120 + 0.8 * 50 = 160.
    // SLA (2 h): t2 and t1 (exactly 120) met; t3 late and t4 unanswered past due breached -> 2/4.
    expect(digest.firstResponse).toEqual({
      opened: 4,
      count: 3,
      waiting: 1,
      medianMinutes: 120,
      p90Minutes: 160,
      met: 2,
      breached: 2,
      pending: 0,
      withinSlaShare: 0.5,
    });
    expect(digest.firstResponseByHour.filter((h) => h.opened > 0)).toEqual([
      { hour: 10, opened: 1, answered: 1, medianMinutes: 30 },
      { hour: 11, opened: 1, answered: 1, medianMinutes: 170 },
      { hour: 13, opened: 1, answered: 0, medianMinutes: null },
      { hour: 15, opened: 1, answered: 1, medianMinutes: 120 },
    ]);
    expect(digest.firstResponseByHour).toHaveLength(24);
  });

  it('agrees with the dashboard report for the same day', () => {
    const report = metricsReport(f.db, testPolicy().calendar, dateRange('2026-11-27', '2026-11-27', TZ), f.t.clock.now());
    expect(digest.firstResponse.medianMinutes).toBe(report.firstResponse.total.medianMs! / 60_000);
    expect(digest.firstResponse.p90Minutes).toBe(report.firstResponse.total.p90Ms! / 60_000);
    expect(digest.firstResponse.withinSlaShare).toBe(report.compliance.total.firstResponse.rate);
    expect(digest.tickets.opened).toBe(report.volume.tickets);
  });

  it('lists breaches from sla_escalations with holder and lateness in business time', () => {
    expect(digest.breaches).toEqual([
      {
        ref: `#${f.tickets.t3}`,
        timer: 'first_response',
        priority: 'normal',
        holder: null, // nobody had claimed it at 13:00
        breachedAt: new Date(wita(27, '13:00')).toISOString(),
        lateMinutes: 50, // answered 13:50
        stillRunning: false,
        escalated: false,
      },
      {
        ref: `#${f.tickets.t4}`,
        timer: 'first_response',
        priority: 'normal',
        holder: 'Budi',
        breachedAt: new Date(wita(27, '15:00')).toISOString(),
        lateMinutes: 300, // Fri 15-16 + Mon 8-12, still unanswered
        stillRunning: true,
        escalated: true, // supervisor level (Fri 16:00) fired by Monday's scan
      },
    ]);
  });

  it('reports per officer: tickets replied to that day and their own first responses', () => {
    expect(digest.staff).toEqual([
      // Siti replied on t2 and t3 on Friday; first responses 30 and 170 -> median 100.
      { name: 'Siti', staffId: f.staff.siti, handled: 2, firstResponses: 2, medianFirstResponseMinutes: 100 },
      // Budi replied only on Monday (t1), which was the first response of a Friday ticket: 120.
      { name: 'Budi', staffId: f.staff.budi, handled: 0, firstResponses: 1, medianFirstResponseMinutes: 120 },
    ]);
  });

  it('lists top intents, unanswered questions (masked, survey answers left out), CSAT and SERVQUAL', () => {
    expect(digest.topIntents).toEqual([
      { intent: 'complaint', count: 4 },
      { intent: 'fees', count: 1 },
    ]);
    expect(digest.unanswered).toEqual([{ text: 'jual pulsa murah hubungi 0812****90 NIK 5301************ paspor B*****67', count: 1, channels: ['telegram'] }]);
    expect(digest.csat).toEqual({ count: 2, average: 3.5, low: 1 }); // 5 and 2
    // Complaints: t2, t4, t1 keep the complaint intent's dimension (assurance); staff moved t3 to empathy.
    expect(digest.servqual).toEqual({ tangibles: 0, reliability: 0, responsiveness: 0, assurance: 3, empathy: 1 });
  });

  it('compares with the day before and the 7-day average', () => {
    // Thursday: a8 fee question + a9 complaint (answered in 45 min, on time, resolved).
    expect(digest.comparison.previousDay).toEqual({
      date: '2026-11-26',
      messagesIn: 2,
      conversations: 2,
      botOnlyShare: 0.5,
      ticketsOpened: 1,
      ticketsResolved: 1,
      medianMinutes: 45,
      p90Minutes: 45,
      withinSlaShare: 1,
      csatAverage: null,
    });
    // 20-26 Nov: counts over 7 days (2/7 = 0.29 -> 0.3, 1/7 -> 0.1); medians and shares over days that had one.
    expect(digest.comparison.sevenDayAverage).toEqual({
      from: '2026-11-20',
      to: '2026-11-26',
      messagesIn: 0.3,
      conversations: 0.3,
      botOnlyShare: 0.5,
      ticketsOpened: 0.1,
      ticketsResolved: 0.1,
      medianMinutes: 45,
      p90Minutes: 45,
      withinSlaShare: 1,
      csatAverage: null,
    });
    expect(digest.trend.map((d) => d.date)).toEqual(['2026-11-21', '2026-11-22', '2026-11-23', '2026-11-24', '2026-11-25', '2026-11-26', '2026-11-27']);
    expect(digest.trend.at(-1)).toMatchObject({ messagesIn: 8, ticketsOpened: 4, medianMinutes: 120, p90Minutes: 160, withinSlaShare: 0.5, csatAverage: 3.5 });
  });

  it('rejects a date that does not exist', () => {
    expect(() => buildDigest(f.db, { date: '2026-02-30', calendar: testPolicy().calendar, timeZone: TZ, now: f.t.clock.now() })).toThrow(/real dates/);
  });
});

describe('digest text', () => {
  it('puts the headline numbers first and renders every section in Indonesian', () => {
    const text = renderDigestText(digest);
    const lines = text.split('\n');
    expect(lines[0]).toBe('📊 Ringkasan SAPA · Jumat, 27 Nov 2026');
    expect(lines.slice(2, 8)).toEqual([
      'Pesan masuk: 8 (Telegram 7 · WhatsApp 1)',
      'Percakapan: 6 · selesai oleh bot saja: 33%',
      'Tiket: 4 dibuka · 2 selesai · 2 dalam antrean',
      `Tiket tertua: #${f.tickets.t4}, terbuka 3 j (jam kerja)`,
      'Respons pertama (jam kerja): separuh dijawab dalam 2 j · 9 dari 10 dijawab dalam 2 j 40 mnt · sesuai SLA 50% (2/4) · 3 dijawab',
      'Belum dijawab petugas: 1 tiket',
    ]);
    expect(text).toContain('⚠️ Pelanggaran SLA: 2');
    expect(text).toContain(`• #${f.tickets.t3} respons pertama · belum diambil · telat 50 mnt`);
    expect(text).toContain(`• #${f.tickets.t4} respons pertama · Budi · telat 5 j (masih berjalan) · ke supervisor`);
    expect(text).toContain('• Siti: 2 tiket ditangani · median respons pertama 1 j 40 mnt (2)');
    expect(text).toContain('• Budi: 0 tiket ditangani · median respons pertama 2 j (1)');
    expect(text).toContain('🔝 Topik teratas: complaint (4), fees (1)');
    expect(text).toContain('⭐ Kepuasan: 3,5 dari 5 (2 penilaian, 1 rendah)');
    expect(text).toContain('Keluhan per dimensi mutu layanan: Bukti fisik 0 · Keandalan 0 · Daya tanggap 0 · Jaminan 3 · Empati 1');
    expect(text).not.toMatch(/P90|SERVQUAL|Tangibles|Empathy/);
    expect(text).toContain('📈 Dibanding kemarin: pesan +6 (+300%) · tiket +3 (+300%) · median +1 j 15 mnt · SLA −50 poin');
    expect(text).toContain('📈 Dibanding rata-rata 7 hari: pesan +7,7 · tiket +3,9 · median +1 j 15 mnt · SLA −50 poin');
    // Short enough for one Telegram caption-free message.
    expect(text.length).toBeLessThan(4096);
  });
});

describe('masking', () => {
  it('never lets NIK, passport or phone numbers into the text or the JSON', () => {
    for (const output of [renderDigestText(digest), JSON.stringify(digest)]) {
      for (const secret of [NIK, PASSPORT, PHONE, '1234567890', '5301 0123']) expect(output).not.toContain(secret);
      expect(output).toMatch(/0812\*{4}90/);
    }
  });
});

describe('digest chart', () => {
  it('renders a PNG of 800 x 720 that decodes', async () => {
    const png = await renderDigestChart(digest);
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
    expect(String.fromCharCode(...png.subarray(12, 16))).toBe('IHDR');
    expect(view.getUint32(16)).toBe(800);
    expect(view.getUint32(20)).toBe(720);
    // Decodes: resvg reads it back as an image of the same size.
    const { Resvg } = await import('@resvg/resvg-js');
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="720"><image href="data:image/png;base64,${Buffer.from(png).toString('base64')}" width="800" height="720"/></svg>`;
    const again = new Resvg(svg).render();
    expect([again.width, again.height]).toEqual([800, 720]);
    expect(png.byteLength).toBeGreaterThan(5_000);
  });

  it('renders an empty day too', async () => {
    const empty = buildDigest(f.db, { date: '2026-11-22', calendar: testPolicy().calendar, timeZone: TZ, now: f.t.clock.now() });
    expect(empty.messagesIn).toBe(0);
    expect(empty.firstResponse.medianMinutes).toBeNull();
    expect(renderDigestText(empty)).toContain('⭐ Kepuasan: belum ada penilaian');
    const png = await renderDigestChart(empty);
    expect(png.subarray(1, 4).toString()).toBe('80,78,71');
  });
});

afterAll(() => f.t.close());
