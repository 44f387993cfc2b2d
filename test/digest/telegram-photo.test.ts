/**
 * Outbound images end to end: queueOutbound stores the PNG in `attachments`, the outbox
 * loads it and hands it to the channel, and the real telegraf uploads it with sendPhoto
 * (multipart) to the fake Bot API. Channels without outboundMedia get the text alone.
 */
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { OutboundAttachment } from '../../channels/channel.js';
import { createTelegramChannel, type TelegramChannel } from '../../channels/telegram.js';
import { createFakeClock } from '../../src/clock.js';
import { createEventBus } from '../../src/events.js';
import { createOutboxDispatcher } from '../../src/outbox.js';
import { staffTargetConversation } from '../../src/staff-alerts.js';
import { openDatabase } from '../../src/store/db.js';
import { queueOutbound } from '../../src/store/messages.js';
import { createFakeBotApi, failures, type FakeBotApi } from '../fakes/telegram-bot-api.js';
import { createRecordingChannel } from '../fakes/recording-channel.js';

const silent = pino({ level: 'silent' });
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

/** Only the PNG signature and a few bytes: the channel passes the bytes through untouched. */
const PICTURE: OutboundAttachment = {
  kind: 'image',
  mimeType: 'image/png',
  fileName: 'sapa-ringkasan-2026-11-27.png',
  data: new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4, 5]),
};

async function telegram(): Promise<{ fake: FakeBotApi; channel: TelegramChannel }> {
  const fake = await createFakeBotApi({ maxPollWaitMs: 100 });
  cleanups.push(() => fake.close());
  const channel = createTelegramChannel({
    token: fake.token,
    apiRoot: fake.apiRoot,
    sendsPerSecond: 0,
    logger: silent,
    media: { maxBytes: 1_000, allowedMimeTypes: ['image/png'] },
    retryBackoff: { initialMs: 10, maxMs: 40 },
  });
  cleanups.push(() => channel.stop());
  return { fake, channel };
}

describe('telegram outbound images', () => {
  it('sends a short text as the caption of one sendPhoto upload', async () => {
    const { fake, channel } = await telegram();
    const result = await channel.send({ conversationExternalId: '-1005550001', author: 'system', text: 'Ringkasan harian', quickReplies: [], messageId: 1, attachments: [PICTURE] });
    expect(result.ok).toBe(true);
    expect(fake.sent).toEqual([]);
    expect(fake.files).toHaveLength(1);
    expect(fake.files[0]).toMatchObject({ method: 'sendPhoto', chatId: '-1005550001', caption: 'Ringkasan harian', fileName: PICTURE.fileName });
    expect([...fake.files[0]!.data]).toEqual([...PICTURE.data]);
    expect(result).toEqual({ ok: true, providerMessageId: String(fake.files[0]!.messageId) });
  });

  it('sends a text longer than a caption first, then the photo without caption', async () => {
    const { fake, channel } = await telegram();
    const text = `${'Baris ringkasan. '.repeat(80)}`.trim(); // about 1,360 characters
    expect(text.length).toBeGreaterThan(1024);
    const result = await channel.send({ conversationExternalId: '-1005550001', author: 'system', text, quickReplies: [], messageId: 2, attachments: [PICTURE] });
    expect(result.ok).toBe(true);
    expect(fake.sent.map((m) => m.text)).toEqual([text]);
    expect(fake.files.map((f) => [f.method, f.caption])).toEqual([['sendPhoto', undefined]]);
    expect(fake.calls.map((c) => c.method)).toEqual(['sendMessage', 'sendPhoto']);
  });

  it('a retry after a failed upload resumes at the photo, not the text', async () => {
    const { fake, channel } = await telegram();
    const message = { conversationExternalId: '-1005550001', author: 'system' as const, text: 'x'.repeat(1500), quickReplies: [], messageId: 3, attachments: [PICTURE] };
    fake.failNext('sendPhoto', failures.serverError());
    expect((await channel.send(message)).ok).toBe(false);
    expect((await channel.send(message)).ok).toBe(true);
    expect(fake.sent).toHaveLength(1);
    expect(fake.files).toHaveLength(1);
  });

  it('queueOutbound -> outbox -> sendPhoto reaches the fake Bot API', async () => {
    const { fake, channel } = await telegram();
    const db = openDatabase(':memory:');
    cleanups.push(() => {
      db.close();
    });
    const clock = createFakeClock('2026-11-28T23:00:00Z');
    const conversationId = staffTargetConversation(db, { channel: 'telegram', externalId: '-1005550001', audience: 'supervisor' }, clock.now());
    const messageId = queueOutbound(db, { conversationId, author: 'system', text: '📊 Ringkasan SAPA', attachments: [PICTURE] }, clock.now());
    expect(db.prepare('SELECT kind, mime_type, file_name, size_bytes FROM attachments WHERE message_id = ?').get(messageId)).toEqual({
      kind: 'image',
      mime_type: 'image/png',
      file_name: PICTURE.fileName,
      size_bytes: PICTURE.data.byteLength,
    });
    const outbox = createOutboxDispatcher({ db, clock, channels: () => [channel], logger: silent, bus: createEventBus(() => undefined) });
    expect(await outbox.runOnce()).toBe(1);
    expect(fake.files.map((f) => [f.chatId, f.caption, f.data.byteLength])).toEqual([['-1005550001', '📊 Ringkasan SAPA', PICTURE.data.byteLength]]);
    expect(db.prepare('SELECT delivery_status, external_id FROM messages WHERE id = ?').get(messageId)).toEqual({
      delivery_status: 'sent',
      external_id: String(fake.files[0]!.messageId),
    });
  });

  it('a channel without outboundMedia receives the text only', async () => {
    const db = openDatabase(':memory:');
    cleanups.push(() => {
      db.close();
    });
    const clock = createFakeClock('2026-11-28T23:00:00Z');
    const textOnly = createRecordingChannel('instagram', { outboundMedia: false });
    const conversationId = staffTargetConversation(db, { channel: 'instagram', externalId: 'thread-1', audience: 'supervisor' }, clock.now());
    queueOutbound(db, { conversationId, author: 'system', text: 'Ringkasan', attachments: [PICTURE] }, clock.now());
    const outbox = createOutboxDispatcher({ db, clock, channels: () => [textOnly], logger: silent, bus: createEventBus(() => undefined) });
    await outbox.runOnce();
    expect(textOnly.sent).toHaveLength(1);
    expect(textOnly.sent[0]?.text).toBe('Ringkasan');
    expect(textOnly.sent[0]?.attachments).toBeUndefined();
  });
});
