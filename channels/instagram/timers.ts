/** Waiting between polls: a jittered interval, exponential backoff after failures, and injectable timers. */
import { abortableSleep } from '../channel.js';

export interface PollTimers {
  /** Waits `ms`, or less when `signal` aborts (stop() must not wait out an interval). */
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  /** Uniform in [0, 1); tests make jitter predictable. */
  random(): number;
}

export interface IntervalRange {
  readonly minMs: number;
  readonly maxMs: number;
}

export interface RetryBackoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

/** 20 to 40 s: often enough for a helpdesk, far from the app-like bursts that get accounts flagged. */
export const DEFAULT_POLL_INTERVAL: IntervalRange = { minMs: 20_000, maxMs: 40_000 };
/** Doubling from 30 s to 15 min: a struggling Instagram is not asked again every 20 s. */
export const DEFAULT_BACKOFF: RetryBackoff = { initialMs: 30_000, maxMs: 15 * 60_000 };

export const realPollTimers: PollTimers = {
  sleep: abortableSleep,
  random: Math.random,
};

/** A fresh interval each time, so polls never fall into a fixed rhythm. */
export function jitteredIntervalMs(range: IntervalRange, random: () => number): number {
  return Math.round(range.minMs + random() * (range.maxMs - range.minMs));
}

/** Exponential after `attempt` consecutive failures (1-based), with ±20 % jitter, never above maxMs. */
export function backoffDelayMs(attempt: number, backoff: RetryBackoff, random: () => number): number {
  const exp = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(Math.max(attempt, 1) - 1, 30));
  return Math.min(backoff.maxMs, Math.round(exp * (0.8 + random() * 0.4)));
}
