/**
 * Queries of the officers' desk (#18 part B, migration 13): unread applicant messages per
 * officer and ticket, the last message of each ticket, ticket search, alerts seen,
 * take-over requests and notes about a contact.
 */
import type { ChannelName } from '../../channels/channel.js';
import type { Ticket } from '../domain.js';
import { prepared, type Db } from './db.js';
import { toTicket, type TicketRow } from './mappers.js';

const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(', ');

/** Remembers that `staffId` has seen ticket `ticketId` up to message `lastMessageId` (never moves back). */
export function markTicketRead(db: Db, staffId: number, ticketId: number, lastMessageId: number, now: Date): void {
  prepared(
    db,
    `INSERT INTO ticket_reads (staff_id, ticket_id, last_message_id, read_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (staff_id, ticket_id) DO UPDATE SET last_message_id = max(last_message_id, excluded.last_message_id), read_at = excluded.read_at`,
  ).run(staffId, ticketId, lastMessageId, now.getTime());
}

/** The newest message id of a ticket (0 when it has none). */
export function lastMessageIdOf(db: Db, ticketId: number): number {
  return prepared<[number], { id: number | null }>(db, 'SELECT max(id) AS id FROM messages WHERE ticket_id = ?').get(ticketId)?.id ?? 0;
}

/** Applicant messages on each ticket that `staffId` has not seen yet (tickets with none are left out). */
export function unreadCounts(db: Db, staffId: number, ticketIds: readonly number[]): Map<number, number> {
  const counts = new Map<number, number>();
  if (ticketIds.length === 0) return counts;
  const rows = db
    .prepare<(number)[], { ticket_id: number; n: number }>(
      `SELECT m.ticket_id, count(*) AS n FROM messages m
        LEFT JOIN ticket_reads r ON r.ticket_id = m.ticket_id AND r.staff_id = ?
        WHERE m.ticket_id IN (${placeholders(ticketIds.length)}) AND m.direction = 'in' AND m.author = 'applicant'
          AND m.id > COALESCE(r.last_message_id, 0)
        GROUP BY m.ticket_id`,
    )
    .all(staffId, ...ticketIds);
  for (const row of rows) counts.set(row.ticket_id, row.n);
  return counts;
}

export interface LastMessage {
  readonly ticketId: number;
  readonly author: 'applicant' | 'bot' | 'staff' | 'system';
  readonly text: string;
  readonly createdAt: Date;
}

/** The newest public message of each ticket (internal notes never reach a queue card). */
export function lastPublicMessages(db: Db, ticketIds: readonly number[]): Map<number, LastMessage> {
  const found = new Map<number, LastMessage>();
  if (ticketIds.length === 0) return found;
  const rows = db
    .prepare<number[], { ticket_id: number; author: LastMessage['author']; text: string; created_at: number }>(
      `SELECT m.ticket_id, m.author, m.text, m.created_at FROM messages m
        JOIN (SELECT ticket_id, max(id) AS id FROM messages
               WHERE ticket_id IN (${placeholders(ticketIds.length)}) AND visibility = 'public' GROUP BY ticket_id) last
          ON last.id = m.id`,
    )
    .all(...ticketIds);
  for (const row of rows) found.set(row.ticket_id, { ticketId: row.ticket_id, author: row.author, text: row.text, createdAt: new Date(row.created_at) });
  return found;
}

/**
 * Tickets matching a search: "#12" or "12" (the ticket number), or text in the summary, in a
 * public message of the ticket, in the contact's name, or in one of the contact's
 * identities (phone, username, channel id), case-insensitive. Internal notes are not
 * searched (a colleague's note must not be findable by its words). Newest first.
 */
export function searchTicketIds(db: Db, query: string, limit: number): number[] {
  const q = query.trim();
  if (q === '') return [];
  const ids = new Set<number>();
  const number = /^#?\s*(\d{1,15})$/.exec(q);
  if (number) {
    const hit = prepared<[number], { id: number }>(db, 'SELECT id FROM tickets WHERE id = ?').get(Number(number[1]));
    if (hit) ids.add(hit.id);
  }
  const like = `%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const digits = q.replace(/\D/g, '');
  // A phone typed as "0812-3456" or "+62 812 3456" also finds "6281234567..." (digits only, 5+ of them).
  const phoneLike = digits.length >= 5 ? `%${digits.replace(/^0/, '')}%` : null;
  const rows = prepared<[{ like: string; phone: string | null; limit: number }], { id: number }>(
    db,
    `SELECT t.id FROM tickets t
      WHERE lower(t.summary) LIKE @like ESCAPE '\\'
         -- #21: the LAPOR! tracking number, and what staff wrote down for a contact met outside the channels
         OR lower(COALESCE(t.lapor_tracking_id, '')) LIKE @like ESCAPE '\\'
         OR t.contact_id IN (SELECT id FROM contacts WHERE lower(COALESCE(email, '')) LIKE @like ESCAPE '\\'
                                                    OR (@phone IS NOT NULL AND COALESCE(phone, '') LIKE @phone))
         OR t.contact_id IN (SELECT id FROM contacts WHERE lower(COALESCE(display_name, '')) LIKE @like ESCAPE '\\')
         OR t.contact_id IN (SELECT contact_id FROM identities
                              WHERE lower(COALESCE(display_name, '')) LIKE @like ESCAPE '\\'
                                 OR lower(COALESCE(username, '')) LIKE @like ESCAPE '\\'
                                 OR (@phone IS NOT NULL AND (replace(replace(replace(COALESCE(phone, ''), '+', ''), ' ', ''), '-', '') LIKE @phone
                                                             OR external_id LIKE @phone)))
         OR t.id IN (SELECT ticket_id FROM messages WHERE ticket_id IS NOT NULL AND visibility = 'public' AND lower(text) LIKE @like ESCAPE '\\')
      ORDER BY t.id DESC LIMIT @limit`,
  ).all({ like, phone: phoneLike, limit });
  for (const row of rows) ids.add(row.id);
  return [...ids].slice(0, limit);
}

export function ticketsByIds(db: Db, ids: readonly number[]): Ticket[] {
  if (ids.length === 0) return [];
  const rows = db.prepare<number[], TicketRow>(`SELECT * FROM tickets WHERE id IN (${placeholders(ids.length)})`).all(...ids);
  const byId = new Map(rows.map((row) => [row.id, toTicket(row)]));
  return ids.flatMap((id) => byId.get(id) ?? []);
}

// --- alerts seen -------------------------------------------------------------------------

export function markAlertsSeen(db: Db, staffId: number, alertIds: readonly number[], now: Date): number {
  const insert = prepared(db, 'INSERT OR IGNORE INTO alert_reads (staff_id, alert_id, seen_at) SELECT ?, id, ? FROM staff_alerts WHERE id = ?');
  let marked = 0;
  db.transaction(() => {
    for (const id of alertIds) marked += insert.run(staffId, now.getTime(), id).changes;
  })();
  return marked;
}

export function seenAlertIds(db: Db, staffId: number, alertIds: readonly number[]): Set<number> {
  if (alertIds.length === 0) return new Set();
  const rows = db
    .prepare<number[], { alert_id: number }>(`SELECT alert_id FROM alert_reads WHERE staff_id = ? AND alert_id IN (${placeholders(alertIds.length)})`)
    .all(staffId, ...alertIds);
  return new Set(rows.map((row) => row.alert_id));
}

// --- take-over requests -------------------------------------------------------------------

export type TakeoverStatus = 'pending' | 'accepted' | 'declined' | 'withdrawn';

export interface TakeoverRequest {
  readonly id: number;
  readonly ticketId: number;
  readonly requesterId: number;
  readonly holderId: number | null;
  readonly note: string | null;
  readonly status: TakeoverStatus;
  readonly decidedBy: number | null;
  readonly createdAt: Date;
  readonly decidedAt: Date | null;
}

interface TakeoverRow {
  id: number;
  ticket_id: number;
  requester_id: number;
  holder_id: number | null;
  note: string | null;
  status: TakeoverStatus;
  decided_by: number | null;
  created_at: number;
  decided_at: number | null;
}

const toTakeover = (row: TakeoverRow): TakeoverRequest => ({
  id: row.id,
  ticketId: row.ticket_id,
  requesterId: row.requester_id,
  holderId: row.holder_id,
  note: row.note,
  status: row.status,
  decidedBy: row.decided_by,
  createdAt: new Date(row.created_at),
  decidedAt: row.decided_at === null ? null : new Date(row.decided_at),
});

export function insertTakeoverRequest(db: Db, input: { ticketId: number; requesterId: number; holderId: number | null; note: string | null }, now: Date): number {
  return Number(
    prepared(db, "INSERT INTO takeover_requests (ticket_id, requester_id, holder_id, note, status, created_at) VALUES (?, ?, ?, ?, 'pending', ?)")
      .run(input.ticketId, input.requesterId, input.holderId, input.note, now.getTime()).lastInsertRowid,
  );
}

export function getTakeoverRequest(db: Db, id: number): TakeoverRequest | null {
  const row = prepared<[number], TakeoverRow>(db, 'SELECT * FROM takeover_requests WHERE id = ?').get(id);
  return row ? toTakeover(row) : null;
}

export function pendingTakeoverFor(db: Db, ticketId: number, requesterId: number): TakeoverRequest | null {
  const row = prepared<[number, number], TakeoverRow>(db, "SELECT * FROM takeover_requests WHERE ticket_id = ? AND requester_id = ? AND status = 'pending'").get(ticketId, requesterId);
  return row ? toTakeover(row) : null;
}

/** Pending requests: all of them, or (for staff) those on tickets they hold or that they made. */
export function listPendingTakeovers(db: Db, viewer: { id: number; everything: boolean }): TakeoverRequest[] {
  const rows = viewer.everything
    ? prepared<[], TakeoverRow>(db, "SELECT * FROM takeover_requests WHERE status = 'pending' ORDER BY id").all()
    : prepared<[number, number], TakeoverRow>(
        db,
        `SELECT r.* FROM takeover_requests r JOIN tickets t ON t.id = r.ticket_id
          WHERE r.status = 'pending' AND (t.assignee_id = ? OR r.requester_id = ?) ORDER BY r.id`,
      ).all(viewer.id, viewer.id);
  return rows.map(toTakeover);
}

export function listTicketTakeovers(db: Db, ticketId: number): TakeoverRequest[] {
  return prepared<[number], TakeoverRow>(db, "SELECT * FROM takeover_requests WHERE ticket_id = ? AND status = 'pending' ORDER BY id").all(ticketId).map(toTakeover);
}

export function decideTakeover(db: Db, id: number, status: Exclude<TakeoverStatus, 'pending'>, decidedBy: number, now: Date): boolean {
  return prepared(db, "UPDATE takeover_requests SET status = ?, decided_by = ?, decided_at = ? WHERE id = ? AND status = 'pending'").run(status, decidedBy, now.getTime(), id).changes === 1;
}

/** Other pending requests on the ticket end when it changes hands. */
export function closeOtherTakeovers(db: Db, ticketId: number, exceptId: number, decidedBy: number, now: Date): void {
  prepared(db, "UPDATE takeover_requests SET status = 'declined', decided_by = ?, decided_at = ? WHERE ticket_id = ? AND status = 'pending' AND id != ?").run(
    decidedBy,
    now.getTime(),
    ticketId,
    exceptId,
  );
}

// --- the contact panel --------------------------------------------------------------------

export interface ContactNote {
  readonly id: number;
  readonly contactId: number;
  readonly staffId: number | null;
  readonly text: string;
  readonly createdAt: Date;
}

export function addContactNote(db: Db, input: { contactId: number; staffId: number; text: string }, now: Date): number {
  return Number(prepared(db, 'INSERT INTO contact_notes (contact_id, staff_id, text, created_at) VALUES (?, ?, ?, ?)').run(input.contactId, input.staffId, input.text, now.getTime()).lastInsertRowid);
}

export function listContactNotes(db: Db, contactId: number): ContactNote[] {
  return prepared<[number], { id: number; contact_id: number; staff_id: number | null; text: string; created_at: number }>(
    db,
    'SELECT * FROM contact_notes WHERE contact_id = ? ORDER BY id DESC LIMIT 100',
  )
    .all(contactId)
    .map((row) => ({ id: row.id, contactId: row.contact_id, staffId: row.staff_id, text: row.text, createdAt: new Date(row.created_at) }));
}

export function contactExists(db: Db, contactId: number): boolean {
  return prepared<[number], { id: number }>(db, "SELECT id FROM contacts WHERE id = ? AND kind = 'applicant'").get(contactId) !== undefined;
}

/** Every ticket of a contact, newest first. */
export function listContactTickets(db: Db, contactId: number, limit = 50): Ticket[] {
  return prepared<[number, number], TicketRow>(db, 'SELECT * FROM tickets WHERE contact_id = ? ORDER BY id DESC LIMIT ?').all(contactId, limit).map(toTicket);
}

export interface ContactIdentity {
  readonly channel: ChannelName;
  readonly externalId: string;
  readonly displayName: string | null;
  readonly phone: string | null;
  readonly username: string | null;
}

export function listContactIdentities(db: Db, contactId: number): ContactIdentity[] {
  return prepared<[number], { channel: ChannelName; external_id: string; display_name: string | null; phone: string | null; username: string | null }>(
    db,
    'SELECT channel, external_id, display_name, phone, username FROM identities WHERE contact_id = ? ORDER BY id',
  )
    .all(contactId)
    .map((row) => ({ channel: row.channel, externalId: row.external_id, displayName: row.display_name, phone: row.phone, username: row.username }));
}
