/**
 * The router's pipeline: a message becomes a Turn, which passes through small named steps
 * (flood, survey, held ticket, status, scam, complaint, clarification, answer, ...). Each
 * step either decides (returns a Decision) or passes the turn on with `next()`, in the
 * spirit of grammY's middleware; each is a small function testable on its own.
 *
 * Steps run synchronously inside the routing transaction: everything they change and every
 * reply they queue commits together with the message.
 */
import type { QuickReply } from '../../channels/channel.js';
import type { Conversation, StoredMessage, Ticket } from '../domain.js';
import type { AnswerAspect, KnowledgeBase, Language } from '../knowledge/types.js';
import type { Messages, TicketReplyFacts } from '../messages/index.js';
import type { Classification } from '../nlu/types.js';
import type { StaffAlerts } from '../staff-alerts.js';
import type { ConversationStatePatch } from '../store/conversations.js';
import type { Db } from '../store/db.js';
import type { StoredMedia } from '../store/messages.js';
import type { TicketService } from '../tickets.js';
import type { MessageForms } from './cues.js';
import type { CaseFacts, DialogueState } from './dialogue.js';

export type RouteOutcome =
  | 'empty'
  | 'media_only'
  | 'attachment_added'
  | 'voice_refused'
  | 'file_refused'
  | 'held_by_staff'
  | 'faq'
  | 'small_talk'
  | 'complaint_opened'
  | 'complaint_added'
  | 'complaint_reopened'
  | 'integrity_reported'
  | 'selfhelp_failed'
  | 'handoff_opened'
  | 'handoff_existing'
  | 'handoff_declined'
  | 'status'
  | 'clarify'
  | 'vague'
  | 'fallback'
  | 'handoff_offered'
  | 'survey_rating'
  | 'survey_comment'
  | 'flood';

/** What routing one message decided. */
export interface Decision {
  readonly outcome: RouteOutcome;
  readonly classification: Classification | null;
  readonly ticketId: number | null;
}

/**
 * What the message means in this conversation: the classifier's intent, or the topic under
 * discussion when the message only makes sense in context ("biayanya berapa?").
 */
export interface Understanding {
  readonly intent: string;
  readonly aspect: AnswerAspect | null;
  /**
   * How the intent was found: the message alone, a button, the topic under discussion, or the
   * case under discussion, which overrules the classifier's own topic ("bisa lewat m-paspor?"
   * about a damaged passport is about the damaged passport, not about registering in the app).
   */
  readonly source: 'message' | 'button' | 'context' | 'case';
  /** "terus?": the applicant wants the rest of the topic. */
  readonly continuation: boolean;
  /** What is known of the case after this message (remembered facts plus the message's). */
  readonly facts: CaseFacts;
  /** The facts this message states. */
  readonly stated: CaseFacts;
  /** A second ask in the same message (the classifier's, or two close topics joined by "dan"), or null. */
  readonly second: string | null;
}

export interface Turn {
  readonly message: StoredMessage;
  readonly conversation: Conversation;
  readonly attachments: readonly StoredMedia[];
  readonly language: Language;
  readonly m: Messages;
  readonly kb: KnowledgeBase;
  readonly now: Date;
  /** Earlier inbound messages of the conversation within the flood window. */
  readonly recentInbound: number;
  /** The message text, trimmed. */
  readonly text: string;
  /** The pressed button's payload (or a typed payload), or null. */
  readonly payload: string | null;
  /** Set for every non-empty text (the step `understand` fills it when the intake did not). */
  classification: Classification | null;
  /** The contact's open or pending ticket, as read at the start of the turn. */
  readonly active: Ticket | null;
  /** The conversation's memory; steps replace it, the router stores it once at the end. */
  dialogue: DialogueState;
  /** Conversation state to write at the end of the turn (one UPDATE). */
  patch: ConversationStatePatch;
  /** Filled by the step `understand` for non-empty text. */
  understanding: Understanding | null;
  /** Outbound message ids queued by this turn, in order. */
  readonly replies: number[];
  /** The ticket this turn's message was added to (once), as it is now. */
  joined: Ticket | null;
  /** The priority-service note was added to an answer of this turn. */
  priorityNoted: boolean;
  /** The message's normalized and lower-cased forms (computed on first use). */
  forms(): MessageForms;
}

export type Next = () => Decision;

export interface Step {
  readonly name: string;
  run(turn: Turn, next: Next): Decision;
}

/** What steps use to act: replies, buttons, answers and tickets, all in the routing transaction. */
export interface RouterKit {
  readonly db: Db;
  readonly tickets: TicketService;
  readonly alerts: StaffAlerts;
  reply(turn: Turn, text: string, quickReplies?: readonly QuickReply[], ticketId?: number | null): void;
  /** Buttons for these intents (at most four), labelled in the turn's language. */
  topicButtons(turn: Turn, ids: readonly string[]): readonly QuickReply[];
  /** The greeting's follow-ups: the main topics. */
  mainTopics(turn: Turn): readonly QuickReply[];
  ticketFacts(turn: Turn, ticket: Ticket): TicketReplyFacts;
  /** An intent's default reply in the turn's language, or null when there is no such intent. */
  text(turn: Turn, intent: string): string | null;
  /**
   * Answers an FAQ intent for the case known so far (one part: an aspect's, the default reply
   * or the rest), with a "more" button when there is more, and remembers it as the topic.
   * Returns false when the knowledge base has no such intent.
   */
  answer(turn: Turn, intent: string, options?: AnswerOptions): boolean;
  /** Whether answering so would send the very part the applicant got last (within the quiet period). */
  wouldRepeat(turn: Turn, intent: string, options?: AnswerOptions): boolean;
  /** Whether this part of the answer leaves a rest (what the "more" button sends). */
  hasMore(turn: Turn, intent: string, options?: AnswerOptions): boolean;
  /** Opens a ticket for the turn's message. */
  openTicket(turn: Turn, input: OpenTicketOptions): Ticket;
  /** Adds the message to the ticket once per turn (a second call is a no-op). */
  addToTicket(turn: Turn, ticket: Ticket): Ticket;
  /** The contact's ticket resolved within the reopen window, reopened with the message added; or null. */
  reopenRecent(turn: Turn): Ticket | null;
  /** Marks a ticket an integrity report (high priority, supervisors told) when it is not yet. */
  flagIntegrity(turn: Turn, ticket: Ticket): Ticket;
  /** Reports a ticket's status (the number asked, else the latest); returns its id. */
  reportStatus(turn: Turn, ticketNumber: number | undefined): number | null;
  /** Whether an intent is answered from the knowledge base (not greeting, handoff, ...). */
  isFaq(kb: KnowledgeBase, intent: string): boolean;
  /** Counts a miss; after enough of them offers an officer instead. Returns the decision. */
  miss(turn: Turn, onMiss: () => void): 'offered' | 'counted';
  resetMisses(turn: Turn): void;
}

export interface AnswerOptions {
  readonly aspect?: AnswerAspect | null;
  readonly facts?: CaseFacts;
  readonly part?: 'default' | 'more';
  /** Buttons: follow-ups of the intent (default) or none. */
  readonly followups?: boolean;
  readonly ticketId?: number | null;
  /**
   * The short form: the first sentences (about 300 characters) with a button for the whole
   * answer. Used for a message's second ask, so two answers still fit a phone screen.
   */
  readonly brief?: boolean;
  /** A guess at what was asked (the rest of an answer for a follow-up): "ask an officer" comes first among the buttons. */
  readonly offerOfficer?: boolean;
}

export interface OpenTicketOptions {
  readonly kind: 'complaint' | 'handoff';
  readonly intent: string;
  readonly priority: 'normal' | 'high';
  readonly integrity: boolean;
  /** The ticket's summary for staff when the message has no text (a voice note, a photo); else the text's start. */
  readonly summary?: string;
}
