/**
 * Telegram error handling in one place: what a failed send means for the
 * outbox, what a failure looks like in a log line, and the error that marks an
 * update the sink did not store.
 */
import { TelegramError } from 'telegraf';
import type { SendResult } from '../channel.js';

/** An update the sink did not store; wraps the cause so logs say which. */
export class IntakeError extends Error {
  readonly code = 'TELEGRAM_INTAKE_FAILED';
  constructor(
    readonly updateId: number,
    cause: unknown,
  ) {
    super(`update ${updateId} was not stored: ${describeError(cause)}`, { cause });
    this.name = 'IntakeError';
  }
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

/** One line for channel status and send results; never the request payload. */
export function describeError(err: unknown): string {
  if (err instanceof IntakeError) return err.message;
  if (err instanceof TelegramError) return `${err.code} ${err.description}`;
  if (err instanceof Error) return err.message;
  return String(err);
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
