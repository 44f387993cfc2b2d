import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { SlaConfigError, dueAt, loadSlaPolicy, parseHolidayData, parseHolidays, type SlaPolicy } from '../../src/sla/policy.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const realHolidays = readFileSync(join(repoRoot, 'data/holidays.json'), 'utf8');

const HOUR = 3_600_000;
const wita = (text: string): Date => new Date(`${text.replace(' ', 'T')}:00+08:00`);

const VALID = `
business_hours:
  mon: "08:00-16:00"
  tue: "08:00-16:00"
  wed: "08:00-16:00"
  thu: "08:00-16:00"
  fri: "08:00-16:00"
  sat: null
  sun: null
holidays_file: holidays.json
cuti_bersama_closed: true
policies:
  normal: { first_response: 2h, next_response: 4h, resolution: 5d, warn_at: 0.75 }
  high:   { first_response: 30m, next_response: 1h, resolution: 2d, warn_at: 0.75 }
supervisor_after_breach: 1h
`;

const tempDirs: string[] = [];
afterEach(() => {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Writes sla.yaml (and holidays.json) to a fresh directory and loads it from there. */
function load(policyText: string, options: { holidays?: string; file?: string } = {}): SlaPolicy {
  const dir = mkdtempSync(join(tmpdir(), 'sapa-sla-'));
  tempDirs.push(dir);
  const file = options.file ?? 'sla.yaml';
  writeFileSync(join(dir, file), policyText);
  writeFileSync(join(dir, 'holidays.json'), options.holidays ?? realHolidays);
  return loadSlaPolicy({ file, rootDir: dir });
}

/** The problems a broken file produces, asserting the error type on the way. */
function problems(policyText: string, options: { holidays?: string } = {}): readonly string[] {
  try {
    load(policyText, options);
  } catch (error) {
    expect(error).toBeInstanceOf(SlaConfigError);
    if (error instanceof SlaConfigError) {
      expect(error.code).toBe('SLA_CONFIG_INVALID');
      expect(error.message).toBe(error.problems.join('\n'));
      return error.problems;
    }
  }
  throw new Error('expected SlaConfigError');
}

describe('loadSlaPolicy: the shipped data/sla.yaml', () => {
  const policy = loadSlaPolicy({ rootDir: repoRoot });

  it('has the issue 7 defaults', () => {
    expect(policy.policies.normal).toEqual({
      firstResponse: { kind: 'business_ms', ms: 2 * HOUR },
      nextResponse: { kind: 'business_ms', ms: 4 * HOUR },
      resolution: { kind: 'office_days', days: 5 },
      warnAt: 0.75,
    });
    expect(policy.policies.high).toEqual({
      firstResponse: { kind: 'business_ms', ms: 30 * 60_000 },
      nextResponse: { kind: 'business_ms', ms: HOUR },
      resolution: { kind: 'office_days', days: 2 },
      warnAt: 0.75,
    });
    expect(policy.supervisorAfterBreachMs).toBe(HOUR);
    expect(policy.calendar.timeZone).toBe('Asia/Makassar');
  });

  it('computes due times with the office calendar, cuti bersama closed', () => {
    expect(dueAt(policy, 'normal', 'first_response', wita('2026-11-27 15:30'))).toEqual(wita('2026-11-30 09:30'));
    expect(dueAt(policy, 'high', 'first_response', wita('2026-11-27 15:30'))).toEqual(wita('2026-11-30 08:00'));
    // Office days Dec 28, 29, 30, 31 and Jan 4: 1 January is a fixed-date holiday in every year, listed or not.
    expect(dueAt(policy, 'normal', 'resolution', wita('2026-12-23 10:00'))).toEqual(wita('2027-01-04 10:00'));
    expect(policy.calendar.isOpen(wita('2026-12-24 10:00'))).toBe(false);
    expect(policy.calendar.isOpen(wita('2026-12-25 10:00'))).toBe(false);
  });

  it('ships all 2026 holidays (17) and cuti bersama (8), in date order, as the official 2026 entry with its SKB', () => {
    const data = parseHolidayData(realHolidays, 'data/holidays.json');
    const entry2026 = data.years.find((entry) => entry.year === 2026);
    expect(entry2026).toMatchObject({ status: 'official', decree: expect.stringMatching(/Menteri Agama Nomor 1497 Tahun 2025/) });
    const holidays = entry2026?.holidays ?? [];
    expect(holidays.filter((h) => h.kind === 'holiday')).toHaveLength(17);
    expect(holidays.filter((h) => h.kind === 'cuti_bersama')).toHaveLength(8);
    expect(holidays.map((h) => h.date)).toEqual([...holidays.map((h) => h.date)].sort());
    expect(JSON.parse(realHolidays).years[0].note).toMatch(/Idulfitri.*may shift/);
    // No 2027 movable dates were published by December 2026: none may be invented (mpaspor-facts §9).
    for (const entry of data.years.filter((e) => e.year >= 2027)) expect(entry.status === 'official' ? entry.decree : 'not official').toBeTruthy();
  });
});

describe('loadSlaPolicy: accepted variants', () => {
  it('accepts JSON with the same keys', () => {
    const json = JSON.stringify({
      business_hours: { mon: '08:00-16:00', tue: '08:00-16:00', wed: null, thu: null, fri: null, sat: null, sun: null },
      holidays_file: 'holidays.json',
      policies: {
        normal: { first_response: '2h', next_response: '4h', resolution: '5d', warn_at: 0.5 },
        high: { first_response: '30m', next_response: '1h', resolution: '2d', warn_at: 0.5 },
      },
      supervisor_after_breach: '30m',
    });
    const policy = load(json, { file: 'sla.json' });
    expect(policy.supervisorAfterBreachMs).toBe(30 * 60_000);
    // Wednesday is closed in this file.
    expect(policy.calendar.isOpen(wita('2026-12-02 10:00'))).toBe(false);
  });

  it('defaults cuti_bersama_closed to true and honours false', () => {
    const withoutKey = load(VALID.replace('cuti_bersama_closed: true\n', ''));
    expect(withoutKey.calendar.isOpen(wita('2026-12-24 10:00'))).toBe(false);
    const open = load(VALID.replace('cuti_bersama_closed: true', 'cuti_bersama_closed: false'));
    expect(open.calendar.isOpen(wita('2026-12-24 10:00'))).toBe(true);
    expect(open.calendar.isOpen(wita('2026-12-25 10:00'))).toBe(false);
  });

  it('accepts business_hours: 24x7', () => {
    const policy = load(VALID.replace(/business_hours:\n( {2}\w+: .*\n)+/, 'business_hours: 24x7\n'));
    expect(policy.calendar.isOpen(wita('2026-12-25 03:00'))).toBe(true);
    expect(dueAt(policy, 'normal', 'first_response', wita('2026-11-27 15:30'))).toEqual(wita('2026-11-27 17:30'));
  });

  it('accepts a closing time of 24:00', () => {
    const policy = load(VALID.replace('sat: null', 'sat: "20:00-24:00"'));
    expect(policy.calendar.isOpen(wita('2026-11-28 23:59'))).toBe(true);
  });
});

describe('loadSlaPolicy: invalid policy files name the file, the key and what is accepted', () => {
  it('rejects hours not in HH:MM-HH:MM', () => {
    expect(problems(VALID.replace('mon: "08:00-16:00"', 'mon: "8-16"'))).toEqual([
      'sla.yaml: business_hours.mon must be "HH:MM-HH:MM" or null, got "8-16"',
    ]);
  });

  it('rejects hours that close before they open or are not real times', () => {
    expect(problems(VALID.replace('tue: "08:00-16:00"', 'tue: "16:00-08:00"'))).toEqual([
      'sla.yaml: business_hours.tue must be "HH:MM-HH:MM" or null with real times (up to 24:00) and closing after opening, got "16:00-08:00"',
    ]);
    expect(problems(VALID.replace('tue: "08:00-16:00"', 'tue: "08:00-25:00"'))[0]).toContain('business_hours.tue must be');
  });

  it('rejects a missing weekday and an unknown one', () => {
    expect(problems(VALID.replace('  sat: null\n', ''))).toEqual([
      'sla.yaml: business_hours.sat is missing; expected "HH:MM-HH:MM" or null',
    ]);
    expect(problems(VALID.replace('  sat: null\n', '  sat: null\n  saturday: null\n'))).toEqual([
      'sla.yaml: business_hours has unknown key "saturday"; accepted keys: mon, tue, wed, thu, fri, sat, sun',
    ]);
  });

  it('rejects business_hours that is neither 24x7 nor a mapping', () => {
    expect(problems(VALID.replace(/business_hours:\n( {2}\w+: .*\n)+/, 'business_hours: weekdays\n'))).toEqual([
      'sla.yaml: business_hours must be "24x7" or a mapping of mon..sun to "HH:MM-HH:MM" or null, got "weekdays"',
    ]);
  });

  it('rejects a week with no open day', () => {
    const allClosed = VALID.replace(/"08:00-16:00"/g, 'null');
    expect(problems(allClosed)).toEqual([
      'sla.yaml: business_hours must open on at least one day (mon..sun are all null); use "24x7" for always open',
    ]);
  });

  it('rejects a malformed duration', () => {
    expect(problems(VALID.replace('first_response: 2h', 'first_response: 2 hours'))).toEqual([
      'sla.yaml: policies.normal.first_response must be a duration like "45s", "30m", "2h", "1h30m" (business time) or "5d" (office days), got "2 hours"',
    ]);
  });

  it('rejects a duration without a unit and one mixing d with h', () => {
    expect(problems(VALID.replace('next_response: 1h', 'next_response: 60'))).toEqual([
      'sla.yaml: policies.high.next_response must be a duration like "45s", "30m", "2h", "1h30m" (business time) or "5d" (office days), got 60',
    ]);
    expect(problems(VALID.replace('resolution: 5d', 'resolution: 1d2h'))).toEqual([
      'sla.yaml: policies.normal.resolution cannot mix d (office days) with h, m or s; use either "2d" or "16h", got "1d2h"',
    ]);
  });

  it('rejects warn_at outside (0, 1)', () => {
    expect(problems(VALID.replace('warn_at: 0.75 }\n  high', 'warn_at: 75 }\n  high'))).toEqual([
      'sla.yaml: policies.normal.warn_at must be a number between 0 and 1 (exclusive), e.g. 0.75, got 75',
    ]);
  });

  it('rejects a misspelt policy key and lists the accepted ones', () => {
    expect(problems(VALID.replace('{ first_response: 30m', '{ first_respons: 30m'))).toEqual([
      'sla.yaml: policies.high.first_response is missing; expected a duration like "45s", "30m", "2h", "1h30m" (business time) or "5d" (office days)',
      'sla.yaml: policies.high has unknown key "first_respons"; accepted keys: first_response, next_response, resolution, warn_at',
    ]);
  });

  it('rejects a misspelt top-level key', () => {
    expect(problems(VALID.replace('policies:', 'polices:'))).toEqual([
      'sla.yaml: policies is missing; expected a mapping with normal and high',
      'sla.yaml: the file has unknown key "polices"; accepted keys: business_hours, holidays_file, cuti_bersama_closed, hours_confirmed, policies, origins, supervisor_after_breach',
    ]);
  });

  it('rejects supervisor_after_breach in office days', () => {
    expect(problems(VALID.replace('supervisor_after_breach: 1h', 'supervisor_after_breach: 1d'))).toEqual([
      'sla.yaml: supervisor_after_breach must be in s, m or h (business time), not d, got "1d"',
    ]);
  });

  it('rejects a non-boolean cuti_bersama_closed', () => {
    expect(problems(VALID.replace('cuti_bersama_closed: true', 'cuti_bersama_closed: ya'))).toEqual([
      'sla.yaml: cuti_bersama_closed must be true or false, got "ya"',
    ]);
  });

  it('reports every problem at once', () => {
    const broken = VALID.replace('mon: "08:00-16:00"', 'mon: "8-16"')
      .replace('warn_at: 0.75 }\n  high', 'warn_at: 1 }\n  high')
      .replace('supervisor_after_breach: 1h', 'supervisor_after_breach: soon');
    expect(problems(broken)).toHaveLength(3);
  });

  it('rejects an empty file, a list and invalid YAML', () => {
    expect(problems('')).toEqual([
      'sla.yaml: the file must be a mapping with business_hours, holidays_file, policies and supervisor_after_breach, got null',
    ]);
    expect(problems('- a\n- b\n')[0]).toMatch(/^sla\.yaml: the file must be a mapping .*, got a list$/);
    expect(problems('business_hours: [unclosed\n')[0]).toMatch(/^sla\.yaml: not valid YAML or JSON: /);
  });

  it('names the policy file when it cannot be read', () => {
    expect(() => loadSlaPolicy({ file: 'nope.yaml', rootDir: tmpdir() })).toThrow(/^nope\.yaml: cannot read .*nope\.yaml: ENOENT/);
  });
});

describe('invalid holidays files', () => {
  const year2026 = (holidays: unknown, extra: Record<string, unknown> = {}) => ({
    year: 2026,
    status: 'official',
    decree: 'SKB test',
    holidays,
    ...extra,
  });
  const holidaysWith = (entries: unknown) => JSON.stringify({ note: 'test', years: [year2026(entries)] });
  const fileWith = (years: unknown) => JSON.stringify({ note: 'test', years });

  it('names the holidays file and where it was referenced from when missing', () => {
    const problemList = problems(VALID.replace('holidays_file: holidays.json', 'holidays_file: libur.json'));
    expect(problemList).toHaveLength(1);
    expect(problemList[0]).toMatch(/^libur\.json \(holidays_file in sla\.yaml\): cannot read .*libur\.json: ENOENT/);
  });

  it('rejects impossible dates, unknown kinds and empty names, naming the entry and its year', () => {
    const text = holidaysWith([
      { date: '2026-02-30', name: 'Tidak ada', kind: 'holiday' },
      { date: '2026-12-25', name: 'Natal', kind: 'libur' },
      { date: '2026-12-26', name: '', kind: 'holiday' },
      { date: '26-12-2026', name: 'Salah format', kind: 'holiday' },
    ]);
    expect(problems(VALID, { holidays: text })).toEqual([
      'holidays.json (holidays_file in sla.yaml): years[0] (2026).holidays[0].date must be a real date "YYYY-MM-DD", got "2026-02-30"',
      'holidays.json (holidays_file in sla.yaml): years[0] (2026).holidays[1].kind must be "holiday" or "cuti_bersama", got "libur"',
      'holidays.json (holidays_file in sla.yaml): years[0] (2026).holidays[2].name must be a non-empty name, got ""',
      'holidays.json (holidays_file in sla.yaml): years[0] (2026).holidays[3].date must be a real date "YYYY-MM-DD", got "26-12-2026"',
    ]);
  });

  it('rejects a date listed twice and a date outside its year', () => {
    const twice = holidaysWith([
      { date: '2026-12-24', name: 'Cuti bersama Natal', kind: 'cuti_bersama' },
      { date: '2026-12-24', name: 'Lagi', kind: 'holiday' },
    ]);
    expect(() => parseHolidays(twice, 'data/holidays.json')).toThrow(
      'data/holidays.json: years[0] (2026).holidays[1].date repeats 2026-12-24, already listed at holidays[0]',
    );
    const wrongYear = holidaysWith([{ date: '2027-01-01', name: 'Tahun Baru 2027 Masehi', kind: 'holiday' }]);
    expect(() => parseHolidays(wrongYear, 'data/holidays.json')).toThrow(
      'data/holidays.json: years[0] (2026).holidays[0].date is not in 2026, got "2027-01-01"',
    );
  });

  it('rejects a bad status, an official year without its decree or dates, a bad year, and a year listed twice', () => {
    const text = fileWith([
      year2026([{ date: '2026-12-25', name: 'Natal', kind: 'holiday' }], { status: 'resmi' }),
      { year: 2027, status: 'official', holidays: [] },
      { year: '2028', status: 'provisional', holidays: [] },
    ]);
    let thrown: unknown;
    try {
      parseHolidayData(text, 'data/holidays.json');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(SlaConfigError);
    expect((thrown as SlaConfigError).problems).toEqual([
      'data/holidays.json: years[0] (2026).status must be "official" (dates from the published SKB) or "provisional" (no SKB yet), got "resmi"',
      'data/holidays.json: years[1] (2027).decree is missing; an official year names the decree the dates come from, e.g. "SKB Menteri Agama 1497/2025, Menteri Ketenagakerjaan 2/2025, MenPANRB 5/2025"',
      "data/holidays.json: years[1] (2027).holidays is empty; an official year lists the decree's holidays and cuti bersama",
      'data/holidays.json: years[2].year must be a year from 2000 to 2100, e.g. 2027, got "2028"',
    ]);
    const twice = fileWith([year2026([{ date: '2026-12-25', name: 'Natal', kind: 'holiday' }]), { year: 2026, status: 'provisional', holidays: [] }]);
    expect(() => parseHolidayData(twice, 'data/holidays.json')).toThrow(
      'data/holidays.json: years[1] (2026).year repeats 2026, already listed at years[0]',
    );
  });

  it('explains how to move a file in the old one-list format', () => {
    const old = JSON.stringify({ note: 'x', holidays: [{ date: '2026-12-25', name: 'Natal', kind: 'holiday' }] });
    expect(() => parseHolidayData(old, 'data/holidays.json')).toThrow(
      /^data\/holidays\.json: the file has one "holidays" list for all years; since 2027 each year is its own entry with its status: \{"years": \[\{"year": 2026, "status": "official", "decree": .*Each year: add the holidays/,
    );
  });

  it('rejects a file without a years list, unknown keys and broken JSON', () => {
    expect(() => parseHolidays(JSON.stringify({ note: 'x' }), 'h.json')).toThrow(
      'h.json: years is missing; expected a list of {year, status, decree, holidays}',
    );
    expect(() => parseHolidays(JSON.stringify({ years: {} }), 'h.json')).toThrow(
      'h.json: years must be a list of {year, status, decree, holidays}, got a mapping',
    );
    expect(() => parseHolidays(JSON.stringify({ years: [], year: 2026 }), 'h.json')).toThrow(
      'h.json: the file has unknown key "year"; accepted keys: note, years',
    );
    expect(() => parseHolidays(fileWith([year2026([], { decre: 'x' })]), 'h.json')).toThrow(
      'h.json: years[0] (2026) has unknown key "decre"; accepted keys: year, status, decree, note, holidays',
    );
    expect(() => parseHolidays('{"years": [', 'h.json')).toThrow(/^h\.json: not valid YAML or JSON: /);
  });

  it('accepts a 2027 entry, official or provisional, in any order', () => {
    const data = JSON.parse(realHolidays) as { years: unknown[] };
    data.years.unshift({ year: 2027, status: 'provisional', holidays: [] });
    const parsed = parseHolidayData(JSON.stringify(data), 'data/holidays.json');
    expect(parsed.years.map((e) => [e.year, e.status, e.decree === null])).toEqual([
      [2026, 'official', false],
      [2027, 'provisional', true],
    ]);
    data.years[0] = {
      year: 2027,
      status: 'official',
      decree: 'SKB 2027 (test)',
      holidays: [{ date: '2027-01-05', name: 'Test holiday', kind: 'holiday' }],
    };
    const policy = load(VALID, { holidays: JSON.stringify(data) });
    // Fri 1 Jan 2027 is a fixed-date holiday; Tue 5 Jan comes from the entry.
    expect(policy.calendar.nextOpening(wita('2026-12-31 16:00'))).toEqual(wita('2027-01-04 08:00'));
    expect(policy.calendar.isOpen(wita('2027-01-05 10:00'))).toBe(false);
    expect(policy.holidays.years.map((e) => e.year)).toEqual([2026, 2027]);
  });
});
