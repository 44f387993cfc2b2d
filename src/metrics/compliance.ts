/**
 * SLA compliance: the share of decided tickets that met their window. It reads the
 * due times the SLA engine stored on each ticket (priority, pauses and holidays already
 * applied), and `at <= dueAt` is exactly "within the window in business time" (see
 * sla/calendar.ts). A timer still running before its due time is `pending` and left out
 * of the share; one past its due time with no answer counts as breached.
 */
import { dayIndexOf, type DateRange } from './days.js';
import { rate } from './stats.js';
import type { TicketFact } from './ticket-facts.js';

export interface ComplianceCount {
  readonly met: number;
  readonly breached: number;
  readonly pending: number;
  /** met / (met + breached); null when nothing is decided. */
  readonly rate: number | null;
}

export interface ComplianceStats {
  readonly firstResponse: ComplianceCount;
  readonly resolution: ComplianceCount;
}

export interface ComplianceReport {
  readonly days: readonly (ComplianceStats & { readonly date: string })[];
  readonly total: ComplianceStats;
}

export type Verdict = 'met' | 'breached' | 'pending';

export function verdict(doneMs: number | null, dueMs: number | null, nowMs: number): Verdict {
  if (dueMs === null) return doneMs === null ? 'pending' : 'met';
  if (doneMs !== null) return doneMs <= dueMs ? 'met' : 'breached';
  return nowMs >= dueMs ? 'breached' : 'pending';
}

interface Tally {
  met: number;
  breached: number;
  pending: number;
}

const tally = (): Tally => ({ met: 0, breached: 0, pending: 0 });
const finish = (t: Tally): ComplianceCount => ({ ...t, rate: rate(t.met, t.breached) });

export function complianceByDay(range: DateRange, facts: readonly TicketFact[], now: Date): ComplianceReport {
  const nowMs = now.getTime();
  const perDay = range.days.map(() => ({ first: tally(), resolution: tally() }));
  const total = { first: tally(), resolution: tally() };
  for (const fact of facts) {
    const bucket = perDay[dayIndexOf(range, fact.createdMs)];
    if (!bucket) continue;
    // A ticket resolved before any staff reply had its first-response timer stopped by the resolution.
    const firstDone = fact.firstResponseMs ?? fact.resolvedMs;
    const first = verdict(firstDone, fact.firstResponseDueMs, nowMs);
    const resolution = verdict(fact.resolvedMs, fact.resolutionDueMs, nowMs);
    bucket.first[first] += 1;
    total.first[first] += 1;
    bucket.resolution[resolution] += 1;
    total.resolution[resolution] += 1;
  }
  return {
    days: range.days.map((day, i) => ({
      date: day.date,
      firstResponse: finish(perDay[i]!.first),
      resolution: finish(perDay[i]!.resolution),
    })),
    total: { firstResponse: finish(total.first), resolution: finish(total.resolution) },
  };
}
