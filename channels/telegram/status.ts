/** The channel's status as /healthz and the dashboard see it, and the log line when it changes. */
import { TelegramError } from 'telegraf';
import type { Logger } from 'pino';
import type { Clock } from '../../src/clock.js';
import type { ChannelStatus } from '../channel.js';
import { retryDelayMs, type RetryBackoff } from './backoff.js';
import { describeError, logSafeError } from './errors.js';

export type TelegramMode = 'polling' | 'webhook';

export interface StatusTracker {
  current(): ChannelStatus;
  set(next: ChannelStatus): void;
  markConnected(): void;
  /** Records a failed attempt and returns how long to wait before the next one. */
  markFailure(err: unknown, attempt: number, what: string): number;
}

export function createStatusTracker(deps: { mode: TelegramMode; clock: Clock; backoff: RetryBackoff; log: Logger }): StatusTracker {
  const { mode, clock, backoff, log } = deps;
  let status: ChannelStatus = { state: 'stopped' };

  function set(next: ChannelStatus): void {
    if (next.state !== status.state) log.info({ state: next.state }, 'telegram channel status');
    status = next;
  }

  return {
    current: () => status,
    set,
    markConnected() {
      if (status.state !== 'connected') set({ state: 'connected', detail: mode });
    },
    markFailure(err, attempt, what) {
      const delayMs = retryDelayMs(err, attempt, backoff);
      const retryAt = new Date(clock.now().getTime() + delayMs);
      if (err instanceof TelegramError && err.code === 401) {
        set({ state: 'needs_attention', reason: 'Telegram rejected the bot token (401)', action: 'check TELEGRAM_BOT_TOKEN' });
      } else {
        set({ state: 'reconnecting', reason: `${what}: ${describeError(err)}`, retryAt });
      }
      log.warn({ err: logSafeError(err), attempt, delayMs }, `${what} failed; retrying`);
      return delayMs;
    },
  };
}
