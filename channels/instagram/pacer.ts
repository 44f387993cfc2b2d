/**
 * Pacing of outbound messages. Instagram publishes no limit for this private
 * API; bursts of direct messages are a common reason accounts get flagged,
 * so sends are spaced evenly (IG_SENDS_PER_MINUTE) for the whole account.
 */

export interface PacerTimers {
  /** Monotonic milliseconds. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export interface SendPacer {
  /** Resolves when the next message may go out. Callers are served in call order. */
  acquire(): Promise<void>;
}

export const realPacerTimers: PacerTimers = {
  now: () => performance.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

/** `sendsPerMinute` 0 turns pacing off (tests against nock). */
export function createSendPacer(sendsPerMinute: number, timers: PacerTimers = realPacerTimers): SendPacer {
  const spacingMs = sendsPerMinute > 0 ? 60_000 / sendsPerMinute : 0;
  // Reserved at call time, so concurrent callers queue instead of racing.
  let nextFreeAt = -Infinity;
  return {
    async acquire() {
      if (spacingMs === 0) return;
      const now = timers.now();
      const at = Math.max(now, nextFreeAt);
      nextFreeAt = at + spacingMs;
      if (at > now) await timers.sleep(at - now);
    },
  };
}
