import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { SlaConfigError, dueAt, loadSlaPolicy, parseHolidays, type SlaPolicy } from '../../src/sla/policy.js';

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
    // Office days Dec 28, 29, 30, 31 and Jan 1 (2027 holidays are not in the file yet).
    expect(dueAt(policy, 'normal', 'resolution', wita('2026-12-23 10:00'))).toEqual(wita('2027-01-01 10:00'));
    expect(policy.calendar.isOpen(wita('2026-12-24 10:00'))).toBe(false);
    expect(policy.calendar.isOpen(wita('2026-12-25 10:00'))).toBe(false);
  });

  it('ships all 2026 holidays (17) and cuti bersama (8), in date order, for a plain 2027 append', () => {
    const holidays = parseHolidays(realHolidays, 'data/holidays.json');
    expect(holidays.filter((h) => h.kind === 'holiday')).toHaveLength(17);
    expect(holidays.filter((h) => h.kind === 'cuti_bersama')).toHaveLength(8);
    expect(holidays.map((h) => h.date)).toEqual([...holidays.map((h) => h.date)].sort());
    expect(holidays.every((h) => h.date.startsWith('2026-'))).toBe(true);
    expect(JSON.parse(realHolidays).note).toMatch(/Idulfitri.*may shift/);
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
      'sla.yaml: the file has unknown key "polices"; accepted keys: business_hours, holidays_file, cuti_bersama_closed, policies, supervisor_after_breach',
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
  const holidaysWith = (entries: unknown) => JSON.stringify({ note: 'test', holidays: entries });

  it('names the holidays file and where it was referenced from when missing', () => {
    const problemList = problems(VALID.replace('holidays_file: holidays.json', 'holidays_file: libur.json'));
    expect(problemList).toHaveLength(1);
    expect(problemList[0]).toMatch(/^libur\.json \(holidays_file in sla\.yaml\): cannot read .*libur\.json: ENOENT/);
  });

  it('rejects impossible dates, unknown kinds and empty names', () => {
    const text = holidaysWith([
      { date: '2026-02-30', name: 'Tidak ada', kind: 'holiday' },
      { date: '2026-12-25', name: 'Natal', kind: 'libur' },
      { date: '2026-12-26', name: '', kind: 'holiday' },
      { date: '26-12-2026', name: 'Salah format', kind: 'holiday' },
    ]);
    expect(problems(VALID, { holidays: text })).toEqual([
      'holidays.json (holidays_file in sla.yaml): holidays[0].date must be a real date "YYYY-MM-DD", got "2026-02-30"',
      'holidays.json (holidays_file in sla.yaml): holidays[1].kind must be "holiday" or "cuti_bersama", got "libur"',
      'holidays.json (holidays_file in sla.yaml): holidays[2].name must be a non-empty name, got ""',
      'holidays.json (holidays_file in sla.yaml): holidays[3].date must be a real date "YYYY-MM-DD", got "26-12-2026"',
    ]);
  });

  it('rejects a date listed twice', () => {
    const text = holidaysWith([
      { date: '2026-12-24', name: 'Cuti bersama Natal', kind: 'cuti_bersama' },
      { date: '2026-12-24', name: 'Lagi', kind: 'holiday' },
    ]);
    expect(() => parseHolidays(text, 'data/holidays.json')).toThrow(
      'data/holidays.json: holidays[1].date repeats 2026-12-24, already listed at holidays[0]',
    );
  });

  it('rejects a file without a holidays list, unknown keys and broken JSON', () => {
    expect(() => parseHolidays(JSON.stringify({ note: 'x' }), 'h.json')).toThrow(
      'h.json: holidays is missing; expected a list of {date, name, kind}',
    );
    expect(() => parseHolidays(JSON.stringify({ holidays: {} }), 'h.json')).toThrow(
      'h.json: holidays must be a list of {date, name, kind}, got a mapping',
    );
    expect(() => parseHolidays(JSON.stringify({ holidays: [], year: 2026 }), 'h.json')).toThrow(
      'h.json: the file has unknown key "year"; accepted keys: note, holidays',
    );
    expect(() => parseHolidays('{"holidays": [', 'h.json')).toThrow(/^h\.json: not valid YAML or JSON: /);
  });

  it('accepts a 2027 append', () => {
    const data = JSON.parse(realHolidays) as { holidays: unknown[] };
    data.holidays.push({ date: '2027-01-01', name: 'Tahun Baru 2027 Masehi', kind: 'holiday' });
    const policy = load(VALID, { holidays: JSON.stringify(data) });
    expect(policy.calendar.nextOpening(wita('2026-12-31 16:00'))).toEqual(wita('2027-01-04 08:00'));
  });
});
