/**
 * The one read every ticket metric starts from: the tickets opened in a range, read
 * through the `tickets_created` index (a day of a million-ticket database reads only
 * that day's rows) and only the columns the metrics need.
 */
import type { Db } from '../store/db.js';

export interface TicketFact {
  readonly id: number;
  readonly channel: string;
  /** Where the complaint came from: 'chat', or how staff received it (#21). */
  readonly origin: string;
  /** complaint or handoff (the digest counts complaints per SERVQUAL dimension). */
  readonly kind: 'complaint' | 'handoff';
  readonly intent: string;
  readonly servqual: string;
  readonly priority: 'normal' | 'high';
  readonly createdMs: number;
  /** First public staff reply (TicketService.staffReply sets it; bot replies and notes never do). */
  readonly firstResponseMs: number | null;
  readonly firstResponseDueMs: number | null;
  readonly resolvedMs: number | null;
  readonly resolutionDueMs: number | null;
}

interface Row {
  id: number;
  channel: string;
  origin: string;
  kind: 'complaint' | 'handoff';
  intent: string;
  servqual: string;
  priority: 'normal' | 'high';
  created_at: number;
  first_response_at: number | null;
  first_response_due_at: number | null;
  resolved_at: number | null;
  closed_at: number | null;
  resolution_due_at: number | null;
}

export const TICKET_FACTS_SQL = `SELECT id, channel, origin, kind, intent, servqual, priority, created_at, first_response_at, first_response_due_at,
         resolved_at, closed_at, resolution_due_at
  FROM tickets WHERE created_at >= ? AND created_at < ? ORDER BY created_at`;

export function ticketFactsBetween(db: Db, startMs: number, endMs: number): TicketFact[] {
  return db
    .prepare<[number, number], Row>(TICKET_FACTS_SQL)
    .all(startMs, endMs)
    .map((row) => ({
      id: row.id,
      channel: row.channel,
      origin: row.origin,
      kind: row.kind,
      intent: row.intent,
      servqual: row.servqual,
      priority: row.priority,
      createdMs: row.created_at,
      firstResponseMs: row.first_response_at,
      firstResponseDueMs: row.first_response_due_at,
      // Closed without passing through resolved still ends the matter (as the SLA planner treats it).
      resolvedMs: row.resolved_at ?? row.closed_at,
      resolutionDueMs: row.resolution_due_at,
    }));
}
