/**
 * A complaint, or any message with dissatisfaction: a ticket (or the message added to the
 * open one; a case resolved less than 7 days ago is reopened, and the applicant told). On an
 * FAQ topic the question is answered as well.
 */
import type { RouterKit, Step } from '../types.js';

export function complaintStep(kit: RouterKit): Step {
  return {
    name: 'complaint',
    run(turn, next) {
      const classification = turn.classification;
      const understanding = turn.understanding;
      if (classification === null || understanding === null) return next();
      if (understanding.intent !== 'complaint' && !classification.complaint) return next();
      kit.resetMisses(turn);
      const faqIntent = kit.isFaq(turn.kb, understanding.intent) ? understanding.intent : null;
      if (faqIntent !== null) kit.answer(turn, faqIntent, { aspect: understanding.aspect, facts: understanding.facts });
      if (turn.active) {
        const ticket = kit.addToTicket(turn, turn.active);
        kit.reply(turn, turn.m.complaintAdded(kit.ticketFacts(turn, ticket)), [], ticket.id);
        return { outcome: 'complaint_added', classification, ticketId: ticket.id };
      }
      const reopened = kit.reopenRecent(turn);
      if (reopened) {
        kit.reply(turn, turn.m.complaintReopened(kit.ticketFacts(turn, reopened)), [], reopened.id);
        return { outcome: 'complaint_reopened', classification, ticketId: reopened.id };
      }
      const ticket = kit.openTicket(turn, {
        kind: 'complaint',
        intent: faqIntent ?? 'complaint',
        priority: classification.priorityGroup ? 'high' : 'normal',
        integrity: false,
      });
      kit.reply(turn, turn.m.complaintOpened(kit.ticketFacts(turn, ticket)), [], ticket.id);
      return { outcome: 'complaint_opened', classification, ticketId: ticket.id };
    },
  };
}
