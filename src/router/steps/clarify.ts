/**
 * When unsure, ask (Rasa's two-stage fallback): below a confidence threshold, or when the
 * top two topics are close, the bot asks which one with the candidates as buttons (and one
 * for an officer) instead of answering with confidence it does not have. Such a turn counts
 * as a miss: after two in a row the bot offers an officer instead. While a ticket is open
 * an unclear message joins it instead, and the applicant gets its status.
 */
import type { QuickReply } from '../../../channels/channel.js';
import type { Classification } from '../../nlu/types.js';
import { caseKeys, type CaseFacts } from '../dialogue.js';
import type { Decision, RouterKit, Step, Turn } from '../types.js';

/** An FAQ answer needs at least this confidence; below it the bot asks. */
export const CLARIFY_BELOW_CONFIDENCE = 0.5;
/** Two topics this close are both offered. */
export const CLARIFY_CLOSE_GAP = 0.15;
/** A candidate below this is not worth a button. */
export const CLARIFY_CANDIDATE_MIN = 0.08;
/** An out-of-scope verdict is questioned when an FAQ candidate has at least this... */
const OUT_OF_SCOPE_CANDIDATE_MIN = 0.2;

export function clarifyStep(kit: RouterKit): Step {
  return {
    name: 'clarify',
    run(turn, next) {
      const classification = turn.classification;
      const understanding = turn.understanding;
      if (classification === null || understanding === null || understanding.source !== 'message' || understanding.second !== null) return next();
      const options = unsureBetween(kit, turn, classification);
      if (options === null) return next();
      // "passport for my baby": unsure between the child's passport and the priority service,
      // but the case it states has a topic of its own among them; no need to ask.
      const own = caseTopicAmong(understanding.stated, options);
      if (own !== null) {
        turn.understanding = { ...understanding, intent: own };
        return next();
      }
      return askWhichOne(kit, turn, options);
    },
  };
}

/** The topic each stated case belongs to: its requirements, or the procedure it needs. */
const CASE_TOPIC: Readonly<Record<string, string>> = {
  child: 'requirements_child',
  lost: 'lost_damaged',
  damaged: 'lost_damaged',
  abroad: 'lost_damaged',
  data_change: 'renewal',
};

/** The one offered topic that the message's own case names, or null (none, or several). */
function caseTopicAmong(stated: CaseFacts, options: readonly string[]): string | null {
  const named = new Set<string>();
  for (const key of caseKeys(stated)) {
    const topic = CASE_TOPIC[key];
    if (topic !== undefined && options.includes(topic)) named.add(topic);
  }
  return named.size === 1 ? [...named][0]! : null;
}

/**
 * "Which one did you mean?" with the candidates as buttons and one for an officer; a miss
 * toward the offer of an officer. With a ticket open the message also joins the ticket (the
 * officer sees it) and the applicant is told so, but still gets the question: a status
 * report alone ("Tiket #1: sedang ditangani") leaves their question unanswered.
 */
export function askWhichOne(kit: RouterKit, turn: Turn, options: readonly string[]): Decision {
  const classification = turn.classification;
  const buttons: QuickReply[] = [...kit.topicButtons(turn, options).slice(0, 3), { label: turn.m.askOfficerLabel, payload: 'intent:human_handoff' }];
  const first = turn.kb.intents.get(options[0]!)!;
  const question = options.length === 1 ? turn.m.clarifyOne(first.label[turn.language]) : turn.m.clarify;
  if (turn.active) {
    kit.resetMisses(turn);
    const ticket = kit.addToTicket(turn, turn.active);
    kit.reply(turn, `${turn.m.inTicketNote(ticket.ref)} ${question}`, buttons, ticket.id);
    turn.dialogue = { ...turn.dialogue, clarify: [...options] };
    return { outcome: 'clarify', classification, ticketId: ticket.id };
  }
  const offered = kit.miss(turn, () => {
    kit.reply(turn, question, buttons, null);
    turn.dialogue = { ...turn.dialogue, clarify: [...options] };
  });
  return { outcome: offered === 'offered' ? 'handoff_offered' : 'clarify', classification, ticketId: null };
}

/** The FAQ intents to offer when the classifier is unsure, or null when it is sure enough. */
export function unsureBetween(kit: RouterKit, turn: Turn, c: Classification): string[] | null {
  const candidates = c.candidates.filter((candidate) => kit.isFaq(turn.kb, candidate.intent) && candidate.confidence >= CLARIFY_CANDIDATE_MIN);
  const top = candidates[0];
  if (top === undefined) return null;
  const second = candidates[1];
  const close = (a: number, b: number): boolean => a - b < CLARIFY_CLOSE_GAP;
  let unsure = false;
  if (kit.isFaq(turn.kb, c.intent)) {
    unsure = c.confidence < CLARIFY_BELOW_CONFIDENCE || (second !== undefined && close(c.confidence, second.confidence));
  } else if (c.intent === 'out_of_scope') {
    unsure = top.confidence >= OUT_OF_SCOPE_CANDIDATE_MIN && close(c.confidence, top.confidence);
  }
  if (!unsure) return null;
  // The decided intent first, then the close ones.
  const ids = candidates.filter((candidate) => close(top.confidence, candidate.confidence) || candidate === top).map((candidate) => candidate.intent);
  if (kit.isFaq(turn.kb, c.intent) && !ids.includes(c.intent)) ids.unshift(c.intent);
  return ids.slice(0, 3);
}
