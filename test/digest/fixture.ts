/**
 * A fixed week for the digest tests. Office hours are the policy's 08:00-16:00 WITA
 * (UTC+8), Monday to Friday. The digest under test is Friday 27 November 2026, built on
 * Monday 30 November at 12:00 (so one Friday ticket is answered across the weekend).
 *
 * Thursday 26: a8 asks the fee (bot answers), a9 complains at 09:00, Siti answers 09:45
 *   (45 min), the ticket is resolved at 10:00.
 * Friday 27:
 *   10:00 a2 complains (t2); Siti answers 10:30 (30 min, met); resolved 11:00; a2 rates 5 at 11:05.
 *   11:00 a3 complains (t3); first-response window runs out 13:00 (scan at 13:05 records the
 *         breach, nobody holds it); Siti answers 13:50 (170 min, 50 min late); staff set its
 *         SERVQUAL to empathy; resolved 14:10; a3 rates 2 at 14:15 (a low rating).
 *   12:00 a6 asks the fee over WhatsApp (the bot answers: bot only).
 *   12:30 a7 writes something out of scope with a phone number, a NIK and a passport number.
 *   13:00 a4 complains (t4); Budi claims it at 14:30; window runs out 15:00 (scan at 15:00);
 *         never answered: supervisor level fires on Monday's scan.
 *   15:00 a1 complains (t1); Budi answers Monday 09:00 = Fri 15-16 + Mon 08-09 = 120 min, on time.
 */
import { pino } from 'pino';
import { createFakeClock } from '../../src/clock.js';
import { createSlaScanner, type SlaScanner } from '../../src/sla/scanner.js';
import { createStaffService } from '../../src/staff.js';
import type { AlertTarget } from '../../src/staff-alerts.js';
import type { Db } from '../../src/store/db.js';
import { createRecordingChannel, type RecordingChannel } from '../fakes/recording-channel.js';
import { createTestCore, testPolicy, type TestCore } from '../helpers/core.js';

export const MIN = 60_000;
export const TZ = 'Asia/Makassar';
/** WITA wall time on a November/December 2026 day -> ISO instant. */
export const wita = (day: number, hhmm: string, month = 11): string =>
  `2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T${hhmm}:00+08:00`;

export const NIK = '5301012345678901';
export const PHONE = '081234567890';
export const PASSPORT = 'B1234567';
export const OUT_OF_SCOPE_TEXT = `jual pulsa murah hubungi ${PHONE} NIK ${NIK} paspor ${PASSPORT}`;

export const SUPERVISORS: readonly AlertTarget[] = [
  { channel: 'telegram', externalId: '-1005550001', audience: 'supervisor' },
  { channel: 'whatsapp', externalId: '6281298765432@s.whatsapp.net', audience: 'supervisor' },
  { channel: 'telegram', externalId: '-1009990000', audience: 'staff' },
];

export interface Fixture {
  readonly t: TestCore;
  readonly db: Db;
  readonly whatsapp: RecordingChannel;
  readonly scanner: SlaScanner;
  readonly tickets: { t1: number; t2: number; t3: number; t4: number; t9: number };
  readonly staff: { siti: number; budi: number };
}

export async function buildFixture(options: { db?: Db } = {}): Promise<Fixture> {
  const clock = createFakeClock(wita(26, '08:30'));
  const t = createTestCore({ clock, alertTargets: SUPERVISORS, ...(options.db ? { db: options.db } : {}) });
  const whatsapp = createRecordingChannel('whatsapp');
  t.core.addChannel(whatsapp);
  await whatsapp.start(t.core.intake.sink);
  const staffService = createStaffService(t.db, () => t.clock.now());
  const siti = staffService.add({ username: 'siti', role: 'staff', password: 'rahasia-kantor-123', displayName: 'Siti' }).id;
  const budi = staffService.add({ username: 'budi', role: 'staff', password: 'rahasia-kantor-123', displayName: 'Budi' }).id;
  const scanner = createSlaScanner({ db: t.db, clock: t.clock, policy: testPolicy(), alerts: t.core.alerts, logger: pino({ level: 'silent' }), timeZone: TZ });

  const at = (iso: string): void => t.clock.set(iso);
  const lastTicket = (): number => t.db.prepare<[], { id: number }>('SELECT id FROM tickets ORDER BY id DESC LIMIT 1').get()!.id;
  const complain = async (when: string, from: string): Promise<number> => {
    at(when);
    await t.say('saya mau komplain, pelayanan loket lambat sekali', { from });
    return lastTicket();
  };
  const reply = async (id: number, staffId: number, when: string): Promise<void> => {
    at(when);
    t.core.tickets.staffReply(id, staffId, 'Baik, kami bantu.');
    await t.settle();
  };
  const resolve = async (id: number, staffId: number, when: string): Promise<void> => {
    at(when);
    t.core.tickets.setStatus(id, 'resolved', { type: 'staff', staffId });
    await t.settle();
  };

  // Thursday 26
  at(wita(26, '08:45'));
  await t.say('berapa biaya paspor baru?', { from: 'a8' });
  const t9 = await complain(wita(26, '09:00'), 'a9');
  await reply(t9, siti, wita(26, '09:45'));
  await resolve(t9, siti, wita(26, '10:00'));

  // Friday 27
  const t2 = await complain(wita(27, '10:00'), 'a2');
  await reply(t2, siti, wita(27, '10:30'));
  await resolve(t2, siti, wita(27, '11:00'));
  const t3 = await complain(wita(27, '11:00'), 'a3');
  at(wita(27, '11:05'));
  await t.say('5', { from: 'a2' });
  at(wita(27, '12:00'));
  await t.say('berapa biaya paspor baru?', { from: 'a6', channel: 'whatsapp' });
  at(wita(27, '12:30'));
  await t.say(OUT_OF_SCOPE_TEXT, { from: 'a7' });
  const t4 = await complain(wita(27, '13:00'), 'a4');
  scanner.scan(new Date(wita(27, '13:05')));
  await reply(t3, siti, wita(27, '13:50'));
  at(wita(27, '13:55'));
  t.core.tickets.setServqual(t3, 'empathy', { type: 'staff', staffId: siti });
  await resolve(t3, siti, wita(27, '14:10'));
  at(wita(27, '14:15'));
  await t.say('2', { from: 'a3' });
  at(wita(27, '14:30'));
  t.core.tickets.claim(t4, budi);
  scanner.scan(new Date(wita(27, '15:00')));
  const t1 = await complain(wita(27, '15:00'), 'a1');

  // Monday 30
  await reply(t1, budi, wita(30, '09:00'));
  at(wita(30, '12:00'));
  scanner.scan(new Date(wita(30, '12:00')));
  await t.settle();
  return { t, db: t.db, whatsapp, scanner, tickets: { t1, t2, t3, t4, t9 }, staff: { siti, budi } };
}
