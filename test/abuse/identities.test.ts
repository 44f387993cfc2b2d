/**
 * Abuse: web chat identities and flood control across them, against the real server on
 * loopback (the real core, real SQLite, the real router and classifier; a fake clock).
 *
 * - 1,000 posts from one address, each with a fresh visitor id: at most the per-address
 *   cap of tickets (plus the one flood ticket that collects the rest), a handful of staff
 *   posts instead of 2,001, and every message stored and answered;
 * - ids the server did not issue are refused (403);
 * - no visitor id appears in any URL the server saw (an access log of every request) or in
 *   anything the logger wrote;
 * - a spike of new tickets from many addresses reaches staff as one summary post;
 * - "new conversation": a fresh id, an empty history, the old conversation kept for staff.
 */
import { Writable } from 'node:stream';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebChannel, type WebChannel } from '../../channels/web.js';
import { defaultHttpConfig } from '../../src/config.js';
import { buildServer } from '../../src/server/app.js';
import { createVisitorIdentities, type VisitorIdentities } from '../../src/server/web-identity.js';
import type { AlertTarget } from '../../src/staff-alerts.js';
import { createTestCore, type TestCore } from '../helpers/core.js';

const TARGETS: readonly AlertTarget[] = [
  { channel: 'telegram', externalId: '-1001234567890', audience: 'staff' },
  { channel: 'telegram', externalId: '777000111', audience: 'supervisor' },
];
const TICKETS_PER_HOUR = 10;
const BATCH_THRESHOLD = 5;
const BATCH_WINDOW_MS = 10 * 60_000;

let t: TestCore;
let app: FastifyInstance;
let web: WebChannel;
let identities: VisitorIdentities;
let base: string;
/** Every line the server's logger wrote (level trace), plus an access-log line per request. */
let logLines: string[];

async function setup(): Promise<void> {
  identities = createVisitorIdentities(Buffer.alloc(32, 7));
  t = createTestCore({
    alertTargets: TARGETS,
    ticketFlood: { perHour: TICKETS_PER_HOUR, originOf: (channel, id) => (channel === 'web' ? identities.addressTagOf(id) : null) },
    alertBatching: { threshold: BATCH_THRESHOLD, windowMs: BATCH_WINDOW_MS },
  });
  web = createWebChannel({ now: () => t.clock.now() });
  t.core.addChannel(web);
  await web.start(t.core.intake.sink);
  logLines = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString());
      done();
    },
  });
  app = await buildServer({
    db: t.db,
    logger: pino({ level: 'trace' }, sink),
    web,
    channels: () => t.core.channels(),
    problems: () => [],
    webChatPerMinute: 20,
    // The per-address request limit (another layer) is lifted here: this proves the ticket
    // cap holds on its own, as it must for ids gathered slowly over days.
    http: { ...defaultHttpConfig(), requestsPerMinutePerAddress: 0, maxConnectionsPerAddress: 1_000 },
    webChat: { identities, visitorsPerHour: 5_000, now: () => t.clock.now() },
  });
  // What a reverse proxy's access log would hold: every URL requested.
  app.addHook('onRequest', async (request) => {
    request.log.info({ method: request.method, url: request.url }, 'access');
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
}

afterEach(async () => {
  await app?.close();
  t?.close();
});

const count = (sql: string, ...params: unknown[]): number => (t.db.prepare(sql).get(...params) as { n: number }).n;
/** Staff and supervisor posts queued through the outbox (sent or not). */
const staffPosts = (): number => count("SELECT count(*) AS n FROM messages WHERE alert_id IS NOT NULL AND direction = 'out'");

async function newVisitor(): Promise<string> {
  const response = await fetch(`${base}/chat/visitors`, { method: 'POST' });
  expect(response.status).toBe(201);
  return ((await response.json()) as { visitorId: string }).visitorId;
}

async function postMessage(visitorId: string, clientMessageId: string, text: string): Promise<number> {
  const response = await fetch(`${base}/chat/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ visitorId, clientMessageId, text }),
  });
  return response.status;
}

/** Runs `work` for 0..n-1 with `width` in flight at once. */
async function pool(n: number, width: number, work: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) {
        const i = next;
        next += 1;
        await work(i);
      }
    }),
  );
}

describe('web chat identities and flood control (real server on loopback)', () => {
  it('1,000 posts with rotating identities from one address: capped tickets, batched staff posts, nothing lost, no id in a logged URL', async () => {
    await setup();
    const N = 1_000;
    const ids: string[] = [];
    const started = performance.now();
    await pool(N, 16, async (i) => {
      const visitorId = await newVisitor();
      ids[i] = visitorId;
      // A broker / bribe report: each would be a high-priority integrity ticket.
      expect(await postMessage(visitorId, `flood-msg-${String(i).padStart(5, '0')}`, `ada calo minta uang 2 juta supaya paspor cepat jadi, tolong ditindak (${i})`)).toBe(202);
    });
    await t.settle();
    const elapsedMs = performance.now() - started;
    expect(new Set(ids).size).toBe(N);

    // Nothing lost: every message stored once, every one answered on its own conversation.
    expect(count("SELECT count(*) AS n FROM messages WHERE channel = 'web' AND direction = 'in'")).toBe(N);
    expect(count("SELECT count(DISTINCT conversation_id) AS n FROM messages WHERE channel = 'web' AND direction = 'out' AND author = 'bot'")).toBe(N);
    // Every complaint is on a ticket staff can see: its own, or the flood ticket.
    expect(count("SELECT count(*) AS n FROM messages WHERE channel = 'web' AND direction = 'in' AND ticket_id IS NULL")).toBe(0);

    // At most the per-address cap of tickets, plus one flood ticket (normal priority) for the rest.
    const tickets = t.db.prepare('SELECT id, priority, integrity FROM tickets ORDER BY id').all() as { id: number; priority: string; integrity: number }[];
    const flood = t.db.prepare("SELECT ticket_id FROM ticket_origins WHERE kind = 'flood'").all() as { ticket_id: number }[];
    expect(tickets.length).toBe(TICKETS_PER_HOUR + 1);
    expect(flood).toHaveLength(1);
    const regular = tickets.filter((ticket) => ticket.id !== flood[0]!.ticket_id);
    expect(regular).toHaveLength(TICKETS_PER_HOUR);
    // The attack is what it was in the security test: high-priority integrity reports ...
    expect(regular.every((ticket) => ticket.priority === 'high' && ticket.integrity === 1)).toBe(true);
    // ... and beyond the cap none is: the flood ticket is normal priority.
    expect(tickets.find((ticket) => ticket.id === flood[0]!.ticket_id)).toMatchObject({ priority: 'normal', integrity: 0 });
    expect(count('SELECT count(*) AS n FROM messages WHERE ticket_id = ? AND direction = ?', flood[0]!.ticket_id, 'in')).toBe(N - TICKETS_PER_HOUR);

    // Staff posts: 5 new-ticket posts and 5 integrity posts one by one, the rest held for a
    // summary, plus the flood notice to staff and to supervisors (was 2,001 before).
    const before = staffPosts();
    expect(before).toBe(BATCH_THRESHOLD * 2 + 2);
    t.clock.advance(BATCH_WINDOW_MS);
    expect(t.core.alerts.flushBatches()).toBe(2);
    await t.settle();
    expect(staffPosts()).toBe(before + 2);
    const summaries = t.channel.sent.filter((m) => m.text.includes('tiket baru lagi') || m.text.includes('laporan integritas baru lagi'));
    expect(summaries.map((m) => m.conversationExternalId).sort()).toEqual(['-1001234567890', '777000111']);
    expect(summaries.find((m) => m.conversationExternalId === '-1001234567890')?.text).toMatch(/^📥 5 tiket baru lagi dalam 10 menit \(Web chat 5\)/);
    expect(t.channel.sent.filter((m) => m.text.startsWith('🚧 Banjir tiket'))).toHaveLength(2);

    // No visitor id in any URL the server saw or in anything it logged.
    const access = logLines.filter((line) => line.includes('"msg":"access"'));
    expect(access.length).toBeGreaterThanOrEqual(2 * N);
    const leaked = ids.filter((id) => logLines.some((line) => line.includes(id)));
    expect(leaked).toEqual([]);

    console.info(
      `[abuse] ${N} posts with rotating ids from one address in ${Math.round(elapsedMs)} ms: ${tickets.length} tickets (${regular.length} + 1 flood), ` +
        `${staffPosts()} staff/supervisor posts after the summaries, ${access.length} requests logged, 0 ids in them`,
    );
  }, 240_000);

  it('refuses ids it did not issue (403) and keeps the stream credential out of logged URLs', async () => {
    await setup();
    const id = await newVisitor();
    const other = createVisitorIdentities(Buffer.alloc(32, 9)).issue('127.0.0.1');
    for (const forged of ['a3f1c2d4e5b60718293a4b5c6d7e8f90', other, `${id.slice(0, 30)}${'A'.repeat(20)}`]) {
      const status = await postMessage(forged, 'forged-msg-0001', 'halo');
      expect(status).toBe(403);
    }
    expect(count("SELECT count(*) AS n FROM messages WHERE channel = 'web'")).toBe(0);

    expect(await postMessage(id, 'real-msg-00001', 'halo')).toBe(202);
    await t.settle();
    // The stream: a token from a POST (id in a header), then the stream by token, once.
    const issued = await fetch(`${base}/chat/stream-tokens`, { method: 'POST', headers: { 'x-visitor-id': id } });
    const { token } = (await issued.json()) as { token: string };
    const controller = new AbortController();
    const stream = await fetch(`${base}/chat/events?token=${token}`, { signal: controller.signal });
    expect(stream.status).toBe(200);
    const reader = stream.body!.getReader();
    let text = '';
    while (!/"author":"bot"/.test(text)) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    expect((await fetch(`${base}/chat/events?token=${token}`)).status).toBe(403);
    const history = await fetch(`${base}/chat/history`, { headers: { 'x-visitor-id': id } });
    expect(history.status).toBe(200);
    expect(logLines.some((line) => line.includes('/chat/events?token='))).toBe(true);
    expect(logLines.filter((line) => line.includes(id))).toEqual([]);
  });

  it('a spike of new tickets from many addresses reaches staff as one summary post, masked', async () => {
    await setup();
    const N = 37;
    for (let i = 0; i < N; i += 1) {
      // One complaint each from 37 addresses: the per-address cap does not apply, batching does.
      const address = `198.51.100.${i + 1}`;
      const visitor = (await app.inject({ method: 'POST', url: '/chat/visitors', remoteAddress: address })).json() as { visitorId: string };
      const posted = await app.inject({
        method: 'POST',
        url: '/chat/messages',
        remoteAddress: address,
        payload: { visitorId: visitor.visitorId, clientMessageId: `spike-msg-${String(i).padStart(4, '0')}`, text: `antrian lama sekali, saya kecewa, NIK saya 5371011203900001 (${i})` },
      });
      expect(posted.statusCode).toBe(202);
      await t.core.intake.idle();
      t.clock.advance(15_000);
    }
    await t.settle();
    expect(count('SELECT count(*) AS n FROM tickets')).toBe(N);
    const individual = t.channel.sent.filter((m) => m.conversationExternalId === '-1001234567890' && m.text.startsWith('🆕'));
    expect(individual).toHaveLength(BATCH_THRESHOLD);
    // Nothing more until the window has passed since the first held alert.
    expect(t.core.alerts.flushBatches()).toBe(0);
    t.clock.advance(BATCH_WINDOW_MS);
    expect(t.core.alerts.flushBatches()).toBe(1);
    await t.settle();
    const summary = t.channel.sent.filter((m) => m.text.startsWith('📥'));
    expect(summary).toHaveLength(1);
    expect(summary[0]!.text).toMatch(new RegExp(`^📥 ${N - BATCH_THRESHOLD} tiket baru lagi dalam \\d+ menit \\(Web chat ${N - BATCH_THRESHOLD}\\)`));
    expect(summary[0]!.text.match(/• #\d+: "/g)).toHaveLength(3);
    expect(summary[0]!.text).not.toContain('5371011203900001');
    // The spike is over: the next ticket is posted on its own again.
    const late = (await app.inject({ method: 'POST', url: '/chat/visitors', remoteAddress: '203.0.113.50' })).json() as { visitorId: string };
    await app.inject({ method: 'POST', url: '/chat/messages', remoteAddress: '203.0.113.50', payload: { visitorId: late.visitorId, clientMessageId: 'late-msg-00001', text: 'antrian lama sekali, saya kecewa' } });
    await t.settle();
    expect(t.channel.sent.filter((m) => m.conversationExternalId === '-1001234567890' && m.text.startsWith('🆕'))).toHaveLength(BATCH_THRESHOLD + 1);
  });

  it('a new conversation on a shared device: a fresh id, an empty history, the old one kept for staff', async () => {
    await setup();
    const first = await newVisitor();
    expect(await postMessage(first, 'shared-msg-0001', 'antrian lama sekali, saya kecewa')).toBe(202);
    await t.settle();
    const before = (await (await fetch(`${base}/chat/history`, { headers: { 'x-visitor-id': first } })).json()) as { messages: unknown[] };
    expect(before.messages.length).toBeGreaterThanOrEqual(2);
    // What the "Percakapan baru" button does: forget the id, get a new one.
    const second = await newVisitor();
    expect(second).not.toBe(first);
    const after = (await (await fetch(`${base}/chat/history`, { headers: { 'x-visitor-id': second } })).json()) as { messages: unknown[] };
    expect(after.messages).toEqual([]);
    // The previous applicant's ticket and messages stay for staff.
    expect(count("SELECT count(*) AS n FROM tickets WHERE status = 'open'")).toBe(1);
    expect(count("SELECT count(*) AS n FROM conversations WHERE channel = 'web' AND external_id = ?", first)).toBe(1);
  });
});
