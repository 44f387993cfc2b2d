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

/** A ticket opened (or added to) because self-help steps did not work. */
export interface SelfHelpFacts extends TicketReplyFacts {
  /** The topic's button label ("Kode OTP tidak masuk"). */
  readonly topic: string;
  readonly added: boolean;
}

/** A voice note, photo or file without words became (or joined) a ticket for an officer. */
export interface MediaFacts extends TicketReplyFacts {
  readonly what: 'voice' | 'photo' | 'file';
  /** Joined a ticket that was already open (or was reopened) rather than a new one. */
  readonly added: boolean;
  /** The file came with words (already answered), so the reply does not ask for them. */
  readonly captioned?: boolean;
}

/** Why a voice note was not kept: the channel's limits, or the download failed. */
export type VoiceRefusalReason = 'wrong_type' | 'too_big' | 'too_long' | 'not_received';

export interface Messages {
  readonly emptyMessage: string;
  readonly textOnly: string;
  readonly truncated: (keptChars: number) => string;
  readonly complaintOpened: (facts: TicketReplyFacts) => string;
  readonly integrityOpened: (facts: TicketReplyFacts) => string;
  readonly complaintAdded: (facts: TicketReplyFacts) => string;
  /** With a ticket open, "where do I send it?": here, attached to the ticket. */
  readonly sendHere: (facts: TicketReplyFacts) => string;
  readonly complaintReopened: (facts: TicketReplyFacts) => string;
  readonly handoffOpened: (facts: TicketReplyFacts) => string;
  readonly handoffAlreadyOpen: (facts: TicketReplyFacts) => string;
  readonly attachmentAdded: (ref: string) => string;
  /** A voice note (or a photo without an open ticket) reached an officer: ticket, who listens, by when. */
  readonly mediaReceived: (facts: MediaFacts) => string;
  /** A voice note over the limits (minutes, megabytes), of a type we cannot play, or not received. */
  readonly voiceRefused: (reason: VoiceRefusalReason, limits: { readonly maxMinutes: number; readonly maxMegabytes: number }) => string;
  /** A photo or file without words and without an open ticket that could not be received (too big, wrong type, failed). */
  readonly fileNotReceived: string;
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
  /** Thanks for a rating; a low one (1-2) also tells of the right to escalate to LAPOR! unless `fromLapor`. */
  readonly csatThanks: (rating: number, options?: { readonly fromLapor?: boolean }) => string;
  /** #21: the resolution time of the ticket has passed: still handled, and the right to escalate to LAPOR!. */
  readonly laporAfterBreach: (ref: string) => string;
  readonly csatSkipLabel: string;
  readonly csatCommentThanks: string;
  /** "Bisa bantu saya?", "saya bingung": glad to help, which topic? (the main topics follow as buttons) */
  readonly vagueOpener: string;
  /** Unsure what was meant: the candidate topics follow as buttons. */
  readonly clarify: string;
  /** Unsure, with one likely topic: "Maksud Bapak/Ibu tentang ...?" */
  /** The answer the applicant would get is the one they just got: said so, with an officer offered. */
  readonly nothingMore: (topic: string) => string;
  /** "terus?", "itu saja?" after the whole of a topic: yes, that is all, with an officer offered. */
  readonly thatIsAll: (topic: string) => string;
  /** A follow-up answered by one line of a topic's answer ("harus lapor polisi dulu?" -> the police-report step). */
  readonly fromAnswer: (topic: string, line: string) => string;
  /** Said before a question back when the message was also added to the open ticket. */
  readonly inTicketNote: (ref: string) => string;
  readonly clarifyOne: (topic: string) => string;
  /** The button that shows the rest of an answer. */
  readonly moreLabel: string;
  /** The button beside the candidates of a clarification that asks for an officer instead. */
  readonly askOfficerLabel: string;
  /** An officer holds the ticket: the message is passed on (said at most once per quiet period). */
  readonly heldAcknowledged: (facts: TicketReplyFacts) => string;
  /** Self-help steps did not work: a ticket on that topic. */
  readonly selfHelpTicket: (facts: SelfHelpFacts) => string;
  /** Someone asked for money or posed as an officer: the warning, and the integrity ticket. */
  readonly scamWarning: (facts: TicketReplyFacts) => string;
  /** Staff reopened a resolved ticket. */
  readonly ticketReopenedByStaff: (facts: TicketReplyFacts) => string;
  /** The router failed on this message (a bug); the applicant is told and staff can see it. */
  readonly internalError: string;
}
