/**
 * The holiday data's coverage check (a pure function of data, moment and zone) and the
 * shipped data/holidays.json. Every moment is written out: nothing here reads the clock,
 * so the file passes on any date (and under faketime).
 */
import { describe, expect, it } from 'vitest';
import { FIXED_DATE_HOLIDAYS, fixedDateHolidaysOf } from '../../src/sla/calendar.js';
import { evaluateHolidayCoverage, type HolidayData, type HolidayYear } from '../../src/sla/holidays.js';
import { loadHolidayData, loadSlaPolicy } from '../../src/sla/policy.js';
import { REPO_ROOT } from '../../src/paths.js';

const TZ = 'Asia/Makassar';
const wita = (text: string): Date => new Date(`${text.replace(' ', 'T')}+08:00`);

const official2026: HolidayYear = {
  year: 2026,
  status: 'official',
  decree: 'SKB 2026 (test)',
  holidays: [
    { date: '2026-08-17', name: 'Hari Kemerdekaan Republik Indonesia', kind: 'holiday' },
    { date: '2026-12-24', name: 'Cuti bersama Hari Raya Natal', kind: 'cuti_bersama' },
    { date: '2026-12-25', name: 'Hari Raya Natal', kind: 'holiday' },
  ],
};
const dataOf = (...years: HolidayYear[]): HolidayData => ({ file: 'data/holidays.json', years });
const only2026 = dataOf(official2026);

describe('evaluateHolidayCoverage', () => {
  it('lists the years in the file with status, decree and counts', () => {
    const coverage = evaluateHolidayCoverage(only2026, wita('2026-06-01 10:00'), TZ);
    expect(coverage.years).toEqual([{ year: 2026, status: 'official', decree: 'SKB 2026 (test)', holidays: 2, cutiBersama: 1 }]);
    expect(coverage.localDate).toBe('2026-06-01');
    expect(coverage.currentYear).toEqual({ year: 2026, status: 'official' });
    expect(coverage.fixedDateHolidays).toEqual([
      '1 Jan Tahun Baru Masehi',
      '1 May Hari Buruh Internasional',
      '1 Jun Hari Lahir Pancasila',
      '17 Aug Hari Kemerdekaan Republik Indonesia',
      '25 Dec Hari Raya Natal',
    ]);
  });

  it('says 2027 is missing when the file ends with 2026, and provisional when listed so', () => {
    const missing = evaluateHolidayCoverage(only2026, wita('2026-12-03 10:00'), TZ);
    expect(missing.nextYear).toEqual({ year: 2027, status: 'missing' });
    expect(missing.missing).toEqual([{ year: 2027, status: 'missing' }]);
    expect(missing.warning?.message).toContain('2027 is not in the file');

    const provisional = evaluateHolidayCoverage(
      dataOf(official2026, { year: 2027, status: 'provisional', decree: null, holidays: [] }),
      wita('2026-12-03 10:00'),
      TZ,
    );
    expect(provisional.nextYear).toEqual({ year: 2027, status: 'provisional' });
    expect(provisional.missing).toEqual([{ year: 2027, status: 'provisional' }]);
    expect(provisional.warning).toMatchObject({ code: 'HOLIDAYS_NOT_OFFICIAL', years: [2027] });
    expect(provisional.warning?.message).toContain('2027 is provisional');
  });

  it('warns from 1 November 00:00 office time, not a minute before', () => {
    const before = evaluateHolidayCoverage(only2026, wita('2026-10-31 23:59'), TZ);
    expect(before.warning).toBeNull();
    // Not yet a warning, but the CLI still tells the truth about 2027.
    expect(before.missing).toEqual([{ year: 2027, status: 'missing' }]);
    expect(before.nextYearCheckFrom).toBe('2026-11-01');

    const from = evaluateHolidayCoverage(only2026, wita('2026-11-01 00:00'), TZ);
    expect(from.warning).toEqual({
      code: 'HOLIDAYS_NOT_OFFICIAL',
      years: [2027],
      message: expect.stringMatching(/^no official holidays for 2027 in data\/holidays\.json \(2027 is not in the file\): .*sapa calendar check/),
    });
  });

  it('decides by the office-local date, not UTC or the machine zone', () => {
    // 16:00Z on 31 October is already 1 November 00:00 in WITA (UTC+8), still 23:00 in WIB (UTC+7).
    expect(evaluateHolidayCoverage(only2026, new Date('2026-10-31T15:59:59Z'), TZ).warning).toBeNull();
    expect(evaluateHolidayCoverage(only2026, new Date('2026-10-31T16:00:00Z'), TZ).warning).not.toBeNull();
    expect(evaluateHolidayCoverage(only2026, new Date('2026-10-31T16:30:00Z'), 'Asia/Jakarta').warning).toBeNull();
  });

  it('warns all year when the current year has no official data', () => {
    const newYear = evaluateHolidayCoverage(only2026, wita('2027-01-01 00:05'), TZ);
    expect(newYear.currentYear).toEqual({ year: 2027, status: 'missing' });
    expect(newYear.missing).toEqual([
      { year: 2027, status: 'missing' },
      { year: 2028, status: 'missing' },
    ]);
    expect(newYear.warning?.years).toEqual([2027]);
    expect(evaluateHolidayCoverage(only2026, wita('2027-07-15 10:00'), TZ).warning?.years).toEqual([2027]);
    expect(evaluateHolidayCoverage(only2026, wita('2027-11-01 00:00'), TZ).warning?.years).toEqual([2027, 2028]);
  });

  it('is quiet when the next year is official, until 1 November of that year', () => {
    const official2027: HolidayYear = { year: 2027, status: 'official', decree: 'SKB 2027 (test)', holidays: fixedDateHolidaysOf(2027) };
    const both = dataOf(official2027, official2026);
    const december = evaluateHolidayCoverage(both, wita('2026-12-03 10:00'), TZ);
    expect(december.warning).toBeNull();
    expect(december.missing).toEqual([]);
    expect(december.years.map((y) => y.year)).toEqual([2026, 2027]);
    expect(evaluateHolidayCoverage(both, wita('2027-10-31 23:59'), TZ).warning).toBeNull();
    expect(evaluateHolidayCoverage(both, wita('2027-11-01 00:00'), TZ).warning?.years).toEqual([2028]);
  });

  it('is pure: the same input gives the same answer, and the data is not changed', () => {
    const frozen = JSON.stringify(only2026);
    const at = wita('2026-11-15 10:00');
    expect(evaluateHolidayCoverage(only2026, at, TZ)).toEqual(evaluateHolidayCoverage(only2026, at, TZ));
    expect(JSON.stringify(only2026)).toBe(frozen);
    expect(at.toISOString()).toBe('2026-11-15T02:00:00.000Z');
  });
});

describe('the shipped data/holidays.json', () => {
  // Fails when the repository's own file is malformed: the bot would refuse to start.
  const data = loadHolidayData('data/holidays.json', REPO_ROOT);

  it('loads with data/sla.yaml, in the per-year format', () => {
    const policy = loadSlaPolicy({ rootDir: REPO_ROOT });
    expect(policy.holidays.file).toBe('data/holidays.json');
    expect(policy.holidays.years).toEqual(data.years);
    expect(data.years.length).toBeGreaterThan(0);
  });

  it('names the decree of every official year, and every official year lists its fixed-date holidays', () => {
    for (const entry of data.years) {
      if (entry.status !== 'official') continue;
      expect(entry.decree, `${entry.year}: decree`).toMatch(/\S/);
      const dates = new Set(entry.holidays.map((h) => h.date));
      for (const fixed of fixedDateHolidaysOf(entry.year)) expect(dates.has(fixed.date), `${entry.year} lists ${fixed.date}`).toBe(true);
    }
  });

  it('keeps each year in date order, years ascending, 2026 official from its SKB', () => {
    expect(data.years.map((e) => e.year)).toEqual([...data.years.map((e) => e.year)].sort((a, b) => a - b));
    for (const entry of data.years) {
      const dates = entry.holidays.map((h) => h.date);
      expect(dates, `${entry.year} in date order`).toEqual([...dates].sort());
    }
    expect(data.years.find((e) => e.year === 2026)).toMatchObject({ status: 'official', decree: expect.stringContaining('1497') });
    expect(FIXED_DATE_HOLIDAYS).toHaveLength(5);
  });
});
