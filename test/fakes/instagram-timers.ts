/**
 * Poll timers the test drives by hand: every wait the loop asks for is
 * recorded and lasts until the test ends it (or the loop's signal aborts),
 * so backoff and intervals are checked without sleeping.
 */
import type { PacerTimers, PollTimers } from '../../channels/instagram.js';

export interface FakePollTimers extends PollTimers {
  /** Every wait asked for, in order (ms). */
  readonly requested: readonly number[];
  /** Resolves with the duration of the next wait the loop starts (waits already started count, in order). */
  nextSleep(): Promise<number>;
  /** Ends the wait in progress. */
  wake(): void;
  /** A wait is in progress. */
  sleeping(): boolean;
}

export function createFakePollTimers(random = 0.5): FakePollTimers {
  const requested: number[] = [];
  let announced = 0;
  let current: (() => void) | undefined;
  const waiters: ((ms: number) => void)[] = [];

  function announce(): void {
    while (waiters.length > 0 && announced < requested.length) {
      const ms = requested[announced++] ?? 0;
      waiters.shift()?.(ms);
    }
  }

  return {
    requested,
    random: () => random,
    sleep(ms, signal) {
      requested.push(ms);
      announce();
      return new Promise<void>((resolve) => {
        const done = (): void => {
          signal.removeEventListener('abort', done);
          if (current === done) current = undefined;
          resolve();
        };
        if (signal.aborted) return done();
        current = done;
        signal.addEventListener('abort', done, { once: true });
      });
    },
    nextSleep() {
      return new Promise<number>((resolve) => {
        waiters.push(resolve);
        announce();
      });
    },
    wake() {
      current?.();
    },
    sleeping: () => current !== undefined,
  };
}

/** Pacer timers on a virtual clock: sleeping advances it. */
export function createFakePacerTimers(): PacerTimers & { readonly slept: readonly number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}
