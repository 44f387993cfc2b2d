/**
 * Parts of the Meta adapter on their own: the webhook with a recording sink (a batch
 * stored only in part answers 500 and its redelivery stores the rest once), message
 * planning (13 quick replies, 20-character titles, numbered options, Instagram's byte
 * limit), and the 24-hour window rule.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { createMetaChannel, createMetaWebhook, signBody, type MetaChannel } from '../../channels/meta.js';
import { INSTAGRAM_LIMITS, MESSENGER_LIMITS, cutTitle, planMessage } from '../../channels/meta/outbound.js';
import { decideWindow } from '../../channels/meta/window.js';
import { createFakeClock } from '../../src/clock.js';
import { createFakeGraphApi, type FakeGraphApi } from '../fakes/meta-graph-api.js';
import { createRecordingSink } from '../fakes/recording-sink.js';

const SECRET = 'd41d8cd98f00b204e9800998ecf8427e';
const PAGE_ID = '104522119123456';
const TOKEN = 'EAAGm0PX4ZCpsBAFakePageToken1234567890';
const logger = pino({ level: 'silent' });
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function setup(): Promise<{ graph: FakeGraphApi; channel: MetaChannel }> {
  const graph = await createFakeGraphApi({ version: 'v25.0', accountId: PAGE_ID, token: TOKEN });
  cleanups.push(() => graph.close());
  const clock = createFakeClock('2026-11-30T01:00:00Z');
  const channel = createMetaChannel({
    kind: 'messenger',
    accountId: PAGE_ID,
    accessToken: TOKEN,
    apiRoot: graph.apiRoot,
    apiVersion: 'v25.0',
    humanAgentTag: false,
    lastInboundAt: () => clock.now(),
    media: { maxBytes: 1000, allowedMimeTypes: ['image/jpeg'] },
    logger,
    clock,
  });
  return { graph, channel };
}

const message = (psid: string, mid: string, text: string) => ({
  sender: { id: psid },
  recipient: { id: PAGE_ID },
  timestamp: 1_796_000_000_000,
  message: { mid, text },
});

describe('Meta webhook with a recording sink', () => {
  it('answers 500 when a message of the batch could not be stored, and the redelivered batch stores each message once', async () => {
    const { channel } = await setup();
    const sink = createRecordingSink();
    const webhook = createMetaWebhook({ appSecret: SECRET, verifyToken: 'sapa-kupang-verify', targets: [channel], logger });
    const raw = Buffer.from(JSON.stringify({ object: 'page', entry: [{ id: PAGE_ID, time: 1_796_000_000_000, messaging: [message('71', 'm_a', 'satu'), message('71', 'm_b', 'dua')] }] }));
    // Before start(): Meta is asked to come back later.
    expect(await webhook.receive(raw, signBody(SECRET, raw))).toEqual({ status: 503 });
    await channel.start(sink);
    // The database fails on the second message ("crash" between the first store and the 200).
    let calls = 0;
    const failing = { accept: (m: Parameters<typeof sink.accept>[0]) => (++calls === 2 ? Promise.reject(new Error('disk I/O error')) : sink.accept(m)) };
    const channel2 = await setup();
    await channel2.channel.start(failing);
    const webhook2 = createMetaWebhook({ appSecret: SECRET, verifyToken: 'sapa-kupang-verify', targets: [channel2.channel], logger });
    expect(await webhook2.receive(raw, signBody(SECRET, raw))).toEqual({ status: 500 });
    expect(sink.stored.map((m) => m.externalId)).toEqual(['m_a']);
    expect(await webhook2.receive(raw, signBody(SECRET, raw))).toEqual({ status: 200 });
    expect(sink.stored.map((m) => m.externalId)).toEqual(['m_a', 'm_b']);
    expect(sink.attempts.map((m) => m.externalId)).toEqual(['m_a', 'm_a', 'm_b']);
    // Entries of another page subscribed to the same app are acknowledged and dropped.
    const other = Buffer.from(JSON.stringify({ object: 'page', entry: [{ id: '999999999', time: 1, messaging: [message('72', 'm_c', 'tiga')] }] }));
    expect(await webhook2.receive(other, signBody(SECRET, other))).toEqual({ status: 200 });
    expect(sink.stored.map((m) => m.externalId)).toEqual(['m_a', 'm_b']);
  });

  it('maps a numbered answer back to the option when more than 13 were offered', async () => {
    const { graph, channel } = await setup();
    const sink = createRecordingSink();
    await channel.start(sink);
    const options = Array.from({ length: 14 }, (_, i) => ({ label: `Topik nomor ${i + 1}`, payload: `intent:t${i + 1}` }));
    expect(await channel.send({ conversationExternalId: '73', author: 'bot', text: 'Pilih topik:', quickReplies: options, messageId: 1 })).toMatchObject({ ok: true });
    const sent = graph.sent()[0]!;
    expect(sent.body.message?.quick_replies).toBeUndefined();
    expect(sent.body.message?.text).toContain('14. Topik nomor 14');
    await channel.handleEvent({ kind: 'message', object: 'page', accountId: PAGE_ID, timestamp: 1_796_000_000_000, senderId: '73', mid: 'm_n', text: '14', attachments: [], unsupported: false });
    expect(sink.stored[0]).toMatchObject({ text: 'Topik nomor 14', quickReplyPayload: 'intent:t14' });
  });
});

describe('Meta message planning and the window', () => {
  it('keeps up to 13 quick replies as buttons with titles of at most 20 characters, on the last part', () => {
    const replies = Array.from({ length: 13 }, (_, i) => ({ label: i === 0 ? 'Persyaratan paspor baru dewasa' : `T${i}`, payload: `intent:x${i}` }));
    const plan = planMessage('a'.repeat(2500), replies, MESSENGER_LIMITS);
    expect(plan.parts).toHaveLength(2);
    expect(plan.parts[0]?.quick_replies).toBeUndefined();
    expect(plan.parts[1]?.quick_replies).toHaveLength(13);
    expect(plan.parts[1]?.quick_replies?.[0]).toEqual({ content_type: 'text', title: 'Persyaratan paspor…', payload: 'intent:x0' });
    expect(Array.from(cutTitle('🙂'.repeat(30)))).toHaveLength(20);
  });

  it('splits Instagram text below 1,000 bytes of UTF-8', () => {
    const text = 'Pengurusan paspor 🛂 '.repeat(120);
    const plan = planMessage(text, [], INSTAGRAM_LIMITS);
    expect(plan.parts.length).toBeGreaterThan(2);
    for (const part of plan.parts) expect(Buffer.byteLength(part.text, 'utf8')).toBeLessThanOrEqual(1000);
    expect(plan.parts.map((p) => p.text).join(' ').replace(/\s+/g, ' ').trim()).toBe(text.replace(/\s+/g, ' ').trim());
  });

  it('answers inside 24 hours, tags an officer up to 7 days only when allowed, and refuses beyond', () => {
    const at = new Date('2026-11-30T01:00:00Z');
    const after = (hours: number): Date => new Date(at.getTime() + hours * 3_600_000);
    const base = { lastInboundAt: at, humanAgentTag: true, label: 'Messenger' } as const;
    expect(decideWindow({ ...base, now: after(23.9), author: 'bot' })).toEqual({ ok: true, fields: { messaging_type: 'RESPONSE' } });
    expect(decideWindow({ ...base, now: after(25), author: 'bot' })).toMatchObject({ ok: false });
    expect(decideWindow({ ...base, now: after(25), author: 'staff' })).toEqual({ ok: true, fields: { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' } });
    expect(decideWindow({ ...base, humanAgentTag: false, now: after(25), author: 'staff' })).toMatchObject({ ok: false });
    expect(decideWindow({ ...base, now: after(24 * 7 + 1), author: 'staff' })).toMatchObject({ ok: false });
    expect(decideWindow({ ...base, lastInboundAt: null, now: at, author: 'bot' })).toMatchObject({ ok: false });
  });
});
