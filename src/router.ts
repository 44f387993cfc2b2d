/**
 * The router: one stored inbound message -> one decision (answer, open or update a
 * ticket, hand off, report a status, ask again). Everything it changes and every reply
 * it wants to send is written in one transaction with the message marked processed,
 * so a crash either leaves the message to be handled again or handled completely.
 *
 * The decision is a pipeline of small named steps (src/router/steps/), in this order:
 * flood -> media -> survey -> handoff-confirm -> understand -> held -> notices -> status ->
 * vague -> handoff -> scam -> self-help -> complaint -> clarify -> small-talk -> answer, and
 * the fallback when none decided. The conversation's memory (topic, case, last advice;
 * src/router/dialogue.ts) and its other state are written once, at the end of the turn.
 */
import type { Clock } from './clock.js';
import type { Conversation, StoredMessage } from './domain.js';
import type { EventBus } from './events.js';
import type { KnowledgeBase, Language } from './knowledge/types.js';
import { messagesFor } from './messages/index.js';
import { cleanText, normalize } from './nlu/normalize.js';
import type { Classification, Classifier } from './nlu/types.js';
import type { StaffAlerts } from './staff-alerts.js';
import type { Db } from './store/db.js';
import { prepared } from './store/db.js';
import { getConversation, updateConversationState } from './store/conversations.js';
import { getMessage, listAttachments, markProcessed } from './store/messages.js';
import { findActiveTicket } from './store/tickets.js';
import type { SlaPlanner, TicketService } from './tickets.js';
import type { MessageForms } from './router/cues.js';
import { readDialogue, writeDialogue, isEmpty } from './router/dialogue.js';
import { createRouterKit } from './router/kit.js';
import { compose } from './router/pipeline.js';
import { answerStep } from './router/steps/answer.js';
import { clarifyStep } from './router/steps/clarify.js';
import { complaintStep } from './router/steps/complaint.js';
import { fallback } from './router/steps/fallback.js';
import { FLOOD_MAX_ANSWERED, FLOOD_WINDOW_MS, floodStep } from './router/steps/flood.js';
import { handoffConfirmStep, handoffStep, PAYLOAD_HANDOFF_NO, PAYLOAD_HANDOFF_YES } from './router/steps/handoff.js';
import { heldStep } from './router/steps/held.js';
import { mediaStep } from './router/steps/media.js';
import { noticesStep } from './router/steps/notices.js';
import { scamStep } from './router/steps/scam.js';
import { selfHelpStep } from './router/steps/self-help.js';
import { smallTalkStep } from './router/steps/small-talk.js';
import { sendHereStep } from './router/steps/send-here.js';
import { statusStep } from './router/steps/status.js';
import { surveyStep } from './router/steps/survey.js';
import { PAYLOAD_INTENT, PAYLOAD_MORE, understandStep } from './router/steps/understand.js';
import { vagueStep } from './router/steps/vague.js';
import type { Decision, RouteOutcome, Step, Turn } from './router/types.js';

export { FLOOD_MAX_ANSWERED, FLOOD_WINDOW_MS };
export { MISSES_BEFORE_HANDOFF_OFFER } from './router/kit.js';
export type { RouteOutcome };

/** Texts whose normalized forms are remembered (all dropped beyond), and the longest one remembered. */
const RECENT_FORMS_MAX = 2_000;
const RECENT_FORMS_TEXT_MAX = 200;
/** A dialogue memory that did not change is stored again (its time refreshed) at most this often. */
const DIALOGUE_REFRESH_MS = 60_000;

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
  /** Whether a channel takes whole answers (`ChannelCapabilities.longAnswers`); default: none does. */
  readonly longAnswers?: (channel: string) => boolean;
}

export interface RouteResult extends Decision {
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


  // The normalized forms of recent texts: short messages recur ("halo", "terima kasih",
  // "berapa biaya paspor"), and normalizing is a good part of what the cues cost.
  const recentForms = new Map<string, MessageForms>();
  const formsOf = (text: string): MessageForms => {
    let known = recentForms.get(text);
    if (known === undefined) {
      known = { normalized: normalize(text), lower: cleanText(text) };
      if (recentForms.size >= RECENT_FORMS_MAX) recentForms.clear();
      if (text.length <= RECENT_FORMS_TEXT_MAX) recentForms.set(text, known);
    }
    return known;
  };

  const kit = createRouterKit({ db, tickets, alerts, sla, timeZone, longAnswers: deps.longAnswers ?? (() => false) });
  const steps: readonly Step[] = [
    floodStep(kit),
    mediaStep(kit),
    surveyStep(kit),
    handoffConfirmStep(kit),
    understandStep(kit),
    heldStep(kit),
    noticesStep(kit),
    sendHereStep(kit),
    statusStep(kit),
    vagueStep(kit),
    handoffStep(kit),
    scamStep(kit),
    selfHelpStep(kit),
    complaintStep(kit),
    clarifyStep(kit),
    smallTalkStep(kit),
    answerStep(kit),
  ];
  const route = compose(steps, fallback(kit));

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
    const dialogue = readDialogue(conversation.dialogue, now);
    let forms: MessageForms | null = null;
    const turn: Turn = {
      message: stored,
      conversation,
      attachments,
      language,
      m: messagesFor(language),
      kb,
      now,
      recentInbound,
      text,
      payload,
      classification,
      active: findActiveTicket(db, conversation.contactId),
      dialogue,
      patch: language !== conversation.language ? { language } : {},
      understanding: null,
      replies: [],
      joined: null,
      priorityNoted: false,
      forms: () => (forms ??= formsOf(text)),
    };
    const decision = route(turn);
    rememberPerson(turn);
    saveConversationState(turn, dialogue);
    // Routing records the classification it routed by: already stored with a premarked message.
    if (premarked === undefined || decision.classification !== classification) {
      markProcessed(
        db,
        messageId,
        decision.classification
          ? { intent: decision.classification.intent, confidence: decision.classification.confidence, complaint: decision.classification.complaint }
          : null,
        now,
      );
    }
    bus.publish({ type: 'message.inbound', conversationId: conversation.id, messageId, ticketId: decision.ticketId });
    for (const id of turn.replies) bus.publish({ type: 'message.outbound', conversationId: conversation.id, messageId: id });
    return { ...decision, replyIds: turn.replies };
  };

  /**
   * Who the passport is for, said in a turn that answered no FAQ ("my mother is 75 ..." met
   * with a clarification or small talk), is remembered for the next question ("what should
   * she bring?"). An FAQ answer has stored its case already.
   */
  const rememberPerson = (turn: Turn): void => {
    const who = turn.understanding?.stated.who;
    if (who === undefined || turn.dialogue.facts.who === who) return;
    turn.dialogue = { ...turn.dialogue, facts: { ...turn.dialogue.facts, who }, at: turn.now.getTime() };
  };

  /** The turn's conversation changes in one UPDATE: language, misses, what is awaited, the dialogue memory. */
  const saveConversationState = (turn: Turn, before: ReturnType<typeof readDialogue>): void => {
    let patch = turn.patch;
    const after = turn.dialogue;
    if (after !== before || !isEmpty(after)) {
      // Any message keeps a non-empty memory alive: the quiet period counts from the last one,
      // to the minute (a memory that did not change is not written again within a minute).
      const now = turn.now.getTime();
      const unchanged = !isEmpty(after) && writeDialogue({ ...after, at: before.at }) === turn.conversation.dialogue;
      if (!unchanged || now - before.at >= DIALOGUE_REFRESH_MS) {
        const json = isEmpty(after) ? null : writeDialogue({ ...after, at: now });
        if (json !== turn.conversation.dialogue) patch = { ...patch, dialogue: json };
      }
    } else if (turn.conversation.dialogue !== null) {
      // Expired or unreadable: forgotten.
      patch = { ...patch, dialogue: null };
    }
    if (patch.missCount !== undefined && patch.missCount === turn.conversation.missCount) {
      const { missCount: _same, ...rest } = patch;
      patch = rest;
    }
    updateConversationState(db, turn.conversation.id, patch);
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
  if (PAYLOAD_INTENT.test(text) || PAYLOAD_MORE.test(text) || PAYLOAD_SURVEY.test(text) || text === PAYLOAD_HANDOFF_YES || text === PAYLOAD_HANDOFF_NO) return text;
  return null;
}

/** Telegram's /start (with or without a deep-link parameter) opens with the greeting. */
const START_COMMAND = /^\/start(?:\s|$)/;

function classify(classifier: Classifier, kb: KnowledgeBase, text: string, payload: string | null): Classification {
  if (payload === null && START_COMMAND.test(text)) payload = 'intent:greeting';
  const match = payload ? (PAYLOAD_INTENT.exec(payload) ?? PAYLOAD_MORE.exec(payload)) : null;
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
 * conversation keeps its language unless the message has a few words, or opens a new
 * conversation with English words only ("hello").
 */
function chooseLanguage(conversation: Conversation, text: string, payload: string | null, classification: Classification): Language {
  if (payload !== null) return conversation.language;
  // Counts words up to three (as text.split(/\s+/).filter(Boolean).length would), allocating nothing.
  WORD.lastIndex = 0;
  let words = 0;
  while (words < 3 && WORD.exec(text) !== null) words += 1;
  if (words >= 3) return classification.language;
  // A first "hello" or "thanks" in English opens the conversation in English.
  return conversation.dialogue === null && classification.language === 'en' ? 'en' : conversation.language;
}

/** Inbound messages of a conversation received since `since` (ms), before message `beforeId`, by id. */
function recentInboundRows(db: Db, conversationId: number, beforeId: number, since: number): { id: number; created_at: number }[] {
  return prepared<[number, number, number], { id: number; created_at: number }>(
    db,
    "SELECT id, created_at FROM messages WHERE conversation_id = ? AND direction = 'in' AND id < ? AND created_at >= ? ORDER BY id",
  ).all(conversationId, beforeId, since);
}
