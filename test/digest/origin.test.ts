/**
 * The digest's and the reports' breakdown by origin (#21): tickets opened per origin (chat,
 * counter, phone, letter, LAPOR!, ...), and the LAPOR! reports counted apart: recorded that
 * day, open, due within an office day, late.
 */
import { describe, expect, it } from 'vitest';
import { createDeskIntake } from '../../src/desk-intake.js';
import { buildDigest } from '../../src/digest/build.js';
import { renderDigestText } from '../../src/digest/text.js';
import { LAPOR_STATUS_SQL, metricsReport } from '../../src/metrics/index.js';
import { dateRange } from '../../src/metrics/days.js';
import { createTestCore, testPolicy } from '../helpers/core.js';

const wita = (date: string, hhmm: string): Date => new Date(`${date}T${hhmm}:00+08:00`);
const TZ = 'Asia/Makassar';

describe('origin breakdown', () => {
  it('counts the day\'s tickets per origin and the LAPOR! reports apart, in the JSON, the text and the reports', async () => {
    // Monday 30 November 2026.
    const t = createTestCore({ start: wita('2026-11-30', '08:30').toISOString() });
    try {
      const staffId = Number(t.db.prepare("INSERT INTO staff (username, role, created_at) VALUES ('siti', 'staff', 0)").run().lastInsertRowid);
      const intake = createDeskIntake({ db: t.db, clock: t.clock, tickets: t.core.tickets });
      const record = (origin: 'desk' | 'phone' | 'letter' | 'lapor', name: string, receivedAt?: Date) =>
        intake.record({ origin, contact: { name }, text: `Keluhan dari ${name}.`, ...(receivedAt ? { receivedAt } : {}) }, staffId).ticket;

      // A LAPOR! report of the Tuesday before: 3 office days for the first response ran out
      // on Friday 27 November 10:00, so it is late on Monday.
      const old = record('lapor', 'Lama', wita('2026-11-24', '10:00'));
      // Monday: two chat complaints, one at the counter, one by phone, two LAPOR! reports.
      await t.say('antrian lama sekali, saya kecewa', { from: 'c1' });
      await t.say('petugas tidak ramah, kecewa', { from: 'c2' });
      record('desk', 'Loket');
      record('phone', 'Telepon');
      const fresh = record('lapor', 'Baru');
      const answered = record('lapor', 'Dijawab');
      t.core.tickets.answerOutside(answered.id, staffId, 'Sudah dijawab di panel LAPOR!.', 'lapor');
      t.core.tickets.setStatus(answered.id, 'resolved', { type: 'staff', staffId });
      // A Monday report answered on Monday, due in 3 office days: open, not due soon, not late.
      expect(fresh.firstResponseDueAt?.toISOString()).toBe(wita('2026-12-03', '08:30').toISOString());

      // Built on Monday 16:30 for Monday.
      t.clock.set(wita('2026-11-30', '16:30'));
      const digest = buildDigest(t.db, { date: '2026-11-30', calendar: testPolicy().calendar, timeZone: TZ, now: t.clock.now() });
      expect(digest.byOrigin).toEqual([
        { origin: 'chat', count: 2 },
        { origin: 'lapor', count: 2 },
        { origin: 'desk', count: 1 },
        { origin: 'phone', count: 1 },
      ]);
      // Recorded Monday: 2; still open at the end of Monday: the old one and the fresh one;
      // late: the old one; due within the next office day: none (the fresh one is due Thursday).
      expect(digest.lapor).toEqual({ opened: 2, open: 2, dueSoon: 0, late: 1 });
      expect(digest.tickets.opened).toBe(6);
      // The chat figures stay about the chat: the recorded complaints are no messages of a channel.
      expect(digest.messagesIn).toBe(2);
      expect(digest.conversations).toBe(2);
      expect(digest.byChannel).toEqual([{ channel: 'telegram', count: 2 }]);

      const text = renderDigestText(digest);
      expect(text).toContain('Asal tiket: Chat 2 · LAPOR! 2 · Loket 1 · Telepon 1');
      expect(text).toContain('LAPOR!: 2 dicatat · 2 belum selesai · 0 jatuh tempo dalam 1 hari kerja · 1 terlambat');

      // Wednesday 2 December 10:00: the fresh report is due Thursday 08:30, within one office day.
      t.clock.set(wita('2026-12-02', '10:00'));
      const wednesday = buildDigest(t.db, { date: '2026-12-02', calendar: testPolicy().calendar, timeZone: TZ, now: t.clock.now() });
      expect(wednesday.lapor).toEqual({ opened: 0, open: 2, dueSoon: 1, late: 1 });
      expect(wednesday.byOrigin).toEqual([]);
      // No ticket from outside the chat that day: no origin line, but the LAPOR! line stays while reports are open.
      const wednesdayText = renderDigestText(wednesday);
      expect(wednesdayText).not.toContain('Asal tiket');
      expect(wednesdayText).toContain('LAPOR!: 0 dicatat · 2 belum selesai · 1 jatuh tempo dalam 1 hari kerja · 1 terlambat');

      // The reports page (same metric code): volume by origin over a range, LAPOR! as of now.
      const report = metricsReport(t.db, testPolicy().calendar, dateRange('2026-11-24', '2026-11-30', TZ), t.clock.now());
      expect(report.volume.byOrigin).toEqual([
        { key: 'lapor', count: 3 },
        { key: 'chat', count: 2 },
        { key: 'desk', count: 1 },
        { key: 'phone', count: 1 },
      ]);
      // As of the range's end (Monday midnight, before now): the fresh report is not due within an office day yet.
      expect(report.lapor).toEqual({ open: 2, dueSoon: 0, late: 1 });
      const upToNow = metricsReport(t.db, testPolicy().calendar, dateRange('2026-11-26', '2026-12-02', TZ), t.clock.now());
      expect(upToNow.lapor).toEqual({ open: 2, dueSoon: 1, late: 1 });
      expect(old.origin).toBe('lapor');
    } finally {
      t.close();
    }
  });

  it('reads the LAPOR! reports through the partial origin index, never the chat tickets', () => {
    const t = createTestCore();
    try {
      const plan = t.db
        .prepare(`EXPLAIN QUERY PLAN ${LAPOR_STATUS_SQL}`)
        .all(1, 1) as { detail: string }[];
      expect(plan.map((row) => row.detail).join('\n')).toMatch(/USING INDEX tickets_origin_created/);
    } finally {
      t.close();
    }
  });

  it('a digest with only chat tickets shows no origin or LAPOR! line', async () => {
    const t = createTestCore({ start: wita('2026-11-30', '09:00').toISOString() });
    try {
      await t.say('antrian lama sekali, saya kecewa', { from: 'c1' });
      const digest = buildDigest(t.db, { date: '2026-11-30', calendar: testPolicy().calendar, timeZone: TZ, now: t.clock.now() });
      expect(digest.byOrigin).toEqual([{ origin: 'chat', count: 1 }]);
      expect(digest.lapor).toEqual({ opened: 0, open: 0, dueSoon: 0, late: 0 });
      const text = renderDigestText(digest);
      expect(text).not.toContain('Asal tiket');
      expect(text).not.toContain('LAPOR!');
    } finally {
      t.close();
    }
  });
});
