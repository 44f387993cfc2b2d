/**
 * The real telegraf against a fake Bot API server on loopback.
 * No sleeps as assertions: conditions are polled with a bounded waitFor.
 */
import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { Update } from 'telegraf/types';
import { createSendLimiter, createTelegramChannel } from '../../channels/telegram.js';
import type { SendLimiterTimers, TelegramChannel, TelegramChannelOptions } from '../../channels/telegram.js';
import type { InboundMessage, OutboundMessage } from '../../channels/channel.js';
import { createFakeBotApi, failures } from '../fakes/telegram-bot-api.js';
import type { FakeBotApi } from '../fakes/telegram-bot-api.js';
import { createRecordingSink } from '../fakes/recording-sink.js';
import type { RecordingSink, RecordingSinkOptions } from '../fakes/recording-sink.js';

async function waitFor(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Captures every log line so tests can check what reaches info level. */
function createCapturedLogger(): { logger: pino.Logger; lines: () => { level: number; raw: string }[] } {
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      raw.push(chunk.toString('utf8'));
      callback();
    },
  });
  const logger = pino({ level: 'trace' }, stream);
  return {
    logger,
    lines: () =>
      raw
        .join('')
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => ({ level: (JSON.parse(l) as { level: number }).level, raw: l })),
  };
}

interface Harness {
  fake: FakeBotApi;
  sink: RecordingSink;
  channel: TelegramChannel;
  logs: ReturnType<typeof createCapturedLogger>;
}

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function setup(
  overrides: Partial<TelegramChannelOptions> = {},
  sinkOptions: RecordingSinkOptions = {},
  fakeOptions: { maxPollWaitMs?: number } = {},
): Promise<Harness> {
  const fake = await createFakeBotApi({ maxPollWaitMs: fakeOptions.maxPollWaitMs ?? 200 });
  cleanups.push(() => fake.close());
  const logs = createCapturedLogger();
  const sink = createRecordingSink(sinkOptions);
  const channel = createTelegramChannel({
    token: fake.token,
    apiRoot: fake.apiRoot,
    sendsPerSecond: 0,
    logger: logs.logger,
    media: { maxBytes: 1_000, allowedMimeTypes: ['image/jpeg', 'application/pdf'] },
    retryBackoff: { initialMs: 10, maxMs: 40 },
    pollTimeoutSeconds: 1,
    ...overrides,
  });
  cleanups.push(() => channel.stop());
  return { fake, sink, channel, logs };
}

function outbound(chatId: number, text: string, extra: Partial<OutboundMessage> = {}): OutboundMessage {
  return { conversationExternalId: String(chatId), author: 'bot', text, quickReplies: [], messageId: 1, ...extra };
}

const storedFor = (sink: RecordingSink, update: Update): InboundMessage | undefined =>
  sink.stored.find((m) => 'message' in update && m.externalId === `${update.message.chat.id}:${update.message.message_id}`);

describe('telegram channel: polling intake', () => {
  it('delivers text, /start, captions, button presses and other media to the sink, in order', async () => {
    const { fake, sink, channel } = await setup();
    fake.addFile({ fileId: 'photo-big', content: new Uint8Array(600).fill(7) });
    const text = fake.build.text(5001, 'Berapa biaya paspor?', { firstName: 'Maria', username: 'maria_k' });
    const start = fake.build.text(5001, '/start');
    const photo = fake.build.photo(
      5001,
      [
        { fileId: 'photo-small', bytes: 100 },
        { fileId: 'photo-big', bytes: 600 },
      ],
      'Ini bukti bayar saya',
    );
    const press = fake.build.callback(5001, 'topic:biaya');
    const sticker = fake.build.sticker(5001);
    const voice = fake.build.voice(5001);
    const location = fake.build.location(5001);
    fake.enqueue(text, start, photo, press, sticker, voice, location);

    await channel.start(sink);
    expect(channel.status().state).toBe('connected');
    await waitFor(() => sink.stored.length === 7, '7 stored messages');

    const [m1, m2, m3, m4, m5, m6, m7] = sink.stored;
    expect(m1).toMatchObject({
      channel: 'telegram',
      externalId: `5001:${'message' in text ? text.message.message_id : ''}`,
      conversationExternalId: '5001',
      sender: { externalId: '5001', displayName: 'Maria', username: 'maria_k' },
      text: 'Berapa biaya paspor?',
      attachments: [],
    });
    expect(m1?.receivedAt).toBeInstanceOf(Date);
    expect(m2?.text).toBe('/start');
    expect(m3?.text).toBe('Ini bukti bayar saya');
    expect(m3?.attachments[0]).toMatchObject({ kind: 'image', mimeType: 'image/jpeg', providerRef: 'photo-big', sizeBytes: 600 });
    expect(m3?.attachments[0]?.data?.byteLength).toBe(600);
    expect(m4).toMatchObject({
      externalId: `cb:${'callback_query' in press ? press.callback_query.id : ''}`,
      conversationExternalId: '5001',
      text: 'topic:biaya',
      quickReplyPayload: 'topic:biaya',
    });
    expect(m5).toMatchObject({ text: '', attachments: [{ kind: 'sticker', providerRef: 'sticker-1' }] });
    expect(m6).toMatchObject({ text: '', attachments: [{ kind: 'voice' }] });
    expect(m7).toMatchObject({ text: '', attachments: [{ kind: 'location' }] });

    // The button press was answered (spinner removed) after it was stored.
    await waitFor(() => fake.callsOf('answerCallbackQuery').length === 1, 'answerCallbackQuery');
    await waitFor(() => fake.isConfirmed(location.update_id), 'batch confirmed');
  });

  it('confirms an update only after accept() resolved', async () => {
    const { fake, sink, channel } = await setup();
    const gate = sink.hold();
    const update = fake.build.text(5002, 'halo');
    fake.enqueue(update);
    await channel.start(sink);

    await waitFor(() => sink.waiting() === 1, 'accept() called and waiting');
    const pollsWhileStoring = fake.callsOf('getUpdates').length;
    expect(fake.isConfirmed(update.update_id)).toBe(false);

    gate.release();
    await waitFor(() => fake.isConfirmed(update.update_id), 'update confirmed after the store');
    // The confirming call is the first poll after the store, not one made while storing.
    expect(fake.callsOf('getUpdates').length).toBeGreaterThan(pollsWhileStoring);
    expect(sink.stored).toHaveLength(1);
  });

  it('redelivers an update whose accept() failed instead of losing it, and keeps polling', async () => {
    const confirmedAtAttempt: boolean[] = [];
    let fake: FakeBotApi | undefined;
    let first: Update | undefined;
    const h = await setup({}, {
      onAttempt: (m) => {
        if (fake !== undefined && first !== undefined && 'message' in first && m.externalId.endsWith(`:${first.message.message_id}`)) {
          confirmedAtAttempt.push(fake.isConfirmed(first.update_id));
        }
      },
    });
    fake = h.fake;
    const { sink, channel } = h;
    const exitCodeBefore = process.exitCode;
    first = fake.build.text(5003, 'pesan pertama');
    const second = fake.build.text(5003, 'pesan kedua');
    sink.failNext(2);
    fake.enqueue(first, second);

    await channel.start(sink);
    await waitFor(() => sink.stored.length === 2, 'both stored after retries');

    // Two failed attempts and one success, and at none of them was it confirmed.
    expect(confirmedAtAttempt).toEqual([false, false, false]);
    expect(sink.stored.map((m) => m.text)).toEqual(['pesan pertama', 'pesan kedua']);
    // The second update was never attempted before the first was stored (order kept).
    expect(sink.attempts.map((m) => m.text)).toEqual(['pesan pertama', 'pesan pertama', 'pesan pertama', 'pesan kedua']);
    await waitFor(() => fake?.isConfirmed(second.update_id) === true, 'second confirmed');
    expect(channel.status().state).toBe('connected');
    // telegraf's default error handler would have set exitCode = 1 and printed the update.
    expect(process.exitCode).toBe(exitCodeBefore);
  });

  it('reports a failing store as reconnecting and recovers once it stores again', async () => {
    const { fake, sink, channel } = await setup();
    sink.failNext(1_000);
    const update = fake.build.text(5008, 'tolong dibantu');
    fake.enqueue(update);
    await channel.start(sink);
    await waitFor(() => channel.status().state === 'reconnecting' && sink.attempts.length >= 3, 'several failed attempts');
    const status = channel.status();
    expect(status.state === 'reconnecting' && status.reason).toMatch(/storing an update/);
    expect(fake.isConfirmed(update.update_id)).toBe(false);

    sink.clearFailures();
    await waitFor(() => sink.stored.length === 1, 'stored once the sink works');
    await waitFor(() => channel.status().state === 'connected', 'connected again');
    await waitFor(() => fake.isConfirmed(update.update_id), 'confirmed');
  });

  it('hands a repeated update id to the sink once', async () => {
    const { fake, sink, channel } = await setup();
    const update = fake.build.text(5004, 'jam buka kantor?');
    const next = fake.build.text(5004, 'terima kasih');
    fake.enqueue(update, update, next);
    await channel.start(sink);
    await waitFor(() => fake.isConfirmed(next.update_id), 'batch confirmed');
    expect(sink.attempts.map((m) => m.text)).toEqual(['jam buka kantor?', 'terima kasih']);
  });

  it('reports polling failures as reconnecting and recovers', async () => {
    const { fake, sink, channel } = await setup();
    await channel.start(sink);
    fake.failNext('getUpdates', failures.serverError(), 1_000);
    await waitFor(() => channel.status().state === 'reconnecting', 'status reconnecting');
    const status = channel.status();
    expect(status.state === 'reconnecting' && status.reason).toMatch(/polling/);

    fake.clearFailures();
    const update = fake.build.text(5005, 'masih ada?');
    fake.enqueue(update);
    await waitFor(() => sink.stored.length === 1, 'stored after recovery');
    expect(channel.status().state).toBe('connected');
  });

  it('resolves start() without throwing when the token is rejected, and says so in status', async () => {
    const { fake, sink } = await setup();
    const bad = createTelegramChannel({
      token: '999:wrong',
      apiRoot: fake.apiRoot,
      sendsPerSecond: 0,
      logger: pino({ level: 'silent' }),
      media: { maxBytes: 1_000, allowedMimeTypes: [] },
      retryBackoff: { initialMs: 10, maxMs: 40 },
    });
    cleanups.push(() => bad.stop());
    await bad.start(sink);
    expect(bad.status()).toMatchObject({ state: 'needs_attention', action: expect.stringMatching(/TELEGRAM_BOT_TOKEN/) });
  });

  it('ignores group messages unless they come from the staff group with a handler', async () => {
    const seen: number[] = [];
    const { fake, sink, channel } = await setup({
      staffChatId: '-100200',
      onGroupUpdate: async (update) => {
        seen.push(update.update_id);
      },
    });
    const other = fake.build.groupText(-100999, 'spam');
    const staff = fake.build.groupText(-100200, '/tiket 12');
    const applicant = fake.build.text(5006, 'halo');
    fake.enqueue(other, staff, applicant);
    await channel.start(sink);
    await waitFor(() => fake.isConfirmed(applicant.update_id), 'batch confirmed');
    expect(seen).toEqual([staff.update_id]);
    expect(sink.stored.map((m) => m.text)).toEqual(['halo']);
  });

  it('stops promptly while a long poll is open', async () => {
    const { fake, sink, channel } = await setup({ pollTimeoutSeconds: 30 }, {}, { maxPollWaitMs: 20_000 });
    await channel.start(sink);
    await waitFor(() => fake.callsOf('getUpdates').length >= 1, 'a long poll is open');

    const began = performance.now();
    await channel.stop();
    expect(performance.now() - began).toBeLessThan(1_000);
    expect(channel.status().state).toBe('stopped');
    const pollsAfterStop = fake.callsOf('getUpdates').length;
    fake.enqueue(fake.build.text(5007, 'setelah berhenti'));
    // Give a (wrongly) running loop the chance to poll, bounded: it must not take the update.
    await expect(waitFor(() => sink.attempts.length > 0, 'no intake after stop', 300)).rejects.toThrow(/timed out/);
    expect(fake.callsOf('getUpdates').length).toBe(pollsAfterStop);
    await expect(channel.start(sink)).rejects.toThrow(/create a new one/);
  });

  it('stops during a backoff wait without waiting it out', async () => {
    const { fake, sink, channel } = await setup({ retryBackoff: { initialMs: 60_000, maxMs: 60_000 } });
    fake.failNext('getMe', failures.serverError());
    await channel.start(sink);
    expect(channel.status().state).toBe('reconnecting');
    const began = performance.now();
    await channel.stop();
    expect(performance.now() - began).toBeLessThan(1_000);
    expect(channel.status().state).toBe('stopped');
  });
});

describe('telegram channel: media', () => {
  it('downloads a document within the limit and keeps too-big or wrong-type files without data', async () => {
    const { fake, sink, channel } = await setup();
    fake.addFile({ fileId: 'doc-ok', content: new Uint8Array(900).fill(1) });
    fake.addFile({ fileId: 'doc-big', content: new Uint8Array(5_000).fill(2) });
    fake.addFile({ fileId: 'doc-zip', content: new Uint8Array(10).fill(3) });
    fake.addFile({ fileId: 'photo-huge', content: new Uint8Array(2_000).fill(4) });
    const ok = fake.build.document(5010, { fileId: 'doc-ok', bytes: 900, mimeType: 'application/pdf', fileName: 'kk.pdf' }, 'KK saya');
    const big = fake.build.document(5010, { fileId: 'doc-big', bytes: 5_000, mimeType: 'application/pdf', fileName: 'scan.pdf' });
    const zip = fake.build.document(5010, { fileId: 'doc-zip', bytes: 10, mimeType: 'application/zip', fileName: 'x.zip' });
    const hugePhoto = fake.build.photo(5010, [{ fileId: 'photo-huge', bytes: 2_000 }]);
    fake.enqueue(ok, big, zip, hugePhoto);
    await channel.start(sink);
    await waitFor(() => sink.stored.length === 4, '4 stored');

    const okMsg = storedFor(sink, ok);
    expect(okMsg?.text).toBe('KK saya');
    expect(okMsg?.attachments[0]).toMatchObject({ kind: 'document', mimeType: 'application/pdf', fileName: 'kk.pdf', sizeBytes: 900 });
    expect(okMsg?.attachments[0]?.data).toEqual(new Uint8Array(900).fill(1));

    const bigAttachment = storedFor(sink, big)?.attachments[0];
    expect(bigAttachment).toMatchObject({ kind: 'document', sizeBytes: 5_000, providerRef: 'doc-big' });
    expect(bigAttachment?.data).toBeUndefined();

    const zipAttachment = storedFor(sink, zip)?.attachments[0];
    expect(zipAttachment).toMatchObject({ kind: 'document', mimeType: 'application/zip' });
    expect(zipAttachment?.data).toBeUndefined();

    const photoAttachment = storedFor(sink, hugePhoto)?.attachments[0];
    expect(photoAttachment).toMatchObject({ kind: 'image', sizeBytes: 2_000 });
    expect(photoAttachment?.data).toBeUndefined();

    // Rejected files were never fetched.
    expect(fake.downloads).toEqual(['documents/doc-ok.bin']);
  });
});

describe('telegram channel: webhook', () => {
  const webhook = { url: 'https://sapa.example/telegram/webhook', secretToken: 'rahasia_webhook-123' };

  it('sets the webhook with the secret and answers 401 to a wrong or missing secret', async () => {
    const { fake, sink, channel } = await setup({ webhook });
    expect(channel.mode).toBe('webhook');
    const update = fake.build.text(5020, 'halo dari webhook');
    // Before start(): not ready to store.
    expect(await channel.handleWebhook(update, webhook.secretToken)).toEqual({ status: 503 });

    await channel.start(sink);
    expect(fake.webhook()).toEqual({ url: webhook.url, secretToken: webhook.secretToken });
    expect(channel.status()).toMatchObject({ state: 'connected', detail: 'webhook' });

    expect(await channel.handleWebhook(update, 'salah')).toEqual({ status: 401 });
    expect(await channel.handleWebhook(update, undefined)).toEqual({ status: 401 });
    expect(sink.attempts).toHaveLength(0);

    expect(await channel.handleWebhook(update, webhook.secretToken)).toEqual({ status: 200 });
    expect(sink.stored.map((m) => m.text)).toEqual(['halo dari webhook']);
    // A redelivery (Telegram did not see our 200) is answered once.
    expect(await channel.handleWebhook(update, webhook.secretToken)).toEqual({ status: 200 });
    expect(sink.attempts).toHaveLength(1);
  });

  it('acknowledges malformed updates with the right secret (logged), so they are not delivered forever', async () => {
    const { fake, sink, channel, logs } = await setup({ webhook });
    await channel.start(sink);
    const good = fake.build.text(5030, 'halo') as unknown as { message: Record<string, unknown> };
    const poison: unknown[] = [
      '{"update_id": 5031, "message": ',
      'not json at all',
      { hello: 'world' },
      [1, 2, 3],
      { update_id: 'x' },
      { update_id: 5032, message: { ...good.message, chat: undefined } },
      { update_id: 5033, message: { ...good.message, text: 42 } },
      { update_id: 5034, message: { ...good.message, from: undefined } },
      { update_id: 5035, message: { ...good.message, photo: 'no' } },
      { update_id: 5036, callback_query: { id: 7, from: { id: 1 } } },
    ];
    for (const body of poison) {
      expect(await channel.handleWebhook(body, webhook.secretToken), JSON.stringify(body)).toEqual({ status: 200 });
    }
    // Without the secret, a malformed body is still refused.
    expect(await channel.handleWebhook('not json at all', 'salah')).toEqual({ status: 401 });
    expect(sink.attempts).toHaveLength(0);
    expect(logs.lines().filter((l) => l.level === 40 && /malformed .*update acknowledged/.test(l.raw))).toHaveLength(poison.length);
    // The raw text of a good update (as the route hands it over) is stored.
    expect(await channel.handleWebhook(JSON.stringify(good), webhook.secretToken)).toEqual({ status: 200 });
    expect(sink.stored.map((m) => m.text)).toEqual(['halo']);
  });

  it('asks getMe once: not again when setting the webhook is retried, nor per update', async () => {
    const { fake, sink, channel } = await setup({ webhook });
    fake.failNext('setWebhook', failures.serverError(), 2);
    await channel.start(sink);
    await waitFor(() => fake.webhook() !== undefined, 'the webhook to be set');
    for (let i = 0; i < 3; i += 1) {
      expect(await channel.handleWebhook(fake.build.text(5040 + i, `halo ${i}`), webhook.secretToken)).toEqual({ status: 200 });
    }
    expect(fake.callsOf('setWebhook')).toHaveLength(3);
    expect(fake.callsOf('getMe')).toHaveLength(1);
  });

  it('answers 500 when the store fails, so Telegram delivers again', async () => {
    const { fake, sink, channel } = await setup({ webhook });
    await channel.start(sink);
    const update = fake.build.text(5021, 'coba lagi');
    sink.failNext(1);
    expect(await channel.handleWebhook(update, webhook.secretToken)).toEqual({ status: 500 });
    expect(await channel.handleWebhook(update, webhook.secretToken)).toEqual({ status: 200 });
    expect(sink.stored).toHaveLength(1);
  });

  it('answers 404 in polling mode', async () => {
    const { fake, channel } = await setup();
    expect(await channel.handleWebhook(fake.build.text(1, 'x'), 'anything')).toEqual({ status: 404 });
  });
});

describe('telegram channel: send', () => {
  it('sends quick replies as an inline keyboard and maps long payloads back', async () => {
    const { fake, sink, channel } = await setup();
    await channel.start(sink);
    const longPayload = `intent:perpanjangan_paspor:${'x'.repeat(80)}`;
    const result = await channel.send(
      outbound(5030, 'Pilih topik:', {
        quickReplies: [
          { label: 'Biaya', payload: 'topic:biaya' },
          { label: 'Perpanjangan paspor', payload: longPayload },
        ],
      }),
    );
    expect(result).toEqual({ ok: true, providerMessageId: String(fake.sent[0]?.messageId) });
    const markup = fake.sent[0]?.replyMarkup as { inline_keyboard: { text: string; callback_data: string }[][] };
    expect(markup.inline_keyboard.map((row) => row.map((b) => b.text))).toEqual([['Biaya'], ['Perpanjangan paspor']]);
    const data = markup.inline_keyboard.flat().map((b) => b.callback_data);
    expect(data[0]).toBe('topic:biaya');
    for (const d of data) expect(Buffer.byteLength(d)).toBeLessThanOrEqual(64);

    // The applicant presses the long one: the core gets the original payload.
    fake.enqueue(fake.build.callback(5030, data[1] ?? '', markup.inline_keyboard));
    await waitFor(() => sink.stored.length === 1, 'button press stored');
    expect(sink.stored[0]).toMatchObject({ text: longPayload, quickReplyPayload: longPayload });

    // After a restart the token is unknown; the button's label stands in for it.
    const { sink: sink2, channel: restarted, fake: fake2 } = await setup();
    await restarted.start(sink2);
    fake2.enqueue(fake2.build.callback(5030, data[1] ?? '', markup.inline_keyboard));
    await waitFor(() => sink2.stored.length === 1, 'press after restart stored');
    expect(sink2.stored[0]?.text).toBe('Perpanjangan paspor');
  });

  it('maps 429 to retryable with retry_after, 403 and chat-not-found to permanent, 5xx and network errors to retryable', async () => {
    const { fake, channel } = await setup();
    fake.failNext('sendMessage', failures.tooManyRequests(7));
    expect(await channel.send(outbound(5031, 'a'))).toMatchObject({ ok: false, kind: 'retryable', retryAfterMs: 7_000 });

    fake.failNext('sendMessage', failures.blocked());
    expect(await channel.send(outbound(5031, 'b'))).toMatchObject({ ok: false, kind: 'permanent', error: expect.stringMatching(/403/) });

    fake.failNext('sendMessage', failures.chatNotFound());
    expect(await channel.send(outbound(5031, 'c'))).toMatchObject({ ok: false, kind: 'permanent', error: expect.stringMatching(/chat not found/) });

    fake.failNext('sendMessage', failures.serverError());
    expect(await channel.send(outbound(5031, 'd'))).toMatchObject({ ok: false, kind: 'retryable' });

    fake.failNext('sendMessage', failures.dropConnection());
    expect(await channel.send(outbound(5031, 'e'))).toMatchObject({ ok: false, kind: 'retryable' });

    expect(await channel.send(outbound(5031, 'f'))).toMatchObject({ ok: true });
    expect(fake.sent.map((m) => m.text)).toEqual(['f']);
  });

  function longText(): string {
    // 18 paragraphs of 498 chars + separators: 9,000 chars.
    const paragraphs = Array.from({ length: 18 }, (_, i) => `P${String(i).padStart(2, '0')} ${'kata '.repeat(99)}`.slice(0, 498));
    const text = paragraphs.join('\n\n');
    expect(text.length).toBe(18 * 498 + 17 * 2);
    return text.padEnd(9_000, '.');
  }

  it('splits a 9,000-char text into 3 parts on paragraph boundaries, in order', async () => {
    const { fake, channel } = await setup();
    const text = longText();
    expect(text.length).toBe(9_000);
    const result = await channel.send(outbound(5032, text, { quickReplies: [{ label: 'Lainnya', payload: 'more' }] }));

    const parts = fake.sentTo(5032);
    expect(parts).toHaveLength(3);
    for (const part of parts) expect(part.text.length).toBeLessThanOrEqual(4_096);
    // Each part starts a paragraph and the parts, rejoined, are the text.
    for (const part of parts) expect(part.text).toMatch(/^P\d\d /);
    expect(parts.map((p) => p.text).join('\n\n')).toBe(text);
    // Only the last part carries the buttons; its id is the message's id.
    expect(parts.map((p) => p.replyMarkup !== undefined)).toEqual([false, false, true]);
    expect(result).toEqual({ ok: true, providerMessageId: String(parts[2]?.messageId) });
  });

  it('resumes a split message after the part that failed', async () => {
    const { fake, channel } = await setup();
    const text = longText();
    fake.failNext('sendMessage', failures.tooManyRequests(1), 1, { skip: 1 });
    const message = outbound(5033, text, { messageId: 42 });
    expect(await channel.send(message)).toMatchObject({ ok: false, kind: 'retryable', retryAfterMs: 1_000 });
    expect(fake.sentTo(5033)).toHaveLength(1);

    const retried = await channel.send(message);
    const parts = fake.sentTo(5033);
    expect(parts).toHaveLength(3);
    expect(parts.map((p) => p.text).join('\n\n')).toBe(text);
    expect(retried).toEqual({ ok: true, providerMessageId: String(parts[2]?.messageId) });
  });

  it('goes through the limiter: a third send at 2 per second completes no earlier than 500 ms', async () => {
    const { fake, channel } = await setup({ sendsPerSecond: 2, perChatIntervalMs: 0 });
    const began = performance.now();
    const results = await Promise.all([1, 2, 3].map((n) => channel.send(outbound(6000 + n, `g${n}`, { messageId: n }))));
    // A lower bound measured by the caller holds however slow the machine is.
    expect(performance.now() - began).toBeGreaterThanOrEqual(490);
    expect(results.every((r) => r.ok)).toBe(true);
    expect(fake.sent).toHaveLength(3);
  });
});

describe('send limiter', () => {
  function fakeTimers(): { timers: SendLimiterTimers; waits: number[]; advance(ms: number): void } {
    let now = 1_000;
    const waits: number[] = [];
    return {
      waits,
      advance: (ms) => {
        now += ms;
      },
      timers: {
        now: () => now,
        sleep: async (ms) => {
          waits.push(ms);
        },
      },
    };
  }

  it('bursts up to one second of the overall rate, then spaces sends evenly', async () => {
    const clock = fakeTimers();
    const limiter = createSendLimiter({ sendsPerSecond: 2, perChatIntervalMs: 0 }, clock.timers);
    for (const chat of ['a', 'b', 'c', 'd']) await limiter.acquire(chat);
    expect(clock.waits).toEqual([500, 1_000]);
    clock.advance(5_000);
    await limiter.acquire('e');
    expect(clock.waits).toEqual([500, 1_000]);
  });

  it('spaces sends to one chat without slowing other chats', async () => {
    const clock = fakeTimers();
    const limiter = createSendLimiter({ sendsPerSecond: 30, perChatIntervalMs: 1_000 }, clock.timers);
    await limiter.acquire('a');
    await limiter.acquire('a');
    await limiter.acquire('b');
    await limiter.acquire('a');
    expect(clock.waits).toEqual([1_000, 2_000]);
  });

  it('does nothing when turned off', async () => {
    const clock = fakeTimers();
    const limiter = createSendLimiter({ sendsPerSecond: 0, perChatIntervalMs: 0 }, clock.timers);
    for (let i = 0; i < 100; i++) await limiter.acquire('a');
    expect(clock.waits).toEqual([]);
  });
});

describe('telegram channel: logging', () => {
  it('keeps message text out of the logs', async () => {
    const { fake, sink, channel, logs } = await setup();
    fake.enqueue(fake.build.text(5040, 'NIK saya 5371234567890001'));
    sink.failNext(1);
    await channel.start(sink);
    await waitFor(() => sink.stored.length === 1, 'stored after one failed attempt');
    fake.failNext('sendMessage', failures.blocked());
    await channel.send(outbound(5040, 'Jawaban rahasia untuk Maria'));
    await channel.stop();

    const lines = logs.lines();
    expect(lines.some((l) => l.level >= 30)).toBe(true);
    for (const line of lines) {
      expect(line.raw).not.toContain('5371234567890001');
      expect(line.raw).not.toContain('Jawaban rahasia');
      expect(line.raw).not.toContain(fake.token);
    }
  });
});
