/**
 * An InboundSink that records what adapters hand to the core, with the core's
 * dedupe rule (unique channel + externalId) and knobs to make intake slow or
 * failing, so adapter tests can prove "stored before acknowledged".
 */
import type { AcceptOutcome, InboundMessage, InboundSink } from '../../channels/channel.js';

export interface RecordingSink extends InboundSink {
  /** Messages stored, once each, in the order they were stored. */
  readonly stored: readonly InboundMessage[];
  /** Every accept() call, including duplicates and failed ones. */
  readonly attempts: readonly InboundMessage[];
  /** The next `times` accept() calls reject with `error` (nothing is stored). */
  failNext(times?: number, error?: Error): void;
  /** Drop the queued failures: the database is back. */
  clearFailures(): void;
  /**
   * accept() calls wait until the returned release() is called (a slow
   * database). Calls made while held resolve after release.
   */
  hold(): { release(): void };
  /** accept() calls currently waiting on a hold. */
  waiting(): number;
}

export interface RecordingSinkOptions {
  /** Called at the start of every accept() call, before anything is stored (to observe provider state then). */
  readonly onAttempt?: (message: InboundMessage) => void;
}

export class SinkUnavailableError extends Error {
  readonly code = 'SINK_UNAVAILABLE';
}

export function createRecordingSink(options: RecordingSinkOptions = {}): RecordingSink {
  const stored: InboundMessage[] = [];
  const attempts: InboundMessage[] = [];
  const ids = new Map<string, number>();
  const failures: Error[] = [];
  let gate: Promise<void> | undefined;
  let waitingCount = 0;

  return {
    stored,
    attempts,
    async accept(message: InboundMessage): Promise<AcceptOutcome> {
      attempts.push(message);
      options.onAttempt?.(message);
      if (gate !== undefined) {
        waitingCount++;
        try {
          await gate;
        } finally {
          waitingCount--;
        }
      }
      const failure = failures.shift();
      if (failure !== undefined) throw failure;
      const key = `${message.channel}:${message.externalId}`;
      const existing = ids.get(key);
      if (existing !== undefined) return { outcome: 'duplicate', messageId: existing };
      stored.push(message);
      const messageId = stored.length;
      ids.set(key, messageId);
      return { outcome: 'stored', messageId };
    },
    failNext(times = 1, error = new SinkUnavailableError('database is locked')) {
      for (let i = 0; i < times; i++) failures.push(error);
    },
    clearFailures() {
      failures.length = 0;
    },
    hold() {
      let release!: () => void;
      gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      return {
        release: () => {
          gate = undefined;
          release();
        },
      };
    },
    waiting: () => waitingCount,
  };
}
