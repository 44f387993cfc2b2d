/**
 * Runs each update through telegraf once per process. Update ids already
 * handled are skipped (the core's unique key catches the rest, e.g. after a
 * restart); concurrent webhook redeliveries of the same id share one run.
 * A malformed update (one the intake cannot read) is logged and counts as
 * handled: refusing it would have it delivered again forever.
 */
import type { Update } from 'telegraf/types';
import type { Logger } from 'pino';
import { malformedUpdateReason } from './update-shape.js';

export interface UpdateRunner {
  /** Rejects when the update was not stored, so the caller does not acknowledge it. */
  process(update: Update): Promise<void>;
  /** Runs not finished yet (stop() waits for them, bounded). */
  inFlight(): readonly Promise<void>[];
}

export function createUpdateRunner(deps: {
  readonly run: (update: Update) => Promise<void>;
  /** How many recent update ids are remembered. */
  readonly capacity: number;
  readonly log: Logger;
}): UpdateRunner {
  const seen = createSeenSet(deps.capacity);
  const running = new Map<number, Promise<void>>();
  return {
    process(update) {
      const malformed = malformedUpdateReason(update);
      if (malformed !== null) {
        const updateId = (update as { update_id?: unknown } | null)?.update_id;
        deps.log.warn({ updateId: typeof updateId === 'number' ? updateId : undefined, problem: malformed }, 'malformed update acknowledged and dropped');
        return Promise.resolve();
      }
      const id = update.update_id;
      if (seen.has(id)) {
        deps.log.debug({ updateId: id }, 'repeated update id dropped');
        return Promise.resolve();
      }
      const current = running.get(id);
      if (current !== undefined) return current;
      const run = deps
        .run(update)
        .then(() => {
          seen.add(id);
        })
        .finally(() => {
          running.delete(id);
        });
      running.set(id, run);
      return run;
    },
    inFlight: () => [...running.values()],
  };
}

/** Remembers the most recent ids (insertion order) so memory stays bounded. */
function createSeenSet(capacity: number): { has(id: number): boolean; add(id: number): void } {
  const ids = new Set<number>();
  return {
    has: (id) => ids.has(id),
    add: (id) => {
      ids.add(id);
      if (ids.size > capacity) {
        const oldest = ids.values().next();
        if (oldest.done !== true) ids.delete(oldest.value);
      }
    },
  };
}
