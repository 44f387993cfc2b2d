/**
 * With a ticket open, "kirim ke mana?" / "where do I send the photo?" is answered: here, in
 * this chat; what is sent joins the ticket (the media step attaches files to the open ticket).
 * Without this the question read as an upload FAQ about the M-Paspor app.
 */
import { asksWhereToSend } from '../cues.js';
import type { RouterKit, Step } from '../types.js';

export function sendHereStep(kit: RouterKit): Step {
  return {
    name: 'send-here',
    run(turn, next) {
      if (turn.active === null || turn.payload !== null || !asksWhereToSend(turn.forms())) return next();
      kit.resetMisses(turn);
      const ticket = kit.addToTicket(turn, turn.active);
      kit.reply(turn, turn.m.sendHere(kit.ticketFacts(turn, ticket)), [], ticket.id);
      return { outcome: 'status', classification: turn.classification, ticketId: ticket.id };
    },
  };
}
