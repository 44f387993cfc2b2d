/**
 * The officers' desk API (#18 part B): search, unread counts and last messages, team view
 * (a colleague's ticket read-only, its notes private), assignment, take-over requests, the
 * contact panel and its notes, the alert feed with "seen", the tab-title summary.
 */
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createSlaScanner } from '../../src/sla/scanner.js';
import { testPolicy } from '../helpers/core.js';
import { createHarness, type Harness, type Officer } from './dashboard-harness.js';

let h: Harness;
afterEach(async () => h?.close());

interface CardJson {
  id: number;
  ref: string;
  access: 'full' | 'read';
  unread: number;
  intent: string;
  intentLabel: string;
  summary: string;
  assignee: { username: string } | null;
  lastMessage: { author: string; text: string; at: string } | null;
}

const cards = async (officer: Officer, query = '') => {
  const response = await officer.call('GET', `/api/tickets${query}`);
  expect(response.statusCode, response.body).toBe(200);
  return (response.json() as { tickets: CardJson[] }).tickets;
};

describe('queue cards', () => {
  it('count unread applicant messages per officer, drop to 0 when the ticket is opened, and show the last public message and its time', async () => {
    h = await createHarness();
    const id = await h.complaint('saya mau komplain, loket 3 tutup padahal masih jam kerja', 'a1');
    const siti = await h.login('siti');
    const budi = await h.login('budi');
    let card = (await cards(siti)).find((c) => c.id === id)!;
    expect(card.unread).toBe(1);
    // The bot's acknowledgement is the newest public message.
    expect(card.lastMessage).toMatchObject({ author: 'bot', at: '2026-11-30T01:00:00.000Z' });
    expect((await siti.call('GET', `/api/tickets/${id}`)).statusCode).toBe(200);
    expect((await cards(siti)).find((c) => c.id === id)!.unread).toBe(0);
    // Budi has not opened it: still unread for him.
    expect((await cards(budi)).find((c) => c.id === id)!.unread).toBe(1);
    h.t.clock.advance(5 * 60_000);
    await h.t.say('halo, ada yang bisa bantu? nomor saya 081234567890', { from: 'a1' });
    card = (await cards(siti)).find((c) => c.id === id)!;
    expect(card.unread).toBeGreaterThanOrEqual(1);
    expect(card.lastMessage?.at).not.toBe('2026-11-30T01:00:00.000Z');
    // An internal note is never a card's last message.
    await siti.call('POST', `/api/tickets/${id}/messages`, { text: 'NOTE-XYZ', internal: true });
    expect((await cards(siti)).find((c) => c.id === id)!.lastMessage?.text).not.toContain('NOTE-XYZ');
    // Human label of the intent from the knowledge base, not the id.
    expect(card.intentLabel).not.toBe('');
    expect(card.intentLabel).not.toMatch(/_/);
  });

  it('the tab-title summary counts my unread tickets, unseen alerts and requests waiting for me', async () => {
    h = await createHarness();
    const id = await h.complaint('saya mau komplain, antrean tidak jelas', 'a1');
    const siti = await h.login('siti');
    const summary = async () => (await siti.call('GET', '/api/desk/summary')).json() as { unreadTickets: number; unseenAlerts: number; takeoverRequests: number };
    expect(await summary()).toMatchObject({ unreadTickets: 1, unseenAlerts: 1, takeoverRequests: 0 });
    await siti.call('GET', `/api/tickets/${id}`);
    expect((await summary()).unreadTickets).toBe(0);
  });
});

describe('search', () => {
  it('finds tickets by number, text, contact name and phone, in every status', async () => {
    h = await createHarness();
    const first = await h.complaint('saya mau komplain, paspor saya rusak waktu dicetak', 'a1');
    const second = await h.complaint('saya mau lapor, calo minta uang di parkiran', 'b2');
    h.t.db.prepare("UPDATE identities SET phone = '+6281234500099' WHERE external_id = 'b2'").run();
    const siti = await h.login('siti');
    await siti.call('POST', `/api/tickets/${first}/resolve`);
    const ids = async (q: string) => (await cards(siti, `?q=${encodeURIComponent(q)}`)).map((c) => c.id);
    expect(await ids(`#${first}`)).toEqual([first]);
    expect(await ids(String(second))).toContain(second);
    expect(await ids('dicetak')).toEqual([first]); // resolved, still found
    expect(await ids('PARKIRAN')).toEqual([second]);
    expect(await ids('Pemohon b2')).toEqual([second]);
    expect(await ids('0812-3450-0099')).toEqual([second]);
    expect(await ids('tidak-ada-di-mana-pun')).toEqual([]);
    // A status asked for still applies.
    expect(await ids('dicetak&status=active')).toEqual([]);
    // Words of internal notes are not searchable.
    await siti.call('POST', `/api/tickets/${second}/messages`, { text: 'RAHASIA-CATATAN', internal: true });
    expect(await ids('RAHASIA-CATATAN')).toEqual([]);
    // LIKE wildcards are taken literally.
    expect(await ids('%')).toEqual([]);
  });
});

describe('team view', () => {
  it('shows staff a colleague\'s ticket read-only: public messages masked, notes and contact notes hidden, every action refused', async () => {
    h = await createHarness();
    const id = await h.complaint('saya mau komplain, NIK saya 5371011203900001 salah dicetak', 'a1');
    const budi = await h.login('budi');
    const siti = await h.login('siti');
    await budi.call('POST', `/api/tickets/${id}/claim`);
    await budi.call('POST', `/api/tickets/${id}/messages`, { text: 'CATATAN-BUDI', internal: true });
    const contactId = h.t.core.tickets.get(id).contactId;
    expect((await budi.call('POST', `/api/contacts/${contactId}/notes`, { text: 'Pemohon tuna rungu, balas tertulis' })).statusCode).toBe(201);

    const queue = await cards(siti);
    expect(queue.map((c) => [c.id, c.access])).toEqual([[id, 'read']]);
    expect(queue[0]!.summary).not.toContain('5371011203900001');
    const response = await siti.call('GET', `/api/tickets/${id}`);
    expect(response.statusCode).toBe(200);
    const body = response.json() as { access: string; ticket: { access: string }; messages: { text: string; masked: boolean }[]; hiddenMessages: number; contact: { notes: unknown } };
    expect(body.access).toBe('read');
    expect(response.body).not.toContain('5371011203900001');
    expect(response.body).not.toContain('CATATAN-BUDI');
    expect(response.body).not.toContain('tuna rungu');
    expect(body.contact.notes).toBeNull();
    expect(body.hiddenMessages).toBe(1);
    expect(body.messages.length).toBeGreaterThan(0);
    expect(body.messages.every((m) => m.masked)).toBe(true);
    for (const [method, url] of [
      ['POST', `/api/tickets/${id}/claim`],
      ['POST', `/api/tickets/${id}/release`],
      ['POST', `/api/tickets/${id}/messages`],
      ['POST', `/api/tickets/${id}/resolve`],
      ['POST', `/api/tickets/${id}/assign`],
      ['PATCH', `/api/tickets/${id}`],
      ['POST', `/api/contacts/${contactId}/notes`],
    ] as const) {
      const refused = await siti.call(method, url, { text: 'x', priority: 'high', to: 'siti' });
      expect(refused.statusCode, `${method} ${url}`).toBe(403);
      expect(refused.json()).toHaveProperty('error.code', 'FORBIDDEN');
    }
    // The holder sees it all, unmasked; the read-only view is audited too.
    const own = await budi.call('GET', `/api/tickets/${id}`);
    expect(own.body).toContain('5371011203900001');
    expect(own.body).toContain('CATATAN-BUDI');
    expect((own.json() as { contact: { notes: { text: string }[] } }).contact.notes.map((n) => n.text)).toEqual(['Pemohon tuna rungu, balas tertulis']);
    const views = h.t.db.prepare<[], { username: string }>("SELECT username FROM audit_log WHERE action = 'ticket_viewed'").all();
    expect(views.map((v) => v.username).sort()).toEqual(['budi', 'siti']);
  });

  it('assigns a ticket: a supervisor any ticket, the holder her own, to an active colleague only', async () => {
    h = await createHarness();
    const id = await h.complaint('saya mau komplain, formulir hilang', 'a1');
    const siti = await h.login('siti');
    const budi = await h.login('budi');
    const sari = await h.login('sari');
    expect((await sari.call('POST', `/api/tickets/${id}/assign`, { to: 'budi' })).json()).toMatchObject({ ticket: { assignee: { username: 'budi' } } });
    expect((await siti.call('POST', `/api/tickets/${id}/assign`, { to: 'siti' })).statusCode).toBe(403);
    expect((await budi.call('POST', `/api/tickets/${id}/assign`, { to: 'siti' })).json()).toMatchObject({ ticket: { assignee: { username: 'siti' } } });
    expect((await siti.call('POST', `/api/tickets/${id}/assign`, { to: 'ghost' })).statusCode).toBe(400);
    h.staff.disable('budi');
    expect((await siti.call('POST', `/api/tickets/${id}/assign`, { to: 'budi' })).statusCode).toBe(400);
    // Who can be chosen: active colleagues only, names without account details.
    const { colleagues } = (await siti.call('GET', '/api/colleagues')).json() as { colleagues: Record<string, unknown>[] };
    expect(colleagues.map((c) => c['username']).sort()).toEqual(['admin', 'sari', 'siti']);
    expect(Object.keys(colleagues[0]!).sort()).toEqual(['displayName', 'id', 'role', 'username']);
    const events = (await siti.call('GET', `/api/tickets/${id}`)).json() as { events: { type: string; staffName: string; fromStaff: string | null; toStaff: string | null }[] };
    expect(events.events.filter((e) => e.type === 'assigned').map((e) => [e.staffName, e.fromStaff, e.toStaff])).toEqual([
      ['sari', null, 'budi'],
      ['budi', 'budi', 'Siti'],
    ]);
  });

  it('take-over requests: staff ask, the holder sees and accepts (the ticket moves) or declines; a supervisor decides too', async () => {
    h = await createHarness();
    const id = await h.complaint('saya mau komplain, petugas tidak datang', 'a1');
    const budi = await h.login('budi');
    const siti = await h.login('siti');
    const sari = await h.login('sari');
    // A free ticket is claimed, not requested.
    expect((await siti.call('POST', `/api/tickets/${id}/takeover-requests`)).statusCode).toBe(409);
    await budi.call('POST', `/api/tickets/${id}/claim`);
    const asked = await siti.call('POST', `/api/tickets/${id}/takeover-requests`, { note: 'Budi cuti hari ini' });
    expect(asked.statusCode).toBe(201);
    const request = (asked.json() as { request: { id: number; requester: string; holder: string; note: string } }).request;
    expect(request).toMatchObject({ requester: 'Siti', holder: 'budi', note: 'Budi cuti hari ini' });
    // Asking twice gives the same request.
    expect(((await siti.call('POST', `/api/tickets/${id}/takeover-requests`)).json() as { request: { id: number } }).request.id).toBe(request.id);
    const pending = async (o: Officer) => ((await o.call('GET', '/api/takeover-requests')).json() as { requests: { id: number }[] }).requests.map((r) => r.id);
    expect(await pending(budi)).toEqual([request.id]);
    expect(await pending(sari)).toEqual([request.id]);
    expect(await pending(siti)).toEqual([request.id]); // her own, to see it waiting
    expect(((await budi.call('GET', '/api/desk/summary')).json() as { takeoverRequests: number }).takeoverRequests).toBe(1);
    expect(((await siti.call('GET', '/api/desk/summary')).json() as { takeoverRequests: number }).takeoverRequests).toBe(0);
    // Neither the requester nor a third officer decides.
    expect((await siti.call('POST', `/api/takeover-requests/${request.id}/accept`)).statusCode).toBe(403);
    const detail = (await budi.call('GET', `/api/tickets/${id}`)).json() as { takeoverRequests: { id: number; requester: string }[] };
    expect(detail.takeoverRequests).toEqual([expect.objectContaining({ id: request.id, requester: 'Siti' })]);
    expect((await budi.call('POST', `/api/takeover-requests/${request.id}/accept`)).statusCode).toBe(200);
    expect(h.t.core.tickets.get(id).assigneeId).toBe(siti.id);
    expect((await budi.call('POST', `/api/takeover-requests/${request.id}/accept`)).statusCode).toBe(409);
    expect(await pending(budi)).toEqual([]);
    // Now Budi asks back; the supervisor declines.
    const back = ((await budi.call('POST', `/api/tickets/${id}/takeover-requests`)).json() as { request: { id: number } }).request;
    expect((await sari.call('POST', `/api/takeover-requests/${back.id}/decline`)).json()).toMatchObject({ request: { status: 'declined' } });
    expect(h.t.core.tickets.get(id).assigneeId).toBe(siti.id);
    const types = ((await sari.call('GET', `/api/tickets/${id}`)).json() as { events: { type: string }[] }).events.map((e) => e.type);
    expect(types).toEqual(['opened', 'claimed', 'takeover_requested', 'takeover_accepted', 'assigned', 'takeover_requested', 'takeover_declined']);
  });
});

describe('contact panel', () => {
  it('lists the contact\'s channels, other tickets and notes; notes are plain text, validated', async () => {
    h = await createHarness();
    const first = await h.complaint('saya mau komplain, paspor belum jadi', 'a1');
    const siti = await h.login('siti');
    await siti.call('POST', `/api/tickets/${first}/close`);
    const second = await h.complaint('saya mau komplain lagi, antrean kacau', 'a1');
    const contactId = h.t.core.tickets.get(second).contactId;
    const note = '<b>Lansia</b>, datang dengan anak';
    expect((await siti.call('POST', `/api/contacts/${contactId}/notes`, { text: note })).statusCode).toBe(201);
    expect((await siti.call('POST', `/api/contacts/${contactId}/notes`, { text: '  ' })).statusCode).toBe(400);
    expect((await siti.call('POST', `/api/contacts/999/notes`, { text: 'x' })).statusCode).toBe(404);
    const body = (await siti.call('GET', `/api/tickets/${second}`)).json() as {
      contact: { id: number; channels: string[]; tickets: { id: number; status: string }[]; notes: { text: string; staffName: string }[] };
    };
    expect(body.contact.id).toBe(contactId);
    expect(body.contact.channels).toEqual(['telegram']);
    expect(body.contact.tickets.map((t) => [t.id, t.status])).toEqual([[first, 'closed']]);
    expect(body.contact.notes).toEqual([expect.objectContaining({ text: note, staffName: 'Siti' })]);
  });
});

describe('alert feed', () => {
  it('marks alerts seen per officer, flags the loud kinds, keeps supervisor alerts from staff', async () => {
    h = await createHarness();
    await h.complaint('saya mau lapor ada calo minta uang tambahan', 'a1');
    const siti = await h.login('siti');
    const sari = await h.login('sari');
    type Feed = { alerts: { id: number; kind: string; seen: boolean; loud: boolean }[]; unseen: number };
    const feed = async (o: Officer) => (await o.call('GET', '/api/alerts')).json() as Feed;
    const staffFeed = await feed(siti);
    expect(staffFeed.alerts.map((a) => a.kind)).toEqual(['ticket_opened']);
    const supervisorFeed = await feed(sari);
    expect(supervisorFeed.alerts.map((a) => [a.kind, a.loud]).sort()).toEqual([
      ['integrity_report', true],
      ['ticket_opened', false],
    ]);
    expect(supervisorFeed.unseen).toBe(2);
    const integrity = supervisorFeed.alerts.find((a) => a.kind === 'integrity_report')!;
    // Staff cannot mark an alert they cannot see.
    expect((await siti.call('POST', '/api/alerts/seen', { ids: [integrity.id] })).statusCode).toBe(404);
    expect((await sari.call('POST', '/api/alerts/seen', { ids: [integrity.id] })).json()).toEqual({ marked: 1 });
    const after = await feed(sari);
    expect(after.unseen).toBe(1);
    expect(after.alerts.find((a) => a.id === integrity.id)?.seen).toBe(true);
    // Seen is per officer.
    expect((await feed(siti)).unseen).toBe(1);
    expect((await siti.call('POST', '/api/alerts/seen', { all: true })).json()).toEqual({ marked: 1 });
    expect((await feed(siti)).unseen).toBe(0);
    expect((await siti.call('POST', '/api/alerts/seen', {})).statusCode).toBe(400);
  });

  it('an SLA breach reaches the feed as a loud staff alert', async () => {
    h = await createHarness();
    await h.complaint('saya mau komplain, petugas tidak ramah', 'a1');
    h.t.clock.advance(3 * 60 * 60_000);
    createSlaScanner({ db: h.t.db, clock: h.t.clock, policy: testPolicy(), alerts: h.t.core.alerts, logger: pino({ level: 'silent' }), timeZone: 'Asia/Makassar' }).scan();
    const siti = await h.login('siti');
    const feed = (await siti.call('GET', '/api/alerts')).json() as { alerts: { kind: string; loud: boolean; seen: boolean }[] };
    expect(feed.alerts.find((a) => a.kind === 'sla_breach')).toMatchObject({ loud: true, seen: false });
  });
});
