/**
 * Per officer: tickets handled on a day and their own first-response times.
 * - handled: distinct tickets on which the officer sent at least one public reply that
 *   day (internal notes do not count, as they do not reach the applicant);
 * - first responses: tickets opened that day (the same cohort as first-response.ts)
 *   whose first public staff reply was theirs, in business time. Summed over officers
 *   these are the day's answered tickets, so the per-staff view adds up to the headline.
 */
import type { BusinessCalendar } from '../sla/calendar.js';
import { prepared, type Db } from '../store/db.js';
import { firstResponseBusinessMs } from './first-response.js';
import { quantile } from './stats.js';
import type { TicketFact } from './ticket-facts.js';

export interface StaffActivity {
  /** null: replies sent from a channel account not linked to an officer. */
  readonly staffId: number | null;
  readonly handled: number;
  readonly firstResponses: number;
  readonly medianFirstResponseMs: number | null;
}

const HANDLED_SQL = `SELECT staff_id, COUNT(DISTINCT ticket_id) AS handled FROM messages
  WHERE created_at >= ? AND created_at < ? AND direction = 'out' AND author = 'staff' AND visibility = 'public' AND ticket_id IS NOT NULL
  GROUP BY staff_id`;

/** The officer behind a ticket's first public staff reply. */
const FIRST_RESPONDER_SQL = `SELECT staff_id FROM messages
  WHERE ticket_id = ? AND direction = 'out' AND author = 'staff' AND visibility = 'public'
  ORDER BY id LIMIT 1`;

export function staffActivity(db: Db, calendar: BusinessCalendar, startMs: number, endMs: number, openedFacts: readonly TicketFact[]): StaffActivity[] {
  const handled = new Map<number | null, number>();
  for (const row of prepared<[number, number], { staff_id: number | null; handled: number }>(db, HANDLED_SQL).all(startMs, endMs)) {
    handled.set(row.staff_id, row.handled);
  }
  const times = new Map<number | null, number[]>();
  for (const fact of openedFacts) {
    if (fact.createdMs < startMs || fact.createdMs >= endMs) continue;
    const ms = firstResponseBusinessMs(calendar, fact);
    if (ms === null) continue;
    const staffId = prepared<[number], { staff_id: number | null }>(db, FIRST_RESPONDER_SQL).get(fact.id)?.staff_id ?? null;
    times.set(staffId, [...(times.get(staffId) ?? []), ms]);
  }
  const ids = new Set<number | null>([...handled.keys(), ...times.keys()]);
  return [...ids]
    .map((staffId) => ({
      staffId,
      handled: handled.get(staffId) ?? 0,
      firstResponses: times.get(staffId)?.length ?? 0,
      medianFirstResponseMs: quantile(times.get(staffId) ?? [], 0.5),
    }))
    .sort((a, b) => b.handled - a.handled || b.firstResponses - a.firstResponses || (a.staffId ?? Infinity) - (b.staffId ?? Infinity));
}
