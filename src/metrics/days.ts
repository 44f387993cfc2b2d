/**
 * Local calendar days as instant ranges. Reports and the digest count a ticket on the
 * office's local day it was opened (Asia/Makassar), not the UTC day.
 */
import { parseDateKey, zoneOf } from '../sla/calendar.js';

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

export function dateKeyOf(dayNumber: number): string {
  return new Date(dayNumber * DAY_MS).toISOString().slice(0, 10);
}

/** The office-local date of an instant, `YYYY-MM-DD`. */
export function localDateOf(at: Date, timeZone: string): string {
  return dateKeyOf(zoneOf(timeZone).positionOf(at.getTime()).dayNumber);
}

/** Local days `from`..`to` inclusive. Throws DateRangeError on bad dates or an over-long range. */
export function dateRange(from: string, to: string, timeZone: string): DateRange {
  const first = parseDateKey(from);
  const last = parseDateKey(to);
  if (first === undefined || last === undefined) throw new DateRangeError('dates must be real dates written YYYY-MM-DD');
  if (last < first) throw new DateRangeError('the end date is before the start date');
  if (last - first + 1 > MAX_RANGE_DAYS) throw new DateRangeError(`a range covers at most ${MAX_RANGE_DAYS} days`);
  const zone = zoneOf(timeZone);
  const days: DayRange[] = [];
  for (let day = first; day <= last; day += 1) {
    days.push({ date: dateKeyOf(day), startMs: zone.instantOf(day, 0), endMs: zone.instantOf(day + 1, 0) });
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
