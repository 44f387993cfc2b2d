/**
 * The bot asked for a satisfaction rating, or for a comment after one. A rating (button or
 * number) is recorded and a comment invited; a comment is recorded unless the message is
 * plainly a new question, which then goes through normal routing.
 */
import { parseRating, recordComment, recordRating, SKIP_COMMENT_PAYLOAD } from '../../satisfaction.js';
import { getTicket } from '../../store/tickets.js';
import type { RouterKit, Step } from '../types.js';

/** A new question during the survey needs this much confidence to be answered instead of recorded. */
const NEW_QUESTION_CONFIDENCE = 0.5;

export function surveyStep(kit: RouterKit): Step {
  return {
    name: 'survey',
    run(turn, next) {
      const { conversation } = turn;
      if (conversation.awaiting !== 'csat_rating' && conversation.awaiting !== 'csat_comment') return next();
      const classification = turn.classification;
      const ticket = conversation.awaitingTicketId === null ? null : getTicket(kit.db, conversation.awaitingTicketId);
      turn.patch = { ...turn.patch, awaiting: null, awaitingTicketId: null };
      if (!ticket || classification === null) return next();
      if (conversation.awaiting === 'csat_rating') {
        const rating = parseRating(turn.text, turn.payload, ticket.id);
        if (rating === null) return next();
        recordRating({ db: kit.db, alerts: kit.alerts }, ticket, rating, turn.now);
        turn.patch = { ...turn.patch, awaiting: 'csat_comment', awaitingTicketId: ticket.id };
        kit.reply(turn, turn.m.csatThanks(rating, { fromLapor: ticket.origin === 'lapor' }), [{ label: turn.m.csatSkipLabel, payload: SKIP_COMMENT_PAYLOAD }], ticket.id);
        return { outcome: 'survey_rating', classification, ticketId: ticket.id };
      }
      if (turn.payload === SKIP_COMMENT_PAYLOAD) return { outcome: 'survey_comment', classification, ticketId: ticket.id };
      const newQuestion = kit.isFaq(turn.kb, classification.intent) && classification.confidence >= NEW_QUESTION_CONFIDENCE && !classification.complaint;
      if (newQuestion || turn.payload !== null) return next();
      recordComment({ db: kit.db, alerts: kit.alerts }, ticket, turn.text, turn.now);
      kit.reply(turn, turn.m.csatCommentThanks, [], ticket.id);
      return { outcome: 'survey_comment', classification, ticketId: ticket.id };
    },
  };
}
