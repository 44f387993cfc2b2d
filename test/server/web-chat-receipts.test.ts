/**
 * What the chat page needs besides the messages, over HTTP in-process: the welcome it shows
 * itself (from the knowledge base, nothing stored), each message's stored time and the
 * office zone, the page's own id of each applicant message, and read receipts derived from
 * what officers did (opening the ticket, replying), never from bot answers.
 */
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebChannel } from '../../channels/web.js';
import { buildServer } from '../../src/server/app.js';
import { createAuditLog } from '../../src/server/dashboard/audit.js';
import { createStaffService } from '../../src/staff.js';
import { createTestCore, type TestCore } from '../helpers/core.js';

let t: TestCore;
let app: FastifyInstance;

async function setup(withKnowledge = true): Promise<string> {
  t = createTestCore();
  const web = createWebChannel({ now: () => t.clock.now() });
  t.core.addChannel(web);
  await web.start(t.core.intake.sink);
  app = await buildServer({
    db: t.db,
    logger: pino({ level: 'silent' }),
    web,
    channels: () => t.core.channels(),
    problems: () => [],
    webChatPerMinute: 50,
    webChat: { now: () => t.clock.now(), timeZone: 'Asia/Makassar', ...(withKnowledge ? { knowledge: () => t.core.knowledge() } : {}) },
  });
  return newVisitor();
}

async function newVisitor(): Promise<string> {
  return (await app.inject({ method: 'POST', url: '/chat/visitors' })).json<{ visitorId: string }>().visitorId;
}

afterEach(async () => {
  await app?.close();
  t?.close();
});

interface Posted {
  messageId: number;
  duplicate: boolean;
  createdAt: string;
}

async function post(visitorId: string, text: string, clientMessageId: string): Promise<Posted> {
  const response = await app.inject({ method: 'POST', url: '/chat/messages', payload: { visitorId, clientMessageId, text } });
  expect(response.statusCode).toBe(202);
  return response.json();
}

interface History {
  messages: { id: number; author: string; text: string; createdAt: string; clientMessageId?: string }[];
  readUpTo: number;
  timeZone: string;
  timeZoneLabel: string;
}

async function history(visitorId: string): Promise<History> {
  const response = await app.inject({ method: 'GET', url: '/chat/history', headers: { 'x-visitor-id': visitorId } });
  expect(response.statusCode).toBe(200);
  return response.json();
}

const storedCount = (): number => (t.db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n;

describe('web chat welcome', () => {
  it('is the greeting of the knowledge base with its topics, per language, and stores nothing', async () => {
    await setup();
    const id = await app.inject({ method: 'GET', url: '/chat/welcome' });
    expect(id.statusCode).toBe(200);
    const body = id.json<{ language: string; text: string; quickReplies: { label: string; payload: string }[]; timeZone: string; timeZoneLabel: string }>();
    expect(body.language).toBe('id');
    expect(body.text).toContain('selamat datang di SAPA');
    expect(body.quickReplies.map((q) => q.payload)).toEqual(['intent:fees', 'intent:requirements_new', 'intent:mpaspor_register', 'intent:lost_damaged']);
    expect(body.quickReplies[0]?.label).toBe('Biaya paspor');
    expect([body.timeZone, body.timeZoneLabel]).toEqual(['Asia/Makassar', 'WITA']);
    const en = (await app.inject({ method: 'GET', url: '/chat/welcome?lang=en' })).json<{ language: string; text: string; quickReplies: { label: string }[] }>();
    expect(en.language).toBe('en');
    expect(en.text).toContain('Hello, welcome to SAPA');
    expect(en.quickReplies[0]?.label).toBe('Passport fees');
    // Anything else is Indonesian, the office's language.
    expect((await app.inject({ method: 'GET', url: '/chat/welcome?lang=fr' })).json<{ language: string }>().language).toBe('id');
    expect(storedCount()).toBe(0);
  });

  it('answers 404 without a knowledge base (the page then shows its own short welcome)', async () => {
    await setup(false);
    const response = await app.inject({ method: 'GET', url: '/chat/welcome' });
    expect(response.statusCode).toBe(404);
  });
});

describe('web chat times and ids', () => {
  it('gives each message its stored time, the office zone, and the page its own message ids back', async () => {
    const visitor = await setup();
    const first = await post(visitor, 'berapa biaya paspor?', 'page-msg-000001');
    expect(first.createdAt).toBe('2026-11-30T01:00:00.000Z');
    t.clock.advance(90_000);
    // A retried POST: the same message, its first time.
    const again = await post(visitor, 'berapa biaya paspor?', 'page-msg-000001');
    expect(again).toEqual({ messageId: first.messageId, duplicate: true, createdAt: '2026-11-30T01:00:00.000Z' });
    await t.settle();
    const shown = await history(visitor);
    expect(shown.timeZone).toBe('Asia/Makassar');
    expect(shown.timeZoneLabel).toBe('WITA');
    expect(shown.messages.map((m) => [m.author, m.clientMessageId ?? null])).toEqual([
      ['applicant', 'page-msg-000001'],
      ['bot', null],
    ]);
    // The bot answered as the message arrived; the retry 90 s later changed no time.
    expect(shown.messages.map((m) => m.createdAt)).toEqual(['2026-11-30T01:00:00.000Z', '2026-11-30T01:00:00.000Z']);
    t.clock.advance(60_000);
    await post(visitor, 'terima kasih', 'page-msg-000002');
    await t.settle();
    expect((await history(visitor)).messages.slice(2).map((m) => m.createdAt)).toEqual(['2026-11-30T01:02:30.000Z', '2026-11-30T01:02:30.000Z']);
  });
});

describe('web chat read receipts', () => {
  it('an officer opening the ticket reads what was written before; a reply reads everything before it; bot answers never', async () => {
    const visitor = await setup();
    const staff = createStaffService(t.db, () => t.clock.now());
    const siti = staff.add({ username: 'siti', role: 'staff', password: 'sepeda-biru-lasiana-77', displayName: 'Siti' });
    const audit = createAuditLog(t.db, t.clock);

    const complaint = await post(visitor, 'petugas loket kasar sekali, saya mau komplain', 'page-msg-000010');
    await t.settle();
    const ticket = (t.db.prepare('SELECT id FROM tickets').get() as { id: number }).id;
    // The bot answered (ticket reference): not a person, nothing read.
    expect((await history(visitor)).readUpTo).toBe(0);

    // Someone else's ticket opened later does not count.
    const other = await newVisitor();
    const otherComplaint = await post(other, 'antrian lama sekali, saya kecewa', 'page-msg-000020');
    await t.settle();
    const otherTicket = (t.db.prepare('SELECT id FROM tickets WHERE id != ? ORDER BY id DESC').get(ticket) as { id: number }).id;
    t.clock.advance(60_000);
    audit.record({ staffId: siti.id, username: 'siti', action: 'ticket_viewed', target: `#${otherTicket}`, data: { ticketId: otherTicket } });
    expect((await history(visitor)).readUpTo).toBe(0);

    // The officer opens this ticket: the complaint is read.
    t.clock.advance(60_000);
    audit.record({ staffId: siti.id, username: 'siti', action: 'ticket_viewed', target: `#${ticket}`, data: { ticketId: ticket } });
    expect((await history(visitor)).readUpTo).toBe(complaint.messageId);

    // Written after that opening: not read yet.
    t.clock.advance(60_000);
    const added = await post(visitor, 'loket nomor 3', 'page-msg-000011');
    await t.settle();
    expect((await history(visitor)).readUpTo).toBe(complaint.messageId);

    // A public staff reply: everything the applicant wrote before it.
    t.clock.advance(60_000);
    t.core.tickets.staffReply(ticket, siti.id, 'Terima kasih, kami tindak lanjuti.');
    expect((await history(visitor)).readUpTo).toBe(added.messageId);
    // An internal note is not a reply.
    t.clock.advance(60_000);
    const later = await post(visitor, 'ditunggu kabarnya', 'page-msg-000012');
    await t.settle();
    t.core.tickets.addNote(ticket, siti.id, 'cek CCTV loket 3');
    expect((await history(visitor)).readUpTo).toBe(added.messageId);
    expect(later.messageId).toBeGreaterThan(added.messageId);
    // The other applicant's ticket was the one opened first: their complaint is read, nothing more.
    expect((await history(other)).readUpTo).toBe(otherComplaint.messageId);
  });
});
