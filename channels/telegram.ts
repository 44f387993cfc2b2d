/**
 * Telegram channel, applicant side (telegraf 4).
 *
 * Intake: long polling by default, webhook when `webhook` is set. Every update
 * goes through telegraf's `handleUpdate` (so the staff-group module can add
 * middleware later) and is handed to `sink.accept()`; the update is
 * acknowledged to Telegram only after accept resolved.
 *
 * Why we drive getUpdates ourselves instead of `bot.launch()`: telegraf's
 * Polling advances its offset before handlers run, runs a batch's handlers
 * concurrently, and when a handler throws it stops polling, sets
 * process.exitCode = 1 and calls getUpdates with the advanced offset, which
 * confirms the failed update (verified against the fake Bot API: a throwing
 * handler lost its update). Our loop handles a batch in order, moves the offset
 * only past updates the sink accepted, and on a failure backs off and asks
 * again from the failed update, so it is redelivered instead of lost.
 *
 * /start: forwarded to the core as an InboundMessage with text '/start' (plus
 * a deep-link parameter when present), not answered here. That way the
 * welcome goes through the outbox (retries on 429, ordered with the next
 * answers in the same chat, recorded in the conversation), the contact and
 * conversation are created on first contact, and the welcome text and topic
 * buttons stay in the core's messages/intents with every other user-facing
 * string. For the same reason, unsupported media arrive as an InboundMessage
 * with empty text and a typed attachment and the core sends "text only".
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { Telegraf, TelegramError } from 'telegraf';
import type { Telegram } from 'telegraf';
import type { CallbackQuery, InlineKeyboardMarkup, Message, PhotoSize, Update, User } from 'telegraf/types';
import type { Logger } from 'pino';
import { systemClock } from '../src/clock.js';
import type { Clock } from '../src/clock.js';
import { splitText } from './channel.js';
import type {
  Attachment,
  Channel,
  ChannelCapabilities,
  ChannelStatus,
  InboundMessage,
  InboundSink,
  OutboundMessage,
  QuickReply,
  SendResult,
  Sender,
} from './channel.js';

// ---------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------

export const TELEGRAM_MAX_TEXT_LENGTH = 4096;
/** Telegram rejects callback_data longer than this many bytes. */
export const CALLBACK_DATA_MAX_BYTES = 64;

export interface TelegramWebhookOptions {
  /** Public HTTPS URL our HTTP server serves; the server calls handleWebhook(). */
  readonly url: string;
  /** Sent by Telegram in X-Telegram-Bot-Api-Secret-Token; 1-256 of A-Z a-z 0-9 _ -. */
  readonly secretToken: string;
}

export interface TelegramMediaOptions {
  /** Largest photo/document we download and attach. */
  readonly maxBytes: number;
  /** e.g. image/jpeg, image/png, application/pdf. Telegram photos are always image/jpeg. */
  readonly allowedMimeTypes: readonly string[];
}

export interface RetryBackoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

/**
 * Called for updates from the staff group (messages and button presses),
 * awaited like the sink so staff actions are also stored before they are
 * acknowledged. Throwing makes the update be delivered again.
 */
export type GroupUpdateHandler = (update: Update, telegram: Telegram) => Promise<void>;

export interface TelegramChannelOptions {
  readonly token: string;
  /** Bot API server root; default https://api.telegram.org (tests: the fake server). */
  readonly apiRoot?: string;
  /** Webhook mode when set; long polling otherwise. */
  readonly webhook?: TelegramWebhookOptions;
  /** Overall send rate (token bucket). 0 turns every limiter off (load tests against a fake). */
  readonly sendsPerSecond: number;
  /** Spacing between sends to one chat; Telegram asks for about one per second. Default 1000. */
  readonly perChatIntervalMs?: number;
  readonly logger: Logger;
  readonly media: TelegramMediaOptions;
  /**
   * The staff group (issue 4, staff side). Group updates are ignored unless
   * they come from this chat and `onGroupUpdate` is set.
   */
  readonly staffChatId?: string;
  readonly onGroupUpdate?: GroupUpdateHandler;
  readonly clock?: Clock;
  /** Long-poll `timeout` asked of Telegram, in seconds. Default 30. */
  readonly pollTimeoutSeconds?: number;
  /** Backoff after polling/setup/intake failures. Default 500 ms doubling to 30 s. */
  readonly retryBackoff?: RetryBackoff;
  /** Abort a single API call (send, getFile) after this long. Default 30 s. */
  readonly requestTimeoutMs?: number;
  /** How long stop() waits for an in-flight update before giving up on it. Default 5 s. */
  readonly stopGraceMs?: number;
}

export type TelegramMode = 'polling' | 'webhook';

export interface WebhookResponse {
  readonly status: number;
}

export interface TelegramChannel extends Channel {
  readonly name: 'telegram';
  readonly mode: TelegramMode;
  /**
   * For the HTTP server's webhook route. 401 on a wrong or missing secret;
   * otherwise resolves after the update was stored (200) or failed (500, so
   * Telegram delivers it again). 503 before start() / after stop(), 400 for a
   * body that is not an update, 404 in polling mode.
   */
  handleWebhook(body: unknown, secretHeader: string | undefined): Promise<WebhookResponse>;
  /** telegraf's API client, for the staff-group module (posting to the group, editing posts). */
  readonly telegram: Telegram;
}

export const telegramCapabilities: ChannelCapabilities = {
  quickReplies: true,
  inboundMedia: true,
  maxTextLength: TELEGRAM_MAX_TEXT_LENGTH,
};

// ---------------------------------------------------------------------------
// Factory
// ---------------------------------------------------------------------------

const ALLOWED_UPDATES = ['message', 'callback_query'] as const;
const SEEN_UPDATE_IDS_KEPT = 10_000;
const CALLBACK_TOKENS_KEPT = 5_000;
const DEFAULT_BACKOFF: RetryBackoff = { initialMs: 500, maxMs: 30_000 };

export function createTelegramChannel(options: TelegramChannelOptions): TelegramChannel {
  const log = options.logger.child({ module: 'channel.telegram' });
  const clock = options.clock ?? systemClock;
  const mode: TelegramMode = options.webhook === undefined ? 'polling' : 'webhook';
  const pollTimeoutSeconds = options.pollTimeoutSeconds ?? 30;
  const backoff = options.retryBackoff ?? DEFAULT_BACKOFF;
  const requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  const stopGraceMs = options.stopGraceMs ?? 5_000;

  const bot = new Telegraf(options.token, {
    // The handler timeout bounds a stuck sink; a timed-out update is treated as failed and redelivered.
    handlerTimeout: 120_000,
    ...(options.apiRoot !== undefined ? { telegram: { apiRoot: options.apiRoot } } : {}),
  });
  const telegram = bot.telegram;

  let status: ChannelStatus = { state: 'stopped' };
  let sink: InboundSink | undefined;
  let started = false;
  let stopping = false;
  let loop: Promise<void> | undefined;
  /** Aborts the in-flight long poll and any backoff wait when stop() is called. */
  const stopController = new AbortController();

  const seen = createSeenSet(SEEN_UPDATE_IDS_KEPT);
  const inFlight = new Map<number, Promise<void>>();
  const callbackData = createCallbackDataCodec(CALLBACK_TOKENS_KEPT);
  const limiter = createSendLimiter({
    sendsPerSecond: options.sendsPerSecond,
    perChatIntervalMs: options.sendsPerSecond === 0 ? 0 : (options.perChatIntervalMs ?? 1_000),
  });
  const progress = createSendProgress();
  const media = createMediaDownloader({ telegram, media: options.media, requestTimeoutMs, log });

  // ---- intake -------------------------------------------------------------

  bot.use(async (ctx) => {
    await routeUpdate(ctx.update);
  });
  // telegraf's default error handler logs the update (message text) with
  // console.error and sets process.exitCode = 1. Rethrow instead: the caller
  // (poll loop or webhook) decides, and the update is not acknowledged.
  bot.catch((err) => {
    throw err;
  });

  async function routeUpdate(update: Update): Promise<void> {
    if ('message' in update) {
      const message = update.message;
      if (message.chat.type === 'private') return intakeMessage(message, message.from);
      return routeGroupUpdate(update, message.chat.id);
    }
    if ('callback_query' in update) {
      const query = update.callback_query;
      const chat = query.message?.chat;
      if (chat === undefined || chat.type === 'private') return intakeCallback(query);
      return routeGroupUpdate(update, chat.id);
    }
    log.debug({ updateId: update.update_id }, 'update type not handled; acknowledged');
  }

  async function routeGroupUpdate(update: Update, chatId: number): Promise<void> {
    if (options.staffChatId !== undefined && options.onGroupUpdate !== undefined && String(chatId) === options.staffChatId) {
      await options.onGroupUpdate(update, telegram);
      return;
    }
    log.debug({ updateId: update.update_id, chatId }, 'group update ignored (not the staff group)');
  }

  async function intakeMessage(message: Message, from: User): Promise<void> {
    const content = await messageContent(message);
    if (content === undefined) {
      log.debug({ messageId: message.message_id }, 'service message ignored');
      return;
    }
    await deliver({
      channel: 'telegram',
      externalId: `${message.chat.id}:${message.message_id}`,
      conversationExternalId: String(message.chat.id),
      sender: toSender(from),
      text: content.text,
      attachments: content.attachments,
      receivedAt: new Date(message.date * 1000),
    });
  }

  async function messageContent(message: Message): Promise<{ text: string; attachments: Attachment[] } | undefined> {
    if ('text' in message) return { text: message.text, attachments: [] };
    const caption = 'caption' in message && typeof message.caption === 'string' ? message.caption : '';
    if ('photo' in message) return { text: caption, attachments: [await media.photo(message.photo)] };
    // Animations carry a `document` too; they are not documents for a ticket.
    if ('document' in message && !('animation' in message)) {
      return { text: caption, attachments: [await media.document(message.document)] };
    }
    const attachment = unsupportedAttachment(message);
    if (attachment === undefined) return undefined;
    // Empty text: the core answers "text only" for these.
    return { text: '', attachments: [attachment] };
  }

  async function intakeCallback(query: CallbackQuery): Promise<void> {
    if (!('data' in query)) {
      await answerCallback(query.id);
      return;
    }
    const payload = callbackData.decode(query.data, query.message);
    // Inline-mode messages have no chat; in a private chat the chat id is the user id.
    const chatId = query.message?.chat.id ?? query.from.id;
    await deliver({
      channel: 'telegram',
      externalId: `cb:${query.id}`,
      conversationExternalId: String(chatId),
      sender: toSender(query.from),
      text: payload,
      attachments: [],
      receivedAt: clock.now(),
      quickReplyPayload: payload,
    });
    // After the store: pressing again while we were down must not be lost.
    await answerCallback(query.id);
  }

  async function answerCallback(id: string): Promise<void> {
    try {
      await telegram.callApi('answerCallbackQuery', { callback_query_id: id }, { signal: bridgeSignal(AbortSignal.timeout(requestTimeoutMs)) });
    } catch (err) {
      // Only the spinner on the button depends on it (and queries expire); the message is stored.
      log.warn({ err: logSafeError(err) }, 'answerCallbackQuery failed');
    }
  }

  async function deliver(message: InboundMessage): Promise<void> {
    if (sink === undefined) throw new Error('telegram channel received an update before start()');
    const result = await sink.accept(message);
    log.debug({ externalId: message.externalId, outcome: result.outcome }, 'inbound stored');
  }

  /**
   * Runs one update through telegraf once. Update ids already handled in this
   * process are skipped (the core's unique key catches the rest); concurrent
   * webhook redeliveries of the same id share one run. Rejects when the update
   * was not stored, so the caller does not acknowledge it.
   */
  function processUpdate(update: Update): Promise<void> {
    const id = update.update_id;
    if (seen.has(id)) {
      log.debug({ updateId: id }, 'repeated update id dropped');
      return Promise.resolve();
    }
    const running = inFlight.get(id);
    if (running !== undefined) return running;
    const run = bot
      .handleUpdate(update)
      .then(() => {
        seen.add(id);
      })
      .finally(() => {
        inFlight.delete(id);
      });
    inFlight.set(id, run);
    return run;
  }

  // ---- status -------------------------------------------------------------

  function setStatus(next: ChannelStatus): void {
    if (next.state !== status.state) log.info({ state: next.state }, 'telegram channel status');
    status = next;
  }

  function markConnected(): void {
    if (status.state !== 'connected') setStatus({ state: 'connected', detail: mode });
  }

  function markFailure(err: unknown, attempt: number, what: string): number {
    const delayMs = retryDelayMs(err, attempt, backoff);
    const retryAt = new Date(clock.now().getTime() + delayMs);
    if (err instanceof TelegramError && err.code === 401) {
      setStatus({ state: 'needs_attention', reason: 'Telegram rejected the bot token (401)', action: 'check TELEGRAM_BOT_TOKEN' });
    } else {
      setStatus({ state: 'reconnecting', reason: `${what}: ${describeError(err)}`, retryAt });
    }
    log.warn({ err: logSafeError(err), attempt, delayMs }, `${what} failed; retrying`);
    return delayMs;
  }

  // ---- polling ------------------------------------------------------------

  async function pollLoop(onFirstAttempt: () => void): Promise<void> {
    let offset = 0;
    let prepared = false;
    let attempt = 0;
    // After an intake failure a successful getUpdates proves nothing: only a
    // stored batch resets the backoff and the status. An update the sink
    // keeps rejecting holds up intake (retried with backoff, status
    // 'reconnecting') rather than being skipped: the sink must throw only for
    // failures that can pass (database busy or down).
    let intakeFailing = false;
    while (!stopping) {
      try {
        if (!prepared) {
          bot.botInfo = await telegram.callApi('getMe', {}, { signal: requestSignal() });
          // A webhook left over from webhook mode makes getUpdates answer 409.
          await telegram.callApi('deleteWebhook', { drop_pending_updates: false }, { signal: requestSignal() });
          prepared = true;
          log.info({ bot: bot.botInfo.username }, 'telegram long polling started');
          markConnected();
          onFirstAttempt();
        }
        const updates = await telegram.callApi(
          'getUpdates',
          { offset, timeout: pollTimeoutSeconds, allowed_updates: [...ALLOWED_UPDATES] },
          { signal: bridgeSignal(AbortSignal.any([stopController.signal, AbortSignal.timeout((pollTimeoutSeconds + 15) * 1000)])) },
        );
        if (!intakeFailing) {
          markConnected();
          attempt = 0;
        }
        for (const update of updates) {
          if (stopping) break;
          try {
            await processUpdate(update);
          } catch (err) {
            throw new IntakeError(update.update_id, err);
          }
          // Only now may the next getUpdates confirm it.
          offset = Math.max(offset, update.update_id + 1);
        }
        if (intakeFailing && !stopping) {
          intakeFailing = false;
          attempt = 0;
          markConnected();
        }
      } catch (err) {
        if (stopping) break;
        attempt++;
        intakeFailing = err instanceof IntakeError;
        if (err instanceof TelegramError && err.code === 409) prepared = false;
        const delayMs = markFailure(err, attempt, err instanceof IntakeError ? 'storing an update' : 'polling');
        onFirstAttempt();
        await abortableSleep(delayMs, stopController.signal);
      }
    }
    await confirmOffset(offset);
  }

  /** On a clean stop, confirm what was stored so a restart does not fetch it again. */
  async function confirmOffset(offset: number): Promise<void> {
    if (offset === 0) return;
    try {
      await telegram.callApi('getUpdates', { offset, limit: 1, timeout: 0 }, { signal: bridgeSignal(AbortSignal.timeout(2_000)) });
    } catch (err) {
      // Harmless: the core drops the redelivered updates by their unique key.
      log.warn({ err: logSafeError(err) }, 'could not confirm the last offset on stop');
    }
  }

  // ---- webhook ------------------------------------------------------------

  async function webhookSetupLoop(onFirstAttempt: () => void): Promise<void> {
    const webhook = options.webhook;
    if (webhook === undefined) return;
    let attempt = 0;
    while (!stopping) {
      try {
        bot.botInfo = await telegram.callApi('getMe', {}, { signal: requestSignal() });
        await telegram.callApi(
          'setWebhook',
          { url: webhook.url, secret_token: webhook.secretToken, allowed_updates: [...ALLOWED_UPDATES] },
          { signal: requestSignal() },
        );
        log.info({ bot: bot.botInfo.username }, 'telegram webhook set');
        markConnected();
        onFirstAttempt();
        return;
      } catch (err) {
        if (stopping) return;
        attempt++;
        const delayMs = markFailure(err, attempt, 'setting the webhook');
        onFirstAttempt();
        await abortableSleep(delayMs, stopController.signal);
      }
    }
  }

  async function handleWebhook(body: unknown, secretHeader: string | undefined): Promise<WebhookResponse> {
    const webhook = options.webhook;
    if (webhook === undefined) return { status: 404 };
    if (!secretMatches(webhook.secretToken, secretHeader)) {
      log.warn('webhook request with a wrong or missing secret token');
      return { status: 401 };
    }
    if (!started || stopping) return { status: 503 };
    if (!isUpdate(body)) return { status: 400 };
    try {
      await processUpdate(body);
      return { status: 200 };
    } catch (err) {
      log.error({ err: logSafeError(err), updateId: body.update_id }, 'storing a webhook update failed; Telegram will deliver it again');
      return { status: 500 };
    }
  }

  // ---- outbound -----------------------------------------------------------

  async function send(message: OutboundMessage): Promise<SendResult> {
    if (stopping) return { ok: false, kind: 'retryable', error: 'telegram channel stopped' };
    if (message.text.trim() === '') return { ok: false, kind: 'permanent', error: 'empty text' };
    const chatId = message.conversationExternalId;
    const parts = splitText(message.text, TELEGRAM_MAX_TEXT_LENGTH);
    // A retry of a split message resumes after the parts already delivered.
    const resume = progress.resume(message, parts.length);
    let lastId = resume.lastProviderMessageId;
    for (let i = resume.nextPart; i < parts.length; i++) {
      const isLast = i === parts.length - 1;
      await limiter.acquire(chatId);
      try {
        const sent = await telegram.callApi(
          'sendMessage',
          {
            chat_id: chatId,
            text: parts[i] ?? '',
            ...(isLast && message.quickReplies.length > 0 ? { reply_markup: keyboardFor(message.quickReplies) } : {}),
          },
          { signal: requestSignal() },
        );
        lastId = String(sent.message_id);
        progress.record(message, i + 1, lastId, parts.length);
      } catch (err) {
        const failure = classifySendError(err);
        if (failure.kind === 'permanent') progress.forget(message.messageId);
        log.warn({ err: logSafeError(err), messageId: message.messageId, part: i + 1, parts: parts.length, kind: failure.kind }, 'telegram send failed');
        return failure;
      }
    }
    progress.forget(message.messageId);
    return { ok: true, providerMessageId: lastId ?? '' };
  }

  function keyboardFor(replies: readonly QuickReply[]): InlineKeyboardMarkup {
    // One button per row: topic labels are phrases, and rows of one read best on phones.
    return { inline_keyboard: replies.map((r) => [{ text: r.label, callback_data: callbackData.encode(r.payload) }]) };
  }

  function requestSignal(): TelegrafSignal {
    return bridgeSignal(AbortSignal.timeout(requestTimeoutMs));
  }

  // ---- lifecycle ----------------------------------------------------------

  return {
    name: 'telegram',
    mode,
    capabilities: telegramCapabilities,
    telegram,
    status: () => status,
    async start(intake: InboundSink): Promise<void> {
      if (started || stopping) throw new Error('telegram channel already started or stopped; create a new one to restart');
      started = true;
      sink = intake;
      setStatus({ state: 'starting' });
      // Resolves once polling runs (or the webhook is set), or after the first
      // failure: the loop keeps retrying in the background, status says why.
      await new Promise<void>((resolve) => {
        const body = mode === 'polling' ? pollLoop(resolve) : webhookSetupLoop(resolve);
        loop = body.catch((err: unknown) => {
          // Not expected: every failure inside the loops is caught and retried.
          log.error({ err: logSafeError(err) }, 'telegram intake loop ended unexpectedly');
          setStatus({ state: 'reconnecting', reason: describeError(err) });
        });
        // Also when stop() ends the loop before its first attempt finished.
        void loop.then(resolve);
      });
    },
    async stop(): Promise<void> {
      if (stopping) return;
      stopping = true;
      stopController.abort();
      if (loop !== undefined) {
        const finished = await raceTimeout(loop, stopGraceMs);
        if (!finished) log.warn({ stopGraceMs }, 'stopping telegram: an update was still being stored; it will be delivered again');
      }
      if (inFlight.size > 0) await raceTimeout(Promise.allSettled([...inFlight.values()]), stopGraceMs);
      setStatus({ state: 'stopped' });
    },
    send,
    handleWebhook,
  };
}

// ---------------------------------------------------------------------------
// Helpers (module-private)
// ---------------------------------------------------------------------------

/** An update the sink did not store; wraps the cause so logs say which. */
class IntakeError extends Error {
  readonly code = 'TELEGRAM_INTAKE_FAILED';
  constructor(
    readonly updateId: number,
    cause: unknown,
  ) {
    super(`update ${updateId} was not stored: ${describeError(cause)}`, { cause });
    this.name = 'IntakeError';
  }
}

type TelegrafSignal = NonNullable<NonNullable<Parameters<Telegram['callApi']>[2]>['signal']>;

/**
 * telegraf types `signal` with the abort-controller polyfill's class, which
 * Node's AbortSignal does not match structurally. At runtime telegraf hands
 * the signal to node-fetch 2, whose check is `constructor.name ===
 * 'AbortSignal'`, which Node's signals (timeout/any included) pass. The
 * cast is confined here.
 */
function bridgeSignal(signal: AbortSignal): TelegrafSignal {
  return signal as unknown as TelegrafSignal;
}

/**
 * telegraf's TelegramError carries the request payload (`on.payload`: the
 * message text, chat id) and pino would log all of it. Log the code,
 * description and method only. Other errors pass through; an IntakeError's
 * cause is cleaned the same way.
 */
export function logSafeError(err: unknown): unknown {
  if (err instanceof TelegramError) {
    const method = typeof err.on === 'object' && err.on !== null && 'method' in err.on ? String(err.on.method) : undefined;
    return {
      type: 'TelegramError',
      message: err.message,
      code: err.code,
      ...(method !== undefined ? { method } : {}),
      ...(err.parameters?.retry_after !== undefined ? { retryAfterSeconds: err.parameters.retry_after } : {}),
    };
  }
  if (err instanceof IntakeError) {
    return { type: 'IntakeError', message: err.message, code: err.code, updateId: err.updateId, cause: logSafeError(err.cause) };
  }
  return err;
}

function describeError(err: unknown): string {
  if (err instanceof IntakeError) return err.message;
  if (err instanceof TelegramError) return `${err.code} ${err.description}`;
  if (err instanceof Error) return err.message;
  return String(err);
}

function toSender(user: User): Sender {
  const displayName = [user.first_name, user.last_name].filter((p): p is string => typeof p === 'string' && p !== '').join(' ');
  return {
    externalId: String(user.id),
    ...(displayName !== '' ? { displayName } : {}),
    ...(user.username !== undefined ? { username: user.username } : {}),
  };
}

/** Attachment for user content we do not handle (text only); undefined for service messages. */
function unsupportedAttachment(message: Message): Attachment | undefined {
  if ('sticker' in message) return { kind: 'sticker', providerRef: message.sticker.file_id };
  if ('voice' in message) return { kind: 'voice', providerRef: message.voice.file_id };
  if ('audio' in message) return { kind: 'audio', providerRef: message.audio.file_id };
  if ('video' in message) return { kind: 'video', providerRef: message.video.file_id };
  if ('video_note' in message) return { kind: 'video', providerRef: message.video_note.file_id };
  if ('animation' in message) return { kind: 'video', providerRef: message.animation.file_id };
  if ('location' in message || 'venue' in message) return { kind: 'location' };
  if ('contact' in message) return { kind: 'contact' };
  if ('poll' in message || 'dice' in message || 'game' in message || 'story' in message) return { kind: 'other' };
  return undefined;
}

function isUpdate(body: unknown): body is Update {
  // Minimal shape check; routeUpdate reads only fields whose presence it tests.
  return typeof body === 'object' && body !== null && 'update_id' in body && typeof body.update_id === 'number';
}

function secretMatches(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

type SendFailure = Extract<SendResult, { ok: false }>;

/**
 * 429 -> retryable with retry_after; 5xx, network errors and timeouts ->
 * retryable; 401 -> retryable (a configuration problem, not this message's);
 * other 4xx (403 blocked, 400 chat not found, text rejected) -> permanent.
 */
export function classifySendError(err: unknown): SendFailure {
  if (err instanceof TelegramError) {
    const error = `${err.code} ${err.description}`;
    if (err.code === 429) {
      const retryAfterSeconds = err.parameters?.retry_after ?? 1;
      return { ok: false, kind: 'retryable', error, retryAfterMs: retryAfterSeconds * 1000 };
    }
    if (err.code >= 500 || err.code === 401) return { ok: false, kind: 'retryable', error };
    return { ok: false, kind: 'permanent', error };
  }
  return { ok: false, kind: 'retryable', error: describeError(err) };
}

function retryDelayMs(err: unknown, attempt: number, backoff: RetryBackoff): number {
  const retryAfter = err instanceof TelegramError ? err.parameters?.retry_after : undefined;
  if (retryAfter !== undefined) return retryAfter * 1000;
  const exp = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(attempt - 1, 20));
  // Jitter so several instances (or channels) do not retry in lockstep.
  return Math.round(exp * (0.8 + Math.random() * 0.4));
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** true when `promise` settled within `ms`. */
async function raceTimeout(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Remembers the most recent ids (insertion order) so memory stays bounded. */
function createSeenSet(capacity: number): { has(id: number): boolean; add(id: number): void } {
  const ids = new Set<number>();
  return {
    has: (id) => ids.has(id),
    add: (id) => {
      ids.add(id);
      if (ids.size > capacity) {
        const oldest = ids.values().next();
        if (oldest.done !== true) ids.delete(oldest.value);
      }
    },
  };
}

// ---- callback data --------------------------------------------------------

const MAPPED_PREFIX = '~q:';

/**
 * callback_data is limited to 64 bytes. Short payloads travel as they are;
 * longer ones (and any that start with our prefix) travel as a hash token
 * remembered in memory. After a restart a token is unknown: we fall back to
 * the pressed button's label, read from the keyboard of the message Telegram
 * sends along, which the core can classify like typed text.
 */
function createCallbackDataCodec(capacity: number): {
  encode(payload: string): string;
  decode(data: string, message: CallbackQuery['message']): string;
} {
  const tokens = new Map<string, string>();
  return {
    encode(payload) {
      if (Buffer.byteLength(payload, 'utf8') <= CALLBACK_DATA_MAX_BYTES && !payload.startsWith(MAPPED_PREFIX)) return payload;
      const token = MAPPED_PREFIX + createHash('sha256').update(payload).digest('base64url').slice(0, 32);
      tokens.delete(token);
      tokens.set(token, payload);
      if (tokens.size > capacity) {
        const oldest = tokens.keys().next();
        if (oldest.done !== true) tokens.delete(oldest.value);
      }
      return token;
    },
    decode(data, message) {
      if (!data.startsWith(MAPPED_PREFIX)) return data;
      return tokens.get(data) ?? buttonLabel(data, message) ?? data;
    },
  };
}

function buttonLabel(data: string, message: CallbackQuery['message']): string | undefined {
  if (message === undefined || !('reply_markup' in message) || message.reply_markup === undefined) return undefined;
  for (const row of message.reply_markup.inline_keyboard) {
    for (const button of row) {
      if ('callback_data' in button && button.callback_data === data) return button.text;
    }
  }
  return undefined;
}

// ---- split-send progress ----------------------------------------------------

interface SendProgressEntry {
  readonly fingerprint: string;
  readonly sentParts: number;
  readonly lastProviderMessageId: string;
}

/**
 * When part 2 of 3 fails, the outbox retries the whole message; resuming at
 * part 2 avoids sending part 1 twice. In memory only: after a restart the
 * message is sent from its first part again.
 */
function createSendProgress(): {
  resume(message: OutboundMessage, parts: number): { nextPart: number; lastProviderMessageId: string | undefined };
  record(message: OutboundMessage, sentParts: number, lastProviderMessageId: string, parts: number): void;
  forget(messageId: number): void;
} {
  const entries = new Map<number, SendProgressEntry>();
  const fingerprint = (m: OutboundMessage): string =>
    createHash('sha256').update(m.conversationExternalId).update('\0').update(m.text).digest('base64url');
  return {
    resume(message, parts) {
      const entry = entries.get(message.messageId);
      if (entry === undefined || entry.fingerprint !== fingerprint(message) || entry.sentParts >= parts) {
        return { nextPart: 0, lastProviderMessageId: undefined };
      }
      return { nextPart: entry.sentParts, lastProviderMessageId: entry.lastProviderMessageId };
    },
    record(message, sentParts, lastProviderMessageId, parts) {
      if (sentParts >= parts) return;
      entries.set(message.messageId, { fingerprint: fingerprint(message), sentParts, lastProviderMessageId });
    },
    forget(messageId) {
      entries.delete(messageId);
    },
  };
}

// ---- rate limiting ------------------------------------------------------------

export interface SendLimiterConfig {
  /** Overall sends per second; 0 = no overall limit. */
  readonly sendsPerSecond: number;
  /** Minimum spacing between sends to one chat; 0 = none. */
  readonly perChatIntervalMs: number;
}

export interface SendLimiterTimers {
  /** Monotonic milliseconds. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface SendLimiter {
  /** Resolves when a message may be sent to `chatId`. */
  acquire(chatId: string): Promise<void>;
}

const realTimers: SendLimiterTimers = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/**
 * Token bucket for the overall rate (burst = one second's worth) plus a
 * minimum spacing per chat. Reservations are made at call time, so callers
 * are served in call order and the outbox's per-conversation order holds.
 * Uses a monotonic clock: this is pacing, not domain time.
 */
export function createSendLimiter(config: SendLimiterConfig, timers: SendLimiterTimers = realTimers): SendLimiter {
  const rate = config.sendsPerSecond;
  const intervalMs = rate > 0 ? 1000 / rate : 0;
  const burstMs = rate > 0 ? (Math.max(1, rate) - 1) * intervalMs : 0;
  // GCRA form of the token bucket: the theoretical time the bucket is "empty" again.
  let theoreticalAt = 0;
  const nextPerChat = new Map<string, number>();

  function reserveGlobal(t: number): number {
    if (rate <= 0) return 0;
    const base = Math.max(theoreticalAt, t);
    const allowedAt = base - burstMs;
    theoreticalAt = base + intervalMs;
    return Math.max(0, allowedAt - t);
  }

  function reserveChat(chatId: string, t: number): number {
    if (config.perChatIntervalMs <= 0) return 0;
    const at = Math.max(nextPerChat.get(chatId) ?? t, t);
    nextPerChat.set(chatId, at + config.perChatIntervalMs);
    if (nextPerChat.size > 10_000) {
      for (const [id, free] of nextPerChat) if (free < t) nextPerChat.delete(id);
    }
    return at - t;
  }

  return {
    async acquire(chatId) {
      const t = timers.now();
      const waitMs = Math.max(reserveGlobal(t), reserveChat(chatId, t));
      if (waitMs > 0) await timers.sleep(waitMs);
    },
  };
}

// ---- media download ---------------------------------------------------------

type DownloadResult = { readonly ok: true; readonly data: Uint8Array } | { readonly ok: false; readonly reason: 'too_big' | 'failed' };

function createMediaDownloader(deps: {
  telegram: Telegram;
  media: TelegramMediaOptions;
  requestTimeoutMs: number;
  log: Logger;
}): {
  photo(sizes: readonly PhotoSize[]): Promise<Attachment>;
  document(doc: { file_id: string; file_name?: string; mime_type?: string; file_size?: number }): Promise<Attachment>;
} {
  const { telegram, media, requestTimeoutMs, log } = deps;
  const allowed = new Set(media.allowedMimeTypes.map((m) => m.toLowerCase()));

  async function download(fileId: string): Promise<DownloadResult> {
    try {
      const file = await telegram.callApi('getFile', { file_id: fileId }, { signal: bridgeSignal(AbortSignal.timeout(requestTimeoutMs)) });
      if (file.file_size !== undefined && file.file_size > media.maxBytes) return { ok: false, reason: 'too_big' };
      const url = await telegram.getFileLink(file);
      if (url.protocol === 'file:') {
        // A local Bot API server (--local) hands out disk paths; not supported.
        log.warn('file download skipped: local Bot API file paths are not supported');
        return { ok: false, reason: 'failed' };
      }
      const response = await fetch(url, { signal: AbortSignal.timeout(requestTimeoutMs) });
      if (!response.ok || response.body === null) {
        // The URL carries the bot token: log the status only.
        log.warn({ status: response.status }, 'file download failed');
        return { ok: false, reason: 'failed' };
      }
      const declared = Number(response.headers.get('content-length') ?? '0');
      if (declared > media.maxBytes) {
        await response.body.cancel();
        return { ok: false, reason: 'too_big' };
      }
      const chunks: Uint8Array[] = [];
      let total = 0;
      for await (const chunk of response.body) {
        total += chunk.byteLength;
        if (total > media.maxBytes) return { ok: false, reason: 'too_big' };
        chunks.push(chunk);
      }
      // A plain Uint8Array, not a Buffer: it serializes and compares like the contract says.
      const data = new Uint8Array(total);
      let at = 0;
      for (const chunk of chunks) {
        data.set(chunk, at);
        at += chunk.byteLength;
      }
      return { ok: true, data };
    } catch (err) {
      // Not fatal for the message: it is stored with the attachment's metadata and no bytes.
      log.warn({ err: logSafeError(err) }, 'file download failed');
      return { ok: false, reason: 'failed' };
    }
  }

  /**
   * Without data, the attachment still says what it was (kind, mime type,
   * size, file_id): the core sees the missing bytes and can tell the
   * applicant the file was too big or of the wrong type.
   */
  async function attach(base: Attachment & { providerRef: string }, fits: boolean, allowedType: boolean): Promise<Attachment> {
    if (!allowedType || !fits) return base;
    const result = await download(base.providerRef);
    return result.ok ? { ...base, data: result.data } : base;
  }

  return {
    async photo(sizes) {
      // Telegram sends several sizes, smallest first: take the largest within the limit.
      const largest = sizes[sizes.length - 1];
      const fitting = [...sizes].reverse().find((s) => s.file_size === undefined || s.file_size <= media.maxBytes);
      const chosen = fitting ?? largest;
      if (chosen === undefined) return { kind: 'image', mimeType: 'image/jpeg' };
      const base = {
        kind: 'image' as const,
        mimeType: 'image/jpeg',
        providerRef: chosen.file_id,
        ...(chosen.file_size !== undefined ? { sizeBytes: chosen.file_size } : {}),
      };
      return attach(base, fitting !== undefined, allowed.has('image/jpeg'));
    },
    async document(doc) {
      const mimeType = (doc.mime_type ?? 'application/octet-stream').toLowerCase();
      const base = {
        kind: 'document' as const,
        mimeType,
        providerRef: doc.file_id,
        ...(doc.file_name !== undefined ? { fileName: doc.file_name } : {}),
        ...(doc.file_size !== undefined ? { sizeBytes: doc.file_size } : {}),
      };
      return attach(base, doc.file_size === undefined || doc.file_size <= media.maxBytes, allowed.has(mimeType));
    },
  };
}
