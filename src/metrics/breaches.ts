/**
 * SLA breaches of a day, read from `sla_escalations` (the scanner records each breach
 * once, in the transaction that alerted staff), never recomputed, so the digest lists
 * exactly the breaches staff were told about. A breach belongs to the day its window
 * ran out (`breach_at`), whenever the scanner fired it.
 */
import { prepared, type Db } from '../store/db.js';

export type BreachTimer = 'first_response' | 'next_response' | 'resolution';

export interface BreachFact {
  readonly ticketId: number;
  readonly timer: BreachTimer;
  readonly priority: 'normal' | 'high';
  /** When the window ran out. */
  readonly breachMs: number;
  /** Business ms past the window when the scanner fired the breach (the stored `overdue_ms`). */
  readonly overdueMs: number;
  /** Who held the ticket when it breached (null: nobody had claimed it). */
  readonly holderId: number | null;
  /** The moment the timer stopped (reply or resolution); null while it still runs. */
  readonly stoppedMs: number | null;
  /** Whether it went on to the supervisor level. */
  readonly escalated: boolean;
}

// The stop moment per timer: first response -> first staff reply (or the resolution
// that stopped it, as compliance.ts counts it); resolution -> resolved/closed; next
// response -> the first public staff reply after that window started.
const SQL = `SELECT e.ticket_id, e.timer, e.priority, e.breach_at, e.overdue_ms, e.assignee_id,
    CASE e.timer
      WHEN 'first_response' THEN COALESCE(t.first_response_at, t.resolved_at, t.closed_at)
      WHEN 'resolution' THEN COALESCE(t.resolved_at, t.closed_at)
      ELSE (SELECT MIN(m.created_at) FROM messages m
            WHERE m.ticket_id = e.ticket_id AND m.author = 'staff' AND m.visibility = 'public' AND m.created_at >= e.window_start_at)
    END AS stopped_at,
    EXISTS (SELECT 1 FROM sla_escalations s WHERE s.ticket_id = e.ticket_id AND s.timer = e.timer
            AND s.window_start_at = e.window_start_at AND s.level = 'supervisor') AS escalated
  FROM sla_escalations e
  JOIN tickets t ON t.id = e.ticket_id
  WHERE e.level = 'breach' AND e.breach_at >= ? AND e.breach_at < ?
  ORDER BY e.breach_at, e.ticket_id`;

interface Row {
  ticket_id: number;
  timer: BreachTimer;
  priority: 'normal' | 'high';
  breach_at: number;
  overdue_ms: number;
  assignee_id: number | null;
  stopped_at: number | null;
  escalated: number;
}

export function breachesBetween(db: Db, startMs: number, endMs: number): BreachFact[] {
  return prepared<[number, number], Row>(db, SQL)
    .all(startMs, endMs)
    .map((row) => ({
      ticketId: row.ticket_id,
      timer: row.timer,
      priority: row.priority,
      breachMs: row.breach_at,
      overdueMs: row.overdue_ms,
      holderId: row.assignee_id,
      stoppedMs: row.stopped_at,
      escalated: row.escalated === 1,
    }));
}
