/**
 * Not understood. While a ticket is open the message joins it and the applicant gets its
 * status; otherwise the bot says what it can help with, and after two misses in a row
 * offers an officer.
 */
import type { Ticket } from '../../domain.js';
import type { Decision, RouterKit, Turn } from '../types.js';

/** The message joins the open ticket (staff see it) and the applicant gets the ticket's status. */
export function joinOpenTicket(kit: RouterKit, turn: Turn, ticket: Ticket): Decision {
  kit.resetMisses(turn);
  kit.addToTicket(turn, ticket);
  kit.reportStatus(turn, ticket.id);
  return { outcome: 'status', classification: turn.classification, ticketId: ticket.id };
}

export function fallback(kit: RouterKit): (turn: Turn) => Decision {
  return (turn) => {
    const classification = turn.classification;
    // Mid-case, what the bot cannot place ("saya sudah di loket 3") belongs to the open ticket.
    if (turn.active) return joinOpenTicket(kit, turn, turn.active);
    const offered = kit.miss(turn, () => {
      const text = kit.text(turn, 'out_of_scope') ?? turn.m.offerHuman;
      kit.reply(turn, text, kit.mainTopics(turn));
    });
    return { outcome: offered === 'offered' ? 'handoff_offered' : 'fallback', classification, ticketId: null };
  };
}
