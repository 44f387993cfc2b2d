/**
 * What the router remembers of a conversation between messages: the topic under
 * discussion and the part of it last answered, what is known of the applicant's case, the
 * last self-help advice, a pending "which one did you mean?", and when an officer's held
 * ticket was last acknowledged. Stored as JSON in `conversations.dialogue`; forgotten after
 * a quiet period (measured on the injected clock, from the last routed message).
 */
import { ANSWER_ASPECTS, type AnswerAspect } from '../nlu/types.js';
import type { AnswerCase } from '../knowledge/types.js';

/** After this long without a message the conversation starts afresh. */
export const DIALOGUE_QUIET_MS = 30 * 60_000;

export type Who = 'child' | 'adult' | 'elderly';
export type Situation = 'lost' | 'damaged' | 'abroad' | 'data_change';

/** What is known of the applicant's case. */
export interface CaseFacts {
  readonly who?: Who;
  readonly situation?: Situation;
  /** Passport validity asked about. */
  readonly years?: 5 | 10;
  /** Lost or damaged in a disaster (force majeure: flood, fire, earthquake): no loss or damage charge. */
  readonly disaster?: true;
}

export interface DialogueState {
  /** The intent under discussion (the last FAQ answered), or null. */
  readonly topic: string | null;
  /** The part of it last answered ("fee"), or null for the default reply. */
  readonly aspect: AnswerAspect | null;
  readonly facts: CaseFacts;
  /** The troubleshooting intent last advised (its steps may not have worked), or null. */
  readonly advice: string | null;
  /** Intents offered in a pending "which one did you mean?", or null. */
  readonly clarify: readonly string[] | null;
  /** When an officer's held ticket was last acknowledged to the applicant (ms), or null. */
  readonly ackAt: number | null;
  /** A hash of the answer last sent, so the same text is not sent twice in a row. */
  readonly lastAnswer: string | null;
  /** The last message routed (ms): the quiet period counts from here. */
  readonly at: number;
}

export const EMPTY_DIALOGUE: DialogueState = Object.freeze({
  topic: null,
  aspect: null,
  facts: Object.freeze({}),
  advice: null,
  clarify: null,
  ackAt: null,
  lastAnswer: null,
  at: 0,
});

const WHO: readonly Who[] = ['child', 'adult', 'elderly'];
const SITUATIONS: readonly Situation[] = ['lost', 'damaged', 'abroad', 'data_change'];

interface Stored {
  t?: unknown;
  a?: unknown;
  w?: unknown;
  s?: unknown;
  y?: unknown;
  v?: unknown;
  d?: unknown;
  c?: unknown;
  k?: unknown;
  l?: unknown;
  at?: unknown;
}

/** The state stored for a conversation as of `now`: empty when absent, unreadable or expired. */
export function readDialogue(raw: string | null, now: Date): DialogueState {
  if (raw === null || raw === '') return EMPTY_DIALOGUE;
  let data: Stored;
  try {
    const parsed: unknown = JSON.parse(raw);
    if (parsed === null || typeof parsed !== 'object') return EMPTY_DIALOGUE;
    data = parsed as Stored;
  } catch {
    // Written only by writeDialogue; anything else is treated as no memory at all.
    return EMPTY_DIALOGUE;
  }
  const at = typeof data.at === 'number' ? data.at : 0;
  if (now.getTime() - at > DIALOGUE_QUIET_MS) return EMPTY_DIALOGUE;
  const facts: CaseFacts = {
    ...(WHO.includes(data.w as Who) ? { who: data.w as Who } : {}),
    ...(SITUATIONS.includes(data.s as Situation) ? { situation: data.s as Situation } : {}),
    ...(data.y === 5 || data.y === 10 ? { years: data.y } : {}),
    ...(data.d === 1 ? { disaster: true as const } : {}),
  };
  return {
    topic: typeof data.t === 'string' ? data.t : null,
    aspect: (ANSWER_ASPECTS as readonly unknown[]).includes(data.a) ? (data.a as AnswerAspect) : null,
    facts,
    advice: typeof data.v === 'string' ? data.v : null,
    clarify: Array.isArray(data.c) ? data.c.filter((item): item is string => typeof item === 'string') : null,
    ackAt: typeof data.k === 'number' ? data.k : null,
    lastAnswer: typeof data.l === 'string' ? data.l : null,
    at,
  };
}

/** The JSON to store (null when there is nothing to remember). */
export function writeDialogue(state: DialogueState): string | null {
  if (isEmpty(state)) return null;
  const data: Stored = { at: state.at };
  if (state.topic !== null) data.t = state.topic;
  if (state.aspect !== null) data.a = state.aspect;
  if (state.facts.who !== undefined) data.w = state.facts.who;
  if (state.facts.situation !== undefined) data.s = state.facts.situation;
  if (state.facts.years !== undefined) data.y = state.facts.years;
  if (state.facts.disaster === true) data.d = 1;
  if (state.advice !== null) data.v = state.advice;
  if (state.clarify !== null) data.c = state.clarify;
  if (state.ackAt !== null) data.k = state.ackAt;
  if (state.lastAnswer !== null) data.l = state.lastAnswer;
  return JSON.stringify(data);
}

export function isEmpty(state: DialogueState): boolean {
  return (
    state.topic === null &&
    state.aspect === null &&
    state.facts.who === undefined &&
    state.facts.situation === undefined &&
    state.facts.years === undefined &&
    state.facts.disaster === undefined &&
    state.advice === null &&
    state.clarify === null &&
    state.ackAt === null &&
    state.lastAnswer === null
  );
}

/** Later facts win, field by field. */
export function mergeFacts(known: CaseFacts, stated: CaseFacts): CaseFacts {
  return {
    ...known,
    ...stated,
  };
}

export function hasFacts(facts: CaseFacts): boolean {
  return facts.who !== undefined || facts.situation !== undefined || facts.years !== undefined || facts.disaster === true;
}

/** The answer cases the facts select, most specific first (the knowledge base's `cases:` keys). */
export function caseKeys(facts: CaseFacts): AnswerCase[] {
  const keys: AnswerCase[] = [];
  // A disaster decides the charge of a lost or damaged passport (Rp0) before anything else.
  if (facts.disaster === true && facts.situation !== 'abroad' && facts.situation !== 'data_change') keys.push('disaster');
  if (facts.situation !== undefined) keys.push(facts.situation);
  if (facts.who !== undefined) keys.push(facts.who);
  // The elderly apply as adults wherever a topic has no case of their own (a 75-year-old
  // asking what to bring must never get the child's list).
  if (facts.who === 'elderly') keys.push('adult');
  return keys;
}
