/**
 * Pacing of outbound sends, to keep the office number clear of WhatsApp's
 * spam heuristics: an overall rate (per minute, with a small burst) and a
 * minimum spacing per chat. A send that would wait longer than `maxWaitMs` is
 * not held inside the outbox's send slot: it is refused with the wait as a
 * retry hint, and the outbox (which keeps per-conversation order) tries again.
 * Uses a monotonic clock: this is pacing, not domain time.
 */

export interface SendLimiterConfig {
  /** Overall sends per minute; 0 = no overall limit. */
  readonly sendsPerMinute: number;
  /** Sends allowed back to back before the rate applies. Default 3. */
  readonly burst?: number;
  /** Minimum spacing between sends to one chat; 0 = none. */
  readonly perChatIntervalMs: number;
  /** Longest a send waits in place; longer waits become a retry hint. Default 10 s. */
  readonly maxWaitMs?: number;
}

export interface LimiterTimers {
  /** Monotonic milliseconds. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export type Reservation =
  /** Reserved: send after waiting `waitMs`. */
  | { readonly ok: true; readonly waitMs: number }
  /** Not reserved: ask again after `retryAfterMs`. */
  | { readonly ok: false; readonly retryAfterMs: number };

export interface SendLimiter {
  /** Reserves a slot for `chatId` now (or refuses); never waits. */
  reserve(chatId: string): Reservation;
  /** reserve(), then waits the reserved time. */
  acquire(chatId: string): Promise<Reservation>;
}

export const realTimers: LimiterTimers = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

const CHATS_KEPT = 10_000;

export function createSendLimiter(config: SendLimiterConfig, timers: LimiterTimers = realTimers): SendLimiter {
  const rate = config.sendsPerMinute;
  const intervalMs = rate > 0 ? 60_000 / rate : 0;
  const burst = Math.max(1, config.burst ?? 3);
  const maxWaitMs = config.maxWaitMs ?? 10_000;
  // GCRA form of a token bucket: when the bucket is "empty" again.
  let theoreticalAt = Number.NEGATIVE_INFINITY;
  const nextPerChat = new Map<string, number>();

  function reserve(chatId: string): Reservation {
    const t = timers.now();
    // With this send counted, the bucket is empty until `nextTheoreticalAt`; `burst` sends fit before it.
    const nextTheoreticalAt = Math.max(theoreticalAt, t) + intervalMs;
    const globalWait = rate > 0 ? Math.max(0, nextTheoreticalAt - burst * intervalMs - t) : 0;
    const chatFree = config.perChatIntervalMs > 0 ? Math.max(nextPerChat.get(chatId) ?? t, t) : t;
    const waitMs = Math.max(globalWait, chatFree - t);
    if (waitMs > maxWaitMs) return { ok: false, retryAfterMs: Math.ceil(waitMs) };
    const sendAt = t + waitMs;
    if (rate > 0) theoreticalAt = nextTheoreticalAt;
    if (config.perChatIntervalMs > 0) {
      nextPerChat.set(chatId, sendAt + config.perChatIntervalMs);
      if (nextPerChat.size > CHATS_KEPT) {
        for (const [id, free] of nextPerChat) if (free < t) nextPerChat.delete(id);
      }
    }
    return { ok: true, waitMs };
  }

  return {
    reserve,
    async acquire(chatId) {
      const reservation = reserve(chatId);
      if (reservation.ok && reservation.waitMs > 0) await timers.sleep(reservation.waitMs);
      return reservation;
    },
  };
}
