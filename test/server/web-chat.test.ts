import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebChannel, type WebChannel } from '../../channels/web.js';
import { buildServer } from '../../src/server/app.js';
import { createVisitorIdentities } from '../../src/server/web-identity.js';
import { createTestCore, type TestCore } from '../helpers/core.js';

let t: TestCore;
let app: FastifyInstance;
let web: WebChannel;

async function setup(perMinute = 20): Promise<void> {
  t = createTestCore();
  web = createWebChannel({ now: () => t.clock.now() });
  t.core.addChannel(web);
  await web.start(t.core.intake.sink);
  app = await buildServer({
    db: t.db,
    logger: pino({ level: 'silent' }),
    web,
    channels: () => t.core.channels(),
    problems: () => [],
    webChatPerMinute: perMinute,
  });
  VISITOR = await newVisitor();
}

afterEach(async () => {
  await app?.close();
  t?.close();
});

let VISITOR: string;

/** A visitor id the way the browser gets one: issued by the server. */
async function newVisitor(): Promise<string> {
  const response = await app.inject({ method: 'POST', url: '/chat/visitors' });
  expect(response.statusCode).toBe(201);
  return (response.json() as { visitorId: string }).visitorId;
}

async function post(text: string, clientMessageId: string, visitorId = VISITOR): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await app.inject({ method: 'POST', url: '/chat/messages', payload: { visitorId, clientMessageId, text } });
  return { status: response.statusCode, body: response.json() };
}

async function history(visitorId = VISITOR): Promise<{ messages: { author: string; text: string }[] }> {
  const response = await app.inject({ method: 'GET', url: '/chat/history', headers: { 'x-visitor-id': visitorId } });
  expect(response.statusCode).toBe(200);
  return response.json();
}

describe('web chat over HTTP', () => {
  it('serves the chat page and the widget', async () => {
    await setup();
    const page = await app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('lang="id"');
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    const widget = await app.inject({ method: 'GET', url: '/widget.js' });
    expect(widget.statusCode).toBe(200);
    expect(widget.body).toContain('iframe');
  });

  it('accepts a message, answers it, and shows both in the history', async () => {
    await setup();
    const { status, body } = await post('berapa biaya paspor?', 'client-msg-0001');
    expect(status).toBe(202);
    expect(body['duplicate']).toBe(false);
    await t.settle();
    const shown = await history();
    expect(shown.messages.map((m) => m.author)).toEqual(['applicant', 'bot']);
    expect(shown.messages[1]?.text).toContain('Rp950.000');
  });

  it('stores a retried POST once (same client message id)', async () => {
    await setup();
    await post('berapa biaya paspor?', 'client-msg-0002');
    const again = await post('berapa biaya paspor?', 'client-msg-0002');
    expect(again.body['duplicate']).toBe(true);
    await t.settle();
    expect((await history()).messages).toHaveLength(2);
  });

  it('streams replies as server-sent events and replays what was missed', async () => {
    await setup();
    await post('halo', 'client-msg-0003');
    await t.settle();
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;
    expect(address).toContain(String(port));
    const controller = new AbortController();
    const issued = await fetch(`http://127.0.0.1:${port}/chat/stream-tokens`, { method: 'POST', headers: { 'x-visitor-id': VISITOR } });
    expect(issued.status).toBe(201);
    const { token } = (await issued.json()) as { token: string };
    const response = await fetch(`http://127.0.0.1:${port}/chat/events?token=${token}`, { signal: controller.signal });
    expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let buffer = '';
    const readUntil = async (pattern: RegExp): Promise<void> => {
      const deadline = Date.now() + 5000;
      while (!pattern.test(buffer)) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${pattern}: ${buffer}`);
        const { value, done } = await reader.read();
        if (done) throw new Error('stream ended');
        buffer += decoder.decode(value);
      }
    };
    // History replay: the greeting exchange.
    await readUntil(/"author":"bot"/);
    // A live reply arrives on the open stream.
    await post('berapa biaya paspor 10 tahun', 'client-msg-0004');
    await t.settle();
    await readUntil(/Rp950\.000/);
    expect(buffer).toMatch(/^id: \d+$/m);
    controller.abort();
    // The token was spent by that stream: the URL is worth nothing to whoever reads a log of it.
    const again = await fetch(`http://127.0.0.1:${port}/chat/events?token=${token}`);
    expect(again.status).toBe(403);
    expect(await again.json()).toHaveProperty('error.code', 'FORBIDDEN');
  });

  it('refuses visitor ids it did not issue, and ids in URLs', async () => {
    await setup();
    // An id the old client made up (random hex), and a well-formed forgery.
    const unsigned = 'a3f1c2d4e5b60718293a4b5c6d7e8f90';
    const issued = VISITOR;
    const forged = `${issued.slice(0, -4)}${issued.endsWith('AAAA') ? 'BBBB' : 'AAAA'}`;
    for (const id of [unsigned, forged, `v1${'x'.repeat(48)}`]) {
      const refused = await post('halo', 'client-forged-001', id);
      expect(refused.status).toBe(403);
      expect(refused.body).toEqual({ error: { code: 'FORBIDDEN', message: expect.stringContaining('POST /chat/visitors') } });
      const hist = await app.inject({ method: 'GET', url: '/chat/history', headers: { 'x-visitor-id': id } });
      expect(hist.statusCode).toBe(403);
      const token = await app.inject({ method: 'POST', url: '/chat/stream-tokens', headers: { 'x-visitor-id': id } });
      expect(token.statusCode).toBe(403);
    }
    // An id signed with another key (another server, or before a key change) is not this server's.
    const elsewhere = createVisitorIdentities(randomBytes(32)).issue('127.0.0.1');
    expect((await post('halo', 'client-elsewhere-1', elsewhere)).status).toBe(403);
    expect((await post('halo', 'client-issued-001')).status).toBe(202);
    // The id never rides in a URL: history and streams refuse it there.
    expect((await app.inject({ method: 'GET', url: `/chat/history?visitorId=${issued}` })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: `/chat/events?visitorId=${issued}` })).statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/chat/events?token=nope' })).statusCode).toBe(403);
  });

  it('issues new visitor ids to one address only so often', async () => {
    t = createTestCore();
    web = createWebChannel({ now: () => t.clock.now() });
    t.core.addChannel(web);
    await web.start(t.core.intake.sink);
    app = await buildServer({
      db: t.db,
      logger: pino({ level: 'silent' }),
      web,
      channels: () => t.core.channels(),
      problems: () => [],
      webChatPerMinute: 20,
      webChat: { visitorsPerHour: 3 },
    });
    const ids = new Set<string>();
    for (let i = 0; i < 3; i += 1) ids.add(await newVisitor());
    expect(ids.size).toBe(3);
    const refused = await app.inject({ method: 'POST', url: '/chat/visitors' });
    expect(refused.statusCode).toBe(429);
    expect(refused.json()).toHaveProperty('error.code', 'RATE_LIMITED');
    // Another address is not affected.
    const other = await app.inject({ method: 'POST', url: '/chat/visitors', remoteAddress: '203.0.113.9' });
    expect(other.statusCode).toBe(201);
    // An IPv6 subscriber counts by the /64: rotating the rest of the address gets nothing more.
    for (let i = 0; i < 3; i += 1) {
      expect((await app.inject({ method: 'POST', url: '/chat/visitors', remoteAddress: `2001:db8:1:2::${i + 1}` })).statusCode).toBe(201);
    }
    expect((await app.inject({ method: 'POST', url: '/chat/visitors', remoteAddress: '2001:db8:1:2:ffff::9' })).statusCode).toBe(429);
  });

  it('refuses a body on the routes that take none (visitor ids, stream tokens) before reading it', async () => {
    await setup();
    const big = JSON.stringify({ padding: 'x'.repeat(64 * 1024) });
    const headers = { 'content-type': 'application/json' };
    expect((await app.inject({ method: 'POST', url: '/chat/visitors', payload: big, headers })).statusCode).toBe(413);
    expect((await app.inject({ method: 'POST', url: '/chat/visitors', payload: '{}', headers })).statusCode).toBe(201);
    const visitorId = await newVisitor();
    expect((await app.inject({ method: 'POST', url: '/chat/stream-tokens', payload: big, headers: { ...headers, 'x-visitor-id': visitorId } })).statusCode).toBe(413);
  });

  it('rejects malformed requests with a JSON error', async () => {
    await setup();
    expect((await post('halo', 'client-msg-0005', 'short')).body).toEqual({
      error: { code: 'VALIDATION', message: 'visitorId must be 16-64 characters of A-Z, a-z, 0-9, _ or -' },
    });
    const noText = await app.inject({ method: 'POST', url: '/chat/messages', payload: { visitorId: VISITOR, clientMessageId: 'client-msg-0006' } });
    expect(noText.statusCode).toBe(400);
    const badJson = await app.inject({ method: 'POST', url: '/chat/messages', headers: { 'content-type': 'application/json' }, payload: '{"visitorId":' });
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json()).toHaveProperty('error.code');
    const unknown = await app.inject({ method: 'GET', url: '/nope' });
    expect(unknown.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'no such route' } });
  });

  it('accepts a message longer than what is stored (8,000 characters) and answers it politely; refuses a body over 32 KB', async () => {
    await setup();
    const { status } = await post(`halo ${'x'.repeat(30 * 1024)}`, 'client-msg-0007');
    expect(status).toBe(202);
    await t.settle();
    expect((await history()).messages.some((m) => m.author === 'bot' && /sangat panjang/.test(m.text))).toBe(true);
    // A 1 MB paste is refused before it is read (HTTP_BODY_LIMIT_CHAT); the page says so.
    const huge = await post(`halo ${'x'.repeat(1024 * 1024)}`, 'client-msg-0008');
    expect(huge.status).toBe(413);
    expect(huge.body).toHaveProperty('error.code', 'PAYLOAD_TOO_LARGE');
  });

  it('limits one visitor’s rate without affecting others', async () => {
    await setup(3);
    for (let i = 0; i < 3; i += 1) expect((await post('halo', `client-flood-${i}0000`)).status).toBe(202);
    const limited = await post('halo', 'client-flood-90000');
    expect(limited.status).toBe(429);
    expect(limited.body).toHaveProperty('error.code', 'RATE_LIMITED');
    expect((await post('halo', 'client-other-0001', await newVisitor())).status).toBe(202);
  });

  it('reports channel status on /healthz', async () => {
    await setup();
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    // Only the states: details are for admins (GET /api/health).
    expect(health.json()).toEqual({ ok: true, channels: { telegram: 'connected', web: 'connected' } });
  });
});
