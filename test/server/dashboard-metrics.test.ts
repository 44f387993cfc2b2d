/**
 * The shared metric definitions against hand-computed values. Office hours are the
 * policy's 08:00-16:00 WITA (UTC+8), Monday to Friday; Friday 27 and Monday 30
 * November 2026 are ordinary working days, the weekend between them is closed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
  dateRange,
  firstResponseByDay,
  complianceByDay,
  groupQuestions,
  localDateOf,
  metricsReport,
  quantile,
  TICKET_FACTS_SQL,
  ticketFactsBetween,
  unansweredQuestions,
} from '../../src/metrics/index.js';
import { createStaffService } from '../../src/staff.js';
import { createRecordingChannel } from '../fakes/recording-channel.js';
import { createTestCore, testPolicy, type TestCore } from '../helpers/core.js';

const MIN = 60_000;
/** WITA wall time on a November 2026 day -> the instant. */
const wita = (day: number, hhmm: string): string => `2026-11-${String(day).padStart(2, '0')}T${hhmm}:00+08:00`;

let t: TestCore;
afterEach(() => t?.close());

async function complain(at: string, from: string, channel?: 'whatsapp'): Promise<number> {
  t.clock.set(at);
  await t.say('saya mau komplain, pelayanan loket lambat sekali', { from, ...(channel ? { channel } : {}) });
  return t.db.prepare<[], { id: number }>('SELECT id FROM tickets ORDER BY id DESC LIMIT 1').get()!.id;
}

/** Four tickets on Friday (one answered across the weekend), one on Monday over WhatsApp. */
async function fixture(): Promise<void> {
  t = createTestCore({ start: wita(27, '09:00') });
  t.core.addChannel(createRecordingChannel('whatsapp'));
  const officer = createStaffService(t.db, () => t.clock.now()).add({ username: 'siti', role: 'staff', password: 'rahasia-kantor-123' }).id;
  const reply = (id: number, at: string): void => {
    t.clock.set(at);
    t.core.tickets.staffReply(id, officer, 'Baik, kami bantu.');
  };
  const t2 = await complain(wita(27, '10:00'), 'a2');
  t.clock.set(wita(27, '10:05'));
  t.core.tickets.addNote(t2, officer, 'cek loket 3'); // a note is not a response
  reply(t2, wita(27, '10:30')); // 30 min
  const t3 = await complain(wita(27, '11:00'), 'a3');
  await complain(wita(27, '13:00'), 'a4'); // never answered: due Fri 15:00
  reply(t3, wita(27, '14:00')); // 180 min: breached (window 2h)
  const t1 = await complain(wita(27, '15:00'), 'a1');
  reply(t1, wita(30, '09:00')); // Fri 15-16 + Mon 8-9 = 120 min: exactly on time
  const t5 = await complain(wita(30, '09:30'), 'a5', 'whatsapp');
  reply(t5, wita(30, '10:15')); // 45 min
  t.clock.set(wita(30, '12:00'));
}

describe('metric definitions', () => {
  it('computes quantiles by linear interpolation between closest ranks', () => {
    expect(quantile([], 0.5)).toBeNull();
    expect(quantile([7], 0.9)).toBe(7);
    expect(quantile([30, 120, 180], 0.5)).toBe(120);
    expect(quantile([30, 120, 180], 0.9)).toBe(168);
    // Results are whole milliseconds: 82.5 rounds to 83.
    expect(quantile([45, 30, 180, 120], 0.5)).toBe(83);
  });

  it('splits a range into office-local days', () => {
    const range = dateRange('2026-11-27', '2026-11-30', 'Asia/Makassar');
    expect(range.days.map((d) => d.date)).toEqual(['2026-11-27', '2026-11-28', '2026-11-29', '2026-11-30']);
    expect(new Date(range.startMs).toISOString()).toBe('2026-11-26T16:00:00.000Z');
    expect(new Date(range.endMs).toISOString()).toBe('2026-11-30T16:00:00.000Z');
    expect(localDateOf(new Date('2026-11-26T16:00:00Z'), 'Asia/Makassar')).toBe('2026-11-27');
    expect(() => dateRange('2026-11-30', '2026-11-01', 'Asia/Makassar')).toThrow(/before/);
    expect(() => dateRange('2026-02-30', '2026-03-01', 'Asia/Makassar')).toThrow(/real dates/);
    expect(() => dateRange('2020-01-01', '2026-01-01', 'Asia/Makassar')).toThrow(/at most/);
  });

  it('measures first response in business minutes across the weekend; bot replies and notes do not count', async () => {
    await fixture();
    const range = dateRange('2026-11-27', '2026-11-30', 'Asia/Makassar');
    const facts = ticketFactsBetween(t.db, range.startMs, range.endMs);
    const report = firstResponseByDay(testPolicy().calendar, range, facts);
    const [friday, saturday, sunday, monday] = report.days;
    expect(friday).toEqual({ date: '2026-11-27', opened: 4, answered: 3, waiting: 1, medianMs: 120 * MIN, p90Ms: 168 * MIN });
    expect(saturday).toMatchObject({ opened: 0, medianMs: null, p90Ms: null });
    expect(sunday).toMatchObject({ opened: 0, medianMs: null });
    expect(monday).toEqual({ date: '2026-11-30', opened: 1, answered: 1, waiting: 0, medianMs: 45 * MIN, p90Ms: 45 * MIN });
    // [30, 45, 120, 180]: median (45 + 120) / 2, p90 at rank 2.7 = 120 + 0.7 * 60.
    expect(report.total).toEqual({ opened: 5, answered: 4, waiting: 1, medianMs: 82.5 * MIN, p90Ms: 162 * MIN });
  });

  it('computes SLA compliance from the stored due times', async () => {
    await fixture();
    const range = dateRange('2026-11-27', '2026-11-30', 'Asia/Makassar');
    const report = complianceByDay(range, ticketFactsBetween(t.db, range.startMs, range.endMs), t.clock.now());
    // Friday: 30 min and 120 min met; 180 min and the unanswered one breached.
    expect(report.days[0]?.firstResponse).toEqual({ met: 2, breached: 2, pending: 0, rate: 0.5 });
    expect(report.days[3]?.firstResponse).toEqual({ met: 1, breached: 0, pending: 0, rate: 1 });
    expect(report.total.firstResponse).toEqual({ met: 3, breached: 2, pending: 0, rate: 0.6 });
    // Resolution windows (5 office days) are still running for all five.
    expect(report.total.resolution).toEqual({ met: 0, breached: 0, pending: 5, rate: null });
  });

  it('counts volume by channel, intent and SERVQUAL dimension', async () => {
    await fixture();
    const report = metricsReport(t.db, testPolicy().calendar, dateRange('2026-11-27', '2026-11-30', 'Asia/Makassar'), t.clock.now());
    expect(report.volume.tickets).toBe(5);
    expect(report.volume.byChannel).toEqual([
      { key: 'telegram', count: 4 },
      { key: 'whatsapp', count: 1 },
    ]);
    expect(report.volume.byIntent).toEqual([{ key: 'complaint', count: 5 }]);
    expect(report.volume.byServqual.reduce((sum, c) => sum + c.count, 0)).toBe(5);
    // A one-day report counts only that day's tickets.
    const monday = metricsReport(t.db, testPolicy().calendar, dateRange('2026-11-30', '2026-11-30', 'Asia/Makassar'), t.clock.now());
    expect(monday.volume.byChannel).toEqual([{ key: 'whatsapp', count: 1 }]);
  });

  it('reads a day through the created_at index', async () => {
    t = createTestCore();
    const plan = t.db.prepare(`EXPLAIN QUERY PLAN ${TICKET_FACTS_SQL}`).all(0, 1) as { detail: string }[];
    expect(plan.map((row) => row.detail).join('\n')).toMatch(/USING INDEX tickets_created/);
  });

  it('answers a day of a 1,000,000-ticket database quickly', async () => {
    t = createTestCore();
    t.db.prepare("INSERT INTO contacts (id, display_name, created_at) VALUES (1, 'x', 0)").run();
    t.db.prepare("INSERT INTO conversations (id, contact_id, channel, external_id, created_at) VALUES (1, 1, 'web', 'x', 0)").run();
    const insert = t.db.prepare(
      `INSERT INTO tickets (contact_id, conversation_id, channel, kind, status, priority, intent, servqual, summary, created_at, updated_at,
                            first_response_at, first_response_due_at)
       VALUES (1, 1, ?, 'complaint', 'closed', 'normal', 'fees', 'reliability', '', ?, ?, ?, ?)`,
    );
    const start = Date.parse('2024-01-01T00:00:00Z');
    const step = 100_000; // ~1.15 days of tickets per 1,000: a million rows span about three years
    t.db.transaction(() => {
      for (let i = 0; i < 1_000_000; i += 1) {
        const at = start + i * step;
        insert.run(i % 2 ? 'web' : 'telegram', at, at, at + 30 * MIN, at + 120 * MIN);
      }
    })();
    const range = dateRange('2026-11-30', '2026-11-30', 'Asia/Makassar');
    const began = performance.now();
    const report = metricsReport(t.db, testPolicy().calendar, range, new Date('2026-12-01T00:00:00Z'));
    const elapsedMs = performance.now() - began;
    expect(report.volume.tickets).toBeGreaterThan(800);
    expect(report.volume.tickets).toBeLessThan(900);
    expect(elapsedMs).toBeLessThan(500);
  }, 60_000);

  it('lists unanswered questions grouped, most frequent first, with personal data masked', async () => {
    t = createTestCore({ start: wita(30, '09:00') });
    const asks: [string, string][] = [
      ['bisakah pesan tiket pesawat ke bali', 'b1'],
      ['Bisakah pesan tiket pesawat ke Bali??', 'b2'],
      ['nomor saya 081234567890 bisa isi pulsa?', 'b3'],
      ['Bisakah pesan tiket pesawat ke bali', 'b4'],
      ['nomor saya 081298765432 bisa isi pulsa?', 'b5'],
      ['berapa biaya paspor?', 'b6'], // answered confidently: not listed
    ];
    for (const [text, from] of asks) {
      t.clock.advance(MIN);
      await t.say(text, { from });
    }
    const range = dateRange('2026-11-30', '2026-11-30', 'Asia/Makassar');
    const questions = unansweredQuestions(t.db, { startMs: range.startMs, endMs: range.endMs });
    expect(questions.map((q) => [q.count, q.text])).toEqual([
      [3, 'Bisakah pesan tiket pesawat ke bali'],
      [2, 'nomor saya 0812****32 bisa isi pulsa?'],
    ]);
    expect(JSON.stringify(questions)).not.toMatch(/081298765432|081234567890/);
    expect(questions[0]?.channels).toEqual(['telegram']);
  });

  it('groups by normalized text and keeps the latest example', () => {
    const rows = [
      { text: 'gmn cara bayar?', channel: 'web', created_at: 1, intent: 'out_of_scope' },
      { text: 'bagaimana cara bayar', channel: 'telegram', created_at: 2, intent: 'out_of_scope' },
      { text: 'NIK saya 5301011234567890', channel: 'web', created_at: 3, intent: 'out_of_scope' },
    ];
    const groups = groupQuestions(rows);
    expect(groups[0]).toMatchObject({ count: 2, text: 'bagaimana cara bayar', channels: ['telegram', 'web'] });
    expect(groups[1]?.text).toBe('NIK saya 5301************');
  });
});
