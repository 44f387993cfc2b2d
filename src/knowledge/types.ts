/**
 * Types of the knowledge base in `intents/` (one YAML file per intent) and of the
 * office profile in `data/office.yaml`. Both are edited by the office without code.
 */

import type { AnswerAspect } from '../nlu/types.js';

export type Language = 'id' | 'en';

export type { AnswerAspect };

/** A text in both reply languages. */
export type Bilingual = Readonly<Record<Language, string>>;

/**
 * The applicant's situations an answer can depend on (`cases:` in an intent file): who the
 * passport is for, and what happened to it. The router learns them from the conversation
 * ("paspor anak saya hilang di Malaysia" -> child, abroad).
 */
export const ANSWER_CASES = ['data_change', 'abroad', 'disaster', 'lost', 'damaged', 'child', 'elderly', 'adult'] as const;
export type AnswerCase = (typeof ANSWER_CASES)[number];

/** The part of an answer for one aspect ("biayanya berapa?" -> fee). */
export type AspectAnswers = Readonly<Partial<Record<AnswerAspect, Bilingual>>>;

/** How an intent answers one case: its own default answer and aspects, or another intent's. */
export interface CaseAnswer {
  /** The default reply for this case (null: the intent's own, or `intent`'s). */
  readonly answer: Bilingual | null;
  /** The rest, behind the "more" button. */
  readonly more: Bilingual | null;
  readonly aspects: AspectAnswers;
  /** Answer with this intent instead (requirements_new for a child -> requirements_child). */
  readonly intent: string | null;
}

export type ServqualDimension = 'tangibles' | 'reliability' | 'responsiveness' | 'assurance' | 'empathy';

export const SERVQUAL_DIMENSIONS: readonly ServqualDimension[] = [
  'tangibles',
  'reliability',
  'responsiveness',
  'assurance',
  'empathy',
];

/** The fixed intent ids of shared/intents.md: the contract of `sapa classify`. */
export const CORE_INTENT_IDS = [
  'greeting',
  'thanks',
  'human_handoff',
  'ticket_status',
  'complaint',
  'mpaspor_register',
  'mpaspor_otp',
  'mpaspor_quota',
  'mpaspor_reschedule',
  'mpaspor_upload',
  'mpaspor_app_error',
  'payment',
  'fees',
  'express_service',
  'requirements_new',
  'requirements_child',
  'renewal',
  'lost_damaged',
  'processing_time',
  'office_info',
  'priority_service',
  'out_of_scope',
] as const;

export type CoreIntentId = (typeof CORE_INTENT_IDS)[number];

/**
 * Intents the router handles itself (tickets, handoff, status, small talk); every other
 * intent is an FAQ answered from its file. The office may add FAQ intents beside the core ones.
 */
export const CONVERSATIONAL_INTENT_IDS = [
  'greeting',
  'thanks',
  'human_handoff',
  'ticket_status',
  'complaint',
  'out_of_scope',
] as const satisfies readonly CoreIntentId[];

export type ConversationalIntentId = (typeof CONVERSATIONAL_INTENT_IDS)[number];

/** A training text with its complaint label (dissatisfaction vs. a neutral question or report). */
export interface LabelledExample {
  readonly text: string;
  readonly complaint: boolean;
}

export interface IntentEntry {
  readonly id: string;
  /** Short button label for follow-up suggestions, per language. */
  readonly label: Readonly<Record<Language, string>>;
  readonly servqual: ServqualDimension;
  /** Training utterances (Indonesian, chat style, Kupang Malay, English). */
  readonly utterances: readonly string[];
  /**
   * Longer training examples in the styles people really write (reviews, rants, voice-note-like
   * run-on text), each labelled with the complaint flag: `intents/examples/<id>.tsv`. Empty when
   * the intent has no such file.
   */
  readonly examples: readonly LabelledExample[];
  /**
   * The answer per language. May reference office-profile fields as `{{office.field}}`;
   * a line whose field is empty is left out and the reply says the fact is unconfirmed.
   */
  readonly answer: Readonly<Record<Language, string>>;
  /** The rest of the topic, sent when the applicant presses "more" (null: the answer is all). */
  readonly more: Bilingual | null;
  /** One part of the topic per aspect: fee, documents, steps, time, where, who. */
  readonly aspects: AspectAnswers;
  /** Answers that depend on the applicant's case (child, lost, abroad, ...). */
  readonly cases: Readonly<Partial<Record<AnswerCase, CaseAnswer>>>;
  /**
   * The answer is self-help (troubleshooting steps): when the applicant then says it did not
   * work ("masih sama", "sudah dicoba"), the router opens a ticket on this topic.
   */
  readonly troubleshooting: boolean;
  /** Intent ids suggested as quick replies after this answer. */
  readonly followups: readonly string[];
  readonly sources: readonly string[];
  /** When the office last checked the facts, YYYY-MM-DD. */
  readonly verifiedAt: string;
  /** The file it came from, for error messages. */
  readonly file: string;
}

/** Office facts the sources do not confirm: filled in by the office; empty means unknown. */
export type OfficeProfile = Readonly<Record<string, string>>;

export interface KnowledgeBase {
  readonly intents: ReadonlyMap<string, IntentEntry>;
  readonly office: OfficeProfile;
  /** Content hash of every file read; changes when the office edits anything. */
  readonly version: string;
}

export interface RenderedAnswer {
  readonly text: string;
  /** True when a referenced office fact was empty and its line was replaced by the "unconfirmed" note. */
  readonly unconfirmed: boolean;
}

/** Which part of a topic to render: its default reply, the rest ("more"), or all of it. */
export type AnswerPart = 'default' | 'more' | 'full';

export interface AnswerRequest {
  /** Render this aspect's part when the intent (or its case) has one. */
  readonly aspect?: AnswerAspect | null;
  /** What is known of the applicant's case; the first one the intent answers is used. */
  readonly cases?: readonly AnswerCase[];
  readonly part?: AnswerPart;
}

export interface ComposedAnswer extends RenderedAnswer {
  /** The intent answered (another one when a case points elsewhere). */
  readonly intent: string;
  /** The case whose text was used, if any. */
  readonly case: AnswerCase | null;
  /** The aspect whose part was used (null: the default reply or the rest). */
  readonly aspect: AnswerAspect | null;
  /** Whether a "more" button has something to show after this text. */
  readonly hasMore: boolean;
}
