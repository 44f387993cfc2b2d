/**
 * Outbound: rate limits with an injected clock, numbered quick replies,
 * typing indicator, split texts, files, getMessage for retries, and failures
 * as SendResult values. The socket is a recording stand-in for the two
 * methods sending uses; the proto it returns is built by Baileys' own
 * generateWAMessageFromContent.
 */
import { generateWAMessageFromContent, proto } from '@whiskeysockets/baileys';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { OutboundMessage } from '../../channels/channel.js';
import { createSendLimiter, type LimiterTimers } from '../../channels/whatsapp/limiter.js';
import { createQuickReplyMemory } from '../../channels/whatsapp/quick-replies.js';
import { createWhatsappSender, type SendSocket } from '../../channels/whatsapp/send.js';
import { createSentMessageStore } from '../../channels/whatsapp/sent-messages.js';
import { createStateStore } from '../../channels/whatsapp/state-store.js';
import { createFakeClock } from '../../src/clock.js';
import { openDatabase } from '../../src/store/db.js';

const silent = pino({ level: 'silent' });
const PN = '6281234567890@s.whatsapp.net';
const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

/** Time moves only when a sleep is awaited. */
function fakeTimers(): LimiterTimers & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

describe('whatsapp send limiter', () => {
  it('allows a burst, then paces to the per-minute rate', async () => {
    const timers = fakeTimers();
    const limiter = createSendLimiter({ sendsPerMinute: 20, burst: 3, perChatIntervalMs: 0, maxWaitMs: 60_000 }, timers);
    for (let i = 0; i < 6; i++) await limiter.acquire(`chat-${i}@s.whatsapp.net`);
    // 3 at once, then one every 3 s.
    expect(timers.slept).toEqual([3_000, 3_000, 3_000]);
    expect(timers.now()).toBe(9_000);
  });

  it('spaces sends to one chat without holding back other chats', async () => {
    const timers = fakeTimers();
    const limiter = createSendLimiter({ sendsPerMinute: 0, perChatIntervalMs: 2_000 }, timers);
    expect(limiter.reserve('a')).toEqual({ ok: true, waitMs: 0 });
    expect(limiter.reserve('b')).toEqual({ ok: true, waitMs: 0 });
    expect(limiter.reserve('a')).toEqual({ ok: true, waitMs: 2_000 });
    expect(limiter.reserve('a')).toEqual({ ok: true, waitMs: 4_000 });
  });

  it('refuses (with a retry hint) rather than waiting longer than maxWaitMs, without using up the slot', () => {
    const timers = fakeTimers();
    const limiter = createSendLimiter({ sendsPerMinute: 6, burst: 1, perChatIntervalMs: 0, maxWaitMs: 5_000 }, timers);
    expect(limiter.reserve('a')).toEqual({ ok: true, waitMs: 0 });
    expect(limiter.reserve('b')).toEqual({ ok: false, retryAfterMs: 10_000 });
    expect(limiter.reserve('c')).toEqual({ ok: false, retryAfterMs: 10_000 });
  });

  it('0 turns it off', async () => {
    const timers = fakeTimers();
    const limiter = createSendLimiter({ sendsPerMinute: 0, perChatIntervalMs: 0 }, timers);
    for (let i = 0; i < 100; i++) await limiter.acquire('a');
    expect(timers.slept).toEqual([]);
  });
});

interface RecordedCall {
  readonly kind: 'presence' | 'message';
  readonly jid: string;
  readonly detail: unknown;
}

function textOf(detail: unknown): string {
  return typeof detail === 'object' && detail !== null && 'text' in detail && typeof detail.text === 'string' ? detail.text : '';
}

function recordingSocket(options: { failTimes?: number } = {}): SendSocket & { calls: RecordedCall[] } {
  const calls: RecordedCall[] = [];
  let failures = options.failTimes ?? 0;
  let n = 0;
  return {
    calls,
    async sendPresenceUpdate(type, jid) {
      calls.push({ kind: 'presence', jid: jid ?? '', detail: type });
    },
    async sendMessage(jid, content) {
      if (failures > 0) {
        failures -= 1;
        throw new Error('Connection Closed');
      }
      calls.push({ kind: 'message', jid, detail: content });
      n += 1;
      const text = 'text' in content && typeof content.text === 'string' ? content.text : 'file';
      return generateWAMessageFromContent(jid, proto.Message.fromObject({ conversation: text }), { userJid: '6280000000000@s.whatsapp.net', messageId: `SENT${n}` });
    },
  };
}

function setup(options: { socket?: SendSocket | undefined; typing?: boolean; limiter?: ReturnType<typeof createSendLimiter> } = {}) {
  const db = openDatabase(':memory:');
  cleanups.push(() => db.close());
  const clock = createFakeClock('2026-11-30T01:00:00Z');
  const sent = createSentMessageStore(createStateStore(db, clock), clock);
  const quickReplies = createQuickReplyMemory(clock);
  const sleeps: number[] = [];
  const send = createWhatsappSender({
    socket: () => ('socket' in options ? options.socket : recordingSocket()),
    limiter: options.limiter ?? createSendLimiter({ sendsPerMinute: 0, perChatIntervalMs: 0 }),
    quickReplies,
    sent,
    typing: options.typing === true ? { minMs: 500, maxMs: 2_000, msPerChar: 10 } : null,
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    isStopping: () => false,
    log: silent,
  });
  return { send, sent, quickReplies, sleeps };
}

function outbound(text: string, extra: Partial<OutboundMessage> = {}): OutboundMessage {
  return { conversationExternalId: PN, author: 'bot', text, quickReplies: [], messageId: 1, ...extra };
}

describe('whatsapp sender', () => {
  it('shows typing, sends, pauses, and returns the key id as providerMessageId', async () => {
    const socket = recordingSocket();
    const h = setup({ socket, typing: true });
    const result = await h.send(outbound('Biaya paspor 10 tahun Rp650.000.'));
    expect(result).toEqual({ ok: true, providerMessageId: 'SENT1' });
    expect(socket.calls.map((c) => `${c.kind}:${String(c.kind === 'presence' ? c.detail : '')}`)).toEqual(['presence:composing', 'message:', 'presence:paused']);
    // 32 characters at 10 ms each is under the 500 ms minimum.
    expect(h.sleeps).toEqual([500]);
  });

  it('renders quick replies as numbered options and remembers them for the answer', async () => {
    const socket = recordingSocket();
    const h = setup({ socket });
    await h.send(outbound('Ada yang lain?', { quickReplies: [{ label: 'Ya', payload: 'handoff:yes' }, { label: 'Tidak', payload: 'handoff:no' }] }));
    expect(socket.calls[0]?.detail).toEqual({ text: 'Ada yang lain?\n\n1. Ya\n2. Tidak' });
    expect(h.quickReplies.pick(PN, ' 1. ')).toEqual({ text: 'Ya', payload: 'handoff:yes' });
    // The next message without options ends the menu.
    await h.send(outbound('Baik.', { messageId: 2 }));
    expect(h.quickReplies.pick(PN, '1')).toBeUndefined();
  });

  it('renders staff claim/resolve buttons as the commands staff type', async () => {
    const socket = recordingSocket();
    const h = setup({ socket });
    await h.send(
      outbound('Tiket baru #7', {
        conversationExternalId: '120363000000000001@g.us',
        quickReplies: [{ label: 'Ambil', payload: 'staff:claim:7' }, { label: 'Selesai', payload: 'staff:resolve:7' }],
      }),
    );
    expect(socket.calls[0]?.detail).toEqual({ text: 'Tiket baru #7\n\nAmbil: /ambil 7\nSelesai: /selesai 7' });
  });

  it('keeps what it sent for getMessage (retry requests), as the proto itself', async () => {
    const h = setup();
    await h.send(outbound('Jam layanan 08.00-15.00 WITA.'));
    const stored = await h.sent.getMessage({ remoteJid: PN, id: 'SENT1', fromMe: true });
    expect(stored).toBeInstanceOf(proto.Message);
    expect(stored?.conversation).toBe('Jam layanan 08.00-15.00 WITA.');
    expect(await h.sent.getMessage({ remoteJid: PN, id: 'UNKNOWN', fromMe: true })).toBeUndefined();
  });

  it('while disconnected every send is retryable (the outbox queues it and keeps order)', async () => {
    const h = setup({ socket: undefined });
    expect(await h.send(outbound('halo'))).toMatchObject({ ok: false, kind: 'retryable', error: 'whatsapp not connected' });
  });

  it('a send the limiter would hold too long is retryable with the wait as retryAfterMs', async () => {
    const timers = fakeTimers();
    const limiter = createSendLimiter({ sendsPerMinute: 1, burst: 1, perChatIntervalMs: 0, maxWaitMs: 1_000 }, timers);
    const h = setup({ limiter });
    expect(await h.send(outbound('satu'))).toMatchObject({ ok: true });
    expect(await h.send(outbound('dua', { messageId: 2 }))).toEqual({ ok: false, kind: 'retryable', error: 'send rate limit', retryAfterMs: 60_000 });
  });

  it('resumes a split message after the parts already delivered', async () => {
    // Fails once, on the second part; the retry must not repeat the first.
    const socket = recordingSocket();
    let calls = 0;
    const flaky: SendSocket = {
      sendPresenceUpdate: socket.sendPresenceUpdate,
      async sendMessage(jid, content) {
        calls += 1;
        if (calls === 2) throw new Error('Connection Closed');
        return socket.sendMessage(jid, content);
      },
    };
    const h = setup({ socket: flaky });
    const long = `${'a'.repeat(4000)}\n\n${'b'.repeat(4000)}`;
    expect(await h.send(outbound(long))).toMatchObject({ ok: false, kind: 'retryable' });
    expect(await h.send(outbound(long))).toEqual({ ok: true, providerMessageId: 'SENT2' });
    const texts = socket.calls.map((c) => textOf(c.detail).slice(0, 1));
    expect(texts).toEqual(['a', 'b']);
  });

  it('sends files after the text', async () => {
    const socket = recordingSocket();
    const h = setup({ socket });
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47]);
    const result = await h.send(outbound('Rekap harian', { attachments: [{ kind: 'image', mimeType: 'image/png', fileName: 'rekap.png', data: png }] }));
    expect(result).toMatchObject({ ok: true, providerMessageId: 'SENT2' });
    expect(socket.calls.map((c) => c.detail)).toEqual([{ text: 'Rekap harian' }, { image: Buffer.from(png), mimetype: 'image/png' }]);
  });

  it('rejects what can never be sent as permanent', async () => {
    const h = setup();
    expect(await h.send(outbound('   '))).toMatchObject({ ok: false, kind: 'permanent' });
    expect(await h.send(outbound('halo', { conversationExternalId: 'not-a-jid' }))).toMatchObject({ ok: false, kind: 'permanent' });
  });
});
