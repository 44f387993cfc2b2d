/**
 * A request for an officer opens a handoff ticket (or points to the open one); so does a
 * "yes" to the bot's offer of an officer after repeated misses.
 */
import { insertTicketEvent } from '../../store/tickets.js';
import type { Decision, RouterKit, Step, Turn } from '../types.js';

export const PAYLOAD_HANDOFF_YES = 'handoff:yes';
export const PAYLOAD_HANDOFF_NO = 'handoff:no';
const YES = /^(ya+|iy+a+|yes|y|ok(e|ay)?|mau|boleh|bisa|siap|iya mau|ya mau|setuju|sure|please)\b/;
const NO = /^(tidak|tdk|gak|ga|nggak|enggak|sonde|son|no|nope|nanti|tidak usah|ga usah|gak usah|no thanks)\b/;

export function handOff(kit: RouterKit, turn: Turn): Decision {
  const classification = turn.classification;
  if (turn.active) {
    const ticket = kit.addToTicket(turn, turn.active);
    insertTicketEvent(kit.db, { ticketId: ticket.id, actor: 'applicant', type: 'handoff_requested' }, turn.now);
    kit.reply(turn, turn.m.handoffAlreadyOpen(kit.ticketFacts(turn, ticket)), [], ticket.id);
    return { outcome: 'handoff_existing', classification, ticketId: ticket.id };
  }
  const reopened = kit.reopenRecent(turn);
  if (reopened) {
    kit.reply(turn, turn.m.complaintReopened(kit.ticketFacts(turn, reopened)), [], reopened.id);
    return { outcome: 'complaint_reopened', classification, ticketId: reopened.id };
  }
  const priority = classification?.priorityGroup ? 'high' : 'normal';
  const ticket = kit.openTicket(turn, { kind: 'handoff', intent: 'human_handoff', priority, integrity: false });
  kit.reply(turn, turn.m.handoffOpened(kit.ticketFacts(turn, ticket)), [], ticket.id);
  return { outcome: 'handoff_opened', classification, ticketId: ticket.id };
}

/** The bot asked "connect you to an officer?" last time: yes, no, or something else (routed normally). */
export function handoffConfirmStep(kit: RouterKit): Step {
  return {
    name: 'handoff-confirm',
    run(turn, next) {
      if (turn.conversation.awaiting !== 'handoff_confirm') return next();
      turn.patch = { ...turn.patch, awaiting: null, awaitingTicketId: null };
      const normalized = turn.text.toLowerCase();
      if (turn.payload === PAYLOAD_HANDOFF_YES || (turn.payload === null && YES.test(normalized))) {
        kit.resetMisses(turn);
        return handOff(kit, turn);
      }
      if (turn.payload === PAYLOAD_HANDOFF_NO || (turn.payload === null && NO.test(normalized))) {
        kit.resetMisses(turn);
        kit.reply(turn, turn.m.handoffDeclined, kit.mainTopics(turn));
        return { outcome: 'handoff_declined', classification: turn.classification, ticketId: null };
      }
      return next();
    },
  };
}

export function handoffStep(kit: RouterKit): Step {
  return {
    name: 'handoff',
    run(turn, next) {
      if (turn.understanding?.intent !== 'human_handoff') return next();
      kit.resetMisses(turn);
      return handOff(kit, turn);
    },
  };
}
