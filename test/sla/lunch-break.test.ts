/**
 * Several business-hour blocks a day (a lunch break): the calendar counts only the blocks,
 * the policy file accepts "08:00-12:00, 13:00-16:00" or a list, and the hours text for
 * applicants names both blocks. Pure functions with instants passed in; no clock is read.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDuration, createBusinessCalendar, parseDayHours, type TimeRange, type WeeklyHours } from '../../src/sla/calendar.js';
import { parseDuration } from '../../src/sla/duration.js';
import { officeHoursText } from '../../src/sla/hours-text.js';
import { createSlaPlanner } from '../../src/sla/planner.js';
import { loadHolidays, loadSlaPolicy, SlaConfigError } from '../../src/sla/policy.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const holidays = loadHolidays('data/holidays.json', repoRoot);
const HOUR = 3_600_000;
const MINUTE = 60_000;
const wita = (text: string): Date => new Date(`${text.replace(' ', 'T')}:00+08:00`);

const blocks = (text: string): TimeRange[] => {
  const ranges = parseDayHours(text);
  if (ranges === undefined) throw new Error(`bad hours ${text}`);
  return ranges;
};

const LUNCH: WeeklyHours = {
  mon: blocks('08:00-12:00, 13:00-16:00'),
  tue: blocks('08:00-12:00, 13:00-16:00'),
  wed: blocks('08:00-12:00, 13:00-16:00'),
  thu: blocks('08:00-12:00, 13:00-16:00'),
  // Friday prayers: a longer break.
  fri: blocks('08:00-11:30, 13:30-16:00'),
  sat: null,
  sun: null,
};

const calendar = createBusinessCalendar({ hours: LUNCH, holidays, timeZone: 'Asia/Makassar', cutiBersamaClosed: true });

describe('a day with a lunch break', () => {
  it('is closed during the break and open either side of it', () => {
    expect(calendar.isOpen(wita('2026-11-30 11:59'))).toBe(true);
    expect(calendar.isOpen(wita('2026-11-30 12:00'))).toBe(false);
    expect(calendar.isOpen(wita('2026-11-30 12:30'))).toBe(false);
    expect(calendar.isOpen(wita('2026-11-30 13:00'))).toBe(true);
    expect(calendar.nextOpening(wita('2026-11-30 12:10'))).toEqual(wita('2026-11-30 13:00'));
    expect(calendar.currentOrNextSession(wita('2026-11-30 12:10'))).toEqual({ opensAt: wita('2026-11-30 13:00'), closesAt: wita('2026-11-30 16:00') });
  });

  it('does not count the break: 2h from 11:00 is 14:00, not 13:00', () => {
    expect(calendar.addBusinessTime(wita('2026-11-30 11:00'), 2 * HOUR)).toEqual(wita('2026-11-30 14:00'));
    expect(calendar.businessMsBetween(wita('2026-11-30 11:00'), wita('2026-11-30 14:00'))).toBe(2 * HOUR);
    expect(calendar.businessMsBetween(wita('2026-11-30 08:00'), wita('2026-11-30 16:00'))).toBe(7 * HOUR);
  });

  it('lands exactly on the break as the end of the break (the first open instant)', () => {
    // 1h from 11:00 ends at 12:00, which is closed: the due time is 13:00.
    expect(calendar.addBusinessTime(wita('2026-11-30 11:00'), HOUR)).toEqual(wita('2026-11-30 13:00'));
  });

  it('uses each day its own blocks (Friday 11:30-13:30 break) and carries over the weekend', () => {
    expect(calendar.addBusinessTime(wita('2026-11-27 11:00'), HOUR)).toEqual(wita('2026-11-27 14:00'));
    // Friday 15:00 + 2h: one hour Friday, then Monday 08:00 + 1h.
    expect(calendar.addBusinessTime(wita('2026-11-27 15:00'), 2 * HOUR)).toEqual(wita('2026-11-30 09:00'));
  });

  it('office days: a wall-clock time inside the next day\'s break becomes the end of the break', () => {
    // Monday 12:20 is in the break; the clock starts at 13:00 and one office day later is Tuesday 13:00.
    expect(addDuration(calendar, wita('2026-11-30 12:20'), parseDuration('1d'))).toEqual(wita('2026-12-01 13:00'));
    // Thursday 12:00 (after the morning block's 11:59) + 1d: Friday 12:00 falls in Friday's long break -> 13:30.
    expect(addDuration(calendar, wita('2026-12-03 11:45'), parseDuration('1d'))).toEqual(wita('2026-12-04 13:30'));
  });

  it('rejects blocks out of order or touching (one block written twice)', () => {
    expect(parseDayHours('13:00-16:00, 08:00-12:00')).toBeUndefined();
    expect(parseDayHours('08:00-12:00, 12:00-16:00')).toBeUndefined();
    expect(parseDayHours('08:00-12:00, 11:00-16:00')).toBeUndefined();
    expect(() =>
      createBusinessCalendar({
        hours: { ...LUNCH, mon: [{ openMinute: 780, closeMinute: 960 }, { openMinute: 480, closeMinute: 720 }] },
        holidays,
        timeZone: 'Asia/Makassar',
        cutiBersamaClosed: true,
      }),
    ).toThrow(/in order with a break/);
  });
});

describe('properties with a lunch break', () => {
  const instant = fc.integer({ min: Date.UTC(2025, 10, 1), max: Date.UTC(2027, 1, 1) }).map((ms) => new Date(ms));

  it('the break (12:00-13:00 Mon-Thu) is never open and never counted', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 59 }), (day, minute) => {
        const local = new Date(day.getTime() + 8 * HOUR);
        const weekday = local.getUTCDay();
        fc.pre(weekday >= 1 && weekday <= 4);
        const date = local.toISOString().slice(0, 10);
        const inBreak = wita(`${date} 12:${String(minute).padStart(2, '0')}`);
        expect(calendar.isOpen(inBreak)).toBe(false);
        expect(calendar.businessMsBetween(wita(`${date} 12:00`), wita(`${date} 13:00`))).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('addBusinessTime and businessMsBetween agree, and due times are open', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 120 * HOUR }), (start, ms) => {
        const due = calendar.addBusinessTime(start, ms);
        expect(calendar.businessMsBetween(start, due)).toBe(ms);
        expect(calendar.isOpen(due)).toBe(true);
      }),
      { numRuns: 400 },
    );
  });

  it('an open day counts exactly its blocks: 7h Mon-Thu, 6h Fri', () => {
    fc.assert(
      fc.property(instant, (day) => {
        const local = new Date(day.getTime() + 8 * HOUR);
        const date = local.toISOString().slice(0, 10);
        const total = calendar.businessMsBetween(wita(`${date} 00:00`), new Date(wita(`${date} 00:00`).getTime() + 24 * HOUR));
        const weekday = local.getUTCDay();
        const expected = calendar.holidayAt(wita(`${date} 10:00`)) !== undefined || weekday === 0 || weekday === 6 ? 0 : weekday === 5 ? 6 * HOUR : 7 * HOUR;
        expect(total).toBe(expected);
      }),
      { numRuns: 300 },
    );
  });

  it('business time is additive across breaks', () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: 0, max: 3 * 24 * 60 }), fc.integer({ min: 0, max: 3 * 24 * 60 }), (a, m1, m2) => {
        const b = new Date(a.getTime() + m1 * MINUTE);
        const c = new Date(b.getTime() + m2 * MINUTE);
        expect(calendar.businessMsBetween(a, b) + calendar.businessMsBetween(b, c)).toBe(calendar.businessMsBetween(a, c));
      }),
      { numRuns: 300 },
    );
  });
});

describe('the policy file and the hours applicants read', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sapa-lunch-'));
  const write = (hoursYaml: string, extra = ''): string => {
    const file = join(dir, `sla-${Math.random().toString(36).slice(2)}.yaml`);
    writeFileSync(
      file,
      `business_hours:\n${hoursYaml}\nholidays_file: ${join(repoRoot, 'data/holidays.json')}\n${extra}policies:\n  normal: { first_response: 2h, next_response: 4h, resolution: 5d, warn_at: 0.75 }\n  high: { first_response: 30m, next_response: 1h, resolution: 2d, warn_at: 0.75 }\nsupervisor_after_breach: 1h\n`,
    );
    return file;
  };
  const WEEK = (mon: string) =>
    `  mon: ${mon}\n  tue: "08:00-12:00, 13:00-16:00"\n  wed: "08:00-12:00, 13:00-16:00"\n  thu: "08:00-12:00, 13:00-16:00"\n  fri: ["08:00-11:30", "13:30-16:00"]\n  sat: null\n  sun: null`;

  it('accepts blocks as "a, b" or as a list; hours_confirmed defaults to false', () => {
    const policy = loadSlaPolicy({ file: write(WEEK('"08:00-12:00, 13:00-16:00"')) });
    expect(policy.hoursConfirmed).toBe(false);
    expect(policy.calendar.isOpen(wita('2026-11-30 12:30'))).toBe(false);
    expect(policy.calendar.isOpen(wita('2026-12-04 13:00'))).toBe(false);
    expect(policy.calendar.isOpen(wita('2026-12-04 13:30'))).toBe(true);
  });

  it('names the day and the problem for overlapping blocks', () => {
    try {
      loadSlaPolicy({ file: write(WEEK('"08:00-12:00, 11:00-16:00"')) });
      expect.unreachable('overlapping blocks must be refused');
    } catch (err) {
      expect(err).toBeInstanceOf(SlaConfigError);
      expect((err as SlaConfigError).problems[0]).toMatch(/business_hours\.mon must list blocks in order.*"08:00-12:00, 11:00-16:00"/);
    }
  });

  it('writes the confirmed hours for applicants, days with the same blocks joined', () => {
    expect(officeHoursText(LUNCH, 'Asia/Makassar')).toBe(
      'Senin–Kamis 08.00–12.00, 13.00–16.00 WITA; Jumat 08.00–11.30, 13.30–16.00 WITA (tutup pada hari libur nasional dan cuti bersama)',
    );
  });

  it('the planner states no opening time and no hours text until the office confirms them', () => {
    const unconfirmed = loadSlaPolicy({ file: write(WEEK('"08:00-12:00, 13:00-16:00"')) });
    const confirmed = loadSlaPolicy({ file: write(WEEK('"08:00-12:00, 13:00-16:00"'), 'hours_confirmed: true\n') });
    const lunchtime = wita('2026-11-30 12:15');
    expect(createSlaPlanner(unconfirmed).officeStatus(lunchtime)).toEqual({ open: false, opensAt: null, hoursConfirmed: false });
    expect(createSlaPlanner(unconfirmed).officeHoursText()).toBeNull();
    expect(createSlaPlanner(confirmed).officeStatus(lunchtime)).toEqual({ open: false, opensAt: wita('2026-11-30 13:00'), hoursConfirmed: true });
    expect(createSlaPlanner(confirmed).officeHoursText()).toMatch(/^Senin–Kamis 08\.00–12\.00, 13\.00–16\.00 WITA; Jumat/);
  });
});
