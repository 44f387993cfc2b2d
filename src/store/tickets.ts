/** Ticket queries. Numbers come from AUTOINCREMENT inside the opening transaction, so they are unique under bursts. */
import type { ChannelName } from '../../channels/channel.js';
import type { Ticket, TicketChannel, TicketKind, TicketOrigin, TicketPriority, TicketStatus } from '../domain.js';
import type { ServqualDimension } from '../knowledge/types.js';
import { prepared, type Db } from './db.js';
import { toTicket, type TicketRow } from './mappers.js';

export interface NewTicket {
  readonly contactId: number;
  readonly conversationId: number;
  readonly channel: TicketChannel;
  readonly kind: TicketKind;
  readonly priority: TicketPriority;
  readonly integrity: boolean;
  readonly intent: string;
  readonly servqual: ServqualDimension;
  readonly summary: string;
  /** Default 'chat' (the router's tickets). */
  readonly origin?: TicketOrigin;
  readonly laporTrackingId?: string | null;
}

export function insertTicket(db: Db, ticket: NewTicket, now: Date): number {
  const at = now.getTime();
  return Number(
    prepared(db, 
        `INSERT INTO tickets (contact_id, conversation_id, channel, kind, status, priority, integrity, intent, servqual, summary,
                              created_at, updated_at, awaiting_reply_since, origin, lapor_tracking_id)
         VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        ticket.contactId,
        ticket.conversationId,
        ticket.channel,
        ticket.kind,
        ticket.priority,
        ticket.integrity ? 1 : 0,
        ticket.intent,
        ticket.servqual,
        ticket.summary,
        at,
        at,
        at,
        ticket.origin ?? 'chat',
        ticket.laporTrackingId ?? null,
      ).lastInsertRowid,
  );
}

export function getTicket(db: Db, id: number): Ticket | null {
  const row = getTicketRow(db, id);
  return row ? toTicket(row) : null;
}

/** The stored row itself (the ticket service patches it in memory instead of reading it back). */
export function getTicketRow(db: Db, id: number): TicketRow | null {
  return prepared<[number], TicketRow>(db, 'SELECT * FROM tickets WHERE id = ?').get(id) ?? null;
}

/** The contact's newest open or pending ticket. */
export function findActiveTicket(db: Db, contactId: number): Ticket | null {
  const row = prepared<[number], TicketRow>(db, 
      "SELECT * FROM tickets WHERE contact_id = ? AND status IN ('open', 'pending') ORDER BY id DESC LIMIT 1",
    )
    .get(contactId);
  return row ? toTicket(row) : null;
}

/** The contact's newest ticket resolved at or after `since` (reopen window). */
export function findRecentlyResolved(db: Db, contactId: number, since: Date): Ticket | null {
  const row = prepared<[number, number], TicketRow>(db, 
      "SELECT * FROM tickets WHERE contact_id = ? AND status = 'resolved' AND resolved_at >= ? ORDER BY id DESC LIMIT 1",
    )
    .get(contactId, since.getTime());
  return row ? toTicket(row) : null;
}

export function findLatestTicket(db: Db, contactId: number): Ticket | null {
  const row = prepared<[number], TicketRow>(db, 'SELECT * FROM tickets WHERE contact_id = ? ORDER BY id DESC LIMIT 1')
    .get(contactId);
  return row ? toTicket(row) : null;
}

export interface TicketFilter {
  readonly status?: readonly TicketStatus[];
  readonly priority?: TicketPriority;
  readonly assigneeId?: number | 'none';
  readonly channel?: ChannelName;
  readonly limit?: number;
}

/** Tickets sorted by the nearest SLA due time first (what staff should do next). */
export function listTickets(db: Db, filter: TicketFilter = {}): Ticket[] {
  const where: string[] = [];
  const values: (string | number)[] = [];
  if (filter.status && filter.status.length > 0) {
    where.push(`status IN (${filter.status.map(() => '?').join(', ')})`);
    values.push(...filter.status);
  }
  if (filter.priority) {
    where.push('priority = ?');
    values.push(filter.priority);
  }
  if (filter.assigneeId === 'none') where.push('assignee_id IS NULL');
  else if (filter.assigneeId !== undefined) {
    where.push('assignee_id = ?');
    values.push(filter.assigneeId);
  }
  if (filter.channel) {
    where.push('channel = ?');
    values.push(filter.channel);
  }
  const sql = `SELECT * FROM tickets ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY CASE WHEN status IN ('open', 'pending') THEN 0 ELSE 1 END,
             -- the nearest due time of a timer still running
             MIN(CASE WHEN first_response_at IS NULL THEN COALESCE(first_response_due_at, 9e15) ELSE 9e15 END,
                 CASE WHEN awaiting_reply_since IS NOT NULL THEN COALESCE(next_response_due_at, 9e15) ELSE 9e15 END,
                 CASE WHEN status = 'open' THEN COALESCE(resolution_due_at, 9e15) ELSE 9e15 END),
             id DESC
    LIMIT ?`;
  return db
    .prepare<(string | number)[], TicketRow>(sql)
    .all(...values, filter.limit ?? 200)
    .map(toTicket);
}

export type TicketPatch = Partial<{
  status: TicketStatus;
  priority: TicketPriority;
  servqual: ServqualDimension;
  assigneeId: number | null;
  firstResponseAt: Date | null;
  awaitingReplySince: Date | null;
  pendingSince: Date | null;
  resolvedAt: Date | null;
  closedAt: Date | null;
  reopenCount: number;
  firstResponseDueAt: Date | null;
  nextResponseDueAt: Date | null;
  resolutionDueAt: Date | null;
  nextSlaCheckAt: Date | null;
  escalationLevel: number;
  pausedMs: number;
}>;

const COLUMNS: Record<keyof TicketPatch, string> = {
  status: 'status',
  priority: 'priority',
  servqual: 'servqual',
  assigneeId: 'assignee_id',
  firstResponseAt: 'first_response_at',
  awaitingReplySince: 'awaiting_reply_since',
  pendingSince: 'pending_since',
  resolvedAt: 'resolved_at',
  closedAt: 'closed_at',
  reopenCount: 'reopen_count',
  firstResponseDueAt: 'first_response_due_at',
  nextResponseDueAt: 'next_response_due_at',
  resolutionDueAt: 'resolution_due_at',
  nextSlaCheckAt: 'next_sla_check_at',
  escalationLevel: 'escalation_level',
  pausedMs: 'paused_ms',
};

const ROW_KEYS = COLUMNS as unknown as Record<keyof TicketPatch, keyof TicketRow>;

/**
 * The row as `updateTicket(db, row.id, patch, now)` leaves it, without reading it back:
 * the same columns, the same values (dates as ms), `updated_at` set to `now`.
 */
export function patchTicketRow(row: TicketRow, patch: TicketPatch, now: Date): TicketRow {
  const next = { ...row, updated_at: now.getTime() } as Record<keyof TicketRow, unknown>;
  for (const key in patch) {
    const value = patch[key as keyof TicketPatch];
    if (value === undefined) continue;
    next[ROW_KEYS[key as keyof TicketPatch]] = value instanceof Date ? value.getTime() : value;
  }
  return next as unknown as TicketRow;
}

export function updateTicket(db: Db, id: number, patch: TicketPatch, now: Date): void {
  const sets = ['updated_at = ?'];
  const values: (string | number | null)[] = [now.getTime()];
  for (const [key, value] of Object.entries(patch) as [keyof TicketPatch, TicketPatch[keyof TicketPatch]][]) {
    if (value === undefined) continue;
    sets.push(`${COLUMNS[key]} = ?`);
    values.push(value instanceof Date ? value.getTime() : value === null ? null : (value as string | number));
  }
  prepared(db, `UPDATE tickets SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
}

export type EventActor = 'applicant' | 'bot' | 'staff' | 'system';

export interface TicketEvent {
  readonly id: number;
  readonly ticketId: number;
  readonly actor: EventActor;
  readonly staffId: number | null;
  readonly type: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly createdAt: Date;
}

export function insertTicketEvent(
  db: Db,
  event: { ticketId: number; actor: EventActor; staffId?: number | null; type: string; data?: Record<string, unknown> },
  now: Date,
): void {
  prepared(db, 'INSERT INTO ticket_events (ticket_id, actor, staff_id, type, data, created_at) VALUES (?, ?, ?, ?, ?, ?)').run(
    event.ticketId,
    event.actor,
    event.staffId ?? null,
    event.type,
    event.data ? JSON.stringify(event.data) : null,
    now.getTime(),
  );
}

/**
 * The status changes of a ticket, oldest first: `data.to` of its `status` events (what
 * the SLA pauses are derived from), without reading and parsing its other events.
 */
export function listStatusChanges(db: Db, ticketId: number): { to: unknown; createdAt: Date }[] {
  return prepared<[number], { data: string | null; created_at: number }>(
    db,
    "SELECT data, created_at FROM ticket_events WHERE ticket_id = ? AND type = 'status' ORDER BY id",
  )
    .all(ticketId)
    .map((row) => ({
      to: row.data === null ? undefined : (JSON.parse(row.data) as Record<string, unknown>)['to'],
      createdAt: new Date(row.created_at),
    }));
}

export function listTicketEvents(db: Db, ticketId: number): TicketEvent[] {
  return prepared<[number], { id: number; ticket_id: number; actor: string; staff_id: number | null; type: string; data: string | null; created_at: number }>(db, 
      'SELECT * FROM ticket_events WHERE ticket_id = ? ORDER BY id',
    )
    .all(ticketId)
    .map((row) => ({
      id: row.id,
      ticketId: row.ticket_id,
      actor: row.actor as EventActor,
      staffId: row.staff_id,
      type: row.type,
      data: row.data === null ? {} : (JSON.parse(row.data) as Record<string, unknown>),
      createdAt: new Date(row.created_at),
    }));
}

