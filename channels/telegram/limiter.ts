/** Pacing of outbound sends: Telegram allows about 30 per second overall and one per second per chat. */

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
