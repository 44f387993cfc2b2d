import { afterEach, describe, expect, it } from 'vitest';
import { getConversation } from '../src/store/conversations.js';
import { getTicket, listTickets, listTicketEvents } from '../src/store/tickets.js';
import { createTestCore, type TestCore } from './helpers/core.js';
import { createRecordingChannel } from './fakes/recording-channel.js';

let t: TestCore;
afterEach(() => t?.close());

const tickets = (): ReturnType<typeof listTickets> => listTickets(t.db, { limit: 1000 });

describe('router: FAQ answers', () => {
  it('answers a fee question in Indonesian with the PP 45/2024 figures', async () => {
    t = createTestCore();
    const [reply] = await t.say('berapa biaya bikin paspor sekarang?');
    expect(reply).toContain('Rp950.000');
    expect(reply).toContain('Rp650.000');
    expect(tickets()).toHaveLength(0);
  });

  it('answers in English when the applicant writes English', async () => {
    t = createTestCore();
    const [reply] = await t.say('how much does a passport cost?');
    expect(reply).toMatch(/passport/i);
    expect(reply).toContain('Rp950,000');
    expect(reply).not.toMatch(/Bapak|Ibu/);
  });

  it('offers follow-up topics as quick replies that route back to their intent', async () => {
    t = createTestCore();
    await t.say('syarat buat paspor baru apa saja');
    const suggestions = t.channel.sent.at(-1)?.quickReplies ?? [];
    expect(suggestions.length).toBeGreaterThan(0);
    const first = suggestions[0]!;
    expect(first.payload).toMatch(/^intent:[a-z_]+$/);
    const [answer] = await t.say(first.label, { payload: first.payload });
    const intent = first.payload.slice('intent:'.length);
    const message = t.db.prepare("SELECT intent FROM messages WHERE direction = 'in' ORDER BY id DESC LIMIT 1").get() as { intent: string };
    expect(message.intent).toBe(intent);
    expect(answer).toBeTruthy();
  });

  it('says an unconfirmed office fact is unconfirmed instead of inventing it', async () => {
    t = createTestCore();
    const [reply] = await t.say('alamat kantor imigrasi kupang di mana?');
    expect(reply).toMatch(/belum|petugas/i);
    expect(reply).not.toMatch(/Adi Sucipto|Bumi III/);
  });
});

describe('router: complaints and tickets', () => {
  it('opens a ticket with its #number and the business-time due time', async () => {
    t = createTestCore();
    const [reply] = await t.say('pelayanan hari ini sangat lambat dan petugasnya tidak ramah, saya kecewa');
    const [ticket] = tickets();
    expect(ticket).toBeDefined();
    expect(reply).toContain(ticket!.ref);
    expect(reply).toMatch(/Mohon maaf/);
    // Opened Monday 09:00 WITA, normal priority: first response within 2 business hours.
    expect(reply).toContain('pukul 11.00 WITA hari ini');
    expect(ticket!.status).toBe('open');
    expect(ticket!.kind).toBe('complaint');
    expect(ticket!.priority).toBe('normal');
    expect(ticket!.firstResponseDueAt?.toISOString()).toBe('2026-11-30T03:00:00.000Z');
  });

  it('adds a second complaint to the open ticket instead of opening another', async () => {
    t = createTestCore();
    await t.say('antrian sangat lama, sudah 3 jam belum dipanggil');
    const [reply] = await t.say('petugas juga tidak sopan, tolong diperbaiki');
    expect(tickets()).toHaveLength(1);
    expect(reply).toContain(tickets()[0]!.ref);
    const linked = t.db.prepare('SELECT COUNT(*) AS n FROM messages WHERE ticket_id = ? AND direction = ?').get(tickets()[0]!.id, 'in') as { n: number };
    expect(linked.n).toBe(2);
  });

  it('answers the FAQ and opens a ticket when a complaint is on an FAQ topic', async () => {
    t = createTestCore();
    const replies = await t.say('sudah 3 hari kode OTP m-paspor tidak masuk ke email, kecewa sekali');
    expect(replies).toHaveLength(2);
    const [ticket] = tickets();
    expect(ticket?.intent).toBe('mpaspor_otp');
    expect(replies[1]).toContain(ticket!.ref);
  });

  it('treats brokers and illegal fees as high-priority integrity reports', async () => {
    t = createTestCore();
    const [reply] = await t.say('ada calo di depan kantor minta uang 2 juta supaya cepat');
    const [ticket] = tickets();
    expect(ticket?.priority).toBe('high');
    expect(ticket?.integrity).toBe(true);
    expect(reply).toMatch(/kode billing/);
    expect(reply).toMatch(/supervisor|pengawas/i);
  });

  it('gives priority groups a high-priority ticket', async () => {
    t = createTestCore();
    await t.say('ibu saya lansia pakai kursi roda, sudah menunggu 3 jam tidak dilayani, kecewa');
    expect(tickets()[0]?.priority).toBe('high');
  });

  it('reopens a ticket resolved less than 7 days ago when the applicant complains again', async () => {
    t = createTestCore();
    await t.say('antrian sangat lama dan tidak jelas, kecewa');
    const [ticket] = tickets();
    t.core.tickets.setStatus(ticket!.id, 'resolved', { type: 'staff', staffId: null });
    t.clock.advance(2 * 24 * 3600_000);
    const [reply] = await t.say('masalah saya belum selesai, masih antri lama, kecewa');
    expect(tickets()).toHaveLength(1);
    expect(getTicket(t.db, ticket!.id)?.status).toBe('open');
    expect(getTicket(t.db, ticket!.id)?.reopenCount).toBe(1);
    expect(reply).toContain(ticket!.ref);
  });

  it('opens a new ticket when the resolved one is older than the reopen window', async () => {
    t = createTestCore();
    await t.say('antrian sangat lama dan tidak jelas, kecewa');
    const [first] = tickets();
    t.core.tickets.setStatus(first!.id, 'resolved', { type: 'staff', staffId: null });
    t.clock.advance(8 * 24 * 3600_000);
    await t.say('petugas loket tidak sopan, saya kecewa');
    expect(tickets()).toHaveLength(2);
    expect(getTicket(t.db, first!.id)?.status).toBe('resolved');
  });

  it('numbers tickets uniquely across applicants', async () => {
    t = createTestCore();
    for (let i = 0; i < 20; i += 1) await t.say('pelayanan buruk sekali, saya kecewa', { from: `user-${i}` });
    const refs = tickets().map((ticket) => ticket.ref);
    expect(new Set(refs).size).toBe(20);
  });
});

describe('router: handoff and status', () => {
  it('opens a handoff ticket when the applicant asks for an officer, once', async () => {
    t = createTestCore();
    const [first] = await t.say('saya mau bicara dengan petugas');
    expect(tickets()).toHaveLength(1);
    expect(tickets()[0]?.kind).toBe('handoff');
    expect(first).toContain(tickets()[0]!.ref);
    const [second] = await t.say('tolong sambungkan ke admin manusia');
    expect(tickets()).toHaveLength(1);
    expect(second).toContain(tickets()[0]!.ref);
  });

  it('reports the latest ticket, or one by number, but never another person’s', async () => {
    t = createTestCore();
    await t.say('pelayanan loket 2 buruk sekali, kecewa', { from: 'alice' });
    await t.say('petugas tidak sopan, saya kecewa', { from: 'bob' });
    const [aliceTicket, bobTicket] = [...tickets()].sort((a, b) => a.id - b.id);
    const [latest] = await t.say('bagaimana status tiket saya?', { from: 'alice' });
    expect(latest).toContain(aliceTicket!.ref);
    const [byNumber] = await t.say(`cek tiket ${aliceTicket!.id}`, { from: 'alice' });
    expect(byNumber).toContain(aliceTicket!.ref);
    const [other] = await t.say(`cek status tiket ${bobTicket!.id}`, { from: 'alice' });
    expect(other).toContain(`#${bobTicket!.id}`);
    expect(other).toMatch(/tidak kami temukan/);
  });

  it('includes the last staff reply in the status report', async () => {
    t = createTestCore();
    await t.say('paspor saya belum jadi padahal sudah 2 minggu, kecewa');
    const [ticket] = tickets();
    t.core.tickets.staffReply(ticket!.id, null, 'Paspor Bapak sedang dicetak, besok bisa diambil.');
    await t.settle();
    const [report] = await t.say('status tiket saya gimana?');
    expect(report).toContain('sedang dicetak');
  });

  it('with an open ticket, a message the bot cannot place joins the ticket and gets its status', async () => {
    t = createTestCore();
    await t.say('pelayanan loket lambat sekali, kecewa');
    const [reply] = await t.say('saya sudah di kantor sekarang');
    expect(reply).toMatch(/Tiket #1: sedang ditangani/);
    const linked = t.db.prepare("SELECT COUNT(*) AS n FROM messages WHERE ticket_id = 1 AND direction = 'in'").get() as { n: number };
    expect(linked.n).toBe(2);
  });

  it('says so when the applicant has no ticket', async () => {
    t = createTestCore();
    const [reply] = await t.say('cek status pengaduan saya');
    expect(reply).toMatch(/belum menemukan tiket/);
  });
});

describe('router: small talk, misses and the human offer', () => {
  it('greets with the main topics and thanks warmly', async () => {
    t = createTestCore();
    const [hello] = await t.say('selamat pagi');
    expect(hello).toBeTruthy();
    expect(t.channel.sent.at(-1)?.quickReplies.length).toBeGreaterThan(0);
    const [thanks] = await t.say('terima kasih banyak infonya');
    expect(thanks).toBeTruthy();
    expect(tickets()).toHaveLength(0);
  });

  it('answers Telegram’s /start with the greeting and the main topics', async () => {
    t = createTestCore();
    const [welcome] = await t.say('/start');
    const [greeting] = await t.say('halo');
    expect(welcome).toBe(greeting);
    expect(t.channel.sent.at(-1)?.quickReplies.length).toBeGreaterThan(0);
  });

  it('after two misses in a row offers a human, and opens a ticket when accepted', async () => {
    t = createTestCore();
    await t.say('cara bikin SIM gimana ya');
    expect(tickets()).toHaveLength(0);
    const [offer] = await t.say('cuaca besok cerah tidak?');
    expect(offer).toMatch(/dihubungkan dengan petugas/);
    const buttons = t.channel.sent.at(-1)?.quickReplies ?? [];
    expect(buttons.map((b) => b.payload)).toEqual(['handoff:yes', 'handoff:no']);
    const conversation = getConversation(t.db, 1);
    expect(conversation?.awaiting).toBe('handoff_confirm');
    const [accepted] = await t.say('ya');
    expect(tickets()).toHaveLength(1);
    expect(tickets()[0]?.kind).toBe('handoff');
    expect(accepted).toContain(tickets()[0]!.ref);
  });

  it('drops the offer when declined and resets the miss counter', async () => {
    t = createTestCore();
    await t.say('cara bikin SIM gimana ya');
    await t.say('cuaca besok cerah tidak?');
    const [declined] = await t.say('Tidak, terima kasih', { payload: 'handoff:no' });
    expect(declined).toMatch(/kata lain/);
    expect(tickets()).toHaveLength(0);
    expect(getConversation(t.db, 1)?.missCount).toBe(0);
    expect(getConversation(t.db, 1)?.awaiting).toBeNull();
  });

  it('a known question between misses resets the count', async () => {
    t = createTestCore();
    await t.say('cara bikin SIM gimana ya');
    await t.say('berapa biaya paspor?');
    const [reply] = await t.say('cuaca besok cerah tidak?');
    expect(reply).not.toMatch(/dihubungkan dengan petugas/);
  });
});

describe('router: tickets held by staff', () => {
  // Changed on purpose (issue 16, "never silent"): the bot used to stay quiet while an officer held the ticket.
  it('adds the applicant’s messages to the held ticket, answers a clear FAQ, and acknowledges once per quiet period', async () => {
    t = createTestCore();
    await t.say('pelayanan buruk, kecewa sekali');
    const [ticket] = tickets();
    t.db.prepare("INSERT INTO staff (username, role, created_at) VALUES ('ani', 'staff', 0)").run();
    t.core.tickets.claim(ticket!.id, 1);
    const replies = await t.say('berapa biaya paspor?');
    expect(replies).toHaveLength(2);
    expect(replies[0]).toContain('Rp950.000');
    expect(replies[1]).toMatch(/teruskan ke petugas yang menangani tiket #1/);
    const row = t.db.prepare("SELECT ticket_id FROM messages WHERE direction = 'in' ORDER BY id DESC LIMIT 1").get() as { ticket_id: number };
    expect(row.ticket_id).toBe(ticket!.id);
    expect(listTicketEvents(t.db, ticket!.id).some((e) => e.type === 'applicant_message')).toBe(true);
    // Within the quiet period no second acknowledgement; after it, one again.
    expect(await t.say('baik pak saya tunggu kabarnya')).toHaveLength(0);
    t.clock.advance(31 * 60_000);
    const [later] = await t.say('baik pak saya tunggu kabarnya');
    expect(later).toMatch(/teruskan ke petugas/);
  });
});

describe('router: after hours', () => {
  it('tells the applicant when the office opens and when staff will answer', async () => {
    // Friday 27 November 2026, 17:00 WITA: closed until Monday 08:00.
    t = createTestCore({ start: '2026-11-27T09:00:00Z' });
    const [reply] = await t.say('petugas kemarin kasar sekali, saya kecewa');
    expect(reply).toMatch(/buka kembali Senin, 30 November pukul 08\.00 WITA/);
    expect(reply).toMatch(/paling lambat Senin, 30 November pukul 10\.00 WITA/);
  });

  it('still answers FAQs at once after hours', async () => {
    t = createTestCore({ start: '2026-11-28T14:00:00Z' });
    const [reply] = await t.say('berapa biaya paspor 10 tahun');
    expect(reply).toContain('Rp950.000');
  });
});

describe('router: channels read like letters', () => {
  it('sends an FAQ answer whole on a channel that takes long answers (e-mail), in parts on chat', async () => {
    t = createTestCore({ channel: createRecordingChannel('email', { longAnswers: true }) });
    const [mail] = await t.say('aplikasi m-paspor error terus');
    // The default reply and its rest (walk-in during outages) in one message, with no "more" button.
    expect(mail).toContain('pasang ulang');
    expect(mail).toContain('walk-in');
    expect(t.channel.sent.at(-1)?.quickReplies.map((button) => button.label)).not.toContain('Selengkapnya');
    // A part asked by name stays that part.
    const [fee] = await t.say('biaya paspor 5 tahun berapa?');
    expect(fee).toContain('Rp650.000');
    t.close();

    t = createTestCore();
    const [chat] = await t.say('aplikasi m-paspor error terus');
    expect(chat).toContain('pasang ulang');
    expect(chat).not.toContain('walk-in');
    expect(t.channel.sent.at(-1)?.quickReplies.map((button) => button.label)).toContain('Selengkapnya');
  });
});
