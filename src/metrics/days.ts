/**
 * Local calendar days as instant ranges. Reports and the digest count a ticket on the
 * office's local day it was opened (Asia/Makassar), not the UTC day.
 */
import { parseDateKey } from '../sla/calendar.js';

const DAY_MS = 86_400_000;
/** Longest range one report covers; keeps a mistyped year from scanning the whole database. */
export const MAX_RANGE_DAYS = 366;

export interface DayRange {
  /** `YYYY-MM-DD`, local to the office. */
  readonly date: string;
  readonly startMs: number;
  readonly endMs: number;
}

export interface DateRange {
  readonly from: string;
  readonly to: string;
  readonly days: readonly DayRange[];
  readonly startMs: number;
  readonly endMs: number;
}

export class DateRangeError extends Error {
  readonly code = 'METRICS_BAD_RANGE';
  constructor(message: string) {
    super(message);
    this.name = 'DateRangeError';
  }
}

function wallMs(format: Intl.DateTimeFormat, t: number): number {
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(new Date(t))) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  return Date.UTC(parts['year'] ?? 1970, (parts['month'] ?? 1) - 1, parts['day'] ?? 1, parts['hour'] ?? 0, parts['minute'] ?? 0, parts['second'] ?? 0);
}

function zoneFormat(timeZone: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
}

/** The instant local midnight of day number `dayNumber` (days since 1970-01-01) begins. */
function midnightOf(format: Intl.DateTimeFormat, dayNumber: number): number {
  const wall = dayNumber * DAY_MS;
  // Two passes settle the offset even when midnight sits next to a DST change.
  const guess = wall - (wallMs(format, wall) - wall);
  return wall - (wallMs(format, guess) - guess);
}

export function dateKeyOf(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** The office-local date of an instant, `YYYY-MM-DD`. */
export function localDateOf(at: Date, timeZone: string): string {
  return dateKeyOf(Math.floor(wallMs(zoneFormat(timeZone), at.getTime()) / DAY_MS));
}

/** Local days `from`..`to` inclusive. Throws DateRangeError on bad dates or an over-long range. */
export function dateRange(from: string, to: string, timeZone: string): DateRange {
  const first = parseDateKey(from);
  const last = parseDateKey(to);
  if (first === undefined || last === undefined) throw new DateRangeError('dates must be real dates written YYYY-MM-DD');
  if (last < first) throw new DateRangeError('the end date is before the start date');
  if (last - first + 1 > MAX_RANGE_DAYS) throw new DateRangeError(`a range covers at most ${MAX_RANGE_DAYS} days`);
  const format = zoneFormat(timeZone);
  const days: DayRange[] = [];
  for (let day = first; day <= last; day += 1) {
    days.push({ date: dateKeyOf(day), startMs: midnightOf(format, day), endMs: midnightOf(format, day + 1) });
  }
  return { from, to, days, startMs: days[0]!.startMs, endMs: days[days.length - 1]!.endMs };
}

/** Index of the day containing `ms` (ranges are sorted and contiguous); -1 when outside. */
export function dayIndexOf(range: DateRange, ms: number): number {
  let lo = 0;
  let hi = range.days.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const day = range.days[mid]!;
    if (ms < day.startMs) hi = mid - 1;
    else if (ms >= day.endMs) lo = mid + 1;
    else return mid;
  }
  return -1;
}
