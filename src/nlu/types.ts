import type { Language } from '../knowledge/types.js';

export interface Classification {
  /** One intent id (a core id of shared/intents.md or an office-added FAQ id). */
  readonly intent: string;
  /** Calibrated 0..1; below the out-of-scope threshold the intent is `out_of_scope`. */
  readonly confidence: number;
  /** Dissatisfaction or a reported service failure, whatever the topic. */
  readonly complaint: boolean;
  /** Brokers (calo), illegal fees (pungli), bribes: high priority, supervisors informed at once. */
  readonly integrity: boolean;
  /** Elderly, disabled, pregnant, infants mentioned: high priority. */
  readonly priorityGroup: boolean;
  /** Reply language: English when the applicant writes English, Indonesian otherwise. */
  readonly language: Language;
  /** A ticket number the message mentions ("tiket 12", "#12", "T-31"), if any. */
  readonly ticketNumber?: number;
  /**
   * The three most likely intents, best first, with calibrated confidences (the first is
   * `intent` unless a rule decided it). The conversation layer asks "which one?" when the
   * top two are close instead of guessing.
   */
  readonly candidates: readonly IntentCandidate[];
  /** A second ask in the same message ("berapa biayanya dan berapa lama jadinya?"), or null. */
  readonly secondIntent: string | null;
  /** What about the topic is asked ("biayanya berapa?" -> fee), when the text says so. */
  readonly aspect: AnswerAspect | null;
}

export interface IntentCandidate {
  readonly intent: string;
  readonly confidence: number;
}

/**
 * The parts an FAQ answer is split into (`aspects:` in an intent file). A follow-up like
 * "dokumennya apa saja?" asks for one part of the topic under discussion.
 */
export const ANSWER_ASPECTS = ['fee', 'documents', 'steps', 'time', 'where', 'who'] as const;
export type AnswerAspect = (typeof ANSWER_ASPECTS)[number];

export interface Classifier {
  classify(text: string): Classification;
}
