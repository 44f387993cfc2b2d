/**
 * The weekly staff reminder while the holiday calendar lacks official data: once a week,
 * recorded in the database so a restart (a new connection to the same file, as a new
 * process has) does not send it again. Fake clock only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createFakeClock, type FakeClock } from '../../src/clock.js';
import { createEventBus } from '../../src/events.js';
import { createHolidayCoverageAlerter, type HolidayCoverageAlerter } from '../../src/sla/holiday-alerts.js';
import type { HolidayData, HolidayYear } from '../../src/sla/holidays.js';
import { createStaffAlerts } from '../../src/staff-alerts.js';
import { openDatabase, type Db } from '../../src/store/db.js';

const dir = mkdtempSync(join(tmpdir(), 'sapa-holiday-alerts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let counter = 0;

const STAFF_CHAT = '-100777';
const official = (year: number): HolidayYear => ({
  year,
  status: 'official',
  decree: `SKB ${year} (test)`,
  holidays: [{ date: `${year}-12-25`, name: 'Hari Raya Natal', kind: 'holiday' }],
});
const only2026: HolidayData = { file: 'data/holidays.json', years: [official(2026)] };

/** One "process": a connection to the database file and an alerter on it. */
function boot(path: string, clock: FakeClock, holidays: HolidayData = only2026): { db: Db; alerter: HolidayCoverageAlerter } {
  const db = openDatabase(path);
  const bus = createEventBus((err) => {
    throw err;
  });
  const alerts = createStaffAlerts({ db, clock, bus, targets: [{ channel: 'telegram', externalId: STAFF_CHAT, audience: 'staff' }] });
  const alerter = createHolidayCoverageAlerter({ db, clock, holidays, timeZone: 'Asia/Makassar', alerts, logger: pino({ level: 'silent' }) });
  return { db, alerter };
}

function reminders(path: string): { text: string; created_at: number; queued: number }[] {
  const db = openDatabase(path);
  try {
    return db
      .prepare(
        `SELECT a.text, a.created_at, (SELECT COUNT(*) FROM messages m JOIN conversations c ON c.id = m.conversation_id
           WHERE m.alert_id = a.id AND c.channel = 'telegram' AND c.external_id = ?) AS queued
         FROM staff_alerts a WHERE a.kind = 'holiday_calendar' ORDER BY a.id`,
      )
      .all(STAFF_CHAT) as { text: string; created_at: number; queued: number }[];
  } finally {
    db.close();
  }
}

describe('weekly staff reminder about the holiday calendar', () => {
  it('starts on 1 November 00:00 WITA, goes once a week, and a restart does not repeat it', () => {
    const path = join(dir, `alerts-${++counter}.db`);
    const clock = createFakeClock('2026-10-31T23:59:00+08:00');

    let run = boot(path, clock);
    // The day before: 2027 is missing but the warning has not started.
    expect(run.alerter.check()).toMatchObject({ sent: false, alertId: null });
    clock.set('2026-11-01T00:00:00+08:00');
    const first = run.alerter.check();
    expect(first).toMatchObject({ sent: true, previousAt: null });
    expect(first.coverage.warning?.years).toEqual([2027]);
    clock.set('2026-11-01T08:00:00+08:00');
    expect(run.alerter.check().sent).toBe(false);
    run.db.close();

    // A new process on the same database file, later that week.
    run = boot(path, clock);
    for (const at of ['2026-11-01T12:00:00+08:00', '2026-11-02T08:00:00+08:00', '2026-11-07T23:59:00+08:00']) {
      clock.set(at);
      expect(run.alerter.check(), at).toMatchObject({ sent: false, previousAt: new Date('2026-11-01T00:00:00+08:00') });
    }
    run.db.close();

    // Seven days after the first one, another process sends the second reminder, once.
    run = boot(path, clock);
    clock.set('2026-11-08T08:00:00+08:00');
    expect(run.alerter.check().sent).toBe(true);
    run.db.close();
    run = boot(path, clock);
    expect(run.alerter.check().sent).toBe(false);
    clock.set('2026-11-09T08:00:00+08:00');
    expect(run.alerter.check().sent).toBe(false);
    run.db.close();

    const sent = reminders(path);
    expect(sent.map((r) => new Date(r.created_at).toISOString())).toEqual(['2026-10-31T16:00:00.000Z', '2026-11-08T00:00:00.000Z']);
    // Each reminder is queued once to the staff group, through the outbox like every staff alert.
    expect(sent.map((r) => r.queued)).toEqual([1, 1]);
    expect(sent[0]?.text).toContain('belum ada data libur resmi untuk 2027 di data/holidays.json (2027 belum ada di berkas)');
    expect(sent[0]?.text).toContain('1 Jan, 1 Mei, 1 Jun, 17 Agu, 25 Des');
    expect(sent[0]?.text).toContain('npx sapa calendar check');
    expect(sent[0]?.text).toContain('sekali seminggu');
  });

  it('says "provisional" for a provisional year and stays quiet once the next year is official', () => {
    const path = join(dir, `alerts-${++counter}.db`);
    const clock = createFakeClock('2026-12-03T10:00:00+08:00');
    const provisional: HolidayData = { file: 'data/holidays.json', years: [official(2026), { year: 2027, status: 'provisional', decree: null, holidays: [] }] };
    let run = boot(path, clock, provisional);
    expect(run.alerter.check().sent).toBe(true);
    run.db.close();
    expect(reminders(path)[0]?.text).toContain('2027 masih sementara (provisional)');

    // The file is fixed and SAPA restarted: no reminder, even a week later.
    clock.set('2026-12-20T10:00:00+08:00');
    run = boot(path, clock, { file: 'data/holidays.json', years: [official(2026), official(2027)] });
    expect(run.alerter.check()).toMatchObject({ sent: false });
    expect(run.alerter.check().coverage.warning).toBeNull();
    run.db.close();
    expect(reminders(path)).toHaveLength(1);
  });

  it('a clock set back before the last reminder sends nothing; tick never throws', () => {
    const path = join(dir, `alerts-${++counter}.db`);
    const clock = createFakeClock('2027-01-04T09:00:00+08:00');
    const run = boot(path, clock);
    expect(run.alerter.check().sent).toBe(true);
    clock.set('2026-12-20T09:00:00+08:00');
    expect(run.alerter.check().sent).toBe(false);
    clock.set('2027-01-11T09:00:00+08:00');
    run.alerter.tick();
    run.db.close();
    expect(reminders(path)).toHaveLength(2);
    // With the database closed the check fails inside tick, which logs instead of throwing.
    expect(() => run.alerter.tick()).not.toThrow();
  });
});
