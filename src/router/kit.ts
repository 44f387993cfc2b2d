/**
 * What the steps act with: queueing replies (in the routing transaction), buttons, answers
 * from the knowledge base, tickets, the miss counter. Built once per router; caches depend
 * only on the (immutable) knowledge base, so a reload starts them afresh.
 */
import type { QuickReply } from '../../channels/channel.js';
import type { Ticket } from '../domain.js';
import { composeAnswer } from '../knowledge/render.js';
import { CONVERSATIONAL_INTENT_IDS, type ComposedAnswer, type IntentEntry, type KnowledgeBase, type Language } from '../knowledge/types.js';
import type { StaffAlerts } from '../staff-alerts.js';
import { prepared, type Db } from '../store/db.js';
import { listTicketMessages, queueOutbound } from '../store/messages.js';
import { findLatestTicket, findRecentlyResolved, getTicket, insertTicketEvent } from '../store/tickets.js';
import { REOPEN_WINDOW_MS, type SlaPlanner, type TicketService } from '../tickets.js';
import { formatOfficeTime } from '../time-format.js';
import { staffTexts } from '../messages/staff.js';
import { maskPersonalData } from '../privacy.js';
import { isPriorityApplicant } from './cues.js';
import { caseKeys } from './dialogue.js';
import { PAYLOAD_HANDOFF_NO, PAYLOAD_HANDOFF_YES } from './steps/handoff.js';
import type { AnswerOptions, RouterKit, Turn } from './types.js';

/** After this many misunderstood messages in a row the bot offers a human instead of guessing. */
export const MISSES_BEFORE_HANDOFF_OFFER = 2;
const SUMMARY_CHARS = 140;
const BUTTONS_MAX = 4;
/** A second answer's short form: about this many characters (a sentence may run a little over). */
const BRIEF_CHARS = 300;
const BRIEF_SLACK = 80;
const NOT_FAQ: ReadonlySet<string> = new Set(CONVERSATIONAL_INTENT_IDS);

export interface RouterKitDeps {
  readonly db: Db;
  readonly tickets: TicketService;
  readonly alerts: StaffAlerts;
  readonly sla: SlaPlanner;
  readonly timeZone: string;
  /** Channels that take whole answers (e-mail): the default reply goes out with its rest. */
  readonly longAnswers: (channel: string) => boolean;
}

export function createRouterKit(deps: RouterKitDeps): RouterKit {
  const { db, tickets, alerts, sla, timeZone, longAnswers } = deps;

  const reply = (turn: Turn, text: string, quickReplies: readonly QuickReply[] = [], ticketId: number | null = null): void => {
    const id = queueOutbound(
      db,
      { conversationId: turn.conversation.id, channel: turn.conversation.channel, ticketId, author: 'bot', text, quickReplies },
      turn.now,
    );
    turn.replies.push(id);
  };

  // Buttons depend only on the knowledge base, the id list and the language: built once
  // each, frozen (so queueOutbound may keep their JSON too).
  const buttons = new WeakMap<KnowledgeBase, Map<string, Partial<Record<Language, readonly QuickReply[]>>>>();
  const topicButtons = (turn: Turn, ids: readonly string[]): readonly QuickReply[] => {
    let byList = buttons.get(turn.kb);
    if (!byList) {
      byList = new Map();
      buttons.set(turn.kb, byList);
    }
    const key = ids.join(',');
    let byLanguage = byList.get(key);
    if (!byLanguage) {
      byLanguage = {};
      byList.set(key, byLanguage);
    }
    let built = byLanguage[turn.language];
    if (built === undefined) {
      built = Object.freeze(
        ids
          .map((id) => turn.kb.intents.get(id))
          .filter((entry): entry is IntentEntry => entry !== undefined)
          .slice(0, BUTTONS_MAX)
          .map((entry) => Object.freeze({ label: entry.label[turn.language], payload: `intent:${entry.id}` })),
      );
      byLanguage[turn.language] = built;
    }
    return built;
  };
  const NO_FOLLOWUPS: readonly string[] = [];
  const mainTopics = (turn: Turn): readonly QuickReply[] => topicButtons(turn, turn.kb.intents.get('greeting')?.followups ?? NO_FOLLOWUPS);

  // A knowledge base is immutable once loaded (a reload swaps in a new one), so an answer
  // composed for it stays valid for as long as it is the current one.
  const composed = new WeakMap<KnowledgeBase, Map<string, ComposedAnswer>>();
  // An answer's buttons ("more" and its follow-ups), frozen so their JSON is kept too.
  const answerButtons = new WeakMap<ComposedAnswer, Partial<Record<Language, readonly QuickReply[]>>>();
  const buttonsFor = (turn: Turn, answer: ComposedAnswer, followups: boolean): readonly QuickReply[] => {
    if (!followups) return answer.hasMore ? [moreButton(turn, answer)] : [];
    let byLanguage = answerButtons.get(answer);
    if (!byLanguage) {
      byLanguage = {};
      answerButtons.set(answer, byLanguage);
    }
    let built = byLanguage[turn.language];
    if (built === undefined) {
      const entry = turn.kb.intents.get(answer.intent)!;
      const more = answer.hasMore ? [moreButton(turn, answer)] : [];
      const next = topicButtons(turn, entry.followups.filter((id) => id !== answer.intent));
      built = Object.freeze([...more, ...next].slice(0, BUTTONS_MAX));
      byLanguage[turn.language] = built;
    }
    return built;
  };
  const moreButton = (turn: Turn, answer: ComposedAnswer): QuickReply =>
    Object.freeze({ label: turn.m.moreLabel, payload: `more:${answer.intent}:${answer.case ?? '-'}:${answer.aspect ?? '-'}` });

  const compose = (turn: Turn, intent: string, options: AnswerOptions): ComposedAnswer => {
    let answers = composed.get(turn.kb);
    if (!answers) {
      answers = new Map();
      composed.set(turn.kb, answers);
    }
    const cases = options.facts ? caseKeys(options.facts) : [];
    const aspect = options.aspect ?? null;
    // A mail is read whole: the default reply and its rest together (a part asked stays a part).
    const part = (options.part ?? 'default') === 'default' && aspect === null && longAnswers(turn.conversation.channel) ? 'full' : (options.part ?? 'default');
    const key = `${turn.language}|${intent}|${cases.join(',')}|${aspect ?? ''}|${part}`;
    let answer = answers.get(key);
    if (answer === undefined) {
      answer = composeAnswer(turn.kb, intent, turn.language, { aspect, cases, part });
      answers.set(key, answer);
    }
    return answer;
  };

  /**
   * What identifies an answer sent: its text (two parts of a topic may read the same, e.g. a
   * topic's "time" part and its default reply), as a short FNV-1a hash kept in the dialogue.
   */
  const answerKey = (answer: ComposedAnswer): string => {
    let hash = 0x811c9dc5;
    for (let i = 0; i < answer.text.length; i++) hash = Math.imul(hash ^ answer.text.charCodeAt(i), 0x01000193);
    return (hash >>> 0).toString(36);
  };

  const sentThisTurn = new WeakMap<Turn, string[]>();

  /** The first sentences of an answer, up to about BRIEF_CHARS, or null when it is short already. */
  const briefOf = (text: string): string | null => {
    if (text.length <= BRIEF_CHARS + BRIEF_SLACK) return null;
    // Sentences with the space or line breaks after them, so joining them keeps the layout.
    // (A full stop inside "Rp650.000" ends nothing: only one followed by a space or the end.)
    const sentences = (text.match(/[^\n]*?(?:[.!?](?=\s|$)\s*|\n+|$)/g) ?? [text]).filter((sentence) => sentence !== '');
    let brief = '';
    for (const sentence of sentences) {
      if (brief !== '' && brief.length + sentence.length > BRIEF_CHARS) break;
      brief += sentence;
    }
    // No dangling list number ("... 3.") at the cut.
    brief = brief.trim().replace(/(?:\s*(?:\d+\.|[•*-]))+$/, '').trim();
    if (brief.length > BRIEF_CHARS + BRIEF_SLACK) brief = `${brief.slice(0, brief.lastIndexOf(' ', BRIEF_CHARS))}`;
    return brief.length < text.trim().length ? `${brief.replace(/[:;,]$/, '')} …` : null;
  };

  const isFaq = (kb: KnowledgeBase, intent: string): boolean => kb.intents.has(intent) && !NOT_FAQ.has(intent);

  const ticketFacts: RouterKit['ticketFacts'] = (turn, ticket) => {
    const due = ticket.assigneeId === null && ticket.firstResponseAt === null ? ticket.firstResponseDueAt : ticket.nextResponseDueAt;
    const office = sla.officeStatus(turn.now);
    return {
      ref: ticket.ref,
      // Hours the office has not confirmed give no clock times: "pada jam kerja berikutnya" instead.
      dueText: due && office.hoursConfirmed ? formatOfficeTime(due, turn.now, timeZone, turn.language) : null,
      opensText: !office.open && office.opensAt ? formatOfficeTime(office.opensAt, turn.now, timeZone, turn.language) : null,
    };
  };

  const addToTicket = (turn: Turn, ticket: Ticket): Ticket => {
    if (turn.joined !== null && turn.joined.id === ticket.id) return turn.joined;
    turn.joined = tickets.addApplicantMessage(ticket.id, turn.message.id);
    return turn.joined;
  };

  const missCount = (turn: Turn): number => turn.patch.missCount ?? turn.conversation.missCount;
  const resetMisses = (turn: Turn): void => {
    if (missCount(turn) !== 0) turn.patch = { ...turn.patch, missCount: 0 };
  };

  return {
    db,
    tickets,
    alerts,
    reply,
    topicButtons,
    mainTopics,
    ticketFacts,
    isFaq,
    resetMisses,
    addToTicket,

    text(turn, intent) {
      if (!turn.kb.intents.has(intent)) return null;
      return compose(turn, intent, {}).text;
    },

    answer(turn, intent, options = {}) {
      if (!turn.kb.intents.has(intent)) return false;
      const answer = compose(turn, intent, options);
      const entry = turn.kb.intents.get(answer.intent)!;
      // The priority-service note only for an applicant who belongs to a priority group (and once).
      const note = answer.intent !== 'priority_service' && !turn.priorityNoted && isPriorityApplicant(turn.forms()) ? `\n\n${turn.m.priorityNote}` : '';
      if (note !== '') turn.priorityNoted = true;
      sentThisTurn.set(turn, [...(sentThisTurn.get(turn) ?? []), answerKey(answer)]);
      const short = options.brief === true ? briefOf(answer.text) : null;
      if (short !== null) {
        // The whole answer is one press away (a topic button answers the topic's default reply).
        reply(turn, short + note, [Object.freeze({ label: turn.m.moreLabel, payload: `intent:${answer.intent}` })], options.ticketId ?? null);
      } else {
        const buttons = buttonsFor(turn, answer, options.followups !== false);
        const officer = Object.freeze({ label: turn.m.askOfficerLabel, payload: 'intent:human_handoff' });
        reply(turn, answer.text + note, options.offerOfficer === true ? [officer, ...buttons].slice(0, BUTTONS_MAX) : buttons, options.ticketId ?? null);
      }
      turn.dialogue = {
        ...turn.dialogue,
        topic: answer.intent,
        aspect: answer.aspect,
        // Every answer of this turn (a second ask adds one), so neither is repeated next.
        lastAnswer: (sentThisTurn.get(turn) ?? []).join(','),
        facts: options.facts ?? turn.dialogue.facts,
        advice: entry.troubleshooting ? answer.intent : null,
        clarify: null,
        at: turn.now.getTime(),
      };
      return true;
    },

    wouldRepeat(turn, intent, options = {}) {
      if (!turn.kb.intents.has(intent) || turn.dialogue.lastAnswer === null) return false;
      return turn.dialogue.lastAnswer.split(',').includes(answerKey(compose(turn, intent, options)));
    },

    hasMore(turn, intent, options = {}) {
      return turn.kb.intents.has(intent) && compose(turn, intent, options).hasMore;
    },

    openTicket(turn, input) {
      const entry = turn.kb.intents.get(input.intent) ?? turn.kb.intents.get(input.kind === 'handoff' ? 'human_handoff' : 'complaint');
      const ticket = tickets.open({
        contactId: turn.conversation.contactId,
        conversationId: turn.conversation.id,
        channel: turn.conversation.channel,
        kind: input.kind,
        priority: input.priority,
        integrity: input.integrity,
        intent: input.intent,
        servqual: entry?.servqual ?? 'responsiveness',
        summary: turn.message.text.trim() === '' && input.summary !== undefined ? input.summary : summarize(turn.message.text),
        messageId: turn.message.id,
      });
      turn.joined = ticket;
      return ticket;
    },

    reopenRecent(turn) {
      const resolved = findRecentlyResolved(db, turn.conversation.contactId, new Date(turn.now.getTime() - REOPEN_WINDOW_MS));
      if (!resolved) return null;
      tickets.reopen(resolved.id, { type: 'applicant' });
      return addToTicket(turn, resolved);
    },

    flagIntegrity(turn, ticket) {
      if (ticket.integrity) return ticket;
      const updated = tickets.setPriority(ticket.id, 'high', { type: 'bot' });
      prepared(db, 'UPDATE tickets SET integrity = 1 WHERE id = ?').run(ticket.id);
      insertTicketEvent(db, { ticketId: ticket.id, actor: 'bot', type: 'integrity_flagged' }, turn.now);
      const flagged = { ...updated, integrity: true };
      // Supervisors hear of it as they do of a new integrity ticket.
      alerts.raise({
        kind: 'integrity_report',
        audience: 'supervisor',
        ticketId: ticket.id,
        text: staffTexts.integrityReport(flagged, maskPersonalData(summarize(turn.message.text))),
      });
      if (turn.joined?.id === ticket.id) turn.joined = flagged;
      return flagged;
    },

    reportStatus(turn, ticketNumber) {
      const contactId = turn.conversation.contactId;
      let ticket: Ticket | null;
      if (ticketNumber !== undefined) {
        const found = getTicket(db, ticketNumber);
        // Never reveal another person's ticket: a number that is not theirs is "not found".
        ticket = found && found.contactId === contactId ? found : null;
        if (!ticket) {
          reply(turn, turn.m.statusNotFound(ticketNumber));
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
    },

    miss(turn, onMiss) {
      const misses = missCount(turn) + 1;
      if (misses >= MISSES_BEFORE_HANDOFF_OFFER) {
        turn.patch = { ...turn.patch, missCount: 0, awaiting: 'handoff_confirm' };
        reply(turn, turn.m.offerHuman, [
          { label: turn.m.offerHumanYes, payload: PAYLOAD_HANDOFF_YES },
          { label: turn.m.offerHumanNo, payload: PAYLOAD_HANDOFF_NO },
        ]);
        return 'offered';
      }
      turn.patch = { ...turn.patch, missCount: misses };
      onMiss();
      return 'counted';
    },
  };
}

function summarize(text: string): string {
  return excerpt(text.replace(/\s+/g, ' ').trim(), SUMMARY_CHARS);
}

function excerpt(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}
