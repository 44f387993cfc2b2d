/**
 * Types of the knowledge base in `intents/` (one YAML file per intent) and of the
 * office profile in `data/office.yaml`. Both are edited by the office without code.
 */

export type Language = 'id' | 'en';

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
