/**
 * A flood from one sender gets a bounded number of replies; the messages are kept (and join
 * an open ticket) so nothing is lost, and other applicants are unaffected.
 */
import type { RouterKit, Step } from '../types.js';

/** One sender's messages answered per window; beyond it the bot goes quiet (one notice). */
export const FLOOD_MAX_ANSWERED = 10;
export const FLOOD_WINDOW_MS = 60_000;

export function floodStep(kit: RouterKit): Step {
  return {
    name: 'flood',
    run(turn, next) {
      const recent = turn.recentInbound;
      if (recent < FLOOD_MAX_ANSWERED) return next();
      if (turn.active) kit.addToTicket(turn, turn.active);
      if (recent === FLOOD_MAX_ANSWERED) kit.reply(turn, turn.m.slowDown);
      return { outcome: 'flood', classification: turn.classification, ticketId: turn.active?.id ?? null };
    },
  };
}
