/**
 * buildDigest: the day's figures, read from the database through src/metrics (the same
 * definitions as the dashboard reports and the SLA timers). Pure over the database and
 * `now`: nothing is written, so the CLI, the dashboard and the scheduler may all call it.
 */
import { SERVQUAL_DIMENSIONS, type ServqualDimension } from '../knowledge/types.js';
import {
  activityBetween,
  backlogAt,
  breachesBetween,
  byOrigin,
  laporStatusAt,
  complianceByDay,
  csatBetween,
  dateKeyOf,
  dateRange,
  firstResponseBusinessMs,
  firstResponseByDay,
  inboundIntentsBetween,
  quantile,
  resolvedBetween,
  staffActivity,
  integrityReportsBetween,
  ticketFactsBetween,
  unansweredQuestions,
  type DateRange,
  type DayRange,
  type TicketFact,
} from '../metrics/index.js';
import { maskPersonalData } from '../privacy.js';
import type { BusinessCalendar } from '../sla/calendar.js';
import { parseDateKey } from '../sla/calendar.js';
import { prepared, type Db } from '../store/db.js';
import { ticketRef } from '../domain.js';
import type { DayHeadline, Digest, DigestBreach, DigestIntegrity, DigestStaff, HeadlineAverage, HourlyFirstResponse } from './types.js';

export interface DigestOptions {
  /** Office-local day, YYYY-MM-DD. */
  readonly date: string;
  readonly calendar: BusinessCalendar;
  readonly timeZone: string;
  readonly now: Date;
  /** Lengths of the top lists (default 5 each). */
  readonly topIntents?: number;
  readonly topUnanswered?: number;
}

const HOUR_MS = 3_600_000;
const TREND_DAYS = 7;

export const minutesOf = (ms: number): number => Math.round(ms / 6_000) / 10;
const minutesOrNull = (ms: number | null): number | null => (ms === null ? null : minutesOf(ms));
const share = (value: number | null): number | null => (value === null ? null : Math.round(value * 10_000) / 10_000);
const twoDecimals = (value: number | null): number | null => (value === null ? null : Math.round(value * 100) / 100);

/** Throws DateRangeError (metrics/days.ts) for a date that is not a real YYYY-MM-DD. */
export function buildDigest(db: Db, options: DigestOptions): Digest {
  const { calendar, timeZone, now } = options;
  const day = dateRange(options.date, options.date, timeZone);
  const dayNumber = parseDateKey(options.date)!;
  // Eight days: the 7 before (the average) and the day itself; one read of their tickets.
  const history = dateRange(dateKeyOf(dayNumber - TREND_DAYS), options.date, timeZone);
  const facts = ticketFactsBetween(db, history.startMs, history.endMs);
  const headlines = headlinesOf(db, calendar, history, facts, now);
  const today = headlines[TREND_DAYS]!;
  const { startMs, endMs } = day;
  // Figures about "the end of the day" use now while the day is still running (dashboard).
  const cutoffMs = Math.min(endMs, now.getTime());
  const dayFacts = facts.filter((f) => f.createdMs >= startMs && f.createdMs < endMs);

  const activity = activityBetween(db, startMs, endMs);
  const firstResponse = firstResponseByDay(calendar, day, dayFacts).total;
  const compliance = complianceByDay(day, dayFacts, now).total.firstResponse;
  const backlog = backlogAt(db, cutoffMs);
  const names = staffNames(db);

  return {
    date: options.date,
    timeZone,
    generatedAt: now.toISOString(),
    messagesIn: activity.messagesIn,
    byChannel: activity.byChannel.map((c) => ({ channel: c.key, count: c.count })),
    conversations: activity.conversations,
    botOnly: activity.botOnly,
    botOnlyShare: share(activity.botOnlyShare),
    tickets: {
      opened: dayFacts.length,
      resolved: today.ticketsResolved,
      backlog: backlog.count,
      oldestOpen:
        backlog.oldest === null
          ? null
          : {
              ref: ticketRef(backlog.oldest.id),
              priority: backlog.oldest.priority,
              status: backlog.oldest.status,
              openedAt: new Date(backlog.oldest.createdMs).toISOString(),
              ageMinutes: minutesOf(Math.max(0, calendar.businessMsBetween(new Date(backlog.oldest.createdMs), new Date(cutoffMs)))),
            },
    },
    byOrigin: byOrigin(dayFacts).map((c) => ({ origin: c.key, count: c.count })),
    lapor: { opened: dayFacts.filter((f) => f.origin === 'lapor').length, ...laporStatusAt(db, calendar, cutoffMs) },
    firstResponse: {
      opened: firstResponse.opened,
      count: firstResponse.answered,
      waiting: firstResponse.waiting,
      medianMinutes: minutesOrNull(firstResponse.medianMs),
      p90Minutes: minutesOrNull(firstResponse.p90Ms),
      met: compliance.met,
      breached: compliance.breached,
      pending: compliance.pending,
      withinSlaShare: share(compliance.rate),
    },
    firstResponseByHour: byHour(calendar, day.days[0]!, dayFacts),
    breaches: breachesBetween(db, startMs, endMs).map(
      (b): DigestBreach => ({
        ref: ticketRef(b.ticketId),
        timer: b.timer,
        priority: b.priority,
        holder: b.holderId === null ? null : (names.get(b.holderId) ?? `petugas ${b.holderId}`),
        breachedAt: new Date(b.breachMs).toISOString(),
        lateMinutes: minutesOf(Math.max(0, calendar.businessMsBetween(new Date(b.breachMs), new Date(b.stoppedMs ?? now.getTime())))),
        stillRunning: b.stoppedMs === null,
        escalated: b.escalated,
      }),
    ),
    integrity: integrityReportsBetween(db, startMs, endMs).map(
      (r): DigestIntegrity => ({
        ref: ticketRef(r.ticketId),
        status: r.status,
        holder: r.assigneeId === null ? null : (names.get(r.assigneeId) ?? `petugas ${r.assigneeId}`),
        reportedAt: new Date(r.reportedMs).toISOString(),
      }),
    ),
    staff: staffActivity(db, calendar, startMs, endMs, dayFacts).map(
      (s): DigestStaff => ({
        name: s.staffId === null ? '(tanpa akun)' : (names.get(s.staffId) ?? `petugas ${s.staffId}`),
        staffId: s.staffId,
        handled: s.handled,
        firstResponses: s.firstResponses,
        medianFirstResponseMinutes: minutesOrNull(s.medianFirstResponseMs),
      }),
    ),
    topIntents: inboundIntentsBetween(db, startMs, endMs, options.topIntents ?? 5).map((c) => ({ intent: c.key, count: c.count })),
    unanswered: unansweredQuestions(db, { startMs, endMs, limit: options.topUnanswered ?? 5 }).map((q) => ({
      // Already masked by the metric; masked again so this list can never be the leak.
      text: maskPersonalData(q.text),
      count: q.count,
      channels: q.channels,
    })),
    csat: (() => {
      const csat = csatBetween(db, startMs, endMs);
      return { count: csat.count, average: twoDecimals(csat.average), low: csat.low };
    })(),
    servqual: servqualOf(dayFacts),
    comparison: { previousDay: headlines[TREND_DAYS - 1]!, sevenDayAverage: averageOf(headlines.slice(0, TREND_DAYS)) },
    trend: headlines.slice(1),
  };
}

/** Each day's headline figures, with the same definitions as the digest's own. */
function headlinesOf(db: Db, calendar: BusinessCalendar, range: DateRange, facts: readonly TicketFact[], now: Date): DayHeadline[] {
  const first = firstResponseByDay(calendar, range, facts).days;
  const compliance = complianceByDay(range, facts, now).days;
  return range.days.map((day, i) => {
    const activity = activityBetween(db, day.startMs, day.endMs);
    return {
      date: day.date,
      messagesIn: activity.messagesIn,
      conversations: activity.conversations,
      botOnlyShare: share(activity.botOnlyShare),
      ticketsOpened: first[i]!.opened,
      ticketsResolved: resolvedBetween(db, day.startMs, day.endMs),
      medianMinutes: minutesOrNull(first[i]!.medianMs),
      p90Minutes: minutesOrNull(first[i]!.p90Ms),
      withinSlaShare: share(compliance[i]!.firstResponse.rate),
      csatAverage: twoDecimals(csatBetween(db, day.startMs, day.endMs).average),
    };
  });
}

/** Counts: the mean over all 7 days (a quiet day is a real zero). Medians, shares, CSAT: over the days that had one. */
function averageOf(days: readonly DayHeadline[]): HeadlineAverage {
  const mean = (values: readonly (number | null)[], digits: number): number | null => {
    const present = values.filter((v): v is number => v !== null);
    if (present.length === 0) return null;
    const factor = 10 ** digits;
    return Math.round((present.reduce((a, b) => a + b, 0) / present.length) * factor) / factor;
  };
  const counts = (pick: (d: DayHeadline) => number): number => mean(days.map(pick), 1) ?? 0;
  return {
    from: days[0]!.date,
    to: days[days.length - 1]!.date,
    messagesIn: counts((d) => d.messagesIn),
    conversations: counts((d) => d.conversations),
    botOnlyShare: mean(days.map((d) => d.botOnlyShare), 4),
    ticketsOpened: counts((d) => d.ticketsOpened),
    ticketsResolved: counts((d) => d.ticketsResolved),
    medianMinutes: mean(days.map((d) => d.medianMinutes), 1),
    p90Minutes: mean(days.map((d) => d.p90Minutes), 1),
    withinSlaShare: mean(days.map((d) => d.withinSlaShare), 4),
    csatAverage: mean(days.map((d) => d.csatAverage), 2),
  };
}

/**
 * First response by the office-local hour the ticket was opened. The hour is counted
 * from local midnight, exact for the office zone (WITA has no daylight saving).
 */
function byHour(calendar: BusinessCalendar, day: DayRange, facts: readonly TicketFact[]): HourlyFirstResponse[] {
  const hours = Array.from({ length: 24 }, () => ({ opened: 0, times: [] as number[] }));
  for (const fact of facts) {
    const bucket = hours[Math.min(23, Math.max(0, Math.floor((fact.createdMs - day.startMs) / HOUR_MS)))]!;
    bucket.opened += 1;
    const ms = firstResponseBusinessMs(calendar, fact);
    if (ms !== null) bucket.times.push(ms);
  }
  return hours.map((h, hour) => ({ hour, opened: h.opened, answered: h.times.length, medianMinutes: minutesOrNull(quantile(h.times, 0.5)) }));
}

/** Complaints only: a handoff is a request for a person, not a judgement of the service. */
function servqualOf(facts: readonly TicketFact[]): Record<ServqualDimension, number> {
  const counts = Object.fromEntries(SERVQUAL_DIMENSIONS.map((d) => [d, 0])) as Record<ServqualDimension, number>;
  for (const fact of facts) {
    if (fact.kind !== 'complaint') continue;
    const dimension = fact.servqual as ServqualDimension;
    if (dimension in counts) counts[dimension] += 1;
  }
  return counts;
}

function staffNames(db: Db): Map<number, string> {
  return new Map(
    prepared<[], { id: number; username: string; display_name: string | null }>(db, 'SELECT id, username, display_name FROM staff')
      .all()
      .map((row) => [row.id, row.display_name ?? row.username]),
  );
}
