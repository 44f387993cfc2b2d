/**
 * An FAQ question: the part of the answer asked (fee, documents, ...) for the case known so
 * far, or the default reply, with a "more" button when there is more, and follow-up topics.
 * A second ask in the same message is answered too. Inside an open ticket the question is
 * also added to the ticket, so the officer sees it.
 *
 * The same part is never sent twice in a row for a typed question ("bisa diambil adik saya?"
 * after the processing-time answer), unless the question asks for exactly that part again:
 * the classifier's own topic is answered instead when it differs and is sure, the close
 * candidates are offered when it is not, then the line of the topic the question plainly
 * names, the rest of the answer, a line it names less plainly, and otherwise the bot says it
 * has nothing more and offers an officer (a miss; "that is all" after "terus?").
 */
import type { AnswerAspect } from '../../nlu/types.js';
import type { AnswerOptions, Decision, RouterKit, Step, Turn } from '../types.js';
import { caseKeys } from '../dialogue.js';
import { answeringLine, PLAIN_LINE_SCORE, type AnsweringLine } from './answer-line.js';
import { askWhichOne, unsureBetween } from './clarify.js';
import { joinOpenTicket } from './fallback.js';

export function answerStep(kit: RouterKit): Step {
  return {
    name: 'answer',
    run(turn, next) {
      const understanding = turn.understanding;
      const classification = turn.classification;
      if (understanding === null || !kit.isFaq(turn.kb, understanding.intent)) return next();
      let intent = understanding.intent;
      let options: AnswerOptions = {
        aspect: understanding.aspect,
        facts: understanding.facts,
        part: understanding.continuation ? 'more' : 'default',
      };
      if (turn.payload === null && !asksForThisAgain(turn, intent) && kit.wouldRepeat(turn, intent, options)) {
        // The classifier's own topic only when it is sure of it (an unsure guess is worse than saying so).
        // (Not when the case under discussion has overruled the classifier's topic.)
        const own = understanding.source === 'case' || (classification !== null && !kit.isFaq(turn.kb, classification.intent)) ? null : classification;
        const alternative = own !== null && own.intent !== intent && unsureBetween(kit, turn, own) === null ? own.intent : null;
        if (alternative === null || kit.wouldRepeat(turn, alternative, { aspect: classification?.aspect ?? null, facts: understanding.facts })) {
          // Other topics the message may mean: ask which.
          const others = own === null ? null : unsureBetween(kit, turn, own)?.filter((id) => id !== intent) ?? null;
          if (others !== null && others.length > 0) return askWhichOne(kit, turn, others);
          // A line of the topic the question plainly names comes first ("bisa lewat
          // m-paspor?" about a damaged passport -> "Datang langsung (tanpa M-Paspor) ...").
          // Else, when only the first part was sent, the rest may hold the answer ("bisa
          // diambil adik saya?" after the processing time: who may pick it up is in the
          // rest), with an officer one press away in case it does not. With no rest left
          // unsent: a line named less plainly, or nothing more.
          const line = lineAsked(turn, intent, options);
          if (line !== null && line.score >= PLAIN_LINE_SCORE) return answerWithLine(kit, turn, intent, line.line);
          const rest: AnswerOptions = { ...options, part: 'more', offerOfficer: true };
          if (options.part !== 'default' || !kit.hasMore(turn, intent, options) || kit.wouldRepeat(turn, intent, rest)) {
            return line !== null ? answerWithLine(kit, turn, intent, line.line) : nothingMore(kit, turn, intent);
          }
          options = rest;
        } else {
          intent = alternative;
          options = { aspect: classification?.aspect ?? null, facts: understanding.facts };
        }
      }
      kit.resetMisses(turn);
      const ticketId = turn.active ? kit.addToTicket(turn, turn.active).id : null;
      kit.answer(turn, intent, options);
      const second = understanding.second;
      // The second ask in short form (its whole answer one press away): two answers in full ran to 1,600 characters.
      if (second !== null && second !== intent && kit.isFaq(turn.kb, second)) kit.answer(turn, second, { facts: understanding.facts, brief: true });
      return { outcome: 'faq', classification, ticketId };
    },
  };
}

/**
 * Topics whose reply is itself the answer to a part asked by name: the documents of a
 * requirements topic, the fee of the fees topic, the time of the processing-time topic.
 * Asked for that part again ("dokumennya apa aja?" after the list), the reply is sent again:
 * "nothing more" would refuse a question the bot can answer.
 */
const ANSWER_IS_THE_PART: Readonly<Partial<Record<AnswerAspect, readonly string[]>>> = {
  documents: ['requirements_new', 'requirements_child'],
  fee: ['fees'],
  time: ['processing_time'],
};

function asksForThisAgain(turn: Turn, intent: string): boolean {
  const aspect = turn.classification?.aspect ?? null;
  return aspect !== null && (ANSWER_IS_THE_PART[aspect]?.includes(intent) ?? false);
}

/** The line of the topic a typed question asks about ("harus lapor polisi dulu?"), if any. */
function lineAsked(turn: Turn, intent: string, options: AnswerOptions): AnsweringLine | null {
  if (turn.payload !== null) return null;
  return answeringLine(turn.kb, intent, turn.language, caseKeys(options.facts ?? {}), turn.text);
}

/** That line alone, named as part of the topic's answer, with an officer one press away. */
function answerWithLine(kit: RouterKit, turn: Turn, intent: string, line: string): Decision {
  kit.resetMisses(turn);
  const label = turn.kb.intents.get(intent)?.label[turn.language] ?? intent;
  const ticketId = turn.active ? kit.addToTicket(turn, turn.active).id : null;
  kit.reply(turn, turn.m.fromAnswer(label, line), [{ label: turn.m.askOfficerLabel, payload: 'intent:human_handoff' }], ticketId);
  return { outcome: 'faq', classification: turn.classification, ticketId };
}

function nothingMore(kit: RouterKit, turn: Turn, intent: string): Decision {
  const classification = turn.classification;
  const label = turn.kb.intents.get(intent)?.label[turn.language] ?? intent;
  if (turn.understanding?.continuation === true) {
    // "terus?", "itu saja?" after the whole topic: that is all (an answer, not a miss).
    kit.resetMisses(turn);
    const ticketId = turn.active ? kit.addToTicket(turn, turn.active).id : null;
    kit.reply(turn, turn.m.thatIsAll(label), [{ label: turn.m.askOfficerLabel, payload: 'intent:human_handoff' }], ticketId);
    return { outcome: 'faq', classification, ticketId };
  }
  // Mid-case the officer sees the question on the ticket; the applicant is told the status.
  if (turn.active) return joinOpenTicket(kit, turn, turn.active);
  const offered = kit.miss(turn, () => {
    kit.reply(turn, turn.m.nothingMore(label), [{ label: turn.m.askOfficerLabel, payload: 'intent:human_handoff' }]);
  });
  return { outcome: offered === 'offered' ? 'handoff_offered' : 'fallback', classification, ticketId: null };
}
