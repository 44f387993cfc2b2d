/**
 * Ticket lifecycle: open -> (pending <-> open) -> resolved -> closed, reopened when the
 * applicant writes again within the reopen window. Every change writes a ticket event
 * and recomputes the stored SLA due times in the same transaction.
 */
import type { ChannelName } from '../channels/channel.js';
import type { Clock } from './clock.js';
import type { AnsweredVia, Ticket, TicketPriority, TicketStatus } from './domain.js';
import type { EventBus } from './events.js';
import type { ServqualDimension } from './knowledge/types.js';
import { messagesFor } from './messages/index.js';
import { staffTexts } from './messages/staff.js';
import { maskPersonalData } from './privacy.js';
import { askForRating } from './satisfaction.js';
import { getConversation, updateConversationState } from './store/conversations.js';
import type { StaffAlerts } from './staff-alerts.js';
import { formatOfficeTime } from './time-format.js';
import type { PauseInterval } from './sla/timers.js';
import { prepared, type Db } from './store/db.js';
import { toTicket, type TicketRow } from './store/mappers.js';
import { insertInternalNote, queueOutbound } from './store/messages.js';
import { insertOutsideAnswer } from './store/desk-intake.js';
import {
  getTicketRow,
  insertTicket,
  insertTicketEvent,
  listStatusChanges,
  patchTicketRow,
  updateTicket,
  type EventActor,
  type NewTicket,
  type TicketPatch,
} from './store/tickets.js';

export const REOPEN_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

export type { PauseInterval };

export interface SlaPlan {
  readonly firstResponseDueAt: Date | null;
  readonly nextResponseDueAt: Date | null;
  readonly resolutionDueAt: Date | null;
  /** Earliest moment the SLA scanner must look at the ticket again (warning, breach, supervisor). */
  readonly nextCheckAt: Date | null;
}

export interface OfficeStatus {
  readonly open: boolean;
  /**
   * When closed: the next opening. Null while the office has not confirmed its hours
   * (`hours_confirmed` in data/sla.yaml): an opening time from default hours is not stated.
   */
  readonly opensAt: Date | null;
  /** Whether the hours are the office's confirmed ones (false: no clock times to applicants). */
  readonly hoursConfirmed: boolean;
}

/** What tickets need from the SLA engine; src/sla implements it. */
export interface SlaPlanner {
  plan(ticket: Ticket, pauses: readonly PauseInterval[], now: Date): SlaPlan;
  officeStatus(now: Date): OfficeStatus;
  /** The confirmed office hours as applicants read them ("Senin–Jumat 08.00–16.00 WITA ..."); null while unconfirmed. */
  officeHoursText(): string | null;
}

export class TicketError extends Error {
  constructor(
    readonly code: 'TICKET_NOT_FOUND' | 'TICKET_CLOSED' | 'TICKET_INVALID_TRANSITION' | 'TICKET_EMPTY_TEXT' | 'TICKET_UNREACHABLE',
    message: string,
  ) {
    super(message);
    this.name = 'TicketError';
  }
}

export interface OpenTicketInput extends NewTicket {
  /** The applicant message that opened it. */
  readonly messageId: number | null;
  /**
   * A complaint recorded by staff (#21): when the office received it (its SLA clocks start
   * there; default now) and who recorded it (the "opened" event's actor).
   */
  readonly openedAt?: Date;
  readonly recordedBy?: number;
}

export interface Actor {
  readonly type: EventActor;
  readonly staffId?: number | null;
}

export interface TicketService {
  open(input: OpenTicketInput): Ticket;
  get(id: number): Ticket;
  /** An applicant message joins the ticket: next-response clock starts if idle, pending -> open. */
  addApplicantMessage(ticketId: number, messageId: number): Ticket;
  claim(ticketId: number, staffId: number): Ticket;
  release(ticketId: number, staffId: number): Ticket;
  /** Hands the ticket to `toStaffId` (a supervisor's or the holder's decision; the caller checks who may). */
  assign(ticketId: number, toStaffId: number, actor: Actor): Ticket;
  /** A public staff reply, delivered through the outbox; counts as the staff response for SLA. */
  staffReply(ticketId: number, staffId: number | null, text: string): { ticket: Ticket; messageId: number };
  /**
   * A public reply an officer sent outside SAPA (the provider's own inbox), already stored
   * as message `messageId`: counts as the staff response for SLA like staffReply, by no
   * known officer. Call inside the transaction that stored the message.
   */
  outsideReply(ticketId: number, messageId: number, via: string): Ticket;
  /**
   * A public answer an officer gave outside SAPA (phone call, letter, the LAPOR! panel, in
   * person): recorded on the ticket, never sent, and counted as the staff response for the
   * SLA like a reply. The only way to answer a ticket whose contact SAPA cannot reach.
   */
  answerOutside(ticketId: number, staffId: number, text: string, via: AnsweredVia): { ticket: Ticket; messageId: number };
  addNote(ticketId: number, staffId: number | null, text: string): { ticket: Ticket; messageId: number };
  setStatus(ticketId: number, status: TicketStatus, actor: Actor): Ticket;
  reopen(ticketId: number, actor: Actor): Ticket;
  setPriority(ticketId: number, priority: TicketPriority, actor: Actor): Ticket;
  setServqual(ticketId: number, servqual: ServqualDimension, actor: Actor): Ticket;
  /** Recomputes stored SLA due times (after a policy change, or by the scanner). */
  replan(ticketId: number): Ticket;
}

export interface TicketServiceDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly sla: SlaPlanner;
  readonly bus: EventBus;
  readonly alerts: StaffAlerts;
  readonly timeZone: string;
  readonly flood?: TicketFloodPolicy;
}

/**
 * New tickets per origin (a web chat address, across the visitor ids it got) per hour.
 * Beyond the cap a complaint does not open a ticket of its own: it joins the origin's one
 * flood ticket (normal priority, staff and supervisors told once), the applicant is still
 * answered, and every message is stored.
 */
export interface TicketFloodPolicy {
  /** New tickets one origin may open within an hour. */
  readonly perHour: number;
  /** The origin of a conversation (a keyed hash of its address), or null: not capped. */
  originOf(channel: ChannelName, conversationExternalId: string): string | null;
}

const HOUR_MS = 60 * 60 * 1000;

const ALLOWED: Readonly<Record<TicketStatus, readonly TicketStatus[]>> = {
  open: ['pending', 'resolved', 'closed'],
  pending: ['open', 'resolved', 'closed'],
  resolved: ['open', 'closed'],
  closed: ['open'],
};

/**
 * Periods the resolution clock stood still, derived from the status events so nothing
 * is stored twice: pending periods, and resolved-then-reopened gaps (a reopen continues
 * the same clock). Shared with the SLA scanner so both compute the same timers.
 */
export function ticketPauses(db: Db, ticketId: number): PauseInterval[] {
  const pauses: PauseInterval[] = [];
  let open: { startAt: Date; reason: 'pending' | 'resolved' } | null = null;
  for (const event of listStatusChanges(db, ticketId)) {
    const to = event.to;
    if (open !== null && to !== open.reason && !(open.reason === 'resolved' && to === 'closed')) {
      pauses.push({ startAt: open.startAt, endAt: event.createdAt, reason: open.reason });
      open = null;
    }
    if (open === null && (to === 'pending' || to === 'resolved')) open = { startAt: event.createdAt, reason: to };
  }
  // An open "resolved" pause is the current resolution itself, not a pause.
  if (open !== null && open.reason === 'pending') pauses.push({ startAt: open.startAt, endAt: null, reason: 'pending' });
  return pauses;
}

export function createTicketService({ db, clock, sla, bus, alerts, timeZone, flood }: TicketServiceDeps): TicketService {
  const mustGetRow = (id: number): TicketRow => {
    const row = getTicketRow(db, id);
    if (!row) throw new TicketError('TICKET_NOT_FOUND', `ticket #${id} does not exist`);
    return row;
  };
  const mustGet = (id: number): Ticket => toTicket(mustGetRow(id));

  const pausesOf = (ticketId: number): PauseInterval[] => ticketPauses(db, ticketId);

  /**
   * Writes `patch` and the SLA due times it leads to in one UPDATE. `row` is the ticket as
   * stored before the change; the result is what reading it back would give.
   */
  const writeWithPlan = (row: TicketRow, patch: TicketPatch, now: Date, knownPauses?: PauseInterval[], stamp: Date = now): Ticket => {
    const patched = patchTicketRow(row, patch, stamp);
    const plan = sla.plan(toTicket(patched), knownPauses ?? pausesOf(row.id), now);
    const full: TicketPatch = {
      ...patch,
      firstResponseDueAt: plan.firstResponseDueAt,
      nextResponseDueAt: plan.nextResponseDueAt,
      resolutionDueAt: plan.resolutionDueAt,
      nextSlaCheckAt: plan.nextCheckAt,
    };
    updateTicket(db, row.id, full, stamp);
    return toTicket(patchTicketRow(row, full, stamp));
  };

  const changeTx = db.transaction(
    (id: number, patch: TicketPatch, event: { actor: Actor; type: string; data?: Record<string, unknown> }, before: TicketRow | undefined): Ticket => {
      const now = clock.now();
      const row = before ?? mustGetRow(id);
      insertTicketEvent(
        db,
        { ticketId: id, actor: event.actor.type, staffId: event.actor.staffId ?? null, type: event.type, ...(event.data ? { data: event.data } : {}) },
        now,
      );
      const ticket = writeWithPlan(row, patch, now);
      bus.publish({ type: 'ticket.changed', ticketId: id, change: event.type });
      return ticket;
    },
  );
  const change = (id: number, patch: TicketPatch, event: { actor: Actor; type: string; data?: Record<string, unknown> }, before?: TicketRow): Ticket =>
    changeTx(id, patch, event, before);

  const replanTx = db.transaction((id: number): Ticket => {
    const row = mustGetRow(id);
    // Keeps updated_at: a replan is not a change to the ticket.
    return writeWithPlan(row, {}, clock.now(), undefined, new Date(row.updated_at));
  });

  /** New tickets reach the staff targets with claim/resolve buttons; integrity reports reach supervisors too. */
  const announce = (ticket: Ticket, now: Date): void => {
    const excerpt = maskPersonalData(ticket.summary);
    const due = ticket.firstResponseDueAt ? formatOfficeTime(ticket.firstResponseDueAt, now, timeZone, 'id') : null;
    alerts.raise({
      kind: 'ticket_opened',
      audience: 'staff',
      ticketId: ticket.id,
      text: staffTexts.ticketOpened(ticket, excerpt, due),
      quickReplies: [
        { label: staffTexts.claimLabel, payload: `staff:claim:${ticket.id}` },
        { label: staffTexts.resolveLabel, payload: `staff:resolve:${ticket.id}` },
      ],
    });
    if (ticket.integrity) {
      alerts.raise({ kind: 'integrity_report', audience: 'supervisor', ticketId: ticket.id, text: staffTexts.integrityReport(ticket, excerpt) });
    }
  };

  /**
   * Staff reopened a resolved ticket: the applicant is told (the router tells them itself when
   * their own message reopens it), and a survey question still waiting is dropped.
   */
  const announceReopen = (ticket: Ticket, now: Date): void => {
    const conversation = getConversation(db, ticket.conversationId);
    const language = conversation?.language ?? 'id';
    const office = sla.officeStatus(now);
    const due = ticket.assigneeId === null && ticket.firstResponseAt === null ? ticket.firstResponseDueAt : ticket.nextResponseDueAt;
    const text = messagesFor(language).ticketReopenedByStaff({
      ref: ticket.ref,
      // Unconfirmed hours: no clock time ("during the next office hours" instead).
      dueText: due && office.hoursConfirmed ? formatOfficeTime(due, now, timeZone, language) : null,
      opensText: !office.open && office.opensAt ? formatOfficeTime(office.opensAt, now, timeZone, language) : null,
    });
    const messageId = queueOutbound(db, { conversationId: ticket.conversationId, ticketId: ticket.id, author: 'bot', text }, now);
    if (conversation?.awaitingTicketId === ticket.id) updateConversationState(db, ticket.conversationId, { awaiting: null, awaitingTicketId: null });
    bus.publish({ type: 'message.outbound', conversationId: ticket.conversationId, messageId });
  };

  const transition = (id: number, to: TicketStatus, actor: Actor, extra: TicketPatch = {}): Ticket => {
    const ticket = mustGet(id);
    if (ticket.status === to) return ticket;
    if (!ALLOWED[ticket.status].includes(to)) {
      throw new TicketError('TICKET_INVALID_TRANSITION', `ticket ${ticket.ref} cannot go from ${ticket.status} to ${to}`);
    }
    const now = clock.now();
    const patch: TicketPatch = { status: to, ...extra };
    if (to === 'pending') patch.pendingSince = now;
    else patch.pendingSince = null;
    if (to === 'resolved') patch.resolvedAt = now;
    if (to === 'closed') patch.closedAt = now;
    if (to === 'open' && (ticket.status === 'resolved' || ticket.status === 'closed')) {
      patch.reopenCount = ticket.reopenCount + 1;
      patch.resolvedAt = null;
      patch.closedAt = null;
    }
    return transitionTx(id, patch, actor, ticket.status, to, now);
  };

  const transitionTx = db.transaction((id: number, patch: TicketPatch, actor: Actor, from: TicketStatus, to: TicketStatus, now: Date): Ticket => {
    const updated = change(id, patch, { actor, type: 'status', data: { from, to } });
    // An offline contact has no channel to be asked or told on (#21).
    if (to === 'resolved' && updated.channel !== 'offline') {
      const conversation = getConversation(db, updated.conversationId);
      const messageId = askForRating(db, updated, conversation?.language ?? 'id', now);
      if (messageId !== null) bus.publish({ type: 'message.outbound', conversationId: updated.conversationId, messageId });
    }
    if (to === 'open' && (from === 'resolved' || from === 'closed') && actor.type !== 'applicant' && updated.channel !== 'offline') {
      announceReopen(updated, now);
    }
    return updated;
  });

  /** The origin of the conversation a ticket is being opened for, when flood control applies to it. */
  const originOf = (input: OpenTicketInput): string | null => {
    if (flood === undefined || input.channel === 'offline') return null;
    const conversation = prepared<[number], { external_id: string }>(db, 'SELECT external_id FROM conversations WHERE id = ?').get(input.conversationId);
    return conversation === undefined ? null : flood.originOf(input.channel, conversation.external_id);
  };

  /** The origin's flood ticket while it is active. */
  const activeFloodTicket = (origin: string): TicketRow | null => {
    const found = prepared<[string], { ticket_id: number }>(
      db,
      `SELECT o.ticket_id FROM ticket_origins o JOIN tickets t ON t.id = o.ticket_id
        WHERE o.origin_key = ? AND o.kind = 'flood' AND t.status IN ('open', 'pending') ORDER BY o.ticket_id DESC LIMIT 1`,
    ).get(origin);
    return found === undefined ? null : getTicketRow(db, found.ticket_id);
  };

  /** A complaint beyond the origin's cap: joins its flood ticket (opened, and announced once, if there is none). */
  const joinFlood = (input: OpenTicketInput, origin: string, now: Date): Ticket => {
    const existing = activeFloodTicket(origin);
    if (existing !== null) {
      if (input.messageId === null) return toTicket(existing);
      const ticket = addApplicantMessageTx(existing.id, input.messageId);
      // Staff read the collected complaints on the flood ticket, whoever sent them.
      if (existing.conversation_id !== input.conversationId) {
        insertInternalNote(
          db,
          { conversationId: existing.conversation_id, ticketId: existing.id, staffId: null, author: 'system', text: staffTexts.floodJoined(maskPersonalData(input.summary)) },
          now,
        );
      }
      return ticket;
    }
    const ticket = insertOpened({ ...input, priority: 'normal', integrity: false }, now, { flood: true });
    prepared(db, "INSERT INTO ticket_origins (ticket_id, origin_key, kind, created_at) VALUES (?, ?, 'flood', ?)").run(ticket.id, origin, now.getTime());
    const text = staffTexts.ticketFlood(ticket, flood?.perHour ?? 0, maskPersonalData(ticket.summary));
    alerts.raise({ kind: 'ticket_flood', audience: 'staff', ticketId: ticket.id, text });
    alerts.raise({ kind: 'ticket_flood', audience: 'supervisor', ticketId: ticket.id, text });
    bus.publish({ type: 'ticket.opened', ticketId: ticket.id });
    return ticket;
  };

  /** Inserts the ticket, its "opened" event and its SLA plan (no announcement). */
  const insertOpened = (input: OpenTicketInput, now: Date, extra: Record<string, unknown> = {}): Ticket => {
    const id = insertTicket(db, input, now);
    const recorded = input.recordedBy === undefined ? {} : { origin: input.origin ?? 'chat', recordedAt: clock.now().toISOString() };
    insertTicketEvent(
      db,
      {
        ticketId: id,
        actor: input.recordedBy === undefined ? 'applicant' : 'staff',
        staffId: input.recordedBy ?? null,
        type: 'opened',
        data: { kind: input.kind, priority: input.priority, intent: input.intent, integrity: input.integrity, ...recorded, ...extra },
      },
      now,
    );
    if (input.messageId !== null) prepared(db, 'UPDATE messages SET ticket_id = ? WHERE id = ?').run(id, input.messageId);
    // A ticket opened just now has no status history, hence no pauses. Keeps updated_at (= now).
    const row = mustGetRow(id);
    return writeWithPlan(row, {}, now, [], new Date(row.updated_at));
  };

  const openTx = db.transaction((input: OpenTicketInput): Ticket => {
    const now = input.openedAt ?? clock.now();
    const origin = originOf(input);
    if (origin !== null && flood !== undefined) {
      const opened = prepared<[string, number], { n: number }>(
        db,
        "SELECT count(*) AS n FROM ticket_origins WHERE origin_key = ? AND kind = 'regular' AND created_at > ?",
      ).get(origin, now.getTime() - HOUR_MS);
      if ((opened?.n ?? 0) >= flood.perHour) return joinFlood(input, origin, now);
    }
    const ticket = insertOpened(input, now);
    if (origin !== null) {
      prepared(db, "INSERT INTO ticket_origins (ticket_id, origin_key, kind, created_at) VALUES (?, ?, 'regular', ?)").run(ticket.id, origin, now.getTime());
    }
    // A recorded complaint may be older than now: due times are worded from the real now.
    announce(ticket, clock.now());
    bus.publish({ type: 'ticket.opened', ticketId: ticket.id });
    return ticket;
  });

  const addApplicantMessageTx = db.transaction((ticketId: number, messageId: number): Ticket => {
    const row = mustGetRow(ticketId);
    prepared(db, 'UPDATE messages SET ticket_id = ? WHERE id = ?').run(ticketId, messageId);
    const now = clock.now();
    const patch: TicketPatch = {};
    if (row.awaiting_reply_since === null) patch.awaitingReplySince = now;
    if (row.status === 'pending') return transition(ticketId, 'open', { type: 'applicant' }, patch);
    if (row.awaiting_reply_since !== null) {
      // Another message while one already waits for staff: no SLA fact changes, so the stored
      // due times stand (replanning them cost more than the rest of routing the message).
      insertTicketEvent(db, { ticketId, actor: 'applicant', type: 'applicant_message', data: { messageId } }, now);
      prepared(db, 'UPDATE tickets SET updated_at = ? WHERE id = ?').run(now.getTime(), ticketId);
      bus.publish({ type: 'ticket.changed', ticketId, change: 'applicant_message' });
      return toTicket({ ...row, updated_at: now.getTime() });
    }
    return change(ticketId, patch, { actor: { type: 'applicant' }, type: 'applicant_message', data: { messageId } }, row);
  });

  return {
    open(input) {
      return openTx(input);
    },

    get: mustGet,

    addApplicantMessage(ticketId, messageId) {
      return addApplicantMessageTx(ticketId, messageId);
    },

    claim(ticketId, staffId) {
      const ticket = mustGet(ticketId);
      if (ticket.status === 'closed') throw new TicketError('TICKET_CLOSED', `ticket ${ticket.ref} is closed`);
      if (ticket.assigneeId === staffId) return ticket;
      return change(ticketId, { assigneeId: staffId }, { actor: { type: 'staff', staffId }, type: 'claimed', data: { from: ticket.assigneeId } });
    },

    assign(ticketId, toStaffId, actor) {
      const ticket = mustGet(ticketId);
      if (ticket.status === 'closed') throw new TicketError('TICKET_CLOSED', `ticket ${ticket.ref} is closed`);
      if (ticket.assigneeId === toStaffId) return ticket;
      return change(ticketId, { assigneeId: toStaffId }, { actor, type: 'assigned', data: { from: ticket.assigneeId, to: toStaffId } });
    },

    release(ticketId, staffId) {
      const ticket = mustGet(ticketId);
      if (ticket.assigneeId === null) return ticket;
      return change(ticketId, { assigneeId: null }, { actor: { type: 'staff', staffId }, type: 'released', data: { from: ticket.assigneeId } });
    },

    staffReply(ticketId, staffId, text) {
      const body = text.trim();
      if (body === '') throw new TicketError('TICKET_EMPTY_TEXT', 'a reply needs text');
      return db.transaction(() => {
        const row = mustGetRow(ticketId);
        const ticket = toTicket(row);
        if (ticket.status === 'closed') throw new TicketError('TICKET_CLOSED', `ticket ${ticket.ref} is closed`);
        if (ticket.channel === 'offline') {
          throw new TicketError('TICKET_UNREACHABLE', `ticket ${ticket.ref} has no channel to send on: record the answer given outside SAPA (phone, letter, LAPOR!)`);
        }
        const now = clock.now();
        const messageId = queueOutbound(db, { conversationId: ticket.conversationId, ticketId, author: 'staff', staffId, text: body }, now);
        const patch: TicketPatch = { awaitingReplySince: null };
        if (ticket.firstResponseAt === null) patch.firstResponseAt = now;
        if (ticket.assigneeId === null && staffId !== null) patch.assigneeId = staffId;
        const updated = change(ticketId, patch, { actor: { type: 'staff', staffId }, type: 'staff_reply', data: { messageId } }, row);
        bus.publish({ type: 'message.outbound', conversationId: ticket.conversationId, messageId });
        return { ticket: updated, messageId };
      })();
    },

    outsideReply(ticketId, messageId, via) {
      const row = mustGetRow(ticketId);
      const ticket = toTicket(row);
      const patch: TicketPatch = { awaitingReplySince: null };
      if (ticket.firstResponseAt === null) patch.firstResponseAt = clock.now();
      return change(ticketId, patch, { actor: { type: 'staff', staffId: null }, type: 'staff_reply', data: { messageId, via } }, row);
    },

    answerOutside(ticketId, staffId, text, via) {
      const body = text.trim();
      if (body === '') throw new TicketError('TICKET_EMPTY_TEXT', 'an answer needs text');
      return db.transaction(() => {
        const row = mustGetRow(ticketId);
        const ticket = toTicket(row);
        if (ticket.status === 'closed') throw new TicketError('TICKET_CLOSED', `ticket ${ticket.ref} is closed`);
        const now = clock.now();
        const messageId = insertOutsideAnswer(db, { conversationId: ticket.conversationId, ticketId, staffId, text: body, via }, now);
        // The same SLA facts as a reply sent through SAPA: the first and next response stop here.
        const patch: TicketPatch = { awaitingReplySince: null };
        if (ticket.firstResponseAt === null) patch.firstResponseAt = now;
        if (ticket.assigneeId === null) patch.assigneeId = staffId;
        const updated = change(ticketId, patch, { actor: { type: 'staff', staffId }, type: 'staff_reply', data: { messageId, via, outside: true } }, row);
        return { ticket: updated, messageId };
      })();
    },

    addNote(ticketId, staffId, text) {
      const body = text.trim();
      if (body === '') throw new TicketError('TICKET_EMPTY_TEXT', 'a note needs text');
      return db.transaction(() => {
        const row = mustGetRow(ticketId);
        const ticket = toTicket(row);
        const messageId = insertInternalNote(
          db,
          { conversationId: ticket.conversationId, ticketId, staffId, author: staffId === null ? 'system' : 'staff', text: body },
          clock.now(),
        );
        const updated = change(ticketId, {}, { actor: { type: staffId === null ? 'system' : 'staff', staffId }, type: 'note', data: { messageId } }, row);
        return { ticket: updated, messageId };
      })();
    },

    setStatus(ticketId, status, actor) {
      return transition(ticketId, status, actor);
    },

    reopen(ticketId, actor) {
      return db.transaction(() => {
        const ticket = mustGet(ticketId);
        if (ticket.status === 'open' || ticket.status === 'pending') return ticket;
        return transition(ticketId, 'open', actor, { awaitingReplySince: clock.now() });
      })();
    },

    setPriority(ticketId, priority, actor) {
      const ticket = mustGet(ticketId);
      if (ticket.priority === priority) return ticket;
      return change(ticketId, { priority }, { actor, type: 'priority', data: { from: ticket.priority, to: priority } });
    },

    setServqual(ticketId, servqual, actor) {
      const ticket = mustGet(ticketId);
      if (ticket.servqual === servqual) return ticket;
      return change(ticketId, { servqual }, { actor, type: 'servqual', data: { from: ticket.servqual, to: servqual } });
    },

    replan(ticketId) {
      return replanTx(ticketId);
    },
  };
}
