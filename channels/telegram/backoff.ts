/** How long the intake loops wait after a failure. */
import { TelegramError } from 'telegraf';

export interface RetryBackoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

export const DEFAULT_BACKOFF: RetryBackoff = { initialMs: 500, maxMs: 30_000 };

/** Telegram's retry_after when it gave one; otherwise exponential with jitter. */
export function retryDelayMs(err: unknown, attempt: number, backoff: RetryBackoff): number {
  const retryAfter = err instanceof TelegramError ? err.parameters?.retry_after : undefined;
  if (retryAfter !== undefined) return retryAfter * 1000;
  const exp = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(attempt - 1, 20));
  // Jitter so several instances (or channels) do not retry in lockstep.
  return Math.round(exp * (0.8 + Math.random() * 0.4));
}
