/**
 * Telegram channel (telegraf 4): the adapter factory. The parts live in
 * channels/telegram/: intake routing, our own polling loop, the webhook
 * endpoint, outbound sending with the limiter, media download, callback data.
 *
 * Intake: long polling by default, webhook when `webhook` is set. Every update
 * goes through telegraf's `handleUpdate` (so middleware can be added) and is
 * handed to `sink.accept()` (or, from the staff group, to `onGroupUpdate`);
 * the update is acknowledged to Telegram only after that resolved. See
 * telegram/polling.ts for why we do not use `bot.launch()`.
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
import { Telegraf } from 'telegraf';
import type { Telegram } from 'telegraf';
import type { Logger } from 'pino';
import { systemClock } from '../src/clock.js';
import type { Clock } from '../src/clock.js';
import { raceTimeout, type Channel, type ChannelCapabilities, type InboundSink } from './channel.js';
import { DEFAULT_BACKOFF, type RetryBackoff } from './telegram/backoff.js';
import { createCallbackDataCodec } from './telegram/callback-data.js';
import { describeError, logSafeError } from './telegram/errors.js';
import { createUpdateIntake, type GroupUpdateHandler } from './telegram/intake.js';
import { createSendLimiter } from './telegram/limiter.js';
import { createMediaDownloader, type TelegramMediaOptions } from './telegram/media.js';
import { runPollLoop } from './telegram/polling.js';
import { createTelegramSender, TELEGRAM_MAX_TEXT_LENGTH } from './telegram/send.js';
import { createStatusTracker, type TelegramMode } from './telegram/status.js';
import { createUpdateRunner } from './telegram/update-runner.js';
import { createWebhookEndpoint, type TelegramWebhookOptions, type WebhookResponse } from './telegram/webhook.js';

// ---------------------------------------------------------------------------
// Public API (the parts are re-exported so callers import from here only)
// ---------------------------------------------------------------------------

export { TELEGRAM_MAX_TEXT_LENGTH } from './telegram/send.js';
export { CALLBACK_DATA_MAX_BYTES } from './telegram/callback-data.js';
export { classifySendError, logSafeError } from './telegram/errors.js';
export { createSendLimiter } from './telegram/limiter.js';
export type { SendLimiter, SendLimiterConfig, SendLimiterTimers } from './telegram/limiter.js';
export type { RetryBackoff } from './telegram/backoff.js';
export type { TelegramMediaOptions } from './telegram/media.js';
export type { GroupUpdateHandler } from './telegram/intake.js';
export type { TelegramMode } from './telegram/status.js';
export type { TelegramWebhookOptions, WebhookResponse } from './telegram/webhook.js';

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
  outboundMedia: true,
  maxTextLength: TELEGRAM_MAX_TEXT_LENGTH,
};

// ---------------------------------------------------------------------------
// Factory
// ---------------------------------------------------------------------------

const SEEN_UPDATE_IDS_KEPT = 10_000;
const CALLBACK_TOKENS_KEPT = 5_000;

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

  let sink: InboundSink | undefined;
  let started = false;
  let stopping = false;
  let loop: Promise<void> | undefined;
  const isStopping = (): boolean => stopping;
  /** Aborts the in-flight long poll and any backoff wait when stop() is called. */
  const stopController = new AbortController();

  const status = createStatusTracker({ mode, clock, backoff, log });
  const callbackData = createCallbackDataCodec(CALLBACK_TOKENS_KEPT);
  const intake = createUpdateIntake({
    telegram,
    sink: () => sink,
    media: createMediaDownloader({ telegram, media: options.media, requestTimeoutMs, log }),
    callbackData,
    clock,
    requestTimeoutMs,
    log,
    ...(options.staffChatId !== undefined ? { staffChatId: options.staffChatId } : {}),
    ...(options.onGroupUpdate !== undefined ? { onGroupUpdate: options.onGroupUpdate } : {}),
  });
  bot.use(async (ctx) => {
    await intake.route(ctx.update);
  });
  // telegraf's default error handler logs the update (message text) with
  // console.error and sets process.exitCode = 1. Rethrow instead: the caller
  // (poll loop or webhook) decides, and the update is not acknowledged.
  bot.catch((err) => {
    throw err;
  });
  const updates = createUpdateRunner({ run: (update) => bot.handleUpdate(update), capacity: SEEN_UPDATE_IDS_KEPT, log });

  const send = createTelegramSender({
    telegram,
    limiter: createSendLimiter({
      sendsPerSecond: options.sendsPerSecond,
      perChatIntervalMs: options.sendsPerSecond === 0 ? 0 : (options.perChatIntervalMs ?? 1_000),
    }),
    callbackData,
    requestTimeoutMs,
    isStopping,
    log,
  });

  const webhook =
    options.webhook === undefined
      ? undefined
      : createWebhookEndpoint({
          webhook: options.webhook,
          bot,
          updates,
          status,
          requestTimeoutMs,
          isAccepting: () => started && !stopping,
          isStopping,
          stopSignal: stopController.signal,
          log,
        });

  function runIntake(onFirstAttempt: () => void): Promise<void> {
    if (webhook !== undefined) return webhook.setup(onFirstAttempt);
    return runPollLoop(
      { bot, updates, status, pollTimeoutSeconds, requestTimeoutMs, isStopping, stopSignal: stopController.signal, log },
      onFirstAttempt,
    );
  }

  return {
    name: 'telegram',
    mode,
    capabilities: telegramCapabilities,
    telegram,
    status: () => status.current(),
    async start(next: InboundSink): Promise<void> {
      if (started || stopping) throw new Error('telegram channel already started or stopped; create a new one to restart');
      started = true;
      sink = next;
      status.set({ state: 'starting' });
      // Resolves once polling runs (or the webhook is set), or after the first
      // failure: the loop keeps retrying in the background, status says why.
      await new Promise<void>((resolve) => {
        loop = runIntake(resolve).catch((err: unknown) => {
          // Not expected: every failure inside the loops is caught and retried.
          log.error({ err: logSafeError(err) }, 'telegram intake loop ended unexpectedly');
          status.set({ state: 'reconnecting', reason: describeError(err) });
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
      const inFlight = updates.inFlight();
      if (inFlight.length > 0) await raceTimeout(Promise.allSettled(inFlight), stopGraceMs);
      status.set({ state: 'stopped' });
    },
    send,
    handleWebhook: async (body, secretHeader) => (webhook === undefined ? { status: 404 } : webhook.handle(body, secretHeader)),
  };
}
