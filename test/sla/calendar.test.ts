import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addDuration,
  createBusinessCalendar,
  type BusinessCalendar,
  type Holiday,
  type TimeRange,
  type WeeklyHours,
} from '../../src/sla/calendar.js';
import { parseDuration } from '../../src/sla/duration.js';
import { loadHolidays } from '../../src/sla/policy.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const holidays2026 = loadHolidays('data/holidays.json', repoRoot);

const HOUR = 3_600_000;
const MINUTE = 60_000;

/** A WITA wall-clock time as an instant: wita('2026-11-27 15:30'). */
const wita = (text: string): Date => new Date(`${text.replace(' ', 'T')}:00+08:00`);

const range = (text: string): TimeRange => {
  const [open = '', close = ''] = text.split('-');
  const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
  return { openMinute: minutes(open), closeMinute: minutes(close) };
};

const officeHours = (overrides: Partial<WeeklyHours> = {}): WeeklyHours => ({
  mon: range('08:00-16:00'),
  tue: range('08:00-16:00'),
  wed: range('08:00-16:00'),
  thu: range('08:00-16:00'),
  fri: range('08:00-16:00'),
  sat: null,
  sun: null,
  ...overrides,
});

function kupang(options: { cutiBersamaClosed?: boolean; hours?: WeeklyHours; holidays?: Holiday[] } = {}): BusinessCalendar {
  return createBusinessCalendar({
    hours: options.hours ?? officeHours(),
    holidays: options.holidays ?? holidays2026,
    timeZone: 'Asia/Makassar',
    cutiBersamaClosed: options.cutiBersamaClosed ?? true,
  });
}

const calendar = kupang();
const cutiOpen = kupang({ cutiBersamaClosed: false });

describe('addBusinessTime: weekends and office hours', () => {
  it('carries Friday 15:30 + 2h over the weekend to Monday 09:30 WITA', () => {
    expect(calendar.addBusinessTime(wita('2026-11-27 15:30'), 2 * HOUR)).toEqual(wita('2026-11-30 09:30'));
  });

  it('starts the clock at opening when the start is before opening', () => {
    expect(calendar.addBusinessTime(wita('2026-11-30 06:00'), 2 * HOUR)).toEqual(wita('2026-11-30 10:00'));
  });

  it('starts the clock the next open day when the start is after closing', () => {
    expect(calendar.addBusinessTime(wita('2026-11-30 17:00'), 2 * HOUR)).toEqual(wita('2026-12-01 10:00'));
  });

  it('starts the clock on Monday when the start is on a weekend', () => {
    expect(calendar.addBusinessTime(wita('2026-11-28 11:00'), 30 * MINUTE)).toEqual(wita('2026-11-30 08:30'));
  });

  it('counts from exactly the opening instant', () => {
    expect(calendar.addBusinessTime(wita('2026-11-30 08:00'), 7 * HOUR + 59 * MINUTE)).toEqual(wita('2026-11-30 15:59'));
  });

  it('treats exactly the closing instant as closed', () => {
    expect(calendar.addBusinessTime(wita('2026-11-30 16:00'), 30 * MINUTE)).toEqual(wita('2026-12-01 08:30'));
  });

  it('rolls a due time that lands on a closing instant on to the next opening', () => {
    expect(calendar.addBusinessTime(wita('2026-11-30 08:00'), 8 * HOUR)).toEqual(wita('2026-12-01 08:00'));
    expect(calendar.addBusinessTime(wita('2026-11-27 15:00'), HOUR)).toEqual(wita('2026-11-30 08:00'));
  });

  it('gives the next opening for zero business time', () => {
    expect(calendar.addBusinessTime(wita('2026-11-27 18:00'), 0)).toEqual(wita('2026-11-30 08:00'));
    expect(calendar.addBusinessTime(wita('2026-11-27 10:00'), 0)).toEqual(wita('2026-11-27 10:00'));
  });

  it('walks multi-day windows', () => {
    // Mon 6h + Tue 8h + Wed 6h.
    expect(calendar.addBusinessTime(wita('2026-11-30 10:00'), 20 * HOUR)).toEqual(wita('2026-12-02 14:00'));
    // Two full weeks plus an hour, across two weekends.
    expect(calendar.addBusinessTime(wita('2026-11-30 08:00'), 81 * HOUR)).toEqual(wita('2026-12-14 09:00'));
  });

  it('keeps milliseconds', () => {
    expect(calendar.addBusinessTime(new Date(wita('2026-11-30 09:00').getTime() + 123), 1)).toEqual(
      new Date(wita('2026-11-30 09:00').getTime() + 124),
    );
  });

  it('rejects negative or non-finite amounts', () => {
    expect(() => calendar.addBusinessTime(wita('2026-11-30 09:00'), -1)).toThrow(RangeError);
    expect(() => calendar.addBusinessTime(wita('2026-11-30 09:00'), Number.NaN)).toThrow(RangeError);
  });
});

describe('addBusinessTime: holidays and cuti bersama', () => {
  it('skips Christmas: Dec 24 (cuti bersama) and Dec 25 (holiday) closed, then the weekend', () => {
    expect(calendar.addBusinessTime(wita('2026-12-23 15:00'), 2 * HOUR)).toEqual(wita('2026-12-28 09:00'));
  });

  it('counts Dec 24 when cuti bersama is configured open', () => {
    expect(cutiOpen.addBusinessTime(wita('2026-12-23 15:00'), 2 * HOUR)).toEqual(wita('2026-12-24 09:00'));
    expect(cutiOpen.isOpen(wita('2026-12-24 10:00'))).toBe(true);
    expect(cutiOpen.isOpen(wita('2026-12-25 10:00'))).toBe(false);
  });

  it('jumps the Nyepi and Idulfitri run (Mar 18-24, 2026) in one step', () => {
    expect(calendar.addBusinessTime(wita('2026-03-17 15:00'), 2 * HOUR)).toEqual(wita('2026-03-25 09:00'));
    // Open cuti bersama days: Wed 18 counts, Thu 19 is Nyepi, Fri 20 counts.
    expect(cutiOpen.addBusinessTime(wita('2026-03-17 15:00'), 10 * HOUR)).toEqual(wita('2026-03-20 09:00'));
  });

  it('skips a holiday that falls mid-week (Hari Buruh, Fri May 1)', () => {
    expect(calendar.addBusinessTime(wita('2026-04-30 15:00'), 2 * HOUR)).toEqual(wita('2026-05-04 09:00'));
  });

  it('handles a year-long closure without iterating minute by minute', () => {
    const longClosure: Holiday[] = [];
    for (let day = Date.UTC(2026, 0, 1); day <= Date.UTC(2026, 11, 31); day += 86_400_000) {
      longClosure.push({ date: new Date(day).toISOString().slice(0, 10), name: 'renovasi', kind: 'holiday' });
    }
    const closed = kupang({ holidays: longClosure });
    const startedAt = performance.now();
    // Fri 1 Jan 2027 is a fixed-date holiday: the first open hour is Monday 4 January.
    expect(closed.addBusinessTime(wita('2026-01-01 09:00'), HOUR)).toEqual(wita('2027-01-04 09:00'));
    expect(performance.now() - startedAt).toBeLessThan(1000);
  });

  it('adds a year of business time quickly', () => {
    const startedAt = performance.now();
    const due = calendar.addBusinessTime(wita('2026-01-02 08:00'), 230 * 8 * HOUR);
    expect(calendar.businessMsBetween(wita('2026-01-02 08:00'), due)).toBe(230 * 8 * HOUR);
    expect(performance.now() - startedAt).toBeLessThan(1000);
  });
});

describe('isOpen, nextOpening, currentOrNextSession, holidayAt', () => {
  it('is open from the opening instant up to, not including, the closing instant', () => {
    expect(calendar.isOpen(wita('2026-11-30 07:59'))).toBe(false);
    expect(calendar.isOpen(wita('2026-11-30 08:00'))).toBe(true);
    expect(calendar.isOpen(new Date(wita('2026-11-30 16:00').getTime() - 1))).toBe(true);
    expect(calendar.isOpen(wita('2026-11-30 16:00'))).toBe(false);
    expect(calendar.isOpen(wita('2026-11-28 10:00'))).toBe(false);
    expect(calendar.isOpen(wita('2026-12-24 10:00'))).toBe(false);
  });

  it('finds the next opening after hours, on weekends and across holidays', () => {
    expect(calendar.nextOpening(wita('2026-11-27 17:00'))).toEqual(wita('2026-11-30 08:00'));
    expect(calendar.nextOpening(wita('2026-11-30 06:30'))).toEqual(wita('2026-11-30 08:00'));
    expect(calendar.nextOpening(wita('2026-12-24 10:00'))).toEqual(wita('2026-12-28 08:00'));
    // 2027 is not in the file, but 1 January is a fixed-date holiday every year.
    expect(calendar.nextOpening(wita('2026-12-31 16:00'))).toEqual(wita('2027-01-04 08:00'));
  });

  it('returns the instant itself when already open', () => {
    expect(calendar.nextOpening(wita('2026-11-30 10:15'))).toEqual(wita('2026-11-30 10:15'));
  });

  it('gives the current session while open and the next one while closed', () => {
    expect(calendar.currentOrNextSession(wita('2026-11-30 10:00'))).toEqual({
      opensAt: wita('2026-11-30 08:00'),
      closesAt: wita('2026-11-30 16:00'),
    });
    expect(calendar.currentOrNextSession(wita('2026-11-30 16:00'))).toEqual({
      opensAt: wita('2026-12-01 08:00'),
      closesAt: wita('2026-12-01 16:00'),
    });
    expect(calendar.currentOrNextSession(wita('2026-12-23 20:00'))).toEqual({
      opensAt: wita('2026-12-28 08:00'),
      closesAt: wita('2026-12-28 16:00'),
    });
  });

  it('names the holiday or cuti bersama of a day', () => {
    expect(calendar.holidayAt(wita('2026-12-25 09:00'))).toMatchObject({ name: 'Hari Raya Natal', kind: 'holiday' });
    expect(calendar.holidayAt(wita('2026-12-24 09:00'))).toMatchObject({ kind: 'cuti_bersama' });
    // 00:30 WITA on Dec 25 is still Dec 24 in UTC: the local date decides.
    expect(calendar.holidayAt(wita('2026-12-25 00:30'))).toMatchObject({ kind: 'holiday' });
    expect(calendar.holidayAt(wita('2026-12-23 09:00'))).toBeUndefined();
  });
});

describe('fixed-date national holidays apply in every year, listed or not', () => {
  it('closes 17 August 2027 and 25 December 2030 with only the 2026 list', () => {
    // Tue 17 Aug 2027 and Wed 25 Dec 2030 are weekdays, in years the file does not list.
    expect(calendar.isOpen(wita('2027-08-17 10:00'))).toBe(false);
    expect(calendar.holidayAt(wita('2027-08-17 10:00'))).toEqual({ date: '2027-08-17', name: 'Hari Kemerdekaan Republik Indonesia', kind: 'holiday' });
    expect(calendar.nextOpening(wita('2027-08-17 10:00'))).toEqual(wita('2027-08-18 08:00'));
    expect(calendar.isOpen(wita('2030-12-25 10:00'))).toBe(false);
    expect(calendar.holidayAt(wita('2030-12-25 10:00'))).toMatchObject({ date: '2030-12-25', name: 'Hari Raya Natal', kind: 'holiday' });
    expect(calendar.addBusinessTime(wita('2030-12-24 15:00'), 2 * HOUR)).toEqual(wita('2030-12-26 09:00'));
    // Neighbouring days stay ordinary working days.
    expect(calendar.isOpen(wita('2027-08-16 10:00'))).toBe(true);
    expect(calendar.holidayAt(wita('2027-08-16 10:00'))).toBeUndefined();
  });

  it('keeps all five fixed dates of a year without data, and with no list at all', () => {
    const bare = kupang({ holidays: [] });
    // 2031: Wed 1 Jan, Thu 1 May, Sun 1 Jun, Sun 17 Aug, Thu 25 Dec.
    for (const date of ['2031-01-01', '2031-05-01', '2031-06-01', '2031-08-17', '2031-12-25']) {
      expect(bare.holidayAt(wita(`${date} 10:00`))).toMatchObject({ date, kind: 'holiday' });
      expect(bare.isOpen(wita(`${date} 10:00`))).toBe(false);
    }
    expect(bare.isOpen(wita('2031-01-02 10:00'))).toBe(true);
    // Movable holidays exist only once listed: Isra Mikraj 2026 is not in the bare calendar.
    expect(bare.isOpen(wita('2026-01-16 10:00'))).toBe(true);
    expect(calendar.isOpen(wita('2026-01-16 10:00'))).toBe(false);
  });

  it('keeps the listed name on a fixed date, and a fixed date stays a holiday when listed as cuti bersama', () => {
    expect(calendar.holidayAt(wita('2026-01-01 10:00'))).toMatchObject({ name: 'Tahun Baru 2026 Masehi' });
    const odd = kupang({ cutiBersamaClosed: false, holidays: [{ date: '2027-12-25', name: 'Cuti bersama', kind: 'cuti_bersama' }] });
    expect(odd.isOpen(wita('2027-12-27 10:00'))).toBe(true);
    expect(odd.isOpen(wita('2027-12-24 10:00'))).toBe(true);
    expect(odd.holidayAt(wita('2027-12-25 10:00'))).toMatchObject({ name: 'Hari Raya Natal', kind: 'holiday' });
  });

  it('names them in 24x7 mode, where holidays do not close', () => {
    const open24 = createBusinessCalendar({ hours: '24x7', holidays: [], timeZone: 'Asia/Makassar', cutiBersamaClosed: true });
    expect(open24.isOpen(wita('2027-08-17 10:00'))).toBe(true);
    expect(open24.holidayAt(wita('2027-08-17 10:00'))).toMatchObject({ kind: 'holiday' });
  });
});

describe('businessMsBetween', () => {
  it('measures business time across a weekend', () => {
    expect(calendar.businessMsBetween(wita('2026-11-27 15:30'), wita('2026-11-30 09:30'))).toBe(2 * HOUR);
  });

  it('is zero inside a closed period and negative when reversed', () => {
    expect(calendar.businessMsBetween(wita('2026-11-27 16:30'), wita('2026-11-30 07:00'))).toBe(0);
    expect(calendar.businessMsBetween(wita('2026-11-30 09:30'), wita('2026-11-27 15:30'))).toBe(-2 * HOUR);
  });

  it('excludes holidays and, when closed, cuti bersama', () => {
    // Dec 21-23 and Dec 28-31 count; Dec 24 only when cuti bersama is open.
    expect(calendar.businessMsBetween(wita('2026-12-21 08:00'), wita('2027-01-01 08:00'))).toBe(7 * 8 * HOUR);
    expect(cutiOpen.businessMsBetween(wita('2026-12-21 08:00'), wita('2027-01-01 08:00'))).toBe(8 * 8 * HOUR);
  });
});

describe('addOfficeDays (the d unit)', () => {
  it('keeps the time of day N open days later', () => {
    expect(calendar.addOfficeDays(wita('2026-11-27 15:30'), 1)).toEqual(wita('2026-11-30 15:30'));
    expect(calendar.addOfficeDays(wita('2026-11-30 10:00'), 5)).toEqual(wita('2026-12-07 10:00'));
  });

  it('counts only open days: Dec 24-25 and the weekend do not count', () => {
    expect(calendar.addOfficeDays(wita('2026-12-23 10:00'), 2)).toEqual(wita('2026-12-29 10:00'));
    expect(cutiOpen.addOfficeDays(wita('2026-12-23 10:00'), 2)).toEqual(wita('2026-12-28 10:00'));
  });

  it('starts the clock at the next opening when started while closed', () => {
    expect(calendar.addOfficeDays(wita('2026-11-28 11:00'), 1)).toEqual(wita('2026-12-01 08:00'));
    expect(calendar.addOfficeDays(wita('2026-11-30 18:00'), 1)).toEqual(wita('2026-12-02 08:00'));
    expect(calendar.addOfficeDays(wita('2026-11-28 11:00'), 0)).toEqual(wita('2026-11-30 08:00'));
  });

  it('moves to the next opening when the target day has already closed at that time', () => {
    const shortFriday = kupang({ hours: officeHours({ fri: range('08:00-11:00') }) });
    expect(shortFriday.addOfficeDays(wita('2026-12-03 14:00'), 1)).toEqual(wita('2026-12-07 08:00'));
    expect(shortFriday.addOfficeDays(wita('2026-12-03 10:00'), 1)).toEqual(wita('2026-12-04 10:00'));
  });

  it('moves to the opening when the target day opens later', () => {
    const lateFriday = kupang({ hours: officeHours({ fri: range('10:00-16:00') }) });
    expect(lateFriday.addOfficeDays(wita('2026-12-03 09:00'), 1)).toEqual(wita('2026-12-04 10:00'));
  });

  it('is what addDuration uses for d, while s/m/h are business time', () => {
    expect(addDuration(calendar, wita('2026-11-27 15:30'), parseDuration('1d'))).toEqual(wita('2026-11-30 15:30'));
    expect(addDuration(calendar, wita('2026-11-27 15:30'), parseDuration('8h'))).toEqual(wita('2026-11-30 15:30'));
    expect(addDuration(calendar, wita('2026-11-27 15:30'), parseDuration('2h'))).toEqual(wita('2026-11-30 09:30'));
  });

  it('rejects fractional or negative days', () => {
    expect(() => calendar.addOfficeDays(wita('2026-11-30 10:00'), 1.5)).toThrow(RangeError);
    expect(() => calendar.addOfficeDays(wita('2026-11-30 10:00'), -1)).toThrow(RangeError);
  });
});

describe('24x7 mode', () => {
  const always = createBusinessCalendar({
    hours: '24x7',
    holidays: holidays2026,
    timeZone: 'Asia/Makassar',
    cutiBersamaClosed: true,
  });

  it('counts every instant, holidays included', () => {
    expect(always.isOpen(wita('2026-12-25 03:00'))).toBe(true);
    expect(always.addBusinessTime(wita('2026-11-27 15:30'), 2 * HOUR)).toEqual(wita('2026-11-27 17:30'));
    expect(always.businessMsBetween(wita('2026-12-24 00:00'), wita('2026-12-26 00:00'))).toBe(48 * HOUR);
    expect(always.nextOpening(wita('2026-11-28 03:00'))).toEqual(wita('2026-11-28 03:00'));
  });

  it('treats d as calendar days and sessions as local days', () => {
    expect(always.addOfficeDays(wita('2026-11-27 15:30'), 2)).toEqual(wita('2026-11-29 15:30'));
    expect(always.currentOrNextSession(wita('2026-11-28 03:00'))).toEqual({
      opensAt: wita('2026-11-28 00:00'),
      closesAt: wita('2026-11-29 00:00'),
    });
  });
});

describe('time zones come from Intl, not a hard-coded offset', () => {
  it('follows a DST change in America/New_York', () => {
    const newYork = createBusinessCalendar({
      hours: officeHours({
        mon: range('09:00-17:00'),
        tue: range('09:00-17:00'),
        wed: range('09:00-17:00'),
        thu: range('09:00-17:00'),
        fri: range('09:00-17:00'),
      }),
      holidays: [],
      timeZone: 'America/New_York',
      cutiBersamaClosed: true,
    });
    // Fri 2026-03-06 16:30 EST (UTC-5); DST starts Sun Mar 8; Mon 09:30 EDT is 13:30 UTC.
    expect(newYork.addBusinessTime(new Date('2026-03-06T21:30:00Z'), HOUR)).toEqual(new Date('2026-03-09T13:30:00Z'));
    expect(newYork.businessMsBetween(new Date('2026-03-06T21:30:00Z'), new Date('2026-03-09T13:30:00Z'))).toBe(HOUR);
  });

  it('rejects an unknown zone and a week with no open day', () => {
    expect(() =>
      createBusinessCalendar({ hours: officeHours(), holidays: [], timeZone: 'Asia/Kupang', cutiBersamaClosed: true }),
    ).toThrow(RangeError);
    expect(() =>
      createBusinessCalendar({
        hours: { mon: null, tue: null, wed: null, thu: null, fri: null, sat: null, sun: null },
        holidays: [],
        timeZone: 'Asia/Makassar',
        cutiBersamaClosed: true,
      }),
    ).toThrow(/at least one weekday/);
  });
});

describe('properties: addBusinessTime and businessMsBetween agree', () => {
  // Instants from late 2025 to early 2027, so 2026 holidays and both year ends are covered.
  const instant = fc.integer({ min: Date.UTC(2025, 10, 1), max: Date.UTC(2027, 1, 1) }).map((ms) => new Date(ms));
  const calendars = fc.constantFrom(calendar, cutiOpen);

  it('addBusinessTime(start, businessMsBetween(start, x)) lands at x for every open x', () => {
    fc.assert(
      fc.property(calendars, instant, fc.integer({ min: 0, max: 40 * 86_400_000 }), (cal, start, offsetMs) => {
        // nextOpening maps any instant to an open one, including the hard case of exactly an opening.
        const x = cal.nextOpening(new Date(start.getTime() + offsetMs));
        expect(cal.isOpen(x)).toBe(true);
        expect(cal.addBusinessTime(start, cal.businessMsBetween(start, x))).toEqual(x);
      }),
      { numRuns: 500 },
    );
  });

  it('businessMsBetween(start, addBusinessTime(start, ms)) is ms, and the due time is open', () => {
    fc.assert(
      fc.property(calendars, instant, fc.integer({ min: 0, max: 200 * HOUR }), (cal, start, ms) => {
        const due = cal.addBusinessTime(start, ms);
        expect(cal.businessMsBetween(start, due)).toBe(ms);
        expect(cal.isOpen(due)).toBe(true);
        expect(due.getTime()).toBeGreaterThanOrEqual(start.getTime());
      }),
      { numRuns: 500 },
    );
  });

  it('business time is additive: a->b plus b->c is a->c', () => {
    fc.assert(
      fc.property(instant, instant, instant, (a, b, c) => {
        expect(calendar.businessMsBetween(a, b) + calendar.businessMsBetween(b, c)).toBe(calendar.businessMsBetween(a, c));
      }),
      { numRuns: 300 },
    );
  });
});
