/**
 * Complaints by origin (#21): the chat channels, or how staff received them (counter,
 * phone, letter, LAPOR!, e-mail, other), and the LAPOR! reports apart, because LAPOR!
 * watches their handling times from outside: how many are open, due soon and late.
 */
import { addDuration, type BusinessCalendar } from '../sla/calendar.js';
import { prepared, type Db } from '../store/db.js';
import { countBy, type Count } from './volume.js';
import type { TicketFact } from './ticket-facts.js';

/** Tickets per origin, most first (every origin present in the facts). */
export function byOrigin(facts: readonly TicketFact[]): Count[] {
  return countBy(facts, (f) => f.origin);
}

export interface LaporStatus {
  /** LAPOR! reports open or pending at the moment (not resolved or closed by then). */
  readonly open: number;
  /** Of those, a running timer (first response not yet given, resolution) is due within the next office day. */
  readonly dueSoon: number;
  /** Of those, a running timer is past its due time. */
  readonly late: number;
}

/** `origin <> 'chat'` lets SQLite use the partial index tickets_origin_created (chat tickets are never read). */
export const LAPOR_STATUS_SQL = `SELECT first_response_at, first_response_due_at, resolution_due_at FROM tickets
  WHERE origin <> 'chat' AND origin = 'lapor' AND created_at <= ? AND COALESCE(resolved_at, closed_at, 9e15) > ?`;

interface Row {
  first_response_at: number | null;
  first_response_due_at: number | null;
  resolution_due_at: number | null;
}

/**
 * LAPOR! reports as they stood at `atMs`: opened before it and not resolved or closed by then.
 * Due times are the stored ones (the SLA planner's; a pause since then may have moved a
 * resolution due time). "Due soon": before the same time of the next office day.
 */
export function laporStatusAt(db: Db, calendar: BusinessCalendar, atMs: number): LaporStatus {
  const rows = prepared<[number, number], Row>(
    db,
    LAPOR_STATUS_SQL,
  ).all(atMs, atMs);
  const soonMs = addDuration(calendar, new Date(atMs), { kind: 'office_days', days: 1 }).getTime();
  let late = 0;
  let dueSoon = 0;
  for (const row of rows) {
    const running: number[] = [];
    if ((row.first_response_at === null || row.first_response_at > atMs) && row.first_response_due_at !== null) running.push(row.first_response_due_at);
    if (row.resolution_due_at !== null) running.push(row.resolution_due_at);
    if (running.length === 0) continue;
    const next = Math.min(...running);
    if (next <= atMs) late += 1;
    else if (next <= soonMs) dueSoon += 1;
  }
  return { open: rows.length, dueSoon, late };
}
