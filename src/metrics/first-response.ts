/**
 * First response time: ticket opened -> first public staff reply, in business time
 * (office hours minus holidays, from the SLA calendar). Bot replies and internal notes
 * do not count. Tickets still waiting for their first reply are counted as `waiting`,
 * not folded into the percentiles, so a quiet day's median is not an invented number.
 */
import type { BusinessCalendar } from '../sla/calendar.js';
import { dayIndexOf, type DateRange } from './days.js';
import { quantile } from './stats.js';
import type { TicketFact } from './ticket-facts.js';

export interface FirstResponseStats {
  /** Tickets opened. */
  readonly opened: number;
  /** Of those, answered by staff. */
  readonly answered: number;
  readonly waiting: number;
  readonly medianMs: number | null;
  readonly p90Ms: number | null;
}

export interface FirstResponseDay extends FirstResponseStats {
  readonly date: string;
}

export interface FirstResponseReport {
  readonly days: readonly FirstResponseDay[];
  readonly total: FirstResponseStats;
}

function summarize(opened: number, businessMs: readonly number[]): FirstResponseStats {
  return {
    opened,
    answered: businessMs.length,
    waiting: opened - businessMs.length,
    medianMs: quantile(businessMs, 0.5),
    p90Ms: quantile(businessMs, 0.9),
  };
}

/** Business ms from opening to the first staff reply; null while unanswered. */
export function firstResponseBusinessMs(calendar: BusinessCalendar, fact: TicketFact): number | null {
  if (fact.firstResponseMs === null) return null;
  return Math.max(0, calendar.businessMsBetween(new Date(fact.createdMs), new Date(fact.firstResponseMs)));
}

export function firstResponseByDay(calendar: BusinessCalendar, range: DateRange, facts: readonly TicketFact[]): FirstResponseReport {
  const perDay = range.days.map(() => ({ opened: 0, times: [] as number[] }));
  const all: number[] = [];
  let opened = 0;
  for (const fact of facts) {
    const bucket = perDay[dayIndexOf(range, fact.createdMs)];
    if (!bucket) continue;
    bucket.opened += 1;
    opened += 1;
    const ms = firstResponseBusinessMs(calendar, fact);
    if (ms === null) continue;
    bucket.times.push(ms);
    all.push(ms);
  }
  return {
    days: range.days.map((day, i) => ({ date: day.date, ...summarize(perDay[i]!.opened, perDay[i]!.times) })),
    total: summarize(opened, all),
  };
}
