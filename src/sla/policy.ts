/**
 * Loads and validates the SLA policy file (`data/sla.yaml`, JSON accepted as
 * YAML) and the holidays file it points to (one entry per year; see holidays.ts). Validation happens once at
 * start-up; every problem is reported together, each naming the file, the key,
 * what is accepted and what was found, so the office can fix the file without
 * reading code.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import * as z from 'zod';
import {
  WEEKDAYS,
  addDuration,
  assertTimeZone,
  createBusinessCalendar,
  parseDateKey,
  parseDayHours,
  type BusinessCalendar,
  type BusinessHours,
  type Holiday,
  type TimeRange,
  type Weekday,
} from './calendar.js';
import { DURATION_FORMAT_HINT, tryParseDuration, type SlaDuration } from './duration.js';
import { HOLIDAY_YEAR_STATUSES, listedHolidays, type HolidayData, type HolidayYear, type HolidayYearStatus } from './holidays.js';

export type SlaPriority = 'normal' | 'high';
export type SlaTimer = 'first_response' | 'next_response' | 'resolution';
/** The origins of recorded complaints that may have windows of their own (`origins` in the file). */
export type SlaOrigin = 'desk' | 'phone' | 'letter' | 'lapor' | 'email' | 'other';
export const SLA_ORIGINS: readonly SlaOrigin[] = ['desk', 'phone', 'letter', 'lapor', 'email', 'other'];

export const SLA_TIMERS: readonly SlaTimer[] = ['first_response', 'next_response', 'resolution'];

export interface TimerPolicy {
  firstResponse: SlaDuration;
  nextResponse: SlaDuration;
  resolution: SlaDuration;
  /** Fraction of each window after which the assignee is warned, 0 < warnAt < 1. */
  warnAt: number;
}

export interface SlaPolicy {
  calendar: BusinessCalendar;
  /** The office hours the calendar counts (the one source of the hours the bot may state). */
  hours: BusinessHours;
  /**
   * `hours_confirmed` in the policy file: the office has confirmed `business_hours` as its
   * real service hours. Until then SLA timers still run on them, but the bot never states an
   * opening time to applicants and `{{office.opening_hours}}` stays unknown.
   */
  hoursConfirmed: boolean;
  /** Whether cuti bersama days close the office (`cuti_bersama_closed`). */
  cutiBersamaClosed: boolean;
  /** The holidays file the calendar was built from, per year with its status (for the coverage check). */
  holidays: HolidayData;
  policies: Readonly<Record<SlaPriority, TimerPolicy>>;
  /**
   * `origins` in the policy file: windows for complaints recorded from outside the chat
   * channels (#21), e.g. LAPOR! reports, which come with their own published handling
   * times. A listed origin's windows replace the priority's for its tickets; absent
   * origins (and chat tickets) use `policies`.
   */
  origins?: Readonly<Partial<Record<SlaOrigin, TimerPolicy>>>;
  /** Business time from a breach to the supervisor escalation. */
  supervisorAfterBreachMs: number;
}

export const DEFAULT_SLA_FILE = 'data/sla.yaml';
export const DEFAULT_TIME_ZONE = 'Asia/Makassar';

export class SlaConfigError extends Error {
  readonly code = 'SLA_CONFIG_INVALID';
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
    options?: { cause: unknown },
  ) {
    super(problems.join('\n'), options);
    this.name = 'SlaConfigError';
  }
}

export interface LoadSlaPolicyOptions {
  /** Policy file, relative to `rootDir` unless absolute. Default `data/sla.yaml` (config maps `SAPA_SLA_FILE` here). */
  file?: string;
  /** Base for relative paths, including `holidays_file`. Default: the process working directory. */
  rootDir?: string;
  /** Default `Asia/Makassar`. */
  timeZone?: string;
}

/** Reads, validates and builds the policy. Throws `SlaConfigError` listing every problem. */
export function loadSlaPolicy(options: LoadSlaPolicyOptions = {}): SlaPolicy {
  const file = options.file ?? DEFAULT_SLA_FILE;
  const rootDir = options.rootDir ?? process.cwd();
  const timeZone = options.timeZone ?? DEFAULT_TIME_ZONE;
  assertTimeZone(timeZone);

  const raw = readStructuredFile(file, rootDir, '');
  const parsed = policyFileSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw new SlaConfigError(file, parsed.error.issues.map((issue) => describeIssue(file, issue)));
  const config = parsed.data;

  const holidays = loadHolidayData(config.holidays_file, rootDir, ` (holidays_file in ${file})`);
  return {
    holidays,
    hours: config.business_hours,
    hoursConfirmed: config.hours_confirmed,
    cutiBersamaClosed: config.cuti_bersama_closed,
    calendar: createBusinessCalendar({
      hours: config.business_hours,
      holidays: listedHolidays(holidays),
      timeZone,
      cutiBersamaClosed: config.cuti_bersama_closed,
    }),
    policies: {
      normal: toTimerPolicy(config.policies.normal),
      high: toTimerPolicy(config.policies.high),
    },
    origins: Object.fromEntries(
      Object.entries(config.origins ?? {}).flatMap(([origin, raw]) => (raw === undefined ? [] : [[origin, toTimerPolicy(raw)]])),
    ) as Partial<Record<SlaOrigin, TimerPolicy>>,
    supervisorAfterBreachMs: config.supervisor_after_breach,
  };
}

/**
 * Reads and validates a holidays file (relative to `rootDir` unless absolute). Errors
 * name the file (plus `referencedFrom`), the entry and its year.
 */
export function loadHolidayData(file: string, rootDir: string = process.cwd(), referencedFrom = ''): HolidayData {
  return validateHolidayData(readStructuredFile(file, rootDir, referencedFrom), file, file + referencedFrom);
}

/** Validates holidays file text (JSON or YAML); `fileLabel` names the file in the data and prefixes every error. */
export function parseHolidayData(text: string, fileLabel: string): HolidayData {
  return validateHolidayData(parseStructured(text, fileLabel), fileLabel, fileLabel);
}

/** Every listed holiday of a holidays file, all years together (the fixed-date ones are the calendar's). */
export function loadHolidays(file: string, rootDir: string = process.cwd(), referencedFrom = ''): Holiday[] {
  return listedHolidays(loadHolidayData(file, rootDir, referencedFrom));
}

/** `parseHolidayData`, flattened to the listed holidays of every year. */
export function parseHolidays(text: string, fileLabel: string): Holiday[] {
  return listedHolidays(parseHolidayData(text, fileLabel));
}

/**
 * The windows a ticket runs on: its origin's when the policy lists that origin (a LAPOR!
 * report keeps LAPOR!'s handling times whatever its priority), else its priority's.
 */
export function windowsOf(policy: SlaPolicy, priority: SlaPriority, origin?: string | null): TimerPolicy {
  const own = origin != null && origin !== 'chat' ? policy.origins?.[origin as SlaOrigin] : undefined;
  return own ?? policy.policies[priority];
}

/** The window of one timer for one priority (and origin, see `windowsOf`). */
export function timerDuration(policy: SlaPolicy, priority: SlaPriority, timer: SlaTimer, origin?: string | null): SlaDuration {
  const windows = windowsOf(policy, priority, origin);
  switch (timer) {
    case 'first_response':
      return windows.firstResponse;
    case 'next_response':
      return windows.nextResponse;
    case 'resolution':
      return windows.resolution;
  }
}

/** Due time of a timer started at `startAt`, ignoring pauses (see timers.ts for those). */
export function dueAt(policy: SlaPolicy, priority: SlaPriority, timer: SlaTimer, startAt: Date): Date {
  return addDuration(policy.calendar, startAt, timerDuration(policy, priority, timer));
}

// ---------------------------------------------------------------- schemas

type LeafResult<T> = { ok: true; value: T } | { ok: false; reason?: string };

/** A value checked by `parse`; messages say what is accepted and what was found. */
function leaf<T>(expected: string, parse: (value: unknown) => LeafResult<T>) {
  return z.unknown().transform((value, ctx): T => {
    if (value === undefined) {
      ctx.addIssue({ code: 'custom', message: `is missing; expected ${expected}` });
      return z.NEVER;
    }
    const result = parse(value);
    if (result.ok) return result.value;
    ctx.addIssue({ code: 'custom', message: `${result.reason ?? `must be ${expected}`}, got ${show(value)}`, input: value });
    return z.NEVER;
  });
}

/** A mapping that rejects unknown keys (typos like `first_respons` would otherwise be silently ignored). */
function mapping<Shape extends z.ZodRawShape>(shape: Shape, what: string) {
  const accepted = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') {
        const keys = issue.keys.map((key) => `"${key}"`).join(', ');
        return `has unknown key${issue.keys.length > 1 ? 's' : ''} ${keys}; accepted keys: ${accepted}`;
      }
      return issue.input === undefined ? `is missing; expected ${what}` : `must be ${what}, got ${show(issue.input)}`;
    },
  });
}

const HOURS_EXPECTED = '"HH:MM-HH:MM" or null';
const BLOCK = /^\d{2}:\d{2}-\d{2}:\d{2}$/;

/** "08:00-16:00", blocks "08:00-12:00, 13:00-16:00" (a lunch break), a list of blocks, or null. */
const dayHours = leaf<readonly TimeRange[] | null>(HOURS_EXPECTED, (value) => {
  if (value === null) return { ok: true, value: null };
  const text = Array.isArray(value) && value.every((part) => typeof part === 'string') ? value.join(', ') : value;
  if (typeof text !== 'string' || text.trim() === '') return { ok: false };
  const ranges = parseDayHours(text);
  if (ranges !== undefined) return { ok: true, value: ranges };
  const blocks = text.split(',').map((part) => part.trim());
  if (!blocks.every((part) => BLOCK.test(part))) return { ok: false };
  return blocks.length === 1
    ? { ok: false, reason: `must be ${HOURS_EXPECTED} with real times (up to 24:00) and closing after opening` }
    : { ok: false, reason: 'must list blocks in order, each closing after it opens, with a break between them (e.g. "08:00-12:00, 13:00-16:00")' };
});

const weekSchema = mapping(
  Object.fromEntries(WEEKDAYS.map((day) => [day, dayHours])) as Record<Weekday, typeof dayHours>,
  `a mapping of mon..sun to ${HOURS_EXPECTED}`,
);

const BUSINESS_HOURS_EXPECTED = `"24x7" or a mapping of mon..sun to ${HOURS_EXPECTED}`;

const businessHoursSchema = z.unknown().transform((value, ctx): BusinessHours => {
  if (value === '24x7') return '24x7';
  if (value === undefined || value === null || typeof value !== 'object' || Array.isArray(value)) {
    const message =
      value === undefined ? `is missing; expected ${BUSINESS_HOURS_EXPECTED}` : `must be ${BUSINESS_HOURS_EXPECTED}, got ${show(value)}`;
    ctx.addIssue({ code: 'custom', message, input: value });
    return z.NEVER;
  }
  // Parsed separately rather than as a zod union, whose errors would bury the one bad weekday.
  const week = weekSchema.safeParse(value, { reportInput: true });
  if (!week.success) {
    for (const issue of week.error.issues) ctx.addIssue({ ...issue, code: 'custom', message: issue.message });
    return z.NEVER;
  }
  if (WEEKDAYS.every((day) => week.data[day] === null)) {
    ctx.addIssue({ code: 'custom', message: 'must open on at least one day (mon..sun are all null); use "24x7" for always open' });
    return z.NEVER;
  }
  return week.data;
});

const durationField = leaf<SlaDuration>(`a duration like ${DURATION_FORMAT_HINT}`, (value) => {
  const result = tryParseDuration(value);
  return result.ok ? result : { ok: false, reason: result.reason };
});

const businessDurationField = leaf<number>('a duration like "30m", "1h" or "1h30m" (business time)', (value) => {
  const result = tryParseDuration(value);
  if (!result.ok) return { ok: false, reason: result.reason };
  if (result.value.kind === 'office_days') return { ok: false, reason: 'must be in s, m or h (business time), not d' };
  return { ok: true, value: result.value.ms };
});

const warnAtField = leaf<number>('a number between 0 and 1 (exclusive), e.g. 0.75', (value) =>
  typeof value === 'number' && Number.isFinite(value) && value > 0 && value < 1 ? { ok: true, value } : { ok: false },
);

const nonEmptyString = (expected: string) =>
  leaf<string>(expected, (value) =>
    typeof value === 'string' && value.trim() !== '' ? { ok: true, value: value.trim() } : { ok: false },
  );

const timerPolicySchema = mapping(
  { first_response: durationField, next_response: durationField, resolution: durationField, warn_at: warnAtField },
  'a mapping with first_response, next_response, resolution and warn_at',
);

const policyFileSchema = mapping(
  {
    business_hours: businessHoursSchema,
    holidays_file: nonEmptyString('a path such as "data/holidays.json"'),
    // Whether Kanim Kupang closes on cuti bersama is unconfirmed; closed is the safer default for promises made to applicants.
    cuti_bersama_closed: leaf<boolean>('true or false', (value) =>
      typeof value === 'boolean' ? { ok: true, value } : { ok: false },
    )
      .optional()
      .transform((value) => value ?? true),
    // Absent = not confirmed: the bot must not state default hours as the office's.
    hours_confirmed: leaf<boolean>('true or false', (value) => (typeof value === 'boolean' ? { ok: true, value } : { ok: false }))
      .optional()
      .transform((value) => value ?? false),
    policies: mapping({ normal: timerPolicySchema, high: timerPolicySchema }, 'a mapping with normal and high'),
    origins: mapping(
      Object.fromEntries(SLA_ORIGINS.map((origin) => [origin, timerPolicySchema.optional()])) as Record<SlaOrigin, z.ZodOptional<typeof timerPolicySchema>>,
      `a mapping of origins (${SLA_ORIGINS.join(', ')}) to first_response, next_response, resolution and warn_at`,
    ).optional(),
    supervisor_after_breach: businessDurationField,
  },
  'a mapping with business_hours, holidays_file, policies and supervisor_after_breach',
);

const holidayKindField = leaf<Holiday['kind']>('"holiday" or "cuti_bersama"', (value) =>
  value === 'holiday' || value === 'cuti_bersama' ? { ok: true, value } : { ok: false },
);

const holidayDateField = leaf<string>('a real date "YYYY-MM-DD"', (value) =>
  typeof value === 'string' && parseDateKey(value) !== undefined ? { ok: true, value } : { ok: false },
);

const HOLIDAY_LIST_EXPECTED = 'a list of {date, name, kind}';

const holidayListSchema = z
  .array(
    mapping(
      { date: holidayDateField, name: nonEmptyString('a non-empty name'), kind: holidayKindField },
      'a mapping with date, name and kind',
    ),
    {
      error: (issue) =>
        issue.input === undefined ? `is missing; expected ${HOLIDAY_LIST_EXPECTED}` : `must be ${HOLIDAY_LIST_EXPECTED}, got ${show(issue.input)}`,
    },
  )
  .superRefine((holidays, ctx) => {
    const seen = new Map<string, number>();
    holidays.forEach((holiday, index) => {
      const first = seen.get(holiday.date);
      if (first !== undefined) {
        ctx.addIssue({ code: 'custom', path: [index, 'date'], message: `repeats ${holiday.date}, already listed at holidays[${first}]` });
      } else {
        seen.set(holiday.date, index);
      }
    });
  });

/** Years a holidays file may describe: anything a running office could plausibly need. */
const MIN_YEAR = 2000;
const MAX_YEAR = 2100;

const DECREE_EXPECTED = 'the decree the dates come from, e.g. "SKB Menteri Agama 1497/2025, Menteri Ketenagakerjaan 2/2025, MenPANRB 5/2025"';

const holidayYearSchema = mapping(
  {
    year: leaf<number>(`a year from ${MIN_YEAR} to ${MAX_YEAR}, e.g. 2027`, (value) =>
      typeof value === 'number' && Number.isInteger(value) && value >= MIN_YEAR && value <= MAX_YEAR ? { ok: true, value } : { ok: false },
    ),
    status: leaf<HolidayYearStatus>('"official" (dates from the published SKB) or "provisional" (no SKB yet)', (value) =>
      HOLIDAY_YEAR_STATUSES.includes(value as HolidayYearStatus) ? { ok: true, value: value as HolidayYearStatus } : { ok: false },
    ),
    decree: nonEmptyString(DECREE_EXPECTED).optional(),
    note: leaf<string>('text', (value) => (typeof value === 'string' ? { ok: true, value } : { ok: false })).optional(),
    holidays: holidayListSchema,
  },
  'a mapping with year, status, decree (when official) and holidays',
).superRefine((entry, ctx) => {
  if (entry.status === 'official' && entry.decree === undefined) {
    ctx.addIssue({ code: 'custom', path: ['decree'], message: `is missing; an official year names ${DECREE_EXPECTED}` });
  }
  if (entry.status === 'official' && entry.holidays.length === 0) {
    ctx.addIssue({ code: 'custom', path: ['holidays'], message: "is empty; an official year lists the decree's holidays and cuti bersama" });
  }
  entry.holidays.forEach((holiday, index) => {
    if (!holiday.date.startsWith(`${entry.year}-`)) {
      ctx.addIssue({ code: 'custom', path: ['holidays', index, 'date'], message: `is not in ${entry.year}, got "${holiday.date}"` });
    }
  });
});

const holidaysFileSchema = mapping(
  {
    note: leaf<string>('text', (value) => (typeof value === 'string' ? { ok: true, value } : { ok: false })).optional(),
    years: z
      .array(holidayYearSchema, {
        error: (issue) =>
          issue.input === undefined
            ? 'is missing; expected a list of {year, status, decree, holidays}'
            : `must be a list of {year, status, decree, holidays}, got ${show(issue.input)}`,
      })
      .superRefine((years, ctx) => {
        const seen = new Map<number, number>();
        years.forEach((entry, index) => {
          const first = seen.get(entry.year);
          if (first !== undefined) {
            ctx.addIssue({ code: 'custom', path: [index, 'year'], message: `repeats ${entry.year}, already listed at years[${first}]` });
          } else {
            seen.set(entry.year, index);
          }
        });
      }),
  },
  'a mapping with note and years',
);

// ---------------------------------------------------------------- helpers

function toTimerPolicy(raw: z.output<typeof timerPolicySchema>): TimerPolicy {
  return {
    firstResponse: raw.first_response,
    nextResponse: raw.next_response,
    resolution: raw.resolution,
    warnAt: raw.warn_at,
  };
}

const YEARS_FORMAT_HINT = '{"years": [{"year": 2026, "status": "official", "decree": "SKB ...", "holidays": [{date, name, kind}, ...]}]}';

function validateHolidayData(raw: unknown, file: string, fileLabel: string): HolidayData {
  // The one-list format used until 2026: say how to move it rather than "unknown key holidays".
  if (isMapping(raw) && 'holidays' in raw && !('years' in raw)) {
    throw new SlaConfigError(fileLabel, [
      `${fileLabel}: the file has one "holidays" list for all years; since 2027 each year is its own entry with its status: ${YEARS_FORMAT_HINT} (README, "Each year: add the holidays")`,
    ]);
  }
  const parsed = holidaysFileSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) {
    throw new SlaConfigError(
      fileLabel,
      parsed.error.issues.map((issue) => `${fileLabel}: ${formatPath(issue.path, yearLabel(raw))} ${issue.message}`),
    );
  }
  const years: HolidayYear[] = parsed.data.years
    .map((entry) => ({
      year: entry.year,
      status: entry.status,
      decree: entry.decree ?? null,
      holidays: entry.holidays,
    }))
    .sort((a, b) => a.year - b.year);
  return { file, years };
}

/** `years[3]` reads better as `years[3] (2027)`: the year is what the office edits by. */
function yearLabel(raw: unknown): (path: readonly PropertyKey[], index: number) => string {
  const entries = isMapping(raw) && Array.isArray(raw['years']) ? (raw['years'] as unknown[]) : [];
  return (path, index) => {
    const part = path[index];
    if (index !== 1 || path[0] !== 'years' || typeof part !== 'number') return '';
    const entry = entries[part];
    const year = isMapping(entry) ? entry['year'] : undefined;
    return typeof year === 'number' ? ` (${year})` : '';
  };
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readStructuredFile(file: string, rootDir: string, referencedFrom: string): unknown {
  const label = file + referencedFrom;
  const path = isAbsolute(file) ? file : resolve(rootDir, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SlaConfigError(label, [`${label}: cannot read ${path}: ${reason}`], { cause: error });
  }
  return parseStructured(text, label);
}

/** YAML 1.2 is a superset of JSON, so one parser serves both. */
function parseStructured(text: string, label: string): unknown {
  try {
    return parseYaml(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new SlaConfigError(label, [`${label}: not valid YAML or JSON: ${reason}`], { cause: error });
  }
}

function describeIssue(fileLabel: string, issue: z.core.$ZodIssue): string {
  return `${fileLabel}: ${formatPath(issue.path)} ${issue.message}`;
}

function formatPath(path: readonly PropertyKey[], suffix: (path: readonly PropertyKey[], index: number) => string = () => ''): string {
  if (path.length === 0) return 'the file';
  return path
    .map((part, index) => (typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`) + suffix(path, index))
    .join('');
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'object' && value !== null) return Array.isArray(value) ? 'a list' : 'a mapping';
  return JSON.stringify(value);
}
