/**
 * Runs dialogue tests against the real router: each dialogue gets a fresh in-memory
 * database and a fake clock (Monday 30 November 2026, 09:00 WITA unless it says otherwise),
 * messages are stored and routed as the intake does, and each turn's replies, outcome and
 * ticket are checked against its expectations. The knowledge base and the classifier are
 * shared (training one takes seconds).
 */
import { pino } from 'pino';
import type { QuickReply } from '../../channels/channel.js';
import { createFakeClock } from '../clock.js';
import { createCore, type Core } from '../core.js';
import type { Ticket } from '../domain.js';
import type { KnowledgeBase } from '../knowledge/types.js';
import type { Classifier } from '../nlu/types.js';
import { createSlaPlanner } from '../sla/planner.js';
import type { SlaPolicy } from '../sla/policy.js';
import { openDatabase, type Db } from '../store/db.js';
import { storeInbound } from '../store/inbox.js';
import { findActiveTicket, findLatestTicket, listTickets } from '../store/tickets.js';
import { parseWait, type Dialogue, type DialogueTurn, type Expectation, type TicketEffect } from './load.js';

/** Monday 30 November 2026, 09:00 WITA: the office is open. */
export const DEFAULT_DIALOGUE_START = '2026-11-30T01:00:00Z';
/** Time between an applicant's messages (keeps a long dialogue clear of the flood limit). */
const TYPING_MS = 20_000;
const APPLICANT = 'dialogue-applicant';
const OFFICER = 'petugas.dialog';

export interface DialogueRunnerDeps {
  readonly knowledge: KnowledgeBase;
  readonly classifier: Classifier;
  readonly policy: SlaPolicy;
  readonly timeZone: string;
}

export interface BotReply {
  readonly text: string;
  readonly buttons: readonly QuickReply[];
}

export interface TurnRecord {
  /** What happened: `user: ...`, `press: ...`, `wait: 31m`, `staff: claim`. */
  readonly step: string;
  readonly replies: readonly BotReply[];
  readonly outcome: string | null;
  readonly ticket: TicketEffect;
  readonly failures: readonly string[];
}

export interface DialogueResult {
  readonly dialogue: Dialogue;
  readonly passed: boolean;
  readonly turns: readonly TurnRecord[];
  /** Every failed expectation, "turn 2 (user: ...): ...". */
  readonly failures: readonly string[];
}

export function runDialogue(deps: DialogueRunnerDeps, dialogue: Dialogue): DialogueResult {
  const db = openDatabase(':memory:');
  try {
    const clock = createFakeClock(dialogue.start ?? DEFAULT_DIALOGUE_START);
    const core = createCore({
      db,
      clock,
      logger: pino({ level: 'silent' }),
      knowledge: deps.knowledge,
      classifier: deps.classifier,
      sla: createSlaPlanner(
        dialogue.hours_confirmed === undefined ? deps.policy : { ...deps.policy, hoursConfirmed: dialogue.hours_confirmed },
      ),
      timeZone: deps.timeZone,
    });
    const session = createSession(core, db, dialogue);
    const turns: TurnRecord[] = [];
    const failures: string[] = [];
    dialogue.turns.forEach((turn, index) => {
      const record = session.play(turn, index, () => clock.advance(TYPING_MS), (ms) => clock.advance(ms));
      turns.push(record);
      for (const failure of record.failures) failures.push(`turn ${index + 1} (${record.step}): ${failure}`);
    });
    return { dialogue, passed: failures.length === 0, turns, failures };
  } finally {
    db.close();
  }
}

interface Session {
  play(turn: DialogueTurn, index: number, typed: () => void, wait: (ms: number) => void): TurnRecord;
}

function createSession(core: Core, db: Db, dialogue: Dialogue): Session {
  let lastSeenId = 0;
  let lastButtons: readonly QuickReply[] = [];
  let staffId: number | null = null;
  let counter = 0;
  const contactId = (): number | null =>
    (db.prepare('SELECT contact_id FROM conversations WHERE channel = ? AND external_id = ?').get(dialogue.channel, APPLICANT) as { contact_id: number } | undefined)
      ?.contact_id ?? null;

  const say = (text: string, payload: string | null): { outcome: string | null; messageId: number | null } => {
    counter += 1;
    const stored = storeInbound(
      db,
      {
        channel: dialogue.channel,
        externalId: `dialogue-${counter}`,
        conversationExternalId: APPLICANT,
        sender: { externalId: APPLICANT, displayName: 'Pemohon' },
        text,
        attachments: [],
        receivedAt: core.clock.now(),
        ...(payload !== null ? { quickReplyPayload: payload } : {}),
      },
      core.clock.now(),
    );
    const result = core.router.handle(stored.messageId);
    return { outcome: result?.outcome ?? null, messageId: stored.messageId };
  };

  const officer = (): number => {
    if (staffId !== null) return staffId;
    const found = db.prepare('SELECT id FROM staff WHERE username = ?').get(OFFICER) as { id: number } | undefined;
    staffId = found?.id ?? Number(db.prepare("INSERT INTO staff (username, display_name, role, created_at) VALUES (?, 'Petugas', 'staff', 0)").run(OFFICER).lastInsertRowid);
    return staffId;
  };

  const staffAction = (action: Extract<DialogueTurn, { staff: unknown }>['staff']): string | null => {
    const contact = contactId();
    const ticket = contact === null ? null : action === 'reopen' ? findLatestTicket(db, contact) : findActiveTicket(db, contact) ?? findLatestTicket(db, contact);
    if (!ticket) return 'the applicant has no ticket to act on';
    if (action === 'claim') core.tickets.claim(ticket.id, officer());
    else if (action === 'resolve') core.tickets.setStatus(ticket.id, 'resolved', { type: 'staff', staffId: officer() });
    else if (action === 'reopen') core.tickets.setStatus(ticket.id, 'open', { type: 'staff', staffId: officer() });
    else core.tickets.staffReply(ticket.id, officer(), action.reply);
    return null;
  };

  const newReplies = (): BotReply[] => {
    const rows = db
      .prepare("SELECT id, author, text, quick_replies FROM messages WHERE direction = 'out' AND id > ? ORDER BY id")
      .all(lastSeenId) as { id: number; author: string; text: string; quick_replies: string | null }[];
    const maxId = (db.prepare('SELECT MAX(id) AS id FROM messages').get() as { id: number | null }).id ?? 0;
    lastSeenId = Math.max(lastSeenId, maxId);
    return rows
      .filter((row) => row.author === 'bot')
      .map((row) => ({ text: row.text, buttons: row.quick_replies === null ? [] : (JSON.parse(row.quick_replies) as QuickReply[]) }));
  };

  return {
    play(turn, _index, typed, wait) {
      const before = snapshot(db);
      const failures: string[] = [];
      let step: string;
      let outcome: string | null = null;
      let messageId: number | null = null;
      if ('user' in turn) {
        step = `user: ${turn.user}`;
        ({ outcome, messageId } = say(turn.user, null));
        typed();
      } else if ('press' in turn) {
        step = `press: ${turn.press}`;
        const wanted = turn.press.toLowerCase();
        const button =
          lastButtons.find((b) => b.label.toLowerCase() === wanted || b.payload.toLowerCase() === wanted) ??
          lastButtons.find((b) => b.label.toLowerCase().includes(wanted) || b.payload.toLowerCase().startsWith(wanted));
        if (!button) {
          failures.push(`no button "${turn.press}" in the last reply (buttons: ${lastButtons.map((b) => b.label).join(', ') || 'none'})`);
        } else {
          ({ outcome, messageId } = say(button.label, button.payload));
          typed();
        }
      } else if ('wait' in turn) {
        step = `wait: ${turn.wait}`;
        wait(parseWait(turn.wait));
      } else {
        step = `staff: ${typeof turn.staff === 'string' ? turn.staff : `reply ${turn.staff.reply}`}`;
        const problem = staffAction(turn.staff);
        if (problem) failures.push(problem);
      }
      const replies = newReplies();
      const last = replies.at(-1);
      if (last) lastButtons = last.buttons;
      const { effect, ticket } = ticketEffect(db, before, messageId, contactId());
      if (turn.expect) failures.push(...check(turn.expect, { replies, outcome, effect, ticket }));
      return { step, replies, outcome, ticket: effect, failures };
    },
  };
}

interface TicketSnapshot {
  readonly reopenCounts: ReadonlyMap<number, number>;
}

function snapshot(db: Db): TicketSnapshot {
  const rows = db.prepare('SELECT id, reopen_count FROM tickets').all() as { id: number; reopen_count: number }[];
  return { reopenCounts: new Map(rows.map((row) => [row.id, row.reopen_count])) };
}

function ticketEffect(db: Db, before: TicketSnapshot, messageId: number | null, contact: number | null): { effect: TicketEffect; ticket: Ticket | null } {
  const tickets = listTickets(db, { limit: 1000 });
  const opened = tickets.find((ticket) => !before.reopenCounts.has(ticket.id));
  if (opened) return { effect: 'opened', ticket: opened };
  const reopened = tickets.find((ticket) => ticket.reopenCount > (before.reopenCounts.get(ticket.id) ?? 0));
  if (reopened) return { effect: 'reopened', ticket: reopened };
  if (messageId !== null) {
    const row = db.prepare('SELECT ticket_id FROM messages WHERE id = ?').get(messageId) as { ticket_id: number | null } | undefined;
    const ticketId = row?.ticket_id ?? null;
    const added = ticketId === null ? undefined : tickets.find((ticket) => ticket.id === ticketId);
    if (added) return { effect: 'added', ticket: added };
  }
  const latest = contact === null ? null : findLatestTicket(db, contact);
  return { effect: 'none', ticket: latest };
}

interface Observed {
  readonly replies: readonly BotReply[];
  readonly outcome: string | null;
  readonly effect: TicketEffect;
  readonly ticket: Ticket | null;
}

function check(expect: Expectation, observed: Observed): string[] {
  const failures: string[] = [];
  const all = observed.replies.map((reply) => reply.text).join('\n---\n');
  const lower = all.toLowerCase();
  const shown = observed.replies.length === 0 ? '(no reply)' : `"${excerpt(all, 300)}"`;
  if (expect.outcome && !expect.outcome.includes(observed.outcome ?? '')) {
    failures.push(`expected outcome ${expect.outcome.join(' or ')}, got ${observed.outcome ?? 'none'}; replies: ${shown}`);
  }
  for (const text of expect.contains ?? []) {
    if (!lower.includes(text.toLowerCase())) failures.push(`expected the replies to contain "${text}"; got ${shown}`);
  }
  for (const text of expect.notContains ?? []) {
    if (lower.includes(text.toLowerCase())) failures.push(`expected the replies not to contain "${text}"; got ${shown}`);
  }
  if (expect.startsWith !== undefined) {
    const first = observed.replies[0]?.text ?? '';
    if (!first.toLowerCase().startsWith(expect.startsWith.toLowerCase())) failures.push(`expected the first reply to start with "${expect.startsWith}"; got ${shown}`);
  }
  if (expect.replies !== undefined && observed.replies.length !== expect.replies) {
    failures.push(`expected ${expect.replies} replies, got ${observed.replies.length}: ${shown}`);
  }
  if (expect.maxLength !== undefined) {
    for (const reply of observed.replies) {
      if (reply.text.length > expect.maxLength) failures.push(`expected replies of at most ${expect.maxLength} characters, got ${reply.text.length}: "${excerpt(reply.text, 120)}"`);
    }
  }
  if (expect.ticket !== undefined && observed.effect !== expect.ticket) {
    failures.push(`expected ticket ${expect.ticket}, got ${observed.effect}; replies: ${shown}`);
  }
  if (expect.priority !== undefined && observed.ticket?.priority !== expect.priority) {
    failures.push(`expected a ${expect.priority}-priority ticket, got ${observed.ticket ? observed.ticket.priority : 'no ticket'}`);
  }
  if (expect.integrity !== undefined && (observed.ticket?.integrity ?? false) !== expect.integrity) {
    failures.push(`expected ${expect.integrity ? 'an' : 'no'} integrity ticket, got ${observed.ticket ? `integrity ${observed.ticket.integrity}` : 'no ticket'}`);
  }
  if (expect.buttons !== undefined) {
    const buttons = observed.replies.at(-1)?.buttons ?? [];
    const listed = buttons.map((b) => `${b.label} (${b.payload})`).join(', ') || 'none';
    if (expect.buttons === true && buttons.length === 0) failures.push('expected buttons, got none');
    else if (expect.buttons === false && buttons.length > 0) failures.push(`expected no buttons, got ${listed}`);
    else if (Array.isArray(expect.buttons)) {
      for (const wanted of expect.buttons) {
        const w = wanted.toLowerCase();
        if (!buttons.some((b) => b.label.toLowerCase().includes(w) || b.payload.toLowerCase() === w)) failures.push(`expected a button "${wanted}", got ${listed}`);
      }
    }
  }
  return failures;
}

function excerpt(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length <= max ? flat : `${flat.slice(0, max - 1)}…`;
}

/** One line per dialogue and, for failures, what failed and the transcript. */
/** A transcript shows this much of each reply unless asked for whole replies. */
const REPLY_EXCERPT_CHARS = 240;

/** `full`: whole replies in the transcript (for grading a set by hand), not excerpts. */
export function formatResult(result: DialogueResult, options: { transcript?: boolean; full?: boolean } = {}): string {
  const { dialogue } = result;
  const mark = result.passed ? 'PASS' : dialogue.known_issue ? 'KNOWN' : 'FAIL';
  const lines = [`${mark}  ${dialogue.name}  (${dialogue.language}, ${dialogue.file})`];
  if (result.passed && dialogue.known_issue) lines.push(`      known issue no longer shows: ${dialogue.known_issue} (remove known_issue)`);
  if (!result.passed) {
    if (dialogue.known_issue) lines.push(`      known issue: ${dialogue.known_issue}`);
    for (const failure of result.failures) lines.push(`      ✗ ${failure}`);
  }
  if (options.transcript || (!result.passed && !dialogue.known_issue)) {
    for (const turn of result.turns) {
      lines.push(`      > ${turn.step}${turn.outcome ? `  [${turn.outcome}${turn.ticket !== 'none' ? `, ticket ${turn.ticket}` : ''}]` : ''}`);
      for (const reply of turn.replies) {
        lines.push(`        < ${options.full ? reply.text.replace(/\s+/g, ' ') : excerpt(reply.text, REPLY_EXCERPT_CHARS)}`);
        if (reply.buttons.length > 0) lines.push(`          [${reply.buttons.map((b) => b.label).join(' | ')}]`);
      }
    }
  }
  return lines.join('\n');
}
