/**
 * POST /chat/voice (#22, "hold to speak" on the chat page): a recording becomes an inbound
 * message with a 'voice' attachment and goes through the same intake and router as typed
 * text, so it opens a handoff ticket with the audio kept and the applicant is told. The
 * route's refusals (unknown visitor, rate per visitor and per address, type, size) happen
 * before the body is read: over a real socket, a huge Content-Length is answered at once and
 * the connection closed, and a chunked body is cut off once it passes the limit.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebChannel } from '../../channels/web.js';
import { loadConfig } from '../../src/config.js';
import { buildServer } from '../../src/server/app.js';
import { sniffRecording } from '../../src/server/audio-sniff.js';
import { errorBody, toHttpError } from '../../src/server/errors.js';
import { registerVoiceRoute } from '../../src/server/web-chat-voice.js';
import { createVisitorIdentities } from '../../src/server/web-identity.js';
import { listAttachments } from '../../src/store/messages.js';
import { createTestCore, type TestCore } from '../helpers/core.js';

let t: TestCore;
let app: FastifyInstance;

/** The start of a WebM file as Chrome's MediaRecorder writes it (EBML header, doc type "webm"), padded. */
function webm(size = 2_000): Buffer {
  const head = Buffer.from([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84, 0x77, 0x65, 0x62, 0x6d]);
  return Buffer.concat([head, Buffer.alloc(Math.max(0, size - head.length), 0x55)]);
}
/** An MP4 (Safari's recorder): a box size, then "ftyp" and the brand. */
function mp4(size = 1_500): Buffer {
  const head = Buffer.from([0x00, 0x00, 0x00, 0x1c, 0x66, 0x74, 0x79, 0x70, 0x69, 0x73, 0x6f, 0x6d]);
  return Buffer.concat([head, Buffer.alloc(size - head.length, 0x11)]);
}

async function setup(http: Partial<ReturnType<typeof loadConfig>['http']> = {}): Promise<void> {
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
    http: { ...loadConfig({}).http, ...http },
    webChat: { now: () => t.clock.now(), timeZone: 'Asia/Makassar', knowledge: () => t.core.knowledge(), visitorsPerHour: 1_000 },
  });
}

async function newVisitor(remoteAddress = '127.0.0.1'): Promise<string> {
  return (await app.inject({ method: 'POST', url: '/chat/visitors', remoteAddress })).json<{ visitorId: string }>().visitorId;
}

function upload(visitorId: string, clientMessageId: string, body: Buffer, contentType = 'audio/webm;codecs=opus', extra: Record<string, string> = {}, remoteAddress = '127.0.0.1') {
  return app.inject({
    method: 'POST',
    url: '/chat/voice',
    headers: { 'content-type': contentType, 'x-visitor-id': visitorId, 'x-client-message-id': clientMessageId, ...extra },
    payload: body,
    remoteAddress,
  });
}

afterEach(async () => {
  await app?.close();
  t?.close();
});

describe('sniffing a recording', () => {
  it('knows the containers browsers record and nothing else', () => {
    expect(sniffRecording(webm())).toEqual({ mimeType: 'audio/webm', extension: 'webm' });
    expect(sniffRecording(mp4())).toEqual({ mimeType: 'audio/mp4', extension: 'm4a' });
    expect(sniffRecording(Buffer.from('OggS\0\x02rest of the page'))).toEqual({ mimeType: 'audio/ogg', extension: 'ogg' });
    expect(sniffRecording(Buffer.from('<html><script>alert(1)</script>'))).toBeNull();
    expect(sniffRecording(Buffer.from([0x1a, 0x45]))).toBeNull();
    expect(sniffRecording(new Uint8Array())).toBeNull();
  });
});

describe('POST /chat/voice', () => {
  it('keeps the recording on a new handoff ticket and tells the applicant, in the history as a voice note', async () => {
    await setup();
    const visitor = await newVisitor();
    const recording = webm(3_000);
    const response = await upload(visitor, 'voice-note-0001', recording, 'audio/webm;codecs=opus', { 'x-voice-duration': '7.4' });
    expect(response.statusCode).toBe(202);
    const posted = response.json<{ messageId: number; duplicate: boolean; createdAt: string }>();
    expect(posted).toMatchObject({ duplicate: false, createdAt: '2026-11-30T01:00:00.000Z' });
    await t.settle();

    // The bytes are stored as sent, as a voice note of the length the page measured.
    const [kept] = listAttachments(t.db, posted.messageId);
    expect(kept).toMatchObject({ kind: 'voice', mimeType: 'audio/webm', fileName: 'pesan-suara.webm', sizeBytes: 3_000, hasData: true });
    const stored = t.db.prepare('SELECT data, duration_seconds FROM attachments WHERE id = ?').get(kept!.id) as { data: Buffer; duration_seconds: number };
    expect(Buffer.compare(stored.data, recording)).toBe(0);
    expect(stored.duration_seconds).toBe(7);

    // A handoff ticket holds the message; the applicant is told its number (B's core step decides the words).
    const ticket = t.db.prepare('SELECT t.id FROM tickets t JOIN messages m ON m.ticket_id = t.id WHERE m.id = ?').get(posted.messageId) as { id: number } | undefined;
    expect(ticket).toBeDefined();
    const history = await app.inject({ method: 'GET', url: '/chat/history', headers: { 'x-visitor-id': visitor } });
    const messages = history.json<{ messages: { id: number; author: string; text: string; clientMessageId?: string; attachments?: { kind: string }[] }[] }>().messages;
    expect(messages[0]).toMatchObject({ id: posted.messageId, author: 'applicant', text: '', clientMessageId: 'voice-note-0001', attachments: [{ kind: 'voice' }] });
    expect(messages.slice(1).some((m) => m.author === 'bot' && m.text.includes(`#${ticket!.id}`))).toBe(true);

    // A retried upload (the answer was lost) is stored once.
    const again = await upload(visitor, 'voice-note-0001', recording);
    expect(again.statusCode).toBe(202);
    expect(again.json()).toMatchObject({ messageId: posted.messageId, duplicate: true });
    expect((t.db.prepare('SELECT count(*) AS n FROM attachments').get() as { n: number }).n).toBe(1);
  });

  it("keeps Safari's MP4 recording and joins the open ticket with a second note", async () => {
    await setup();
    const visitor = await newVisitor();
    expect((await upload(visitor, 'voice-note-0002', mp4(), 'audio/mp4')).statusCode).toBe(202);
    await t.settle();
    const second = await upload(visitor, 'voice-note-0003', mp4(), 'audio/mp4');
    expect(second.statusCode).toBe(202);
    await t.settle();
    const tickets = t.db.prepare('SELECT DISTINCT ticket_id FROM messages WHERE direction = ? AND ticket_id IS NOT NULL').all('in') as { ticket_id: number }[];
    expect(tickets).toHaveLength(1);
    expect(listAttachments(t.db, second.json<{ messageId: number }>().messageId)).toMatchObject([{ kind: 'voice', mimeType: 'audio/mp4', fileName: 'pesan-suara.m4a', hasData: true }]);
  });

  it('refuses an id the server did not issue, a missing message id, other types and bytes that are not a recording', async () => {
    await setup();
    const visitor = await newVisitor();
    const forged = `${visitor.slice(0, -4)}${visitor.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    const refused = await upload(forged, 'voice-note-0004', webm());
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['connection']).toBe('close');
    expect((await upload(visitor, 'x', webm())).statusCode).toBe(400);
    const html = await upload(visitor, 'voice-note-0005', Buffer.from('<html>hi</html>'), 'text/html');
    expect(html.statusCode).toBe(415);
    expect(html.json()).toEqual({ error: { code: 'BAD_REQUEST', message: expect.stringContaining('audio/webm') } });
    const disguised = await upload(visitor, 'voice-note-0006', Buffer.from('<html><script>alert(1)</script></html>'), 'audio/webm');
    expect(disguised.statusCode).toBe(415);
    expect((await upload(visitor, 'voice-note-0007', Buffer.alloc(0))).statusCode).toBe(400);
    // Nothing of these was stored.
    expect((t.db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n).toBe(0);
  });

  it('limits recordings per visitor and per address, per minute of the clock', async () => {
    await setup();
    const visitor = await newVisitor();
    for (let i = 0; i < 6; i += 1) expect((await upload(visitor, `voice-rate-${i}000`, webm(200))).statusCode).toBe(202);
    const seventh = await upload(visitor, 'voice-rate-6000', webm(200));
    expect(seventh.statusCode).toBe(429);
    expect(seventh.headers['connection']).toBe('close');
    expect(Number(seventh.headers['retry-after'])).toBeGreaterThan(0);
    // New ids from the same address: 20 a minute in all, whatever the ids.
    let accepted = 6;
    for (let i = 0; i < 4; i += 1) {
      const other = await newVisitor();
      for (let j = 0; j < 6; j += 1) if ((await upload(other, `voice-many-${i}${j}00`, webm(200))).statusCode === 202) accepted += 1;
    }
    expect(accepted).toBe(20);
    // Another address is not held back; a minute later the visitor may send again.
    const elsewhere = await newVisitor('203.0.113.7');
    expect((await upload(elsewhere, 'voice-else-0001', webm(200), 'audio/webm', {}, '203.0.113.7')).statusCode).toBe(202);
    t.clock.advance(61_000);
    expect((await upload(visitor, 'voice-rate-7000', webm(200))).statusCode).toBe(202);
  });
});

describe('POST /chat/voice over a socket: too large is refused before the body is read', () => {
  /** Writes `head`, then feeds `chunks` while the socket is open; resolves with what came back when it closes. */
  async function exchange(port: number, head: string, chunks: () => Buffer | null, gapMs = 5): Promise<{ response: string; sentBytes: number; closed: boolean }> {
    const socket: Socket = connect(port, '127.0.0.1');
    let response = '';
    let sentBytes = 0;
    let closed = false;
    socket.on('data', (data) => (response += data.toString('latin1')));
    socket.on('error', () => undefined);
    const done = new Promise<void>((resolve) => socket.once('close', () => {
      closed = true;
      resolve();
    }));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(head);
    const deadline = Date.now() + 10_000;
    while (!closed && Date.now() < deadline) {
      const chunk = chunks();
      if (chunk === null) break;
      if (!socket.writable) break;
      socket.write(chunk);
      sentBytes += chunk.byteLength;
      await new Promise((r) => setTimeout(r, gapMs));
    }
    await Promise.race([done, new Promise((r) => setTimeout(r, 5_000))]);
    socket.destroy();
    return { response, sentBytes, closed };
  }

  it('answers 413 to a Content-Length over the limit at once, and cuts off a chunked body past it', async () => {
    await setup({ voiceBodyLimit: 256 * 1024, requestsPerMinutePerAddress: 0 });
    const visitor = await newVisitor();
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;
    const headers = (extra: string): string =>
      `POST /chat/voice HTTP/1.1\r\nHost: x\r\nContent-Type: audio/webm\r\nX-Visitor-Id: ${visitor}\r\nX-Client-Message-Id: voice-big-0001\r\n${extra}\r\n`;

    // 50 MB announced, nothing sent: the answer comes without waiting for the body, and the socket closes.
    const started = Date.now();
    const announced = await exchange(port, headers('Content-Length: 52428800\r\n'), () => null);
    expect(announced.response).toMatch(/^HTTP\/1\.1 413 /);
    expect(announced.response.toLowerCase()).toContain('connection: close');
    expect(announced.closed).toBe(true);
    expect(Date.now() - started).toBeLessThan(3_000);

    // Chunked: 16 KB chunks for up to 4 MB; refused once it passes 256 KB, long before the end.
    const chunk = webm(16 * 1024);
    let left = 256;
    const chunked = await exchange(port, headers('Transfer-Encoding: chunked\r\n'), () => {
      if (left === 0) return null;
      left -= 1;
      return Buffer.concat([Buffer.from(`${chunk.byteLength.toString(16)}\r\n`), chunk, Buffer.from('\r\n')]);
    });
    expect(chunked.response).toMatch(/^HTTP\/1\.1 413 /);
    expect(chunked.closed).toBe(true);
    expect(chunked.sentBytes).toBeLessThan(2 * 1024 * 1024);
    expect((t.db.prepare('SELECT count(*) AS n FROM messages').get() as { n: number }).n).toBe(0);

    // Within the limit the same route takes it.
    const small = webm(100 * 1024);
    const fine = await fetch(`http://127.0.0.1:${port}/chat/voice`, {
      method: 'POST',
      headers: { 'content-type': 'audio/webm', 'x-visitor-id': visitor, 'x-client-message-id': 'voice-small-001' },
      body: small,
    });
    expect(fine.status).toBe(202);
  });

  it('takes only so many uploads at once: one more is refused with 503 before its body is read, and taken again once a slot is free', async () => {
    t = createTestCore();
    const web = createWebChannel({ now: () => t.clock.now() });
    t.core.addChannel(web);
    await web.start(t.core.intake.sink);
    const identities = createVisitorIdentities(randomBytes(32));
    app = Fastify();
    app.setErrorHandler((err, _request, reply) => {
      const httpError = toHttpError(err);
      return reply.code(httpError.status).send(errorBody(httpError.code, httpError.message));
    });
    await registerVoiceRoute(app, { db: t.db, web, identities, inFlight: 1, nowMs: () => t.clock.now().getTime() });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;
    const visitor = identities.issue('127.0.0.1');
    const recording = webm(4_000);
    // The first upload sends half its body and waits.
    const slow: Socket = connect(port, '127.0.0.1');
    let slowAnswer = '';
    slow.on('data', (data) => (slowAnswer += data.toString('latin1')));
    await new Promise<void>((resolve) => slow.once('connect', () => resolve()));
    slow.write(`POST /chat/voice HTTP/1.1\r\nHost: x\r\nContent-Type: audio/webm\r\nX-Visitor-Id: ${visitor}\r\nX-Client-Message-Id: voice-slow-0001\r\nContent-Length: ${recording.byteLength}\r\n\r\n`);
    slow.write(recording.subarray(0, 2_000));
    await new Promise((r) => setTimeout(r, 100));
    const url = `http://127.0.0.1:${port}/chat/voice`;
    const headers = (id: string) => ({ 'content-type': 'audio/webm', 'x-visitor-id': visitor, 'x-client-message-id': id });
    const busy = await fetch(url, { method: 'POST', headers: headers('voice-busy-0001'), body: recording });
    expect(busy.status).toBe(503);
    expect(busy.headers.get('retry-after')).toBe('5');
    // The slow one finishes and is stored; the slot is free again.
    slow.write(recording.subarray(2_000));
    for (let i = 0; i < 100 && !slowAnswer.includes('\r\n\r\n'); i += 1) await new Promise((r) => setTimeout(r, 20));
    expect(slowAnswer).toMatch(/^HTTP\/1\.1 202 /);
    slow.destroy();
    const after = await fetch(url, { method: 'POST', headers: headers('voice-after-0001'), body: recording });
    expect(after.status).toBe(202);
  });

  it('reads HTTP_BODY_LIMIT_VOICE, a few MB by default, never above what the core keeps', () => {
    expect(loadConfig({}).http.voiceBodyLimit).toBe(4 * 1024 * 1024);
    expect(loadConfig({ HTTP_BODY_LIMIT_VOICE: '1048576' }).http.voiceBodyLimit).toBe(1024 * 1024);
    expect(() => loadConfig({ HTTP_BODY_LIMIT_VOICE: String(7 * 1024 * 1024) })).toThrow(/HTTP_BODY_LIMIT_VOICE/);
  });
});
