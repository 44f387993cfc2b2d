/**
 * Business calendar: which instants count as office time.
 *
 * Built from weekly opening hours, a holiday list and an IANA time zone. All
 * inputs and outputs are `Date` instants; local dates and wall-clock times are
 * derived with `Intl` so the zone's offset is never hard-coded (Asia/Makassar
 * happens to be a fixed UTC+8, but the same code serves any zone).
 *
 * Conventions shared by every function here:
 * - A session is one open period of a local day, half-open `[opensAt, closesAt)`:
 *   08:00 is open, 16:00 is already closed. A day may have several (a lunch break:
 *   08:00-12:00 and 13:00-16:00); the time between them is not business time.
 * - Due times are the *first open instant* at which the requested business time
 *   has elapsed. So 2h from Friday 15:00 (office 08:00-16:00) is Monday 09:00,
 *   and 1h from Friday 15:00 is Monday 08:00, not Friday 16:00: no business time
 *   passes between the two, and this choice makes `respondedAt <= dueAt` agree
 *   exactly with `businessMsBetween(startAt, respondedAt) <= windowMs`.
 * - Loops walk sessions (a few per open day), never minutes; closed days cost one
 *   cheap set lookup each, so long holiday runs are fine.
 * - The fixed-date national holidays (1 January, 1 May, 1 June, 17 August,
 *   25 December: set by law, the same every year) close the office in every year,
 *   listed or not, so a year without data still keeps them. The other holidays and
 *   cuti bersama exist only where the holiday list names them.
 */
import type { SlaDuration } from './duration.js';

export type Weekday = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';

export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** Opening hours of one day, in minutes after local midnight; `closeMinute` may be 1440 (24:00). */
export interface TimeRange {
  openMinute: number;
  closeMinute: number;
}

/**
 * One day's opening hours: one range, or several in order without overlap (a lunch break:
 * 08:00-12:00 and 13:00-16:00). `null` (or an empty list) for a day the office is closed.
 */
export type DayHours = TimeRange | readonly TimeRange[] | null;

export type WeeklyHours = Readonly<Record<Weekday, DayHours>>;

/** The ranges of one day as a list (empty when closed). */
export function rangesOf(day: DayHours): readonly TimeRange[] {
  if (day === null) return [];
  return Array.isArray(day) ? day : [day as TimeRange];
}

/**
 * `'24x7'`: every instant is business time and holidays are ignored (a staffed
 * contact centre). For "all day, but not on holidays", give every weekday
 * 00:00-24:00 instead.
 */
export type BusinessHours = '24x7' | WeeklyHours;

export type HolidayKind = 'holiday' | 'cuti_bersama';

export interface Holiday {
  /** Local date, `YYYY-MM-DD`. */
  date: string;
  name: string;
  kind: HolidayKind;
}

/** A national holiday on the same date every year. */
export interface FixedDateHoliday {
  /** 1-12. */
  month: number;
  day: number;
  name: string;
}

/**
 * National holidays whose date is set by law and never moves. Every other holiday
 * (Idulfitri, Nyepi, Waisak, ...) and every cuti bersama comes from the yearly joint
 * decree (SKB) and must be listed in the holidays file.
 */
export const FIXED_DATE_HOLIDAYS: readonly FixedDateHoliday[] = [
  { month: 1, day: 1, name: 'Tahun Baru Masehi' },
  { month: 5, day: 1, name: 'Hari Buruh Internasional' },
  { month: 6, day: 1, name: 'Hari Lahir Pancasila' },
  { month: 8, day: 17, name: 'Hari Kemerdekaan Republik Indonesia' },
  { month: 12, day: 25, name: 'Hari Raya Natal' },
];

export interface CalendarOptions {
  hours: BusinessHours;
  /** Listed holidays and cuti bersama (any years); the fixed-date holidays are added for every year. */
  holidays: readonly Holiday[];
  /** IANA zone, e.g. `Asia/Makassar`. */
  timeZone: string;
  /** Whether the office is closed on cuti bersama (collective leave) days. */
  cutiBersamaClosed: boolean;
}

export interface Session {
  opensAt: Date;
  closesAt: Date;
}

export interface BusinessCalendar {
  readonly timeZone: string;
  /** True when `at` is inside a session (opening instant included, closing instant excluded). */
  isOpen(at: Date): boolean;
  /** `at` itself when open, otherwise the start of the next session. */
  nextOpening(at: Date): Date;
  /** The session containing `at`, or the next one when closed. In 24x7 mode: the local day. */
  currentOrNextSession(at: Date): Session;
  /** The first open instant at which `ms` of business time have elapsed since `start`. */
  addBusinessTime(start: Date, ms: number): Date;
  /** Business time elapsed from `a` to `b`; negative when `b` is before `a`. */
  businessMsBetween(a: Date, b: Date): number;
  /**
   * Office days (the `d` unit). The clock starts at `nextOpening(start)`; the due
   * time is the same local wall-clock time on the `days`-th open day after that
   * day. If that day opens later than this time, its opening; if the time falls in a
   * break between blocks, the end of the break; if it has already closed by then, the
   * next opening. `days = 0` gives `nextOpening(start)`.
   */
  addOfficeDays(start: Date, days: number): Date;
  /** The holiday or cuti bersama on the local date of `at`, if any (whether or not it closes the office). */
  holidayAt(at: Date): Holiday | undefined;
}

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;
const QUARTER_HOUR_MS = 15 * MINUTE_MS;
const OFFSET_CACHE_LIMIT = 100_000;
/** A calendar with no opening in this many days is broken; stop instead of looping forever. */
const MAX_SCAN_DAYS = 3660;
const SESSION_CACHE_LIMIT = 4096;

/** Sunday-first, matching `Date#getUTCDay`. */
const WEEKDAY_BY_UTC_DAY: readonly Weekday[] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Local calendar position of an instant: days since 1970-01-01 (local) and ms after local midnight. */
interface LocalPosition {
  dayNumber: number;
  msOfDay: number;
}

interface SessionMs {
  openMs: number;
  closeMs: number;
}

export function createBusinessCalendar(options: CalendarOptions): BusinessCalendar {
  const zone = createZone(options.timeZone);
  const holidaysByDay = indexHolidays(options.holidays);
  const { hours } = options;

  if (hours === '24x7') return create24x7Calendar(options.timeZone, zone, holidaysByDay);

  // Re-bound so the narrowing survives into the closures below.
  const weekly: WeeklyHours = hours;
  validateWeeklyHours(weekly);
  const closedDays = new Set<number>();
  for (const [dayNumber, holiday] of holidaysByDay) {
    if (holiday.kind === 'holiday' || options.cutiBersamaClosed) closedDays.add(dayNumber);
  }
  const isClosedDay = (dayNumber: number): boolean => closedDays.has(dayNumber) || fixedDateHolidayOf(dayNumber) !== undefined;

  // Session bounds need two Intl round trips; scans hit the same few days over and over.
  const sessionCache = new Map<number, readonly SessionMs[]>();

  /** The sessions of a local day, in order; empty when the office is closed that day. */
  function sessionsOfDay(dayNumber: number): readonly SessionMs[] {
    const cached = sessionCache.get(dayNumber);
    if (cached !== undefined) return cached;
    const ranges = isClosedDay(dayNumber) ? [] : rangesOf(weekly[weekdayOf(dayNumber)]);
    const sessions = ranges.map((range) => ({
      openMs: zone.instantOf(dayNumber, range.openMinute * MINUTE_MS),
      closeMs: zone.instantOf(dayNumber, range.closeMinute * MINUTE_MS),
    }));
    if (sessionCache.size >= SESSION_CACHE_LIMIT) sessionCache.clear();
    sessionCache.set(dayNumber, sessions);
    return sessions;
  }

  /** The first session that has not closed by `t`. */
  function sessionAtOrAfter(t: number): SessionMs {
    // A session never crosses local midnight (close <= 24:00), so start at t's own day.
    const first = zone.positionOf(t).dayNumber;
    for (let day = first; day < first + MAX_SCAN_DAYS; day++) {
      for (const session of sessionsOfDay(day)) if (session.closeMs > t) return session;
    }
    throw new RangeError(
      `business calendar has no opening within ${MAX_SCAN_DAYS} days of ${new Date(t).toISOString()}: check business hours and holidays`,
    );
  }

  function businessMsForward(a: number, b: number): number {
    let total = 0;
    let t = a;
    while (t < b) {
      const session = sessionAtOrAfter(t);
      if (session.openMs >= b) break;
      total += Math.min(b, session.closeMs) - Math.max(t, session.openMs);
      t = session.closeMs;
    }
    return total;
  }

  function nextOpeningMs(t: number): number {
    return Math.max(t, sessionAtOrAfter(t).openMs);
  }

  return {
    timeZone: options.timeZone,
    isOpen(at) {
      const t = at.getTime();
      return sessionsOfDay(zone.positionOf(t).dayNumber).some((session) => session.openMs <= t && t < session.closeMs);
    },
    nextOpening(at) {
      return new Date(nextOpeningMs(at.getTime()));
    },
    currentOrNextSession(at) {
      const session = sessionAtOrAfter(at.getTime());
      return { opensAt: new Date(session.openMs), closesAt: new Date(session.closeMs) };
    },
    addBusinessTime(start, ms) {
      assertNonNegative(ms, 'addBusinessTime: ms');
      let t = start.getTime();
      let remaining = ms;
      for (;;) {
        const session = sessionAtOrAfter(t);
        const from = Math.max(t, session.openMs);
        const available = session.closeMs - from;
        // Strictly less: landing exactly on a closing time rolls on to the next opening.
        if (remaining < available) return new Date(from + remaining);
        remaining -= available;
        t = session.closeMs;
      }
    },
    businessMsBetween(a, b) {
      const aMs = a.getTime();
      const bMs = b.getTime();
      // `0 -` rather than unary minus: no -0 when nothing elapsed.
      return bMs >= aMs ? businessMsForward(aMs, bMs) : 0 - businessMsForward(bMs, aMs);
    },
    addOfficeDays(start, days) {
      assertWholeDays(days);
      const startMs = nextOpeningMs(start.getTime());
      const { dayNumber, msOfDay } = zone.positionOf(startMs);
      let day = dayNumber;
      for (let counted = 0, closedRun = 0; counted < days; ) {
        day++;
        if (sessionsOfDay(day).length > 0) {
          counted++;
          closedRun = 0;
        } else if (++closedRun > MAX_SCAN_DAYS) {
          throw new RangeError(`business calendar has no opening within ${MAX_SCAN_DAYS} days: check business hours and holidays`);
        }
      }
      // `day` is open: either the start's own (open) day or a counted open day. The same
      // wall-clock time there, or the next open instant after it: that day's first opening
      // when earlier, the end of a break when inside one, the next day's when after closing.
      return new Date(nextOpeningMs(zone.instantOf(day, msOfDay)));
    },
    holidayAt(at) {
      return holidayOfDay(holidaysByDay, zone.positionOf(at.getTime()).dayNumber);
    },
  };
}

function create24x7Calendar(
  timeZone: string,
  zone: Zone,
  holidaysByDay: ReadonlyMap<number, Holiday>,
): BusinessCalendar {
  return {
    timeZone,
    isOpen: () => true,
    nextOpening: (at) => new Date(at.getTime()),
    currentOrNextSession(at) {
      const { dayNumber } = zone.positionOf(at.getTime());
      return {
        opensAt: new Date(zone.instantOf(dayNumber, 0)),
        closesAt: new Date(zone.instantOf(dayNumber + 1, 0)),
      };
    },
    addBusinessTime(start, ms) {
      assertNonNegative(ms, 'addBusinessTime: ms');
      return new Date(start.getTime() + ms);
    },
    businessMsBetween: (a, b) => b.getTime() - a.getTime(),
    addOfficeDays(start, days) {
      assertWholeDays(days);
      const { dayNumber, msOfDay } = zone.positionOf(start.getTime());
      return new Date(zone.instantOf(dayNumber + days, msOfDay));
    },
    holidayAt: (at) => holidayOfDay(holidaysByDay, zone.positionOf(at.getTime()).dayNumber),
  };
}

/** Adds a parsed policy duration: business time for s/m/h, office days for d. */
export function addDuration(calendar: BusinessCalendar, start: Date, duration: SlaDuration): Date {
  return duration.kind === 'office_days'
    ? calendar.addOfficeDays(start, duration.days)
    : calendar.addBusinessTime(start, duration.ms);
}

/** The business time a duration spans when it starts at `start` (office days vary with the start). */
export function durationBusinessMs(calendar: BusinessCalendar, start: Date, duration: SlaDuration): number {
  return duration.kind === 'office_days'
    ? calendar.businessMsBetween(start, calendar.addOfficeDays(start, duration.days))
    : duration.ms;
}

/** Parses `"HH:MM-HH:MM"` (close may be `24:00`); `undefined` when malformed or not increasing. */
export function parseTimeRange(text: string): TimeRange | undefined {
  const match = /^(\d{2}):(\d{2})-(\d{2}):(\d{2})$/.exec(text.trim());
  if (match === null) return undefined;
  const [openH, openM, closeH, closeM] = match.slice(1).map(Number) as [number, number, number, number];
  if (openH > 23 || openM > 59 || closeM > 59 || closeH > 24 || (closeH === 24 && closeM !== 0)) return undefined;
  const range = { openMinute: openH * 60 + openM, closeMinute: closeH * 60 + closeM };
  return range.openMinute < range.closeMinute ? range : undefined;
}

/**
 * One day's hours as written in the policy file: `"08:00-16:00"`, or blocks separated by
 * commas (`"08:00-12:00, 13:00-16:00"`). `undefined` when a block is malformed or the
 * blocks are not in order with a break between them.
 */
export function parseDayHours(text: string): TimeRange[] | undefined {
  const ranges: TimeRange[] = [];
  for (const part of text.split(',')) {
    const range = parseTimeRange(part);
    if (range === undefined) return undefined;
    const previous = ranges[ranges.length - 1];
    if (previous !== undefined && range.openMinute <= previous.closeMinute) return undefined;
    ranges.push(range);
  }
  return ranges;
}

/** "08.00–12.00, 13.00–16.00": a day's hours as applicants read them (Indonesian style). */
export function formatDayHours(day: DayHours): string {
  const hhmm = (minute: number): string => `${String(Math.floor(minute / 60)).padStart(2, '0')}.${String(minute % 60).padStart(2, '0')}`;
  return rangesOf(day)
    .map((range) => `${hhmm(range.openMinute)}–${hhmm(range.closeMinute)}`)
    .join(', ');
}

/** `YYYY-MM-DD` of a real calendar date, as days since 1970-01-01; `undefined` otherwise. */
export function parseDateKey(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (match === null) return undefined;
  const [year, month, day] = match.slice(1).map(Number) as [number, number, number];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  // Date.UTC rolls 2026-02-30 over to March; a real date survives the round trip.
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return undefined;
  return ms / DAY_MS;
}

/** Throws a RangeError for an unknown IANA zone name. */
export function assertTimeZone(timeZone: string): void {
  createZone(timeZone);
}

function weekdayOf(dayNumber: number): Weekday {
  const weekday = WEEKDAY_BY_UTC_DAY[new Date(dayNumber * DAY_MS).getUTCDay()];
  if (weekday === undefined) throw new Error('unreachable: getUTCDay out of range');
  return weekday;
}

const FIXED_BY_MONTH_DAY = new Map(FIXED_DATE_HOLIDAYS.map((h) => [h.month * 100 + h.day, h]));

/** The fixed-date holiday on a local day (days since 1970-01-01), if any. */
function fixedDateHolidayOf(dayNumber: number): Holiday | undefined {
  const date = new Date(dayNumber * DAY_MS);
  const fixed = FIXED_BY_MONTH_DAY.get((date.getUTCMonth() + 1) * 100 + date.getUTCDate());
  return fixed === undefined ? undefined : { date: date.toISOString().slice(0, 10), name: fixed.name, kind: 'holiday' };
}

/** The fixed-date holidays of one year, as holiday entries. */
export function fixedDateHolidaysOf(year: number): Holiday[] {
  return FIXED_DATE_HOLIDAYS.map((h) => ({
    date: `${String(year).padStart(4, '0')}-${String(h.month).padStart(2, '0')}-${String(h.day).padStart(2, '0')}`,
    name: h.name,
    kind: 'holiday',
  }));
}

/** A listed holiday outranks the fixed one on its date (it carries the year's own name); a fixed date is never only cuti bersama. */
function holidayOfDay(listed: ReadonlyMap<number, Holiday>, dayNumber: number): Holiday | undefined {
  const holiday = listed.get(dayNumber);
  if (holiday?.kind === 'holiday') return holiday;
  return fixedDateHolidayOf(dayNumber) ?? holiday;
}

function indexHolidays(holidays: readonly Holiday[]): Map<number, Holiday> {
  const byDay = new Map<number, Holiday>();
  for (const holiday of holidays) {
    const dayNumber = parseDateKey(holiday.date);
    if (dayNumber === undefined) throw new RangeError(`holiday date must be YYYY-MM-DD, got "${holiday.date}"`);
    // Two entries on one date: a holiday outranks cuti bersama, since it closes the office either way.
    const existing = byDay.get(dayNumber);
    if (existing === undefined || existing.kind === 'cuti_bersama') byDay.set(dayNumber, holiday);
  }
  return byDay;
}

function validateWeeklyHours(hours: WeeklyHours): void {
  let openDays = 0;
  for (const day of WEEKDAYS) {
    const ranges = rangesOf(hours[day]);
    if (ranges.length === 0) continue;
    let previousClose = -1;
    for (const { openMinute, closeMinute } of ranges) {
      if (!Number.isInteger(openMinute) || !Number.isInteger(closeMinute) || openMinute < 0 || closeMinute > 1440 || openMinute >= closeMinute) {
        throw new RangeError(`business hours for ${day} must satisfy 0 <= open < close <= 1440 minutes`);
      }
      // Touching blocks (12:00-12:00) would be one block written twice; a gap is required.
      if (openMinute <= previousClose) throw new RangeError(`business hours for ${day} must be in order with a break between blocks`);
      previousClose = closeMinute;
    }
    openDays++;
  }
  if (openDays === 0) throw new RangeError('business hours must open on at least one weekday');
}

function assertNonNegative(ms: number, label: string): void {
  if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`${label} must be a finite number >= 0, got ${ms}`);
}

function assertWholeDays(days: number): void {
  if (!Number.isInteger(days) || days < 0) throw new RangeError(`addOfficeDays: days must be a whole number >= 0, got ${days}`);
}

/** Instant <-> local calendar conversion for one zone (also used by the report day ranges). */
export interface Zone {
  positionOf(t: number): LocalPosition;
  /** The instant of a local wall-clock time. A wall time inside a DST gap (never office hours in practice) maps to an instant an hour away. */
  instantOf(dayNumber: number, msOfDay: number): number;
}

const zones = new Map<string, Zone>();

/** The zone's converter, built once per zone name (it caches offsets as it goes). */
export function zoneOf(timeZone: string): Zone {
  let zone = zones.get(timeZone);
  if (!zone) {
    zone = createZone(timeZone);
    zones.set(timeZone, zone);
  }
  return zone;
}

function createZone(timeZone: string): Zone {
  // Throws RangeError for an unknown zone, which is what we want at start-up.
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });

  /** Local wall time of `t`, expressed as if it were a UTC timestamp. */
  function wallMs(t: number): number {
    const parts: Record<string, number> = {};
    for (const part of format.formatToParts(new Date(t))) {
      if (part.type !== 'literal') parts[part.type] = Number(part.value);
    }
    const field = (name: string): number => {
      const value = parts[name];
      if (value === undefined || Number.isNaN(value)) throw new Error(`Intl did not return ${name} for ${timeZone}`);
      return value;
    };
    const wholeSeconds = Date.UTC(field('year'), field('month') - 1, field('day'), field('hour'), field('minute'), field('second'));
    return wholeSeconds + (((t % 1000) + 1000) % 1000);
  }

  /**
   * Offsets change only at transitions on whole quarter hours, so one Intl round trip
   * per quarter hour serves every instant in it (formatToParts costs microseconds and
   * SLA planning converts many instants per ticket).
   */
  const offsets = new Map<number, number>();
  const offsetAt = (t: number): number => {
    const bucket = Math.floor(t / QUARTER_HOUR_MS);
    let offset = offsets.get(bucket);
    if (offset === undefined) {
      offset = wallMs(bucket * QUARTER_HOUR_MS) - bucket * QUARTER_HOUR_MS;
      if (offsets.size >= OFFSET_CACHE_LIMIT) offsets.clear();
      offsets.set(bucket, offset);
    }
    return offset;
  };

  return {
    positionOf(t) {
      const wall = t + offsetAt(t);
      const dayNumber = Math.floor(wall / DAY_MS);
      return { dayNumber, msOfDay: wall - dayNumber * DAY_MS };
    },
    instantOf(dayNumber, msOfDay) {
      const wall = dayNumber * DAY_MS + msOfDay;
      const guess = wall - offsetAt(wall);
      const offset = offsetAt(guess);
      return wall - offset;
    },
  };
}
