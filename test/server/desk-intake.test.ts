/**
 * Complaints recorded by staff from outside the chat channels (#21): POST /api/tickets,
 * contact linking by phone and e-mail, answers given outside SAPA, the LAPOR! tracking
 * number (stored, searchable, shown) and the "copy the answer for LAPOR!" text.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { normalizeEmail, normalizeLaporTrackingId, normalizePhone } from '../../src/desk-intake.js';
import { createHarness, type Harness, type Officer } from './dashboard-harness.js';

let h: Harness;
afterEach(async () => h?.close());

interface TicketJson {
  id: number;
  ref: string;
  origin: string;
  channel: string;
  laporTrackingId: string | null;
  status: string;
  priority: string;
  createdAt: string;
  firstResponseAt: string | null;
  firstResponseDueAt: string | null;
  resolutionDueAt: string | null;
  awaitingReplySince: string | null;
}

interface RecordJson {
  ticket: TicketJson;
  contact: { id: number; matched: boolean; matchedBy: string | null };
  reachable: boolean;
}

const record = async (officer: Officer, payload: Record<string, unknown>): Promise<RecordJson> => {
  const response = await officer.call('POST', '/api/tickets', payload);
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as RecordJson;
};

const ticketCount = (): number => h.t.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM tickets').get()!.n;
const queuedCount = (): number => h.t.db.prepare<[], { n: number }>("SELECT count(*) AS n FROM messages WHERE delivery_status = 'queued'").get()!.n;

describe('POST /api/tickets', () => {
  it('records a phone complaint for a new contact: 201 with its ref, origin, the complaint as the applicant message, SLA from receivedAt', async () => {
    h = await createHarness();
    const siti = await h.login('siti');
    // Monday 30 November 2026, 08:30 WITA: received half an hour before the clock now (09:00).
    const result = await record(siti, {
      origin: 'phone',
      contact: { name: 'Yohanes Bria', phone: '0812-3456-7001' },
      text: 'Sudah tiga minggu paspor saya belum jadi, tidak ada kabar.',
      receivedAt: '2026-11-30T08:30:00+08:00',
    });
    expect(result.ticket.ref).toBe(`#${result.ticket.id}`);
    expect(result.ticket).toMatchObject({ origin: 'phone', channel: 'offline', status: 'open', priority: 'normal', laporTrackingId: null });
    expect(result.contact).toEqual({ id: expect.any(Number), matched: false, matchedBy: null });
    expect(result.reachable).toBe(false);
    // The clock starts when the office received it: normal first response 2 h of business time.
    expect(result.ticket.createdAt).toBe('2026-11-30T00:30:00.000Z');
    expect(result.ticket.firstResponseDueAt).toBe('2026-11-30T02:30:00.000Z');

    const page = (await siti.call('GET', `/api/tickets/${result.ticket.id}`)).json() as {
      ticket: TicketJson;
      contact: { displayName: string };
      messages: { author: string; direction: string; text: string }[];
      events: { type: string; staff: string | null; data: Record<string, unknown> }[];
    };
    expect(page.contact.displayName).toBe('Yohanes Bria');
    expect(page.messages.map((m) => [m.author, m.direction, m.text])).toEqual([['applicant', 'in', 'Sudah tiga minggu paspor saya belum jadi, tidak ada kabar.']]);
    expect(page.events[0]).toMatchObject({ type: 'opened', staff: 'siti', data: { origin: 'phone' } });
    // It is in the queue like any ticket, and the queue filters by origin.
    const byOrigin = (await siti.call('GET', '/api/tickets?origin=phone')).json() as { tickets: TicketJson[] };
    expect(byOrigin.tickets.map((t) => t.id)).toEqual([result.ticket.id]);
    const chatOnly = (await siti.call('GET', '/api/tickets?origin=chat')).json() as { tickets: TicketJson[] };
    expect(chatOnly.tickets.map((t) => t.id)).not.toContain(result.ticket.id);
    // The router never answers the recorded complaint: nothing queued to anyone.
    await h.t.settle();
    expect(queuedCount()).toBe(0);
    // Staff are told of the new ticket like any other, with where it came from.
    const alert = h.t.db.prepare<[number], { text: string }>("SELECT text FROM staff_alerts WHERE kind = 'ticket_opened' AND ticket_id = ?").get(result.ticket.id);
    expect(alert?.text).toContain(`Tiket ${result.ticket.ref} · Keluhan · Prioritas Normal · Tanpa kanal · lewat telepon`);
  });

  it('refuses bad input with the field named and stores nothing', async () => {
    h = await createHarness();
    const siti = await h.login('siti');
    const good = { origin: 'desk', contact: { name: 'Maria' }, text: 'Antrean tidak teratur.' };
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...good, origin: 'fax' }, /^origin must be one of desk, phone, letter, lapor, email, other$/],
      [{ ...good, contact: { phone: '0812' } }, /contact\.name/],
      [{ ...good, contact: 'Maria' }, /^contact must be an object/],
      [{ ...good, contact: { name: 'Maria', phone: 'abc' } }, /^contact\.phone must be a phone number/],
      [{ ...good, contact: { name: 'Maria', email: 'maria-at-example' } }, /^contact\.email must be an e-mail address/],
      [{ ...good, text: '   ' }, /^text must be non-empty text$/],
      [{ ...good, laporTrackingId: 'LAPOR-1234' }, /^laporTrackingId is only for origin lapor$/],
      [{ ...good, origin: 'lapor', laporTrackingId: 'no spaces allowed' }, /^laporTrackingId must be the LAPOR! tracking number/],
      [{ ...good, receivedAt: '2026-11-30T09:00' }, /^receivedAt must be an ISO 8601 time with its zone/],
      [{ ...good, receivedAt: '2026-12-01T09:00:00+08:00' }, /^receivedAt is in the future$/],
      [{ ...good, receivedAt: '2026-06-01T09:00:00+08:00' }, /^receivedAt is more than 90 days ago$/],
      [{ ...good, priority: 'urgent' }, /^priority must be one of normal, high$/],
    ];
    for (const [payload, message] of cases) {
      const response = await siti.call('POST', '/api/tickets', payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect((response.json() as { error: { code: string; message: string } }).error).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(message) });
    }
    expect(ticketCount()).toBe(0);
    expect(h.t.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM contacts').get()!.n).toBe(0);
    // Without a session: 401, without the CSRF token: 403.
    expect((await h.app.inject({ method: 'POST', url: '/api/tickets', payload: good })).statusCode).toBe(401);
    expect((await siti.call('POST', '/api/tickets', good, { csrf: false })).statusCode).toBe(403);
  });
});

describe('contact linking', () => {
  it('a phone number a chat identity has joins that contact: the ticket lives in its conversation, replies reach the applicant there', async () => {
    h = await createHarness();
    // The applicant wrote on the (recording) Telegram channel, which knew their phone number.
    await h.t.core.intake.sink.accept({
      channel: 'telegram',
      externalId: 'tg-msg-1',
      conversationExternalId: 'tg-501',
      sender: { externalId: 'tg-501', displayName: 'Ana', phone: '+6281234567002' },
      text: 'antrian lama sekali, saya kecewa',
      attachments: [],
      receivedAt: h.t.clock.now(),
    });
    await h.t.settle();
    const chatTicket = h.t.db.prepare<[], { id: number; contact_id: number }>('SELECT id, contact_id FROM tickets ORDER BY id LIMIT 1').get()!;
    const siti = await h.login('siti');
    const result = await record(siti, { origin: 'desk', contact: { name: 'Ana Lede', phone: '0812 3456 7002' }, text: 'Datang ke loket: berkas ditolak tanpa penjelasan.' });
    expect(result.contact).toEqual({ id: chatTicket.contact_id, matched: true, matchedBy: 'phone' });
    expect(result.reachable).toBe(true);
    expect(result.ticket.channel).toBe('telegram');
    // The ticket page shows the whole history: the earlier chat ticket in the contact panel, both messages.
    const page = (await siti.call('GET', `/api/tickets/${result.ticket.id}`)).json() as {
      contact: { tickets: { id: number }[] };
      messages: { text: string }[];
    };
    expect(page.contact.tickets.map((t) => t.id)).toContain(chatTicket.id);
    expect(page.messages.map((m) => m.text)).toEqual(expect.arrayContaining(['antrian lama sekali, saya kecewa', 'Datang ke loket: berkas ditolak tanpa penjelasan.']));
    // A reply goes out on Telegram like any reply.
    const before = h.t.channel.sent.length;
    const reply = await siti.call('POST', `/api/tickets/${result.ticket.id}/messages`, { text: 'Berkas Ibu sudah kami periksa ulang.' });
    expect(reply.statusCode, reply.body).toBe(201);
    await h.t.settle();
    expect(h.t.channel.sent.slice(before).map((m) => [m.conversationExternalId, m.text])).toEqual([['tg-501', 'Berkas Ibu sudah kami periksa ulang.']]);
  });

  it('the same e-mail address (any case) or phone joins the contact recorded before; a different one is a new contact', async () => {
    h = await createHarness();
    const siti = await h.login('siti');
    const first = await record(siti, { origin: 'letter', contact: { name: 'Kornelis', email: 'Kornelis.T@Contoh.id' }, text: 'Surat: mohon kejelasan jadwal wawancara.' });
    const second = await record(siti, { origin: 'email', contact: { name: 'Kornelis T.', email: ' kornelis.t@contoh.id ' }, text: 'E-mail: belum ada jawaban atas surat saya.' });
    expect(second.contact).toEqual({ id: first.contact.id, matched: true, matchedBy: 'email' });
    const byPhone1 = await record(siti, { origin: 'phone', contact: { name: 'Dina', phone: '+62 813-0000-1111' }, text: 'Telepon: kuota selalu habis.' });
    const byPhone2 = await record(siti, { origin: 'desk', contact: { name: 'Dina', whatsapp: '081300001111' }, text: 'Loket: kuota habis lagi.' });
    expect(byPhone2.contact).toMatchObject({ id: byPhone1.contact.id, matchedBy: 'whatsapp' });
    const other = await record(siti, { origin: 'phone', contact: { name: 'Dina', phone: '081300001112' }, text: 'Telepon lain.' });
    expect(other.contact.matched).toBe(false);
    expect(other.contact.id).not.toBe(byPhone1.contact.id);
    // A contact met only offline stays unreachable: both tickets in its one offline conversation.
    const conversations = h.t.db.prepare<[number], { channel: string }>('SELECT channel FROM conversations WHERE contact_id = ?').all(first.contact.id);
    expect(conversations).toEqual([{ channel: 'offline' }]);
  });
});

describe('answered outside SAPA', () => {
  it('a reply to an unreachable contact is refused (409) and nothing is queued; recorded with how, it counts as the response', async () => {
    h = await createHarness();
    const siti = await h.login('siti');
    const { ticket } = await record(siti, { origin: 'letter', contact: { name: 'Paulus' }, text: 'Surat keberatan atas penolakan permohonan.' });
    const refused = await siti.call('POST', `/api/tickets/${ticket.id}/messages`, { text: 'Baik, kami telepon Bapak.' });
    expect(refused.statusCode).toBe(409);
    expect((refused.json() as { error: { message: string } }).error.message).toMatch(/no channel to send on/);
    expect(queuedCount()).toBe(0);
    const badVia = await siti.call('POST', `/api/tickets/${ticket.id}/messages`, { text: 'x', answeredVia: 'pigeon' });
    expect(badVia.statusCode).toBe(400);

    h.t.clock.advance(40 * 60_000);
    const answered = await siti.call('POST', `/api/tickets/${ticket.id}/messages`, { text: 'Kami sudah menelepon Bapak dan menjelaskan syaratnya.', answeredVia: 'phone' });
    expect(answered.statusCode, answered.body).toBe(201);
    const after = (answered.json() as { ticket: TicketJson }).ticket;
    expect(after.firstResponseAt).toBe('2026-11-30T01:40:00.000Z');
    expect(after.awaitingReplySince).toBeNull();
    expect(queuedCount()).toBe(0);
    const page = (await siti.call('GET', `/api/tickets/${ticket.id}`)).json() as {
      ticket: TicketJson & { assignee: { username: string } | null };
      messages: { author: string; text: string; answeredVia: string | null; deliveryStatus: string | null }[];
      events: { type: string; data: Record<string, unknown> }[];
    };
    expect(page.ticket.assignee?.username).toBe('siti');
    expect(page.messages.at(-1)).toMatchObject({ author: 'staff', answeredVia: 'phone', deliveryStatus: null });
    expect(page.events.at(-1)).toMatchObject({ type: 'staff_reply', data: { via: 'phone', outside: true } });
    // Resolving asks for no rating: there is no channel to ask on.
    expect((await siti.call('POST', `/api/tickets/${ticket.id}/resolve`)).statusCode).toBe(200);
    expect(queuedCount()).toBe(0);
    expect(h.t.db.prepare<[number], { awaiting: string | null }>("SELECT awaiting FROM conversations WHERE channel = 'offline' AND contact_id = (SELECT contact_id FROM tickets WHERE id = ?)").get(ticket.id)?.awaiting).toBeNull();
  });
});

describe('LAPOR!', () => {
  it('stores the tracking number, finds the ticket by it, and words the final answer for the LAPOR! panel', async () => {
    h = await createHarness();
    const siti = await h.login('siti');
    const { ticket } = await record(siti, {
      origin: 'lapor',
      laporTrackingId: ' lapor-4821907 ',
      contact: { name: 'Marthen Lakapu' },
      text: 'Laporan LAPOR!: petugas meminta biaya tambahan di luar billing.',
      priority: 'high',
      servqual: 'assurance',
    });
    expect(ticket).toMatchObject({ origin: 'lapor', laporTrackingId: 'LAPOR-4821907', priority: 'high' });
    for (const q of ['4821907', 'lapor-4821907']) {
      const found = (await siti.call('GET', `/api/tickets?q=${encodeURIComponent(q)}`)).json() as { tickets: TicketJson[] };
      expect(found.tickets.map((t) => t.id), q).toContain(ticket.id);
    }
    // Nothing to copy before an answer exists.
    const early = await siti.call('GET', `/api/tickets/${ticket.id}/lapor-text`);
    expect(early.statusCode).toBe(409);
    expect(early.body).toMatch(/no answer yet/);
    await siti.call('POST', `/api/tickets/${ticket.id}/messages`, { text: 'Catatan internal: cek CCTV loket 2.', internal: true });
    const answer = 'Laporan sudah kami periksa. Petugas yang bersangkutan telah diperiksa atasannya dan biaya tambahan tidak berlaku. Pembayaran resmi hanya melalui kode billing.';
    expect((await siti.call('POST', `/api/tickets/${ticket.id}/messages`, { text: answer, answeredVia: 'lapor' })).statusCode).toBe(201);
    const copy = (await siti.call('GET', `/api/tickets/${ticket.id}/lapor-text`)).json() as { text: string; laporTrackingId: string; ref: string };
    expect(copy.laporTrackingId).toBe('LAPOR-4821907');
    expect(copy.text).toBe(
      [
        'Yth. Bapak/Ibu Marthen Lakapu,',
        '',
        'Terima kasih atas laporan Bapak/Ibu melalui SP4N-LAPOR! dengan nomor pelacakan LAPOR-4821907. Berikut tindak lanjut dari Kantor Imigrasi Kelas I TPI Kupang:',
        '',
        answer,
        '',
        `Tindak lanjut ini diberikan pada 30 November 2026 dan tercatat sebagai tiket ${ticket.ref} di layanan pengaduan kami.`,
        '',
        'Hormat kami,',
        'Kantor Imigrasi Kelas I TPI Kupang',
      ].join('\n'),
    );
    expect(copy.text).not.toContain('CCTV');
    // Only LAPOR! tickets have the text.
    const other = await record(siti, { origin: 'desk', contact: { name: 'X' }, text: 'Keluhan loket.' });
    expect((await siti.call('GET', `/api/tickets/${other.ticket.id}/lapor-text`)).statusCode).toBe(409);
    // It carries the reporter's name and the answer: a colleague who may only read the ticket gets 403.
    const budi = await h.login('budi');
    expect((await budi.call('GET', `/api/tickets/${ticket.id}/lapor-text`)).statusCode).toBe(403);
  });
});

describe('reports by origin', () => {
  it('GET /api/reports counts tickets per origin and LAPOR! reports apart; the drill-down filters by origin', async () => {
    h = await createHarness();
    const siti = await h.login('siti');
    await h.complaint('antrian lama sekali, saya kecewa', 'chat-1');
    const lapor = await record(siti, { origin: 'lapor', laporTrackingId: 'LAPOR-1', contact: { name: 'A' }, text: 'Laporan LAPOR!.' });
    await record(siti, { origin: 'desk', contact: { name: 'B' }, text: 'Keluhan di loket.' });
    const sari = await h.login('sari');
    const report = (await sari.call('GET', '/api/reports?from=2026-11-30&to=2026-11-30')).json() as {
      volume: { byOrigin: { key: string; count: number }[] };
      lapor: { open: number; dueSoon: number; late: number };
    };
    expect(report.volume.byOrigin).toEqual([
      { key: 'chat', count: 1 },
      { key: 'desk', count: 1 },
      { key: 'lapor', count: 1 },
    ]);
    expect(report.lapor).toEqual({ open: 1, dueSoon: 0, late: 0 });
    const drill = (await sari.call('GET', '/api/reports/tickets?from=2026-11-30&to=2026-11-30&origin=lapor')).json() as { total: number; tickets: { id: number; origin: string }[] };
    expect(drill).toMatchObject({ total: 1, tickets: [{ id: lapor.ticket.id, origin: 'lapor' }] });
  });
});

describe('normalizing what staff type', () => {
  it('phones, e-mail addresses and LAPOR! numbers', () => {
    expect(['0812-3456-7890', '+62 812 3456 7890', '812 3456 7890', '(0812) 3456 7890', '６２８１２３４５６７８９０'].map(normalizePhone)).toEqual(Array(5).fill('6281234567890'));
    expect(normalizePhone('+60 12 345 6789')).toBe('60123456789');
    expect(normalizePhone('12345')).toBeNull();
    expect(normalizePhone('0812abc')).toBeNull();
    expect(normalizeEmail(' A.B@Contoh.ID ')).toBe('a.b@contoh.id');
    expect(normalizeEmail('a@b')).toBeNull();
    expect(normalizeLaporTrackingId('#lapor-123')).toBe('LAPOR-123');
    expect(normalizeLaporTrackingId('x')).toBeNull();
  });
});
