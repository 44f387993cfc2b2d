/**
 * Escalation as staff and applicants see it: the real core, a fake clock, a recording
 * channel that receives both the applicant's replies and the staff-target posts.
 */
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlaScanner, type SlaScanner } from '../../src/sla/scanner.js';
import { createTestCore, testPolicy, type TestCore } from '../helpers/core.js';

const STAFF_GROUP = '-100777';
const SUPERVISOR = '555';
const targets = [
  { channel: 'telegram', externalId: STAFF_GROUP, audience: 'staff' },
  { channel: 'telegram', externalId: SUPERVISOR, audience: 'supervisor' },
] as const;

/** Monday 30 November 2026 in WITA (UTC+8): office 08:00-16:00. */
const wita = (day: number, hhmm: string): Date => new Date(`2026-${day >= 30 ? '11' : '12'}-${String(day).padStart(2, '0')}T${hhmm}:00+08:00`);

let t: TestCore;
let scanner: SlaScanner;
afterEach(() => t?.close());

function setup(start = wita(30, '09:00')): void {
  t = createTestCore({ alertTargets: targets, start: start.toISOString() });
  scanner = createSlaScanner({
    db: t.db,
    clock: t.clock,
    policy: testPolicy(),
    alerts: t.core.alerts,
    logger: pino({ level: 'silent' }),
    timeZone: 'Asia/Makassar',
  });
}

/** Moves the clock, scans, delivers; returns what this scan fired as "timer/level". */
async function scanAt(at: Date): Promise<string[]> {
  t.clock.set(at);
  const report = scanner.scan();
  await t.settle();
  return report.fired.map((f) => `${f.timer}/${f.level}`);
}

async function openComplaint(text = 'antrian sangat lama, petugas tidak peduli, kecewa'): Promise<number> {
  await t.say(text);
  return (t.db.prepare('SELECT id FROM tickets ORDER BY id DESC LIMIT 1').get() as { id: number }).id;
}

function addStaff(username: string, displayName: string): number {
  return Number(
    t.db.prepare("INSERT INTO staff (username, display_name, role, created_at) VALUES (?, ?, 'staff', 0)").run(username, displayName).lastInsertRowid,
  );
}

const postsTo = (chat: string): string[] => t.channel.textsTo(chat);
const slaPostsTo = (chat: string): string[] => postsTo(chat).filter((text) => !text.startsWith('🆕'));

describe('SLA escalation', () => {
  it('warns at warn_at, breaches at level 1 to staff, then escalates at level 2 to supervisors', async () => {
    setup();
    const id = await openComplaint(); // normal priority: first response 2h -> 11:00, warning at 10:30
    expect(await scanAt(wita(30, '10:29'))).toEqual([]);

    expect(await scanAt(wita(30, '10:30'))).toEqual(['first_response/warning']);
    const [warning] = slaPostsTo(STAFF_GROUP);
    expect(warning).toMatch(/#1 hampir habis/);
    expect(warning).toContain('belum ada petugas');
    expect(warning).toContain('pukul 11.00 WITA');
    expect(t.core.tickets.get(id).escalationLevel).toBe(0);

    expect(await scanAt(wita(30, '11:05'))).toEqual(['first_response/breach']);
    const breach = slaPostsTo(STAFF_GROUP)[1];
    expect(breach).toMatch(/Tiket #1 melewati batas respons pertama/);
    expect(breach).toContain('Prioritas Normal');
    expect(breach).toContain('Terlambat 5 menit');
    expect(t.core.tickets.get(id).escalationLevel).toBe(1);
    expect(slaPostsTo(SUPERVISOR)).toEqual([]);

    expect(await scanAt(wita(30, '12:00'))).toEqual(['first_response/supervisor']);
    expect(slaPostsTo(SUPERVISOR)).toHaveLength(1);
    expect(slaPostsTo(SUPERVISOR)[0]).toMatch(/Eskalasi pengawas: tiket #1/);
    expect(slaPostsTo(SUPERVISOR)[0]).toContain('Terlambat 1 jam');
    // The supervisor level does not post to the staff group again.
    expect(slaPostsTo(STAFF_GROUP)).toHaveLength(2);
    expect(t.core.tickets.get(id).escalationLevel).toBe(2);
    expect(t.core.alerts.recent(10).map((a) => a.kind)).toEqual(['sla_supervisor', 'sla_breach', 'sla_warning', 'ticket_opened']);
    // Nothing more until the resolution warning.
    expect(await scanAt(wita(30, '15:59'))).toEqual([]);
  });

  it('a high-priority ticket runs on the shorter windows', async () => {
    setup();
    await openComplaint('saya lansia 75 tahun sudah antri lama sekali, kecewa dengan pelayanan');
    expect(t.core.tickets.get(1).priority).toBe('high'); // first response 30m -> 09:30, warning 09:22:30
    expect(await scanAt(wita(30, '09:31'))).toEqual(['first_response/warning', 'first_response/breach']);
    expect(slaPostsTo(STAFF_GROUP)[1]).toContain('Prioritas TINGGI');
  });

  it('warns the assignee by name once someone has claimed the ticket', async () => {
    setup();
    const id = await openComplaint();
    const ani = addStaff('ani', 'Ani Lestari');
    t.core.tickets.claim(id, ani);
    expect(await scanAt(wita(30, '10:30'))).toEqual(['first_response/warning']);
    expect(slaPostsTo(STAFF_GROUP)[0]).toMatch(/^⏳ Ani Lestari: batas respons pertama tiket #1 hampir habis/);
    expect(await scanAt(wita(30, '11:00'))).toEqual(['first_response/breach']);
    expect(slaPostsTo(STAFF_GROUP)[1]).toContain('Petugas: Ani Lestari');
  });

  it('a staff reply before the breach stops it', async () => {
    setup();
    const id = await openComplaint();
    expect(await scanAt(wita(30, '10:30'))).toEqual(['first_response/warning']);
    t.clock.set(wita(30, '10:45'));
    t.core.tickets.staffReply(id, addStaff('budi', 'Budi'), 'Mohon maaf, kami cek sekarang.');
    expect(await scanAt(wita(30, '11:00'))).toEqual([]);
    expect(await scanAt(wita(30, '13:00'))).toEqual([]);
    expect(t.core.tickets.get(id).escalationLevel).toBe(0);
    expect(slaPostsTo(SUPERVISOR)).toEqual([]);
    // The ticket leaves the scanner's index until the resolution warning.
    const row = t.db.prepare('SELECT next_sla_check_at AS at FROM tickets WHERE id = ?').get(id) as { at: number };
    expect(row.at).toBeGreaterThan(wita(30, '13:00').getTime());
  });

  it('each unanswered stretch gets its own next-response escalation', async () => {
    setup();
    const id = await openComplaint();
    const budi = addStaff('budi', 'Budi');
    t.clock.set(wita(30, '09:10'));
    t.core.tickets.staffReply(id, budi, 'Baik, kami cek.');
    t.clock.set(wita(30, '09:30'));
    await t.say('sudah satu jam belum ada kabar'); // next response 4h -> 13:30
    expect(await scanAt(wita(30, '13:30'))).toEqual(['next_response/warning', 'next_response/breach']);

    t.clock.set(wita(30, '13:40'));
    t.core.tickets.staffReply(id, budi, 'Sedang diproses.');
    t.clock.set(wita(30, '14:00'));
    await t.say('masih belum selesai juga'); // 2h today + 2h Tuesday -> Tue 10:00
    expect(await scanAt(wita(1, '09:59'))).toEqual(['next_response/warning']);
    expect(await scanAt(wita(1, '10:00'))).toEqual(['next_response/breach']);
    const rows = t.db.prepare("SELECT COUNT(*) AS n FROM sla_escalations WHERE timer = 'next_response' AND level = 'breach'").get();
    expect(rows).toEqual({ n: 2 });
  });

  it('pending pauses the resolution clock', async () => {
    setup();
    const id = await openComplaint();
    const budi = addStaff('budi', 'Budi');
    t.clock.set(wita(30, '09:10'));
    t.core.tickets.staffReply(id, budi, 'Mohon kirim nomor antrian Bapak.');
    const unpausedDue = t.core.tickets.get(id).resolutionDueAt!;
    expect(unpausedDue.toISOString()).toBe(wita(7, '09:00').toISOString()); // 5 office days

    t.core.tickets.setStatus(id, 'pending', { type: 'staff', staffId: budi });
    // While pending, nothing escalates, however long the applicant takes.
    expect(scanner.scan(wita(8, '09:00'), { dryRun: true }).fired).toEqual([]);

    // The applicant answers two office days later: the clock resumes where it stopped.
    t.clock.set(wita(2, '09:10'));
    await t.say('ini nomor antrian saya A-102');
    expect(t.core.tickets.get(id).status).toBe('open');
    t.clock.set(wita(2, '09:20'));
    t.core.tickets.staffReply(id, budi, 'Terima kasih, kami proses.');
    const pausedDue = t.core.tickets.get(id).resolutionDueAt!;
    expect(pausedDue.toISOString()).toBe(wita(9, '09:00').toISOString());

    // The unpaused due time passes quietly; the warning moved by the paused stretch too.
    expect(await scanAt(wita(7, '09:00'))).toEqual([]);
    expect(await scanAt(wita(9, '08:59'))).toEqual(['resolution/warning']);
    expect(await scanAt(wita(9, '09:00'))).toEqual(['resolution/breach']);
  });
});

describe('after hours', () => {
  /** Friday 4 December 2026, 17:00 WITA: closed until Monday 08:00. */
  const FRIDAY_EVENING = wita(4, '17:00');

  it('tells the applicant when the office opens and when to expect an answer', async () => {
    setup(FRIDAY_EVENING);
    const [reply] = await t.say('antrian sangat lama, petugas tidak peduli, kecewa');
    expect(reply).toContain('tiket #1');
    expect(reply).toContain('Kantor sedang tutup dan buka kembali Senin, 7 Desember pukul 08.00 WITA');
    expect(reply).toContain('Petugas akan merespons paling lambat Senin, 7 Desember pukul 10.00 WITA');
    // And no escalation fires over the weekend.
    expect(scanner.scan(wita(6, '23:59')).fired).toEqual([]);
  });

  it('answers "when?" after hours with the expected answer time', async () => {
    setup(FRIDAY_EVENING);
    await t.say('antrian sangat lama, petugas tidak peduli, kecewa');
    t.clock.set(wita(5, '10:00'));
    const [reply] = await t.say('kapan dibalas?');
    expect(reply).toContain('Tiket #1');
    expect(reply).toContain('paling lambat Senin, 7 Desember pukul 10.00 WITA');
  });
});
