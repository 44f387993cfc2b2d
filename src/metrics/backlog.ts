/**
 * Ticket flow of a day: how many were resolved, and the backlog (open or pending) as it
 * stood at a given moment, with its oldest ticket.
 *
 * "Resolved" uses the same moment as ticket-facts.ts: `resolved_at`, or `closed_at` for
 * a ticket closed without passing through resolved. The backlog is reconstructed from
 * the status history (`ticket_events` of type status), so a past day's digest shows
 * the backlog of that evening, not today's.
 */
import { prepared, type Db } from '../store/db.js';

export interface BacklogTicket {
  readonly id: number;
  readonly priority: 'normal' | 'high';
  readonly status: 'open' | 'pending';
  readonly createdMs: number;
  readonly assigneeId: number | null;
}

export interface BacklogStats {
  readonly count: number;
  /** The backlog ticket opened first; null when the backlog is empty. */
  readonly oldest: BacklogTicket | null;
}

export function resolvedBetween(db: Db, startMs: number, endMs: number): number {
  return (
    prepared<[number, number], { n: number }>(
      db,
      'SELECT COUNT(*) AS n FROM tickets WHERE COALESCE(resolved_at, closed_at) >= ? AND COALESCE(resolved_at, closed_at) < ?',
    ).get(startMs, endMs)?.n ?? 0
  );
}

// Candidates: opened before the moment and either still active or changed since (a
// ticket resolved and untouched since before the moment cannot have been active then).
// The status then is the last status event before the moment; none means still 'open'.
const BACKLOG_SQL = `SELECT id, priority, created_at, assignee_id, status_then FROM (
    SELECT t.id, t.priority, t.created_at, t.assignee_id,
      COALESCE((SELECT json_extract(e.data, '$.to') FROM ticket_events e
                WHERE e.ticket_id = t.id AND e.type = 'status' AND e.created_at < ?
                ORDER BY e.id DESC LIMIT 1), 'open') AS status_then
    FROM tickets t
    WHERE t.created_at < ? AND (t.status IN ('open', 'pending') OR t.updated_at >= ?))
  WHERE status_then IN ('open', 'pending')
  ORDER BY created_at, id`;

interface Row {
  id: number;
  priority: 'normal' | 'high';
  created_at: number;
  assignee_id: number | null;
  status_then: 'open' | 'pending';
}

/** Tickets open or pending at `atMs`. */
export function backlogAt(db: Db, atMs: number): BacklogStats {
  const rows = prepared<[number, number, number], Row>(db, BACKLOG_SQL).all(atMs, atMs, atMs);
  const first = rows[0];
  return {
    count: rows.length,
    oldest:
      first === undefined
        ? null
        : { id: first.id, priority: first.priority, status: first.status_then, createdMs: first.created_at, assigneeId: first.assignee_id },
  };
}
