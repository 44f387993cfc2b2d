/**
 * The router: one stored inbound message -> one decision (answer, open or update a
 * ticket, hand off, report a status, ask again). Everything it changes and every reply
 * it wants to send is written in one transaction with the message marked processed,
 * so a crash either leaves the message to be handled again or handled completely.
 */
import type { QuickReply } from '../channels/channel.js';
import type { Clock } from './clock.js';
import type { Conversation, StoredAttachment, StoredMessage, Ticket } from './domain.js';
import type { EventBus } from './events.js';
import { renderAnswer } from './knowledge/render.js';
import type { IntentEntry, KnowledgeBase, Language } from './knowledge/types.js';
import { messagesFor, type Messages, type TicketReplyFacts } from './messages/index.js';
import type { Classification, Classifier } from './nlu/types.js';
import type { Db } from './store/db.js';
import { prepared } from './store/db.js';
import { getConversation, updateConversationState } from './store/conversations.js';
import { getMessage, listAttachments, listTicketMessages, markProcessed, queueOutbound } from './store/messages.js';
import { findActiveTicket, findLatestTicket, findRecentlyResolved, getTicket, insertTicketEvent } from './store/tickets.js';
import { REOPEN_WINDOW_MS, type TicketService } from './tickets.js';
import type { SlaPlanner } from './tickets.js';
import { parseRating, recordComment, recordRating, SKIP_COMMENT_PAYLOAD } from './satisfaction.js';
import type { StaffAlerts } from './staff-alerts.js';
import { formatOfficeTime } from './time-format.js';

/** One sender's messages answered per window; beyond it the bot goes quiet (one notice). */
export const FLOOD_MAX_ANSWERED = 10;
export const FLOOD_WINDOW_MS = 60_000;

/** After this many misunderstood messages in a row the bot offers a human instead of guessing. */
export const MISSES_BEFORE_HANDOFF_OFFER = 2;

const PAYLOAD_INTENT = /^intent:([a-z0-9_]{1,64})$/;
const PAYLOAD_HANDOFF_YES = 'handoff:yes';
const PAYLOAD_HANDOFF_NO = 'handoff:no';
const YES = /^(ya+|iy+a+|yes|y|ok(e|ay)?|mau|boleh|bisa|siap|iya mau|ya mau|setuju|sure|please)\b/;
const NO = /^(tidak|tdk|gak|ga|nggak|enggak|sonde|son|no|nope|nanti|tidak usah|ga usah|gak usah|no thanks)\b/;
/** Media we keep on a ticket; other kinds get the "text only" reply. */
const TICKET_MEDIA = new Set(['image', 'document']);
const SUMMARY_CHARS = 140;

export interface RouterDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly classifier: () => Classifier;
  readonly knowledge: () => KnowledgeBase;
  readonly tickets: TicketService;
  readonly alerts: StaffAlerts;
  readonly sla: SlaPlanner;
  readonly bus: EventBus;
  readonly timeZone: string;
}

export type RouteOutcome =
  | 'empty'
  | 'media_only'
  | 'attachment_added'
  | 'held_by_staff'
  | 'faq'
  | 'small_talk'
  | 'complaint_opened'
  | 'complaint_added'
  | 'complaint_reopened'
  | 'handoff_opened'
  | 'handoff_existing'
  | 'handoff_declined'
  | 'status'
  | 'fallback'
  | 'handoff_offered'
  | 'survey_rating'
  | 'survey_comment'
  | 'flood';

export interface RouteResult {
  readonly outcome: RouteOutcome;
  readonly classification: Classification | null;
  readonly ticketId: number | null;
  readonly replyIds: readonly number[];
}

/**
 * An inbound message as the intake read it inside the routing transaction (so it is
 * current), with whether it has attachments: saves reading the row again per message.
 */
export interface PreloadedInbound {
  readonly message: StoredMessage;
  readonly hasAttachments: boolean;
  /** The message's conversation, when nothing can have changed it since it was read. */
  readonly conversation?: Conversation;
  /**
   * Set when the intake stored the message in this transaction already marked processed
   * (at its `processedAt`) with this classification, from `Router.classify`: routing it
   * then does not mark it again.
   */
  readonly premarked?: { readonly classification: Classification | null };
}

export interface Router {
  /**
   * Handles one stored inbound message; a message already processed is skipped (returns null).
   * `preloaded` must have been read in the same transaction.
   */
  handle(messageId: number, preloaded?: PreloadedInbound): RouteResult | null;
  /**
   * `handle` inside the caller's transaction without a savepoint of its own (a savepoint
   * per message costs a copy of every page it touches). If it throws, the transaction holds
   * part of the message's routing: the caller must roll the whole transaction back.
   */
  handleUnguarded(messageId: number, preloaded?: PreloadedInbound): RouteResult | null;
  /**
   * What routing records for a message with this stored text and quick-reply payload (the
   * classification `handle` routes it by, null for an empty text).
   */
  classify(text: string, quickReplyPayload: string | null): Classification | null;
  /** Drops what the router keeps in memory about messages (a transaction that routed them was rolled back). */
  forget(): void;
}

interface Turn {
  readonly message: StoredMessage;
  readonly conversation: Conversation;
  readonly attachments: readonly StoredAttachment[];
  readonly language: Language;
  readonly m: Messages;
  readonly kb: KnowledgeBase;
  readonly now: Date;
  /** Earlier inbound messages of the conversation within the flood window (counted up to FLOOD_MAX_ANSWERED + 1). */
  readonly recentInbound: number;
  readonly replies: number[];
}

/**
 * A conversation's recent inbound messages (id and created_at, sorted by id), complete for
 * every message created at or after `horizon`: read from the database the first time the
 * conversation is seen (or when a message's window reaches further back), then kept up to
 * date by the router, which sees every inbound message in id order.
 */
interface FloodWindow {
  horizon: number;
  readonly ids: number[];
  readonly ats: number[];
}
/** Windows kept at most (all dropped beyond: each is rebuilt from the database when needed). */
const FLOOD_WINDOWS_MAX = 10_000;
/** Entries kept per window before the ones older than the current window are pruned. */
const FLOOD_ENTRIES_PRUNE = 64;

export function createRouter(deps: RouterDeps): Router {
  const { db, clock, tickets, alerts, sla, bus, timeZone } = deps;

  // The flood check: inbound messages of a conversation received since `since`, before
  // message `id`. Counted in memory: the same answer as counting them in the database
  // (which the first message of a conversation does), without a query per message.
  const floodWindows = new Map<number, FloodWindow>();

  const insertEntry = (window: FloodWindow, id: number, at: number): void => {
    const { ids, ats } = window;
    let i = ids.length;
    while (i > 0 && ids[i - 1]! > id) i -= 1;
    if (i > 0 && ids[i - 1] === id) return;
    ids.splice(i, 0, id);
    ats.splice(i, 0, at);
  };

  /** Any inbound message the router sees joins its conversation's window (if one is kept). */
  const observeInbound = (message: StoredMessage): void => {
    const window = floodWindows.get(message.conversationId);
    if (window) insertEntry(window, message.id, message.createdAt.getTime());
  };

  const recentInboundOf = (message: StoredMessage): number => {
    const at = message.createdAt.getTime();
    const since = at - FLOOD_WINDOW_MS;
    let window = floodWindows.get(message.conversationId);
    if (!window || since < window.horizon) {
      const rows = recentInboundRows(db, message.conversationId, message.id, since);
      if (!window && floodWindows.size >= FLOOD_WINDOWS_MAX) floodWindows.clear();
      window = { horizon: since, ids: rows.map((row) => row.id), ats: rows.map((row) => row.created_at) };
      floodWindows.set(message.conversationId, window);
    }
    const { ids, ats } = window;
    let count = 0;
    for (let i = 0; i < ids.length && count <= FLOOD_MAX_ANSWERED; i += 1) {
      if (ids[i]! < message.id && ats[i]! >= since) count += 1;
    }
    insertEntry(window, message.id, at);
    if (ids.length > FLOOD_ENTRIES_PRUNE) {
      // Entries older than this message's window go; the window then answers from `since` on.
      let keep = 0;
      for (let i = 0; i < ids.length; i += 1) {
        if (ats[i]! >= since) {
          ids[keep] = ids[i]!;
          ats[keep] = ats[i]!;
          keep += 1;
        }
      }
      ids.length = keep;
      ats.length = keep;
      window.horizon = Math.max(window.horizon, since);
    }
    return count;
  };

  const reply = (turn: Turn, text: string, quickReplies: readonly QuickReply[] = [], ticketId: number | null = null): void => {
    const id = queueOutbound(
      db,
      { conversationId: turn.conversation.id, channel: turn.conversation.channel, ticketId, author: 'bot', text, quickReplies },
      turn.now,
    );
    turn.replies.push(id);
  };

  // Buttons depend only on the (immutable) knowledge base, the follow-up list and the
  // language: built once each, frozen (so queueOutbound may keep their JSON too).
  const buttons = new WeakMap<KnowledgeBase, Map<readonly string[], Partial<Record<Language, readonly QuickReply[]>>>>();
  const topicButtons = (turn: Turn, ids: readonly string[]): readonly QuickReply[] => {
    let byList = buttons.get(turn.kb);
    if (!byList) {
      byList = new Map();
      buttons.set(turn.kb, byList);
    }
    let byLanguage = byList.get(ids);
    if (!byLanguage) {
      byLanguage = {};
      byList.set(ids, byLanguage);
    }
    let built = byLanguage[turn.language];
    if (built === undefined) {
      built = Object.freeze(
        ids
          .map((id) => turn.kb.intents.get(id))
          .filter((entry): entry is IntentEntry => entry !== undefined)
          .slice(0, 4)
          .map((entry) => Object.freeze({ label: entry.label[turn.language], payload: `intent:${entry.id}` })),
      );
      byLanguage[turn.language] = built;
    }
    return built;
  };

  const NO_FOLLOWUPS: readonly string[] = [];
  const mainTopics = (turn: Turn): readonly QuickReply[] => topicButtons(turn, turn.kb.intents.get('greeting')?.followups ?? NO_FOLLOWUPS);

  const ticketFacts = (turn: Turn, ticket: Ticket): TicketReplyFacts => {
    const due = ticket.assigneeId === null && ticket.firstResponseAt === null ? ticket.firstResponseDueAt : ticket.nextResponseDueAt;
    const office = sla.officeStatus(turn.now);
    return {
      ref: ticket.ref,
      dueText: due ? formatOfficeTime(due, turn.now, timeZone, turn.language) : null,
      opensText: !office.open && office.opensAt ? formatOfficeTime(office.opensAt, turn.now, timeZone, turn.language) : null,
    };
  };

  // A knowledge base is immutable once loaded (a reload swaps in a new one), so an
  // answer rendered for it stays valid for as long as it is the current one.
  const rendered = new WeakMap<KnowledgeBase, Map<string, string>>();
  const answerText = (turn: Turn, intentId: string): string | null => {
    if (!turn.kb.intents.has(intentId)) return null;
    let answers = rendered.get(turn.kb);
    if (!answers) {
      answers = new Map();
      rendered.set(turn.kb, answers);
    }
    const key = `${turn.language}:${intentId}`;
    let text = answers.get(key);
    if (text === undefined) {
      text = renderAnswer(turn.kb, intentId, turn.language).text;
      answers.set(key, text);
    }
    return text;
  };

  const answerFaq = (turn: Turn, intentId: string, classification: Classification): void => {
    const entry = turn.kb.intents.get(intentId);
    const text = answerText(turn, intentId);
    if (!entry || text === null) return;
    const note = classification.priorityGroup && intentId !== 'priority_service' ? `\n\n${turn.m.priorityNote}` : '';
    reply(turn, text + note, topicButtons(turn, entry.followups));
  };

  const openTicket = (turn: Turn, classification: Classification, kind: 'complaint' | 'handoff'): Ticket => {
    const faqIntent = classification.intent;
    const entry = turn.kb.intents.get(faqIntent) ?? turn.kb.intents.get(kind === 'handoff' ? 'human_handoff' : 'complaint');
    return tickets.open({
      contactId: turn.conversation.contactId,
      conversationId: turn.conversation.id,
      channel: turn.conversation.channel,
      kind,
      priority: classification.integrity || classification.priorityGroup ? 'high' : 'normal',
      integrity: classification.integrity,
      intent: faqIntent,
      servqual: entry?.servqual ?? 'responsiveness',
      summary: summarize(turn.message.text),
      messageId: turn.message.id,
    });
  };

  /** `active`: the contact's active ticket as `route` found it (nothing in between opens or closes one). */
  /** Writing again about a case resolved less than REOPEN_WINDOW_MS ago reopens it (same clock). */
  const reopenRecentlyResolved = (turn: Turn, contactId: number): { outcome: RouteOutcome; ticketId: number } | null => {
    const resolved = findRecentlyResolved(db, contactId, new Date(turn.now.getTime() - REOPEN_WINDOW_MS));
    if (!resolved) return null;
    tickets.reopen(resolved.id, { type: 'applicant' });
    const ticket = tickets.addApplicantMessage(resolved.id, turn.message.id);
    reply(turn, turn.m.complaintReopened(ticketFacts(turn, ticket)), [], ticket.id);
    return { outcome: 'complaint_reopened', ticketId: ticket.id };
  };

  const handleComplaint = (turn: Turn, classification: Classification, active: Ticket | null): { outcome: RouteOutcome; ticketId: number } => {
    const contactId = turn.conversation.contactId;
    const isFaq = isFaqIntent(turn.kb, classification.intent);
    if (isFaq) answerFaq(turn, classification.intent, classification);
    if (active) {
      let ticket = tickets.addApplicantMessage(active.id, turn.message.id);
      if (classification.integrity && !ticket.integrity) {
        ticket = tickets.setPriority(ticket.id, 'high', { type: 'bot' });
        prepared(db, 'UPDATE tickets SET integrity = 1 WHERE id = ?').run(ticket.id);
        insertTicketEvent(db, { ticketId: ticket.id, actor: 'bot', type: 'integrity_flagged' }, turn.now);
      }
      reply(turn, turn.m.complaintAdded(ticketFacts(turn, ticket)), [], ticket.id);
      return { outcome: 'complaint_added', ticketId: ticket.id };
    }
    const reopened = reopenRecentlyResolved(turn, contactId);
    if (reopened) return reopened;
    const ticket = openTicket(turn, { ...classification, intent: isFaq ? classification.intent : 'complaint' }, 'complaint');
    const facts = ticketFacts(turn, ticket);
    reply(turn, classification.integrity ? turn.m.integrityOpened(facts) : turn.m.complaintOpened(facts), [], ticket.id);
    return { outcome: 'complaint_opened', ticketId: ticket.id };
  };

  const handleHandoff = (turn: Turn, classification: Classification, active: Ticket | null): { outcome: RouteOutcome; ticketId: number } => {
    const contactId = turn.conversation.contactId;
    if (active) {
      const ticket = tickets.addApplicantMessage(active.id, turn.message.id);
      insertTicketEvent(db, { ticketId: ticket.id, actor: 'applicant', type: 'handoff_requested' }, turn.now);
      reply(turn, turn.m.handoffAlreadyOpen(ticketFacts(turn, ticket)), [], ticket.id);
      return { outcome: 'handoff_existing', ticketId: ticket.id };
    }
    const reopened = reopenRecentlyResolved(turn, contactId);
    if (reopened) return reopened;
    const ticket = openTicket(turn, { ...classification, intent: 'human_handoff' }, 'handoff');
    reply(turn, turn.m.handoffOpened(ticketFacts(turn, ticket)), [], ticket.id);
    return { outcome: 'handoff_opened', ticketId: ticket.id };
  };

  const handleStatus = (turn: Turn, classification: Classification): number | null => {
    const contactId = turn.conversation.contactId;
    let ticket: Ticket | null;
    if (classification.ticketNumber !== undefined) {
      const found = getTicket(db, classification.ticketNumber);
      // Never reveal another person's ticket: a number that is not theirs is "not found".
      ticket = found && found.contactId === contactId ? found : null;
      if (!ticket) {
        reply(turn, turn.m.statusNotFound(classification.ticketNumber));
        return null;
      }
    } else {
      ticket = findLatestTicket(db, contactId);
      if (!ticket) {
        reply(turn, turn.m.statusNone, mainTopics(turn));
        return null;
      }
    }
    const lastStaff = listTicketMessages(db, ticket.id)
      .filter((m) => m.author === 'staff' && m.visibility === 'public')
      .at(-1);
    const facts = ticketFacts(turn, ticket);
    reply(
      turn,
      turn.m.statusReport({
        ref: ticket.ref,
        status: ticket.status,
        held: ticket.assigneeId !== null,
        lastStaffReply: lastStaff ? excerpt(lastStaff.text, 300) : null,
        dueText: facts.dueText,
        opensText: facts.opensText,
      }),
      [],
      ticket.id,
    );
    return ticket.id;
  };

  /**
   * A rating (button or number) is recorded and a comment invited; a comment is recorded
   * unless the message is plainly a new question, which then goes through normal routing.
   */
  const handleSurveyAnswer = (turn: Turn, classification: Classification, payload: string | null): Omit<RouteResult, 'replyIds'> | null => {
    const { conversation, message } = turn;
    const ticket = conversation.awaitingTicketId === null ? null : getTicket(db, conversation.awaitingTicketId);
    updateConversationState(db, conversation.id, { awaiting: null, awaitingTicketId: null });
    if (!ticket) return null;
    const text = message.text.trim();
    if (conversation.awaiting === 'csat_rating') {
      const rating = parseRating(text, payload, ticket.id);
      if (rating === null) return null;
      recordRating({ db, alerts }, ticket, rating, turn.now);
      updateConversationState(db, conversation.id, { awaiting: 'csat_comment', awaitingTicketId: ticket.id });
      reply(turn, turn.m.csatThanks(rating), [{ label: turn.m.csatSkipLabel, payload: SKIP_COMMENT_PAYLOAD }], ticket.id);
      return { outcome: 'survey_rating', classification, ticketId: ticket.id };
    }
    if (payload === SKIP_COMMENT_PAYLOAD) return { outcome: 'survey_comment', classification, ticketId: ticket.id };
    const newQuestion = isFaqIntent(turn.kb, classification.intent) && classification.confidence >= 0.5 && !classification.complaint;
    if (newQuestion || payload !== null) return null;
    recordComment({ db, alerts }, ticket, text, turn.now);
    reply(turn, turn.m.csatCommentThanks, [], ticket.id);
    return { outcome: 'survey_comment', classification, ticketId: ticket.id };
  };

  const route = (turn: Turn, classified: Classification | null): Omit<RouteResult, 'replyIds'> => {
    const { message, conversation, attachments } = turn;
    const text = message.text.trim();
    const payload = turn.message.quickReplyPayload ?? quickReplyPayload(text);
    const active = findActiveTicket(db, conversation.contactId);

    // A flood from one sender gets a bounded number of replies; the messages are kept
    // (and join an open ticket) so nothing is lost, and other applicants are unaffected.
    const recent = turn.recentInbound;
    if (recent >= FLOOD_MAX_ANSWERED) {
      if (active) tickets.addApplicantMessage(active.id, message.id);
      if (recent === FLOOD_MAX_ANSWERED) reply(turn, turn.m.slowDown);
      return { outcome: 'flood', classification: classified, ticketId: active?.id ?? null };
    }

    if (text === '' && attachments.length === 0) {
      reply(turn, turn.m.emptyMessage, mainTopics(turn));
      return { outcome: 'empty', classification: null, ticketId: null };
    }
    if (text === '') {
      const keepable = attachments.some((a) => TICKET_MEDIA.has(a.kind));
      if (active && keepable) {
        const ticket = tickets.addApplicantMessage(active.id, message.id);
        if (ticket.assigneeId === null) reply(turn, turn.m.attachmentAdded(ticket.ref), [], ticket.id);
        return { outcome: 'attachment_added', classification: null, ticketId: ticket.id };
      }
      reply(turn, turn.m.textOnly);
      return { outcome: 'media_only', classification: null, ticketId: null };
    }

    // Non-empty text always has a classification (computed once by `handle`).
    const classification = classified ?? classify(deps.classifier(), turn.kb, text, payload);

    // The bot asked for a satisfaction rating, or for a comment after one.
    if (conversation.awaiting === 'csat_rating' || conversation.awaiting === 'csat_comment') {
      const handled = handleSurveyAnswer(turn, classification, payload);
      if (handled) return handled;
    }

    // The bot asked "connect you to an officer?" last time.
    if (conversation.awaiting === 'handoff_confirm') {
      updateConversationState(db, conversation.id, { awaiting: null, awaitingTicketId: null });
      const normalized = text.toLowerCase();
      if (payload === PAYLOAD_HANDOFF_YES || (payload === null && YES.test(normalized))) {
        updateConversationState(db, conversation.id, { missCount: 0 });
        const result = handleHandoff(turn, { ...classification, intent: 'human_handoff' }, active);
        return { ...result, classification };
      }
      if (payload === PAYLOAD_HANDOFF_NO || (payload === null && NO.test(normalized))) {
        updateConversationState(db, conversation.id, { missCount: 0 });
        reply(turn, turn.m.handoffDeclined, mainTopics(turn));
        return { outcome: 'handoff_declined', classification, ticketId: null };
      }
    }

    // An officer holds the applicant's ticket: the message goes to it and the bot stays quiet.
    if (active && active.assigneeId !== null) {
      tickets.addApplicantMessage(active.id, message.id);
      return { outcome: 'held_by_staff', classification, ticketId: active.id };
    }

    if (message.textTruncated) reply(turn, turn.m.truncated(message.text.length));
    if (active && attachments.some((a) => TICKET_MEDIA.has(a.kind)) && !classification.complaint) {
      tickets.addApplicantMessage(active.id, message.id);
    }

    const intent = classification.intent;
    const resetMisses = (): void => {
      if (conversation.missCount !== 0) updateConversationState(db, conversation.id, { missCount: 0 });
    };

    if (intent === 'human_handoff') {
      resetMisses();
      return { ...handleHandoff(turn, classification, active), classification };
    }
    if (intent === 'ticket_status') {
      resetMisses();
      return { outcome: 'status', classification, ticketId: handleStatus(turn, classification) };
    }
    if (intent === 'complaint' || classification.complaint) {
      resetMisses();
      return { ...handleComplaint(turn, classification, active), classification };
    }
    if (intent === 'greeting' || intent === 'thanks') {
      resetMisses();
      const text = answerText(turn, intent);
      if (text !== null) reply(turn, text, intent === 'greeting' ? mainTopics(turn) : []);
      return { outcome: 'small_talk', classification, ticketId: null };
    }
    if ((intent === 'out_of_scope' || !turn.kb.intents.has(intent)) && active) {
      // Mid-case, what the bot cannot place ("kapan dibalas?", "saya sudah di loket 3")
      // belongs to the open ticket: staff see it, and the applicant gets the status.
      resetMisses();
      tickets.addApplicantMessage(active.id, message.id);
      handleStatus(turn, { ...classification, ticketNumber: active.id });
      return { outcome: 'status', classification, ticketId: active.id };
    }
    if (intent === 'out_of_scope' || !turn.kb.intents.has(intent)) {
      const misses = conversation.missCount + 1;
      if (misses >= MISSES_BEFORE_HANDOFF_OFFER) {
        updateConversationState(db, conversation.id, { missCount: 0, awaiting: 'handoff_confirm' });
        reply(turn, turn.m.offerHuman, [
          { label: turn.m.offerHumanYes, payload: PAYLOAD_HANDOFF_YES },
          { label: turn.m.offerHumanNo, payload: PAYLOAD_HANDOFF_NO },
        ]);
        return { outcome: 'handoff_offered', classification, ticketId: null };
      }
      updateConversationState(db, conversation.id, { missCount: misses });
      reply(turn, answerText(turn, 'out_of_scope') ?? turn.m.offerHuman, mainTopics(turn));
      return { outcome: 'fallback', classification, ticketId: null };
    }
    resetMisses();
    answerFaq(turn, intent, classification);
    return { outcome: 'faq', classification, ticketId: null };
  };

  const classifyStored = (kb: KnowledgeBase, storedText: string, storedPayload: string | null): Classification | null => {
    const text = storedText.trim();
    if (text === '') return null;
    return classify(deps.classifier(), kb, text, storedPayload ?? quickReplyPayload(text));
  };

  const handleLocked = (messageId: number, preloaded: PreloadedInbound | undefined): RouteResult | null => {
    const fresh = preloaded !== undefined && preloaded.message.id === messageId;
    const stored = fresh ? preloaded.message : getMessage(db, messageId);
    if (!stored || stored.direction !== 'in') return null;
    // A message the intake stored marked (in this transaction) is routed now, once.
    const premarked = fresh ? preloaded.premarked : undefined;
    if (stored.processedAt !== null && premarked === undefined) {
      observeInbound(stored);
      return null;
    }
    const conversation =
      fresh && preloaded.conversation !== undefined && preloaded.conversation.id === stored.conversationId
        ? preloaded.conversation
        : getConversation(db, stored.conversationId);
    if (!conversation) {
      observeInbound(stored);
      return null;
    }
    // Counted before anything else: the message joins the window even if routing it fails.
    const recentInbound = recentInboundOf(stored);
    const kb = deps.knowledge();
    const now = premarked !== undefined && stored.processedAt !== null ? stored.processedAt : clock.now();
    const attachments = preloaded === undefined || preloaded.hasAttachments ? listAttachments(db, messageId) : [];
    const text = stored.text.trim();
    const payload = stored.quickReplyPayload ?? quickReplyPayload(text);
    const classification = premarked !== undefined ? premarked.classification : classifyStored(kb, stored.text, stored.quickReplyPayload);
    const language = classification ? chooseLanguage(conversation, text, payload, classification) : conversation.language;
    if (language !== conversation.language) updateConversationState(db, conversation.id, { language });
    const turn: Turn = { message: stored, conversation, attachments, language, m: messagesFor(language), kb, now, recentInbound, replies: [] };
    const result = route(turn, classification);
    // Routing records the classification it routed by: already stored with a premarked message.
    if (premarked === undefined || result.classification !== classification) {
      markProcessed(
        db,
        messageId,
        result.classification
          ? { intent: result.classification.intent, confidence: result.classification.confidence, complaint: result.classification.complaint }
          : null,
        now,
      );
    }
    bus.publish({ type: 'message.inbound', conversationId: conversation.id, messageId, ticketId: result.ticketId });
    for (const id of turn.replies) bus.publish({ type: 'message.outbound', conversationId: conversation.id, messageId: id });
    return { ...result, replyIds: turn.replies };
  };
  // Created once: building a transaction function per message cost more than some of its statements.
  const handleTx = db.transaction(handleLocked);

  return {
    handle(messageId, preloaded) {
      // IMMEDIATE when on its own; inside the intake's batch it is a savepoint.
      return handleTx.immediate(messageId, preloaded);
    },
    handleUnguarded(messageId, preloaded) {
      if (!db.inTransaction) throw new Error('handleUnguarded needs the caller\'s transaction');
      return handleLocked(messageId, preloaded);
    },
    classify(text, quickReplyPayload) {
      return classifyStored(deps.knowledge(), text, quickReplyPayload);
    },
    forget() {
      floodWindows.clear();
    },
  };
}

const PAYLOAD_SURVEY = /^csat:(\d+:[1-5]|skip)$/;

function quickReplyPayload(text: string): string | null {
  if (PAYLOAD_INTENT.test(text) || PAYLOAD_SURVEY.test(text) || text === PAYLOAD_HANDOFF_YES || text === PAYLOAD_HANDOFF_NO) return text;
  return null;
}

/** Telegram's /start (with or without a deep-link parameter) opens with the greeting. */
const START_COMMAND = /^\/start(?:\s|$)/;

function classify(classifier: Classifier, kb: KnowledgeBase, text: string, payload: string | null): Classification {
  if (payload === null && START_COMMAND.test(text)) payload = 'intent:greeting';
  const match = payload ? PAYLOAD_INTENT.exec(payload) : null;
  if (match?.[1] && kb.intents.has(match[1])) {
    // A pressed topic button is certain; flags still come from the text classifier's defaults.
    return {
      intent: match[1],
      confidence: 1,
      complaint: false,
      integrity: false,
      priorityGroup: false,
      language: 'id',
      candidates: [{ intent: match[1], confidence: 1 }],
      secondIntent: null,
      aspect: null,
    };
  }
  return classifier.classify(text);
}

const WORD = /\S+/g;

/**
 * Very short messages ("ok", "p", "makasih") say little about the language, so the
 * conversation keeps its language unless the message has a few words.
 */
function chooseLanguage(conversation: Conversation, text: string, payload: string | null, classification: Classification): Language {
  if (payload !== null) return conversation.language;
  // Counts words up to three (as text.split(/\s+/).filter(Boolean).length would), allocating nothing.
  WORD.lastIndex = 0;
  let words = 0;
  while (words < 3 && WORD.exec(text) !== null) words += 1;
  return words < 3 ? conversation.language : classification.language;
}

/** Inbound messages of a conversation received since `since` (ms), before message `beforeId`, by id. */
function recentInboundRows(db: Db, conversationId: number, beforeId: number, since: number): { id: number; created_at: number }[] {
  return prepared<[number, number, number], { id: number; created_at: number }>(
    db,
    "SELECT id, created_at FROM messages WHERE conversation_id = ? AND direction = 'in' AND id < ? AND created_at >= ? ORDER BY id",
  ).all(conversationId, beforeId, since);
}

function isFaqIntent(kb: KnowledgeBase, intent: string): boolean {
  return kb.intents.has(intent) && !['greeting', 'thanks', 'human_handoff', 'ticket_status', 'complaint', 'out_of_scope'].includes(intent);
}

function summarize(text: string): string {
  return excerpt(text.replace(/\s+/g, ' ').trim(), SUMMARY_CHARS);
}

function excerpt(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
