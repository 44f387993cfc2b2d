/**
 * Not understood. While a ticket is open the message joins it and the applicant gets its
 * status; otherwise the bot says what it can help with, and after two misses in a row
 * offers an officer.
 */
import type { Decision, RouterKit, Turn } from '../types.js';

export function fallback(kit: RouterKit): (turn: Turn) => Decision {
  return (turn) => {
    const classification = turn.classification;
    if (turn.active) {
      // Mid-case, what the bot cannot place ("kapan dibalas?", "saya sudah di loket 3")
      // belongs to the open ticket: staff see it, and the applicant gets the status.
      kit.resetMisses(turn);
      kit.addToTicket(turn, turn.active);
      kit.reportStatus(turn, turn.active.id);
      return { outcome: 'status', classification, ticketId: turn.active.id };
    }
    const offered = kit.miss(turn, () => {
      const text = kit.text(turn, 'out_of_scope') ?? turn.m.offerHuman;
      kit.reply(turn, text, kit.mainTopics(turn));
    });
    return { outcome: offered === 'offered' ? 'handoff_offered' : 'fallback', classification, ticketId: null };
  };
}
