/**
 * An officer holds the applicant's ticket: every message joins it. The bot does not talk
 * over the officer, but it is never silent either: a clear FAQ question is answered, a
 * status question gets the status, another question is acknowledged each time, and anything
 * else (news, impatience) gets a short acknowledgement (at most once per quiet period) saying
 * the message reached the officer and, after hours, when the office opens. Scam reports go on
 * to the scam step (which flags the ticket).
 */
import { isQuestion, isScamReport } from '../cues.js';
import { DIALOGUE_QUIET_MS } from '../dialogue.js';
import type { RouterKit, Step, Turn } from '../types.js';

/** A typed question needs this confidence to be answered while an officer holds the ticket. */
export const HELD_ANSWER_CONFIDENCE = 0.6;

export function heldStep(kit: RouterKit): Step {
  return {
    name: 'held',
    run(turn, next) {
      const active = turn.active;
      const understanding = turn.understanding;
      if (!active || active.assigneeId === null || understanding === null) return next();
      const classification = turn.classification;
      if (classification?.integrity || isScamReport(turn.forms())) return next();
      kit.addToTicket(turn, active);
      if (understanding.intent === 'ticket_status') {
        kit.reportStatus(turn, classification?.ticketNumber ?? active.id);
        return { outcome: 'status', classification, ticketId: active.id };
      }
      // Only a question is answered ("saya masih menunggu di sini" is news for the officer).
      const faq =
        kit.isFaq(turn.kb, understanding.intent) &&
        (understanding.source === 'button' ||
          (isQuestion(turn.forms()) &&
            (understanding.source === 'context' || understanding.source === 'case' || (classification !== null && classification.confidence >= HELD_ANSWER_CONFIDENCE && !classification.complaint))));
      if (faq) kit.answer(turn, understanding.intent, { aspect: understanding.aspect, facts: understanding.facts, part: understanding.continuation ? 'more' : 'default', ticketId: active.id });
      // A question the bot cannot answer is still acknowledged, each time: silence after a
      // question reads as being ignored ("berkas saya kurang KK, bisa nyusul?").
      if (acknowledgementDue(turn) || (!faq && isQuestion(turn.forms()))) {
        kit.reply(turn, turn.m.heldAcknowledged(kit.ticketFacts(turn, active)), [], active.id);
        turn.dialogue = { ...turn.dialogue, ackAt: turn.now.getTime() };
      }
      return { outcome: faq ? 'faq' : 'held_by_staff', classification, ticketId: active.id };
    },
  };
}

function acknowledgementDue(turn: Turn): boolean {
  const last = turn.dialogue.ackAt;
  return last === null || turn.now.getTime() - last > DIALOGUE_QUIET_MS;
}
