/**
 * An FAQ question: the part of the answer asked (fee, documents, ...) for the case known so
 * far, or the default reply, with a "more" button when there is more, and follow-up topics.
 * A second ask in the same message is answered too. Inside an open ticket the question is
 * also added to the ticket, so the officer sees it.
 */
import type { RouterKit, Step } from '../types.js';

export function answerStep(kit: RouterKit): Step {
  return {
    name: 'answer',
    run(turn, next) {
      const understanding = turn.understanding;
      const classification = turn.classification;
      if (understanding === null || !kit.isFaq(turn.kb, understanding.intent)) return next();
      kit.resetMisses(turn);
      const ticketId = turn.active ? kit.addToTicket(turn, turn.active).id : null;
      kit.answer(turn, understanding.intent, {
        aspect: understanding.aspect,
        facts: understanding.facts,
        part: understanding.continuation ? 'more' : 'default',
      });
      const second = understanding.second;
      if (second !== null && second !== understanding.intent && kit.isFaq(turn.kb, second)) kit.answer(turn, second, { facts: understanding.facts });
      return { outcome: 'faq', classification, ticketId };
    },
  };
}
