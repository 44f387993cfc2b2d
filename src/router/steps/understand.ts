/**
 * What the message means in this conversation. Usually the classifier's intent; but a
 * message that only makes sense in context ("biayanya berapa?", "kalau anak?", "terus?",
 * "and for my son?") is about the topic under discussion, for the part it asks (its aspect)
 * and the case it adds. A new, clear topic replaces the old one (and its case facts).
 */
import { composeAnswer } from '../../knowledge/render.js';
import { ANSWER_CASES, type AnswerAspect, type AnswerCase } from '../../knowledge/types.js';
import type { Classification } from '../../nlu/types.js';
import { detectFacts, isContinuation, isTicketFollowUp, wordCount } from '../cues.js';
import { isForeignDomain } from '../../nlu/domain.js';
import { unsureBetween } from './clarify.js';
import { caseKeys, hasFacts, mergeFacts, type CaseFacts } from '../dialogue.js';
import type { RouterKit, Step, Turn, Understanding } from '../types.js';

export const PAYLOAD_INTENT = /^intent:([a-z0-9_]{1,64})$/;
/** The "more" button: the rest of a topic (`more:<intent>:<case or ->:<aspect or ->`). */
export const PAYLOAD_MORE = /^more:([a-z0-9_]{1,64}):([a-z_]{1,16}|-):([a-z]{1,16}|-)$/;

/** A question after the open ticket is short; a longer message says more and is routed as such. */
const TICKET_QUESTION_MAX_WORDS = 12;
/** A follow-up is short: longer messages say what they are about. */
const FOLLOW_UP_MAX_WORDS = 8;
/** Below this the classifier's own topic does not outweigh the one under discussion. */
const OWN_TOPIC_CONFIDENCE = 0.6;
/** "kalau anak?", "bagaimana dengan ...", "and for my son?": explicitly elliptical. */
const ELLIPTICAL_START = /^(kalau|kalo|klo|kl|bagaimana dengan|gimana dengan|bagaimana kalau|terus kalau|lalu kalau|trus kalau|untuk|buat|yang|and|what about|how about|for|if|and if|what if)\b/;

/**
 * Intents a bare aspect question lands on when the classifier has no topic to go by:
 * "biayanya berapa?" -> fees, "dokumennya apa saja?" -> requirements_new.
 */
const GENERIC_FOR_ASPECT: Readonly<Record<AnswerAspect, readonly string[]>> = {
  fee: ['fees', 'payment'],
  documents: ['requirements_new', 'mpaspor_upload'],
  steps: ['mpaspor_register'],
  time: ['processing_time'],
  where: ['office_info'],
  who: ['processing_time'],
};

export function understandStep(kit: RouterKit): Step {
  return {
    name: 'understand',
    run(turn, next) {
      const classification = turn.classification;
      if (classification === null) return next();
      turn.understanding = understand(kit, turn, classification);
      return next();
    },
  };
}

function understand(kit: RouterKit, turn: Turn, c: Classification): Understanding {
  const forms = turn.forms();
  const state = turn.dialogue;
  const kb = turn.kb;
  // A button's text is its label ("Paspor hilang/rusak"), which states nothing about the case.
  const stated = turn.payload === null ? detectFacts(forms, state.facts) : {};

  const more = turn.payload === null ? null : PAYLOAD_MORE.exec(turn.payload);
  if (more && kb.intents.has(more[1]!)) {
    const caseKey = more[2] as string;
    const aspect = more[3] === '-' ? null : (more[3] as AnswerAspect);
    return {
      intent: more[1]!,
      aspect,
      source: 'button',
      continuation: true,
      facts: mergeFacts(state.facts, factsOfCase(caseKey)),
      stated,
      second: null,
    };
  }
  if (turn.payload !== null && PAYLOAD_INTENT.test(turn.payload)) {
    // A pressed topic button (a follow-up or a clarification's candidate): the case stays.
    return { intent: c.intent, aspect: null, source: 'button', continuation: false, facts: mergeFacts(state.facts, stated), stated, second: null };
  }

  if (turn.active !== null && !c.integrity && wordCount(turn.text) <= TICKET_QUESTION_MAX_WORDS && isTicketFollowUp(forms)) {
    // "kapan ada jawaban?" with a ticket open is about that ticket, whatever the classifier
    // read (impatience included: the status answers it, and the question joins the ticket).
    return { intent: 'ticket_status', aspect: null, source: 'context', continuation: false, facts: state.facts, stated, second: null };
  }
  const topic = state.topic !== null && kit.isFaq(kb, state.topic) ? state.topic : null;
  if (topic !== null && isContinuation(forms)) {
    return { intent: topic, aspect: state.aspect, source: 'context', continuation: true, facts: mergeFacts(state.facts, stated), stated, second: null };
  }
  if (topic !== null && !c.complaint && isFollowUp(kit, turn, c, topic, stated)) {
    // A case alone ("kalau anak?") asks the same part again for that case.
    const aspect = c.aspect ?? (hasFacts(stated) ? state.aspect : null);
    return { intent: topic, aspect, source: 'context', continuation: false, facts: mergeFacts(state.facts, stated), stated, second: null };
  }
  if (topic !== null && !c.complaint && isUnsureShortFollowUp(kit, turn, c)) {
    // A short message the classifier cannot place, in the middle of a topic ("kalo lewat 2
    // jam?", "my brother can pick it up?"), most likely continues it: the topic's part for the
    // case (the answer step says so, and offers an officer, rather than send the same text twice).
    const facts = mergeFacts(state.facts, stated);
    const aspect = c.aspect !== null && answersAspect(turn, topic, c.aspect, facts) ? c.aspect : null;
    return { intent: topic, aspect, source: 'context', continuation: false, facts, stated, second: null };
  }
  if (topic !== null && asksTheAppInWalkInCase(turn, c)) {
    // "bisa lewat m-paspor ko?" about a damaged passport or a court-ordered name change: the
    // case's own steps (walk in, no M-Paspor), not the app's registration steps.
    return { intent: topic, aspect: 'steps', source: 'case', continuation: false, facts: mergeFacts(state.facts, stated), stated, second: null };
  }
  if (stated.situation === 'data_change' && kb.intents.has('renewal') && !NOT_OVERRIDDEN.has(c.intent)) {
    // A name changed by a court or a corrected birth date is a walk-in data change, whatever
    // the classifier made of it (it is no plain M-Paspor replacement).
    return { intent: 'renewal', aspect: c.aspect, source: 'context', continuation: false, facts: stated, stated, second: null };
  }
  const newTopic = kit.isFaq(kb, c.intent) && c.intent !== topic;
  return {
    intent: c.intent,
    aspect: c.aspect,
    source: 'message',
    continuation: false,
    // A new topic starts a new case; the same topic (or no topic) keeps what is known.
    facts: newTopic ? factsForNewTopic(turn, c.intent, state.facts, stated) : mergeFacts(state.facts, stated),
    stated,
    second: secondAsk(kit, turn, c),
  };
}

/**
 * The case a new topic starts with: what the message states, and, when a short message does
 * not say, the person the conversation was about and its situation where the new topic has a
 * case for it. "anak saya 8 tahun mau bikin paspor" then "dokumennya apa aja?" asks the
 * child's documents (the new-adult list would be wrong for them); "paspor basah kena hujan"
 * then "kalo ganti barapa?" asks the damaged passport's fee, not the fee table. A longer
 * message says what it is about, and starts afresh.
 */
function factsForNewTopic(turn: Turn, intent: string, known: CaseFacts, stated: CaseFacts): CaseFacts {
  if (wordCount(turn.text) > FOLLOW_UP_MAX_WORDS) return stated;
  let facts = stated;
  if (stated.who === undefined && known.who !== undefined) facts = { ...facts, who: known.who };
  const cases = turn.kb.intents.get(intent)?.cases;
  if (stated.situation === undefined && known.situation !== undefined && cases?.[known.situation] !== undefined) {
    facts = { ...facts, situation: known.situation, ...(known.disaster === true ? { disaster: true as const } : {}) };
  }
  return facts;
}

/** Joins two asks: "syarat apa saja dan biayanya berapa?", "..., deng berapa lama jadi?". */
const CONJUNCTION = /(?:\b(?:dan|deng|dengan|serta|terus|trus|lalu|juga|and|also|plus)\b|[,;])/;
/** Two topics this close, each at least this likely, in a message that joins two clauses, are two asks. */
const TWO_ASKS_GAP = 0.15;
const TWO_ASKS_MIN = 0.3;

/**
 * The second ask of a message: the classifier's, or, when it found none, the runner-up of two
 * close FAQ topics in a message that joins two clauses (asking "which one?" would be wrong:
 * the applicant asked both).
 */
function secondAsk(kit: RouterKit, turn: Turn, c: Classification): string | null {
  if (c.secondIntent !== null) return kit.isFaq(turn.kb, c.secondIntent) && c.secondIntent !== c.intent ? c.secondIntent : null;
  const [first, second] = c.candidates;
  if (first === undefined || second === undefined || first.intent !== c.intent) return null;
  if (!kit.isFaq(turn.kb, first.intent) || !kit.isFaq(turn.kb, second.intent)) return null;
  if (second.confidence < TWO_ASKS_MIN || first.confidence - second.confidence >= TWO_ASKS_GAP) return null;
  return CONJUNCTION.test(turn.forms().lower) ? second.intent : null;
}

/** Cases handled by walking in to the office, not through the app. */
const WALK_IN_CASES: ReadonlySet<string> = new Set(['lost', 'damaged', 'data_change']);
/** The app named in a short question ("lewat m-paspor bisa?", "can I do it in the app?"). */
const NAMES_THE_APP = /\b(m ?-?paspor|mpaspor|aplikasi|apk|app|online|daring)\b/;

function asksTheAppInWalkInCase(turn: Turn, c: Classification): boolean {
  const situation = turn.dialogue.facts.situation;
  if (situation === undefined || !WALK_IN_CASES.has(situation) || c.complaint) return false;
  if (c.intent !== 'mpaspor_register' || wordCount(turn.text) > FOLLOW_UP_MAX_WORDS) return false;
  const forms = turn.forms();
  return NAMES_THE_APP.test(forms.normalized) || NAMES_THE_APP.test(forms.lower);
}

/** Intents a data-change cue does not override: asking for an officer, a ticket's status, a complaint. */
const NOT_OVERRIDDEN: ReadonlySet<string> = new Set(['human_handoff', 'ticket_status', 'complaint']);

function isFollowUp(kit: RouterKit, turn: Turn, c: Classification, topic: string, stated: CaseFacts): boolean {
  const entry = turn.kb.intents.get(topic);
  if (entry === undefined) return false;
  const forms = turn.forms();
  const words = wordCount(turn.text);
  if (words > FOLLOW_UP_MAX_WORDS) return false;
  const elliptical = ELLIPTICAL_START.test(forms.normalized) || ELLIPTICAL_START.test(forms.lower) || words <= 3;
  // The classifier's intent is no clear, different topic of its own.
  const weakOwnTopic = c.intent === topic || !kit.isFaq(turn.kb, c.intent) || c.confidence < OWN_TOPIC_CONFIDENCE;
  if (c.aspect !== null) {
    // Only when the topic has that part for this case ("how long?" about a lost passport has
    // no part of its own: the processing-time answer is better than the loss steps again).
    if (!answersAspect(turn, topic, c.aspect, mergeFacts(turn.dialogue.facts, stated))) return false;
    return weakOwnTopic || elliptical || GENERIC_FOR_ASPECT[c.aspect].includes(c.intent);
  }
  if (!hasFacts(stated)) return false;
  const keys = caseKeys(stated);
  if (!keys.some((key) => entry.cases[key] !== undefined)) return false;
  return elliptical || weakOwnTopic;
}

/** A context follow-up is short... */
const UNSURE_FOLLOW_UP_MAX_WORDS = 12;
/** ...and the classifier's out-of-scope verdict no surer than this (a visa question stays out of scope). */
const UNSURE_OUT_OF_SCOPE = 0.7;
/** A message this short is read in context whatever the classifier's out-of-scope verdict. */
const BRIEF_WORDS = 6;
/** Intents that are never read as a topic's follow-up. */
const OWN_KIND: ReadonlySet<string> = new Set(['greeting', 'thanks', 'human_handoff', 'ticket_status', 'complaint']);

function isUnsureShortFollowUp(kit: RouterKit, turn: Turn, c: Classification): boolean {
  if (OWN_KIND.has(c.intent) || c.integrity || wordCount(turn.text) > UNSURE_FOLLOW_UP_MAX_WORDS) return false;
  if (c.intent === 'out_of_scope') {
    // "kalo beta pung bapa su 65?": a case of the topic, however foreign the words look.
    const forms = turn.forms();
    const casted = hasFacts(detectFacts(forms)) && (ELLIPTICAL_START.test(forms.normalized) || ELLIPTICAL_START.test(forms.lower));
    // A few words with nothing foreign in them ("hari ini su rabu") belong to the topic too.
    const brief = wordCount(turn.text) <= BRIEF_WORDS && !isForeignDomain(forms.normalized);
    return casted || brief || c.confidence < UNSURE_OUT_OF_SCOPE;
  }
  return kit.isFaq(turn.kb, c.intent) && unsureBetween(kit, turn, c) !== null;
}

/** Whether the topic, for the case known, has a part of its own for this aspect. */
function answersAspect(turn: Turn, topic: string, aspect: AnswerAspect, facts: CaseFacts): boolean {
  if (!turn.kb.intents.has(topic)) return false;
  return composeAnswer(turn.kb, topic, turn.language, { aspect, cases: caseKeys(facts) }).aspect === aspect;
}

function factsOfCase(key: string): CaseFacts {
  if (!(ANSWER_CASES as readonly string[]).includes(key)) return {};
  const answerCase = key as AnswerCase;
  switch (answerCase) {
    case 'child':
    case 'adult':
    case 'elderly':
      return { who: answerCase };
    case 'disaster':
      return { disaster: true };
    default:
      return { situation: answerCase };
  }
}
