/**
 * Applicants are told of LAPOR! (lapor.go.id) as their right to escalate (#21): once, when
 * their ticket runs past its resolution time, and with the thanks for a rating of 1 or 2.
 * Not on a ticket that came from LAPOR!, not to a contact SAPA cannot reach.
 */
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createDeskIntake } from '../../src/desk-intake.js';
import { createSlaScanner } from '../../src/sla/scanner.js';
import { createTestCore, testPolicy, type TestCore } from '../helpers/core.js';

const wita = (date: string, hhmm: string): Date => new Date(`${date}T${hhmm}:00+08:00`);

const open: TestCore[] = [];
afterEach(() => {
  for (const core of open.splice(0)) core.close();
});

function setup() {
  const t = createTestCore({ start: wita('2026-11-30', '09:00').toISOString() });
  open.push(t);
  const staffId = Number(t.db.prepare("INSERT INTO staff (username, role, created_at) VALUES ('siti', 'staff', 0)").run().lastInsertRowid);
  const scanner = createSlaScanner({ db: t.db, clock: t.clock, policy: testPolicy(), alerts: t.core.alerts, logger: pino({ level: 'silent' }), timeZone: 'Asia/Makassar', bus: t.core.bus });
  const intake = createDeskIntake({ db: t.db, clock: t.clock, tickets: t.core.tickets });
  const lastTicket = (): number => t.db.prepare<[], { id: number }>('SELECT id FROM tickets ORDER BY id DESC LIMIT 1').get()!.id;
  const sentTo = (who: string): string[] => t.channel.sent.filter((m) => m.conversationExternalId === who).map((m) => m.text);
  return { t, staffId, scanner, intake, lastTicket, sentTo };
}

describe('after a resolution breach', () => {
  it('the applicant is told once, in their language, that the ticket is still handled and of their right to LAPOR!', async () => {
    const { t, scanner, lastTicket, sentTo } = setup();
    await t.say('antrian lama sekali, saya kecewa', { from: 'ina' });
    const ina = lastTicket();
    await t.say('the queue was terrible and nobody helped me, very disappointed', { from: 'ben' });
    const ben = lastTicket();
    expect(ben).not.toBe(ina);
    // 5 office days later the resolution windows run out (Monday 7 December 09:00).
    t.clock.set(wita('2026-12-07', '09:30'));
    const report = scanner.scan();
    expect(report.fired.filter((f) => f.timer === 'resolution' && f.level === 'breach').map((f) => f.ticketId).sort()).toEqual([ina, ben].sort());
    await t.settle();
    const toIna = sentTo('ina').filter((text) => text.includes('lapor.go.id'));
    expect(toIna).toEqual([
      `Mohon maaf, keluhan #${ina} belum selesai dalam batas waktu layanan kami. Petugas tetap menanganinya.\n\nBapak/Ibu juga berhak menyampaikan pengaduan ke SP4N-LAPOR! di lapor.go.id. Sebutkan nomor tiket #${ina}.`,
    ]);
    expect(sentTo('ben').filter((text) => text.includes('lapor.go.id'))).toEqual([
      `We are sorry: complaint #${ben} was not settled within our service time. An officer is still working on it.\n\nYou also have the right to complain to SP4N-LAPOR!, the national public-service complaint system, at lapor.go.id. Please mention ticket #${ben}.`,
    ]);
    // Later scans (the supervisor level included) do not repeat it.
    t.clock.set(wita('2026-12-08', '15:00'));
    scanner.scan();
    await t.settle();
    expect(sentTo('ina').filter((text) => text.includes('lapor.go.id'))).toHaveLength(1);
  });

  it('is not sent on a LAPOR! report (the reporter is there already) nor to a contact SAPA cannot reach', async () => {
    const { t, staffId, scanner, intake, sentTo } = setup();
    // A LAPOR! report from someone who writes on the chat channel too.
    await t.say('halo, mau tanya biaya paspor', { from: 'rudi' });
    const rudiContact = t.db.prepare<[], { contact_id: number }>("SELECT contact_id FROM conversations WHERE external_id = 'rudi'").get()!.contact_id;
    t.db.prepare('UPDATE identities SET phone = ? WHERE contact_id = ?').run('6281299990000', rudiContact);
    const lapor = intake.record({ origin: 'lapor', laporTrackingId: 'LAPOR-77', contact: { name: 'Rudi', phone: '081299990000' }, text: 'Laporan LAPOR!: antrean tidak tertib.' }, staffId);
    expect(lapor.reachable).toBe(true);
    const offline = intake.record({ origin: 'letter', contact: { name: 'Surat' }, text: 'Surat keluhan.' }, staffId);
    expect(offline.reachable).toBe(false);
    t.clock.set(wita('2026-12-14', '09:30'));
    const fired = scanner.scan().fired.filter((f) => f.timer === 'resolution' && f.level === 'breach').map((f) => f.ticketId);
    expect(fired).toEqual(expect.arrayContaining([lapor.ticket.id, offline.ticket.id]));
    await t.settle();
    expect(sentTo('rudi').some((text) => text.includes('lapor.go.id'))).toBe(false);
    expect(t.db.prepare("SELECT count(*) AS n FROM messages WHERE text LIKE '%lapor.go.id%'").get()).toEqual({ n: 0 });
  });
});

describe('after a rating of 1 or 2', () => {
  it('the thanks names LAPOR!; a good rating does not; nor does a low rating of a LAPOR! report', async () => {
    const { t, staffId, intake, lastTicket, sentTo } = setup();
    await t.say('petugas loket tidak ramah, saya kecewa', { from: 'low' });
    t.core.tickets.setStatus(lastTicket(), 'resolved', { type: 'staff', staffId });
    await t.settle();
    const low = await t.say('1', { from: 'low' });
    expect(low.join('\n')).toContain('Bapak/Ibu juga berhak menyampaikan pengaduan ke SP4N-LAPOR! di lapor.go.id.');

    await t.say('antrian lama, kecewa', { from: 'good' });
    t.core.tickets.setStatus(lastTicket(), 'resolved', { type: 'staff', staffId });
    await t.settle();
    const good = await t.say('4', { from: 'good' });
    expect(good.join('\n')).not.toContain('lapor.go.id');

    await t.say('halo', { from: 'rep' });
    const repContact = t.db.prepare<[], { contact_id: number }>("SELECT contact_id FROM conversations WHERE external_id = 'rep'").get()!.contact_id;
    t.db.prepare('UPDATE identities SET phone = ? WHERE contact_id = ?').run('6281277770000', repContact);
    const lapor = intake.record({ origin: 'lapor', contact: { name: 'Rep', phone: '081277770000' }, text: 'Laporan LAPOR!.' }, staffId);
    t.core.tickets.answerOutside(lapor.ticket.id, staffId, 'Sudah dijawab di LAPOR!.', 'lapor');
    t.core.tickets.setStatus(lapor.ticket.id, 'resolved', { type: 'staff', staffId });
    await t.settle();
    expect(sentTo('rep').join('\n')).toContain(`#${lapor.ticket.id}`);
    const repLow = await t.say('2', { from: 'rep' });
    expect(repLow.join('\n')).toContain('belum memuaskan');
    expect(repLow.join('\n')).not.toContain('lapor.go.id');
  });
});
