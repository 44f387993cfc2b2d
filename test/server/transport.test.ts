/**
 * The HTTP server's exposure (issue 17, part A), in-process: TRUST_PROXY and the client
 * address, body and JSON-depth limits before parsing, per-address request limits,
 * security headers from PUBLIC_URL and WEB_CHAT_FRAME_ANCESTORS, the stream registry
 * (one stream per visitor, per address, in total; heartbeats and idle timeouts), and the
 * public versus the admin health report. The abuse suite (test/abuse/transport.test.ts)
 * runs the same limits against the real process.
 */
import { randomBytes } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { Channel, ChannelStatus } from '../../channels/channel.js';
import { createWebChannel } from '../../channels/web.js';
import { ConfigError, loadConfig, type HttpConfig } from '../../src/config.js';
import { createRequestCounter, jsonNestingExceeds, limitConnectionsPerAddress } from '../../src/server/address-limits.js';
import { buildServer } from '../../src/server/app.js';
import { HttpError } from '../../src/server/errors.js';
import { createStreamRegistry } from '../../src/server/stream-limits.js';
import { createVisitorIdentities, type VisitorIdentities } from '../../src/server/web-identity.js';
import { createTestCore, type TestCore } from '../helpers/core.js';
import { createHarness, type Harness } from './dashboard-harness.js';

let t: TestCore | null = null;
let app: FastifyInstance | null = null;
let h: Harness | null = null;

afterEach(async () => {
  await app?.close();
  app = null;
  t?.close();
  t = null;
  await h?.close();
  h = null;
});

/** A channel whose status carries internal detail (a URL, an error text, a pairing code). */
function leakyChannel(status: ChannelStatus): Channel {
  return {
    name: 'whatsapp',
    capabilities: { quickReplies: false, outboundMedia: false, maxTextLength: 4096 },
    status: () => status,
    start: async () => undefined,
    stop: async () => undefined,
    send: async () => ({ ok: true, providerMessageId: 'x' }),
  } as unknown as Channel;
}

async function setup(env: Record<string, string> = {}, extraChannels: Channel[] = []): Promise<{ app: FastifyInstance; identities: VisitorIdentities; http: HttpConfig }> {
  const http = loadConfig(env).http;
  t = createTestCore();
  const web = createWebChannel({ now: () => t!.clock.now() });
  t.core.addChannel(web);
  await web.start(t.core.intake.sink);
  const identities = createVisitorIdentities(randomBytes(32));
  app = await buildServer({
    db: t.db,
    logger: pino({ level: 'silent' }),
    web,
    channels: () => [...t!.core.channels(), ...extraChannels],
    problems: () => [],
    webChatPerMinute: 1000,
    webChat: { identities, visitorsPerHour: 1000 },
    http,
  });
  return { app, identities, http };
}

describe('HTTP settings in the configuration', () => {
  it('defaults: no proxy trusted, 32 KB chat bodies, timeouts and caps set', () => {
    expect(loadConfig({}).http).toMatchObject({
      trustProxy: false,
      publicUrl: null,
      frameAncestors: [],
      chatBodyLimit: 32 * 1024,
      jsonMaxDepth: 20,
      requestTimeoutMs: 30_000,
      headersTimeoutMs: 10_000,
      maxConnections: 1_000,
      streams: { perAddress: 10, total: 500 },
    });
  });

  it('reads TRUST_PROXY as a hop count or a list of addresses and CIDR ranges', () => {
    expect(loadConfig({ TRUST_PROXY: '1' }).http.trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'false' }).http.trustProxy).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '127.0.0.1, 10.0.0.0/8,::1,loopback' }).http.trustProxy).toEqual(['127.0.0.1', '10.0.0.0/8', '::1', 'loopback']);
  });

  it.each([
    [{ TRUST_PROXY: 'true' }, 'TRUST_PROXY: trusting every address would let anyone forge X-Forwarded-For'],
    [{ TRUST_PROXY: '127.0.0.1,nginx' }, 'TRUST_PROXY: must be a number of proxies in front of SAPA'],
    [{ TRUST_PROXY: '10.0.0.0/33' }, 'got "10.0.0.0/33"'],
    [{ HTTP_BODY_LIMIT_CHAT: '10' }, 'HTTP_BODY_LIMIT_CHAT: must be a whole number from 1024 to 1048576, got "10"'],
    [{ HTTP_HEADERS_TIMEOUT_MS: '40000' }, 'HTTP_HEADERS_TIMEOUT_MS: must not be more than HTTP_REQUEST_TIMEOUT_MS (30000)'],
    [{ SSE_HEARTBEAT_MS: '60000' }, 'SSE_HEARTBEAT_MS: must be less than HTTP_CONNECTION_TIMEOUT_MS (60000)'],
    [{ SSE_MAX_STREAMS: '2000' }, 'SSE_MAX_STREAMS: must be less than HTTP_MAX_CONNECTIONS (1000)'],
    [{ WEB_CHAT_FRAME_ANCESTORS: "'self' https://kanim.example" }, "WEB_CHAT_FRAME_ANCESTORS: must be origins of the websites that embed the chat widget"],
    [{ WEB_CHAT_FRAME_ANCESTORS: 'https://kanim.example/page' }, 'got "https://kanim.example/page"'],
    [{ PUBLIC_URL: 'sapa.example' }, 'PUBLIC_URL: must be an absolute http(s) URL'],
  ])('%j is refused with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('the client address (TRUST_PROXY)', () => {
  it('ignores X-Forwarded-For by default: rotating it does not escape the per-address limit', async () => {
    const { app } = await setup({ HTTP_REQUESTS_PER_MINUTE: '5' });
    const statuses: number[] = [];
    for (let i = 0; i < 8; i += 1) {
      const response = await app.inject({ method: 'GET', url: '/healthz', remoteAddress: '203.0.113.7', headers: { 'x-forwarded-for': `198.51.100.${i}` } });
      statuses.push(response.statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429, 429]);
    const refused = await app.inject({ method: 'GET', url: '/healthz', remoteAddress: '203.0.113.7' });
    expect(refused.json()).toHaveProperty('error.code', 'RATE_LIMITED');
    expect(refused.headers['connection']).toBe('close');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // Another address is not affected.
    expect((await app.inject({ method: 'GET', url: '/healthz', remoteAddress: '203.0.113.8' })).statusCode).toBe(200);
  });

  it('takes the forwarded address from a trusted proxy only', async () => {
    const { app } = await setup({ HTTP_REQUESTS_PER_MINUTE: '2', TRUST_PROXY: '127.0.0.1' });
    const viaProxy = async (client: string) =>
      (await app.inject({ method: 'GET', url: '/healthz', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': client } })).statusCode;
    // Each applicant behind the proxy has their own budget.
    for (let i = 0; i < 6; i += 1) expect(await viaProxy(`198.51.100.${i}`)).toBe(200);
    expect([await viaProxy('198.51.100.1'), await viaProxy('198.51.100.1')]).toEqual([200, 429]);
    // A client that is not the proxy cannot claim another address.
    const direct = async () =>
      (await app.inject({ method: 'GET', url: '/healthz', remoteAddress: '203.0.113.9', headers: { 'x-forwarded-for': `198.51.100.${randomBytes(1)[0]}` } })).statusCode;
    expect([await direct(), await direct(), await direct()]).toEqual([200, 200, 429]);
  });

  it('caps open connections per address, an IPv6 address by its /64, and frees the slot when one closes', () => {
    // Node's side of it: the server's 'connection' event and the sockets' 'close' (no listening needed).
    const server = new EventEmitter() as unknown as Server;
    limitConnectionsPerAddress(server, 2);
    const connect = (remoteAddress: string) => {
      const socket = Object.assign(new EventEmitter(), { remoteAddress, destroyed: false, destroy() { socket.destroyed = true; } });
      server.emit('connection', socket);
      return socket;
    };
    const first = connect('2001:db8:aa:1::1');
    connect('2001:db8:aa:1::2');
    // A third address in the same /64 is the same subscriber: refused.
    expect(connect('2001:db8:aa:1:ffff::9').destroyed).toBe(true);
    // Another /64, and IPv4, have their own budgets.
    expect(connect('2001:db8:aa:2::1').destroyed).toBe(false);
    expect(connect('::ffff:203.0.113.9').destroyed).toBe(false);
    // An IPv4-mapped address is the IPv4 address: this is its second connection, the next its third.
    expect(connect('203.0.113.9').destroyed).toBe(false);
    expect(connect('203.0.113.9').destroyed).toBe(true);
    first.emit('close');
    expect(connect('2001:db8:aa:1::3').destroyed).toBe(false);
  });

  it('counts requests per address in fixed one-minute windows, on an injected clock', () => {
    let now = 0;
    const counter = createRequestCounter(2, () => now);
    expect([counter.take('a'), counter.take('a'), counter.take('a'), counter.take('b')]).toEqual([true, true, false, true]);
    expect(counter.retryAfterSeconds('a')).toBe(60);
    now = 59_999;
    expect(counter.take('a')).toBe(false);
    now = 60_000;
    expect(counter.take('a')).toBe(true);
  });
});

describe('limits before parsing', () => {
  it('refuses a chat body over HTTP_BODY_LIMIT_CHAT with 413, from its Content-Length, before reading it', async () => {
    const { app, identities } = await setup();
    const visitorId = identities.issue('127.0.0.1');
    const big = await app.inject({
      method: 'POST',
      url: '/chat/messages',
      payload: { visitorId, clientMessageId: 'client-big-0001', text: 'x'.repeat(40 * 1024) },
    });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toEqual({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'the request body is too large' } });
    // 8,000 characters of non-Latin text (the most that is stored) fit.
    const fits = await app.inject({
      method: 'POST',
      url: '/chat/messages',
      payload: { visitorId, clientMessageId: 'client-fit-0001', text: 'ꦲ'.repeat(8000) },
    });
    expect(fits.statusCode).toBe(202);
  });

  it('refuses deeply nested JSON with 400 before JSON.parse, and still parses normal bodies', async () => {
    const { app, identities } = await setup();
    // Within the body limit (256 KB): the nesting check refuses it.
    const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const started = performance.now();
    const refused = await app.inject({ method: 'POST', url: '/api/session', headers: { 'content-type': 'application/json' }, payload: deep });
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toEqual({ error: { code: 'BAD_REQUEST', message: 'the JSON body nests deeper than 20 levels' } });
    // Over it: 413 from the length alone.
    const huge = await app.inject({ method: 'POST', url: '/api/session', headers: { 'content-type': 'application/json' }, payload: '['.repeat(4_000_000) });
    expect(huge.statusCode).toBe(413);
    const nested21 = `{"visitorId":"x","text":${'['.repeat(20)}1${']'.repeat(20)}}`;
    expect((await app.inject({ method: 'POST', url: '/chat/messages', headers: { 'content-type': 'application/json' }, payload: nested21 })).statusCode).toBe(400);
    // Brackets inside strings do not count; prototype poisoning is still refused.
    const visitorId = identities.issue('127.0.0.1');
    const ok = await app.inject({ method: 'POST', url: '/chat/messages', payload: { visitorId, clientMessageId: 'client-brk-0001', text: '[[[[[[[[[[[[[[[[[[[[[[[[[ {{{{{{{{{{{{{{{{{{{{{{{{ "\\"[' } });
    expect(ok.statusCode).toBe(202);
    const poisoned = await app.inject({ method: 'POST', url: '/chat/messages', headers: { 'content-type': 'application/json' }, payload: '{"__proto__":{"x":1}}' });
    expect(poisoned.statusCode).toBe(400);
  });

  it('measures nesting without parsing', () => {
    expect(jsonNestingExceeds('{"a":[1,{"b":2}]}', 3)).toBe(false);
    expect(jsonNestingExceeds('{"a":[1,{"b":[2]}]}', 3)).toBe(true);
    expect(jsonNestingExceeds('{"a":"[[[[[[\\"[[[[["}', 1)).toBe(false);
  });

  it('sets the socket timeouts and the connection cap on the Node server', async () => {
    const { app } = await setup({ HTTP_REQUEST_TIMEOUT_MS: '20000', HTTP_HEADERS_TIMEOUT_MS: '5000', HTTP_KEEP_ALIVE_TIMEOUT_MS: '7000', HTTP_MAX_CONNECTIONS: '300' });
    expect(app.server.requestTimeout).toBe(20_000);
    expect(app.server.headersTimeout).toBe(5_000);
    expect(app.server.keepAliveTimeout).toBe(7_000);
    expect(app.server.timeout).toBe(60_000);
    expect(app.server.maxConnections).toBe(300);
    expect(app.streams.settings.total).toBe(150);
  });

  it('cuts off a body that trickles in for longer than HTTP_REQUEST_TIMEOUT_MS', async () => {
    const { app } = await setup({ HTTP_REQUEST_TIMEOUT_MS: '1500', HTTP_HEADERS_TIMEOUT_MS: '1000' });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const port = (app.server.address() as AddressInfo).port;
    const started = performance.now();
    const outcome = await new Promise<string>((resolve) => {
      const req = httpRequest({ host: '127.0.0.1', port, method: 'POST', path: '/chat/messages', headers: { 'content-type': 'application/json', 'content-length': '20000' } });
      req.on('response', (response) => resolve(`status ${response.statusCode}`));
      req.on('error', (err) => resolve(`error ${(err as NodeJS.ErrnoException).code ?? err.message}`));
      req.write('{"text":"');
      const drip = setInterval(() => req.write('x'), 100);
      req.on('close', () => clearInterval(drip));
    });
    expect(outcome).toMatch(/status 408|error ECONNRESET|socket hang up/);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('security headers', () => {
  it('on plain HTTP (no https PUBLIC_URL): no upgrade-insecure-requests, no HSTS; the chat is framed by SAPA only', async () => {
    const { app } = await setup({ PUBLIC_URL: 'http://192.168.1.20:3000' });
    const page = await app.inject({ method: 'GET', url: '/' });
    const csp = String(page.headers['content-security-policy']);
    expect(csp).not.toContain('upgrade-insecure-requests');
    expect(csp).toContain("frame-ancestors 'self';");
    expect(page.headers['strict-transport-security']).toBeUndefined();
  });

  it('with an https PUBLIC_URL: upgrade-insecure-requests and HSTS; WEB_CHAT_FRAME_ANCESTORS lets the office website frame the chat', async () => {
    const { app } = await setup({ PUBLIC_URL: 'https://sapa.example.go.id', WEB_CHAT_FRAME_ANCESTORS: 'https://www.kanim.example.go.id,https://*.kanim.example.go.id' });
    const page = await app.inject({ method: 'GET', url: '/' });
    const csp = String(page.headers['content-security-policy']);
    expect(csp).toContain('upgrade-insecure-requests');
    expect(csp).toContain("frame-ancestors 'self' https://www.kanim.example.go.id https://*.kanim.example.go.id;");
    expect(page.headers['strict-transport-security']).toMatch(/max-age=/);
  });
});

describe('health', () => {
  const secretStatus: ChannelStatus = {
    state: 'needs_attention',
    reason: 'connect ECONNREFUSED http://10.1.2.3:8081/internal',
    action: 'enter the pairing code ABCD-EFGH on the phone',
  };

  it('/healthz shows the overall state and each channel state only', async () => {
    const { app } = await setup({}, [leakyChannel(secretStatus)]);
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toEqual({ ok: true, channels: { web: 'connected', telegram: 'connected', whatsapp: 'needs_attention' } });
    expect(health.body).not.toMatch(/10\.1\.2\.3|ECONNREFUSED|ABCD-EFGH/);
  });

  it('GET /api/health gives admins the details; staff are refused and the anonymous asked to log in', async () => {
    h = await createHarness();
    h.t.core.addChannel(leakyChannel(secretStatus));
    const admin = await h.login('admin');
    const report = await admin.call('GET', '/api/health');
    expect(report.statusCode).toBe(200);
    expect(report.json()).toMatchObject({ ok: true, details: { whatsapp: secretStatus }, problems: [], warnings: [] });
    expect((await (await h.login('siti')).call('GET', '/api/health')).statusCode).toBe(403);
    expect((await h.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(401);
  });
});

describe('stream slots', () => {
  const settings = { perAddress: 3, perSession: 2, total: 5, heartbeatMs: 1000, idleTimeoutMs: 10_000 };

  it('one stream per visitor: a new one ends the old one and takes its place', () => {
    const registry = createStreamRegistry(settings);
    const ended: string[] = [];
    const first = registry.acquire({ kind: 'chat', owner: 'v1', address: 'a' });
    if (first instanceof HttpError) throw first;
    first.onReplaced(() => ended.push('first'));
    const second = registry.acquire({ kind: 'chat', owner: 'v1', address: 'a' });
    expect(second).not.toBeInstanceOf(HttpError);
    expect(ended).toEqual(['first']);
    expect(registry.counts()).toEqual({ total: 1, chat: 1, dashboard: 0 });
  });

  it('a few per address (429), a total for the server (503); released slots are free again', () => {
    const registry = createStreamRegistry(settings);
    const leases = ['v1', 'v2', 'v3'].map((v) => registry.acquire({ kind: 'chat', owner: v, address: 'a' }));
    const fourth = registry.acquire({ kind: 'chat', owner: 'v4', address: 'a' });
    expect(fourth).toBeInstanceOf(HttpError);
    expect((fourth as HttpError).status).toBe(429);
    // A reconnect of a visitor who already streams is never refused.
    expect(registry.acquire({ kind: 'chat', owner: 'v2', address: 'a' })).not.toBeInstanceOf(HttpError);
    registry.acquire({ kind: 'chat', owner: 'w1', address: 'b' });
    registry.acquire({ kind: 'dashboard', owner: 'session-1', address: 'office' });
    const full = registry.acquire({ kind: 'dashboard', owner: 'session-2', address: 'office' });
    expect((full as HttpError).status).toBe(503);
    const lease = leases[0];
    if (lease instanceof HttpError || lease === undefined) throw new Error('expected a lease');
    lease.release();
    lease.release();
    expect(registry.counts().total).toBe(4);
    expect(registry.acquire({ kind: 'chat', owner: 'v5', address: 'a' })).not.toBeInstanceOf(HttpError);
  });

  it('dashboard sessions hold a few streams each, the oldest replaced, and do not count per address', () => {
    const registry = createStreamRegistry({ ...settings, total: 100 });
    const ended: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const lease = registry.acquire({ kind: 'dashboard', owner: 's', address: 'office' });
      if (lease instanceof HttpError) throw lease;
      lease.onReplaced(() => ended.push(i));
    }
    expect(ended).toEqual([0]);
    for (let i = 0; i < 10; i += 1) expect(registry.acquire({ kind: 'dashboard', owner: `s${i}`, address: 'office' })).not.toBeInstanceOf(HttpError);
  });
});

describe('web chat streams over HTTP', () => {
  async function streamUrl(app: FastifyInstance, base: string, visitorId: string): Promise<string> {
    const issued = await app.inject({ method: 'POST', url: '/chat/stream-tokens', headers: { 'x-visitor-id': visitorId } });
    expect(issued.statusCode).toBe(201);
    return `${base}/chat/events?token=${(issued.json() as { token: string }).token}`;
  }

  it('refuses streams over the per-address cap with a JSON 429 and closes the connection; replaces a visitor’s older stream', async () => {
    const { app, identities } = await setup({ SSE_STREAMS_PER_ADDRESS: '2' });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const controllers: AbortController[] = [];
    const open = async (visitorId: string): Promise<Response> => {
      const controller = new AbortController();
      controllers.push(controller);
      return fetch(await streamUrl(app, base, visitorId), { signal: controller.signal });
    };
    try {
      const [a, b, c] = ['127.0.0.1', '127.0.0.1', '127.0.0.1'].map((ip) => identities.issue(ip)) as [string, string, string];
      const first = await open(a);
      expect(first.headers.get('content-type')).toMatch(/text\/event-stream/);
      expect((await open(b)).status).toBe(200);
      const refused = await open(c);
      expect(refused.status).toBe(429);
      expect(refused.headers.get('connection')).toBe('close');
      expect(await refused.json()).toHaveProperty('error.code', 'RATE_LIMITED');
      expect(app.streams.counts().chat).toBe(2);
      // Visitor a opens a second stream (a reload): the first one ends, the new one is served.
      const again = await open(a);
      expect(again.status).toBe(200);
      const reader = first.body!.getReader();
      let ended = false;
      const deadline = Date.now() + 5_000;
      while (!ended && Date.now() < deadline) ended = (await reader.read()).done;
      expect(ended).toBe(true);
      expect(app.streams.counts().chat).toBe(2);
    } finally {
      for (const controller of controllers) controller.abort();
    }
  });

  it('sends heartbeat comments and ends a stream that stayed idle', async () => {
    const http = loadConfig({}).http;
    t = createTestCore();
    const web = createWebChannel({ now: () => t!.clock.now() });
    t.core.addChannel(web);
    await web.start(t.core.intake.sink);
    const identities = createVisitorIdentities(randomBytes(32));
    app = await buildServer({
      db: t.db,
      logger: pino({ level: 'silent' }),
      web,
      channels: () => t!.core.channels(),
      problems: () => [],
      webChatPerMinute: 1000,
      webChat: { identities },
      // Below what the configuration allows, to keep the test short.
      http: { ...http, streams: { ...http.streams, heartbeatMs: 100, idleTimeoutMs: 450 } },
    });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const response = await fetch(await streamUrl(app, base, identities.issue('127.0.0.1')));
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    let text = '';
    const started = performance.now();
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
      if (performance.now() - started > 5_000) throw new Error(`stream not ended: ${text}`);
    }
    expect(text.match(/^: ping$/gm)?.length).toBeGreaterThanOrEqual(2);
    expect(performance.now() - started).toBeLessThan(3_000);
    expect(app.streams.counts().total).toBe(0);
  });
});
