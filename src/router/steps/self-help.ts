/**
 * Self-help that failed becomes a ticket: after troubleshooting advice (OTP, app error,
 * upload, quota, payment ...), "masih sama", "sudah dicoba", "tetap tidak bisa", "still not
 * working" opens a ticket on that topic (or adds to the open one) and says so, instead of
 * repeating the same steps.
 */
import { isSelfHelpFailure } from '../cues.js';
import type { RouterKit, Step } from '../types.js';

/** A different topic asked this clearly is a new question, not a report on the advice. */
const OTHER_TOPIC_CONFIDENCE = 0.8;

export function selfHelpStep(kit: RouterKit): Step {
  return {
    name: 'self-help',
    run(turn, next) {
      const advice = turn.dialogue.advice;
      const understanding = turn.understanding;
      const classification = turn.classification;
      if (advice === null || understanding === null || understanding.source === 'button' || !turn.kb.intents.has(advice)) return next();
      if (!isSelfHelpFailure(turn.forms())) return next();
      const otherTopic =
        understanding.intent !== advice &&
        kit.isFaq(turn.kb, understanding.intent) &&
        (classification?.confidence ?? 0) >= OTHER_TOPIC_CONFIDENCE &&
        !turn.kb.intents.get(understanding.intent)?.troubleshooting;
      if (otherTopic) return next();
      kit.resetMisses(turn);
      const added = turn.active !== null;
      const ticket = turn.active
        ? kit.addToTicket(turn, turn.active)
        : kit.openTicket(turn, { kind: 'handoff', intent: advice, priority: classification?.priorityGroup ? 'high' : 'normal', integrity: false });
      const topic = turn.kb.intents.get(advice)!.label[turn.language];
      kit.reply(turn, turn.m.selfHelpTicket({ ...kit.ticketFacts(turn, ticket), topic, added }), [], ticket.id);
      // The advice stays the subject: "masih tidak bisa juga" again adds to the same ticket and
      // says so (until a new topic or the quiet period ends it).
      turn.dialogue = { ...turn.dialogue, topic: advice, clarify: null };
      return { outcome: 'selfhelp_failed', classification, ticketId: ticket.id };
    },
  };
}
