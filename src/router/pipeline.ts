/**
 * Runs a turn through the steps in order: each step decides or calls `next()` to pass the
 * turn on (grammY-style middleware, synchronous because routing runs inside a SQLite
 * transaction). The last function decides when every step passed.
 */
import type { Decision, Step, Turn } from './types.js';

export type Pipeline = (turn: Turn) => Decision;

export function compose(steps: readonly Step[], last: (turn: Turn) => Decision): Pipeline {
  const run = (turn: Turn, index: number): Decision => {
    const step = steps[index];
    if (step === undefined) return last(turn);
    return step.run(turn, () => run(turn, index + 1));
  };
  return (turn) => run(turn, 0);
}
