/**
 * The connection loop with the real makeWASocket against a loopback WebSocket
 * endpoint: reconnect with backoff after drops, 515 reconnects at once, 401
 * (logged out) stops, clears the dead creds and reports the problem; a restart
 * resumes with the stored creds. No network.
 */
import { Boom } from '@hapi/boom';
import makeWASocket, { DisconnectReason } from '@whiskeysockets/baileys';
import type { WASocket } from '@whiskeysockets/baileys';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createWhatsappChannel, type WhatsappChannel, type WhatsappProblem } from '../../channels/whatsapp.js';
import { actionFor, classifyDisconnect, reconnectDelayMs } from '../../channels/whatsapp/disconnect.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { createRecordingSink } from '../fakes/recording-sink.js';
import { createFakeWhatsappServer, type FakeWhatsappServer } from '../fakes/whatsapp-ws-server.js';

const silent = pino({ level: 'silent' });
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function waitFor(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

interface Harness {
  server: FakeWhatsappServer;
  db: Db;
  channel: WhatsappChannel;
  sockets: WASocket[];
  problems: WhatsappProblem[];
}

async function setup(options: { mode?: 'accept_then_close' | 'accept_and_hold'; initialMs?: number; db?: Db } = {}): Promise<Harness> {
  const server = await createFakeWhatsappServer(options.mode ?? 'accept_then_close');
  cleanups.push(() => server.close());
  const db = options.db ?? openDatabase(':memory:');
  if (options.db === undefined) cleanups.push(() => {
    db.close();
  });
  const sockets: WASocket[] = [];
  const problems: WhatsappProblem[] = [];
  const channel = createWhatsappChannel({
    db,
    logger: silent,
    sendsPerMinute: 0,
    media: { maxBytes: 1_000_000, allowedMimeTypes: ['image/jpeg'] },
    printQr: null,
    typing: null,
    waWebSocketUrl: server.url,
    reconnectBackoff: { initialMs: options.initialMs ?? 40, maxMs: 1_000 },
    random: () => 0.5,
    onProblem: (problem) => problems.push(problem),
    makeSocket: (config) => {
      const socket = makeWASocket(config);
      sockets.push(socket);
      return socket;
    },
  });
  cleanups.push(() => channel.stop());
  await channel.start(createRecordingSink());
  return { server, db, channel, sockets, problems };
}

function credsRow(db: Db): string | undefined {
  return db.prepare<[], { value: string }>("SELECT value FROM channel_state WHERE channel = 'whatsapp' AND key = 'auth:creds'").get()?.value;
}

describe('disconnect policy', () => {
  it('names the codes and picks an action for each', () => {
    const reason = (code: number) => classifyDisconnect(new Boom('x', { statusCode: code })).reason;
    expect(reason(DisconnectReason.restartRequired)).toBe('restart_required');
    expect(reason(DisconnectReason.loggedOut)).toBe('logged_out');
    expect(reason(DisconnectReason.connectionReplaced)).toBe('replaced');
    expect(reason(408)).toBe('timed_out');
    expect(classifyDisconnect(new Error('plain')).reason).toBe('unknown');
    expect(actionFor('restart_required')).toBe('reconnect_now');
    expect(actionFor('logged_out')).toBe('logged_out');
    expect(actionFor('replaced')).toBe('needs_attention');
    expect(actionFor('connection_closed')).toBe('reconnect_with_backoff');
  });

  it('backs off exponentially with jitter, capped', () => {
    const backoff = { initialMs: 1_000, maxMs: 60_000 };
    expect(reconnectDelayMs(1, backoff, () => 0.5)).toBe(1_000);
    expect(reconnectDelayMs(3, backoff, () => 0.5)).toBe(4_000);
    expect(reconnectDelayMs(3, backoff, () => 0)).toBe(2_000);
    expect(reconnectDelayMs(3, backoff, () => 0.999)).toBeLessThan(6_000);
    expect(reconnectDelayMs(30, backoff, () => 0.5)).toBe(60_000);
  });
});

describe('whatsapp connection against a local WebSocket server', () => {
  it('reconnects after the server drops the connection, with growing delays', async () => {
    const h = await setup({ initialMs: 40 });
    await h.server.waitForConnections(4);
    const at = h.server.connectedAt();
    const gaps = at.slice(1, 4).map((t, i) => t - (at[i] ?? 0));
    // 40, 80, 160 ms (random fixed at 0.5 = no jitter); connection setup adds a little.
    expect(gaps[0]).toBeGreaterThanOrEqual(35);
    expect(gaps[1]).toBeGreaterThanOrEqual(75);
    expect(gaps[2]).toBeGreaterThanOrEqual(155);
    const status = h.channel.status();
    expect(status.state).toBe('reconnecting');
    if (status.state === 'reconnecting') {
      expect(status.reason).toContain('428');
      expect(status.retryAt).toBeInstanceOf(Date);
    }
    expect(h.problems).toEqual([]);
  });

  it('sends fail as retryable while disconnected (the outbox keeps them queued)', async () => {
    const h = await setup({ mode: 'accept_and_hold' });
    await h.server.waitForConnections(1);
    const result = await h.channel.send({ conversationExternalId: '6281234567890@s.whatsapp.net', author: 'bot', text: 'halo', quickReplies: [], messageId: 1 });
    expect(result).toMatchObject({ ok: false, kind: 'retryable' });
  });

  it('treats 515 after pairing as a restart: a new socket at once, no backoff', async () => {
    const h = await setup({ mode: 'accept_and_hold', initialMs: 10_000 });
    await h.server.waitForConnections(1);
    await h.sockets[0]?.end(new Boom('Stream Errored (restart required)', { statusCode: DisconnectReason.restartRequired }));
    await h.server.waitForConnections(2, 2_000);
    expect(h.sockets).toHaveLength(2);
    expect(h.problems).toEqual([]);
  });

  it('on 401 stops reconnecting, clears the dead creds, reports logged_out and the problem', async () => {
    const h = await setup({ mode: 'accept_and_hold', initialMs: 20 });
    await h.server.waitForConnections(1);
    // Linked creds and a signal key in the store, as after pairing.
    h.sockets[0]?.ev.emit('creds.update', { me: { id: '6281111111111:5@s.whatsapp.net' } });
    await h.sockets[0]?.authState.keys.set({ 'pre-key': { '1': { public: Buffer.alloc(32, 1), private: Buffer.alloc(32, 2) } } });
    await waitFor(() => credsRow(h.db) !== undefined, 'creds saved');
    // What Baileys does on a <failure reason="401"> node (or a logout): end the socket with 401.
    await h.sockets[0]?.end(new Boom('Connection Failure', { statusCode: DisconnectReason.loggedOut }));
    await waitFor(() => h.channel.status().state === 'logged_out', 'logged_out status');
    expect(h.problems.map((p) => p.kind)).toEqual(['logged_out']);
    const left = h.db.prepare<[], { n: number }>("SELECT count(*) AS n FROM channel_state WHERE channel = 'whatsapp' AND key LIKE 'auth:%'").get();
    expect(left?.n).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(h.server.connections()).toBe(1);
    expect(h.channel.linking().state).toBe('waiting');

    // An admin asks to link again: a fresh socket with fresh creds.
    h.channel.relink();
    await h.server.waitForConnections(2);
  });

  it('resumes with the stored creds after a restart (no new linking)', async () => {
    const db = openDatabase(':memory:');
    cleanups.push(() => {
    db.close();
  });
    const first = await setup({ mode: 'accept_and_hold', db });
    await first.server.waitForConnections(1);
    // Baileys emits creds.update as it goes (pre-keys, pairing); force one like pairing does.
    first.sockets[0]?.ev.emit('creds.update', { me: { id: '6281111111111:5@s.whatsapp.net', name: 'Kantor' } });
    await waitFor(() => credsRow(db) !== undefined, 'creds saved');
    const noiseKey = first.sockets[0]?.authState.creds.noiseKey.public;
    await first.channel.stop();

    const second = await setup({ mode: 'accept_and_hold', db });
    await second.server.waitForConnections(1);
    const creds = second.sockets[0]?.authState.creds;
    expect(creds?.me?.id).toBe('6281111111111:5@s.whatsapp.net');
    expect(Buffer.from(creds?.noiseKey.public ?? []).equals(Buffer.from(noiseKey ?? []))).toBe(true);
  });

  it('stop() ends the socket and does not reconnect', async () => {
    const h = await setup({ mode: 'accept_and_hold', initialMs: 20 });
    await h.server.waitForConnections(1);
    await h.channel.stop();
    expect(h.channel.status().state).toBe('stopped');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(h.server.connections()).toBe(1);
  });
});
