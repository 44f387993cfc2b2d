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
}

export interface Classifier {
  classify(text: string): Classification;
}
