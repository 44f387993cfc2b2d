/**
 * Webhook mode: setting the webhook (retried until it works) and the handler
 * our HTTP server calls for each POST from Telegram.
 */
import { timingSafeEqual } from 'node:crypto';
import type { Telegraf } from 'telegraf';
import type { Update } from 'telegraf/types';
import type { Logger } from 'pino';
import { logSafeError } from './errors.js';
import { ALLOWED_UPDATES } from './polling.js';
import { malformedUpdateReason } from './update-shape.js';
import { abortableSleep } from '../channel.js';
import { timeoutSignal } from './signals.js';
import type { StatusTracker } from './status.js';
import type { UpdateRunner } from './update-runner.js';

export interface TelegramWebhookOptions {
  /** Public HTTPS URL our HTTP server serves; the server calls handleWebhook(). */
  readonly url: string;
  /** Sent by Telegram in X-Telegram-Bot-Api-Secret-Token; 1-256 of A-Z a-z 0-9 _ -. */
  readonly secretToken: string;
}

export interface WebhookResponse {
  readonly status: number;
}

export interface WebhookEndpointDeps {
  readonly webhook: TelegramWebhookOptions;
  readonly bot: Telegraf;
  readonly updates: UpdateRunner;
  readonly status: StatusTracker;
  readonly requestTimeoutMs: number;
  /** true between start() and stop(). */
  readonly isAccepting: () => boolean;
  readonly isStopping: () => boolean;
  readonly stopSignal: AbortSignal;
  readonly log: Logger;
}

export interface WebhookEndpoint {
  /** Sets the webhook, retrying with backoff; `onFirstAttempt` fires once it is set or the first attempt failed. */
  setup(onFirstAttempt: () => void): Promise<void>;
  /** `body`: the parsed JSON, or the raw text (parsed here, after the secret was checked). */
  handle(body: unknown, secretHeader: string | undefined): Promise<WebhookResponse>;
}

export function createWebhookEndpoint(deps: WebhookEndpointDeps): WebhookEndpoint {
  const { webhook, bot, updates, status, requestTimeoutMs, isStopping, stopSignal, log } = deps;
  const telegram = bot.telegram;

  return {
    async setup(onFirstAttempt) {
      let attempt = 0;
      while (!isStopping()) {
        try {
          // Asked once: a retry after a failed setWebhook does not ask again.
          bot.botInfo ??= await telegram.callApi('getMe', {}, { signal: timeoutSignal(requestTimeoutMs) });
          await telegram.callApi(
            'setWebhook',
            { url: webhook.url, secret_token: webhook.secretToken, allowed_updates: [...ALLOWED_UPDATES] },
            { signal: timeoutSignal(requestTimeoutMs) },
          );
          log.info({ bot: bot.botInfo.username }, 'telegram webhook set');
          status.markConnected();
          onFirstAttempt();
          return;
        } catch (err) {
          if (isStopping()) return;
          attempt++;
          const delayMs = status.markFailure(err, attempt, 'setting the webhook');
          onFirstAttempt();
          await abortableSleep(delayMs, stopSignal);
        }
      }
    },

    async handle(body, secretHeader) {
      if (!secretMatches(webhook.secretToken, secretHeader)) {
        log.warn('webhook request with a wrong or missing secret token');
        return { status: 401 };
      }
      if (!deps.isAccepting()) return { status: 503 };
      // From here the sender knows the secret: a body we cannot read is logged and acknowledged,
      // because Telegram would deliver it again, without end, after any other answer.
      const update = typeof body === 'string' ? parseJson(body) : body;
      if (!isUpdate(update)) {
        log.warn({ problem: malformedUpdateReason(update) ?? 'not an update' }, 'malformed webhook update acknowledged and dropped');
        return { status: 200 };
      }
      try {
        await updates.process(update);
        return { status: 200 };
      } catch (err) {
        log.error({ err: logSafeError(err), updateId: update.update_id }, 'storing a webhook update failed; Telegram will deliver it again');
        return { status: 500 };
      }
    },
  };
}

/** The body as JSON, or undefined when it is not JSON (the route hands the handler the raw text). */
function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function isUpdate(body: unknown): body is Update {
  // Minimal shape check; the intake reads only fields whose presence it tests.
  return typeof body === 'object' && body !== null && 'update_id' in body && typeof body.update_id === 'number';
}

function secretMatches(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
