/**
 * System texts the router sends that are not answers of an intent (those live in
 * `intents/`). One file per language implements this interface, so a missing
 * translation is a compile error.
 */
import type { TicketStatus } from '../domain.js';

export interface TicketReplyFacts {
  readonly ref: string;
  /** "pukul 10.30 WITA hari ini", or null when no SLA time is known. */
  readonly dueText: string | null;
  /** Set when the office is closed now: when it opens again. */
  readonly opensText: string | null;
}

export interface StatusFacts {
  readonly ref: string;
  readonly status: TicketStatus;
  readonly held: boolean;
  readonly lastStaffReply: string | null;
  readonly dueText: string | null;
  /** Set when the office is closed now: when it opens again. */
  readonly opensText: string | null;
}

export interface Messages {
  readonly emptyMessage: string;
  readonly textOnly: string;
  readonly truncated: (keptChars: number) => string;
  readonly complaintOpened: (facts: TicketReplyFacts) => string;
  readonly integrityOpened: (facts: TicketReplyFacts) => string;
  readonly complaintAdded: (facts: TicketReplyFacts) => string;
  readonly complaintReopened: (facts: TicketReplyFacts) => string;
  readonly handoffOpened: (facts: TicketReplyFacts) => string;
  readonly handoffAlreadyOpen: (facts: TicketReplyFacts) => string;
  readonly attachmentAdded: (ref: string) => string;
  readonly statusReport: (facts: StatusFacts) => string;
  readonly statusNotFound: (number: number) => string;
  readonly statusNone: string;
  readonly offerHuman: string;
  readonly offerHumanYes: string;
  readonly offerHumanNo: string;
  readonly handoffDeclined: string;
  readonly priorityNote: string;
  readonly afterHoursFaq: (opensText: string) => string;
  /** Sent once when one sender floods the bot. */
  readonly slowDown: string;
  readonly csatQuestion: (ref: string) => string;
  readonly csatThanks: (rating: number) => string;
  readonly csatSkipLabel: string;
  readonly csatCommentThanks: string;
  /** The router failed on this message (a bug); the applicant is told and staff can see it. */
  readonly internalError: string;
}
