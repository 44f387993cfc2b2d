/**
 * The holidays data (`data/holidays.json`) and how far it reaches.
 *
 * The file has one entry per year: `official` when its dates come from that year's
 * joint decree (SKB) on national holidays and cuti bersama, named in `decree`, or
 * `provisional` when the decree is not out yet. The fixed-date national holidays
 * (calendar.ts, FIXED_DATE_HOLIDAYS) hold for every year whether listed or not; the
 * other holidays and cuti bersama of a year exist only once it is listed.
 *
 * `evaluateHolidayCoverage` is the one judgement of "is the calendar complete enough
 * now", a pure function of the data, the moment and the office zone. /healthz, the
 * dashboard's Kanal page, the weekly staff alert and `sapa calendar check` all use it.
 */
import { FIXED_DATE_HOLIDAYS, zoneOf, type Holiday } from './calendar.js';

export type HolidayYearStatus = 'official' | 'provisional';

export const HOLIDAY_YEAR_STATUSES: readonly HolidayYearStatus[] = ['official', 'provisional'];

export interface HolidayYear {
  readonly year: number;
  readonly status: HolidayYearStatus;
  /** The decree the dates come from (required when official), e.g. "SKB Menteri Agama 1497/2025, ...". */
  readonly decree: string | null;
  readonly holidays: readonly Holiday[];
}

export interface HolidayData {
  /** The file the data was read from, as configured (`data/holidays.json`): named in warnings. */
  readonly file: string;
  /** Ascending by year. */
  readonly years: readonly HolidayYear[];
}

/** Every listed holiday and cuti bersama of every year (the calendar adds the fixed-date ones). */
export function listedHolidays(data: HolidayData): Holiday[] {
  return data.years.flatMap((entry) => entry.holidays);
}

/** A year's state for the coverage check: listed (official or provisional) or not in the file. */
export type YearCoverageStatus = HolidayYearStatus | 'missing';

export interface YearCoverage {
  readonly year: number;
  readonly status: HolidayYearStatus;
  readonly decree: string | null;
  /** Listed national holidays and cuti bersama. */
  readonly holidays: number;
  readonly cutiBersama: number;
}

export interface YearNeed {
  readonly year: number;
  readonly status: YearCoverageStatus;
}

export interface CoverageWarning {
  readonly code: 'HOLIDAYS_NOT_OFFICIAL';
  /** The years without official data the warning is about (the current one, and the next from 1 November). */
  readonly years: readonly number[];
  /** One line in English, for /healthz and logs. */
  readonly message: string;
}

export interface HolidayCoverage {
  readonly file: string;
  readonly timeZone: string;
  readonly at: Date;
  /** The office-local date of `at`, `YYYY-MM-DD`. */
  readonly localDate: string;
  /** Every year in the file, ascending. */
  readonly years: readonly YearCoverage[];
  readonly currentYear: YearNeed;
  readonly nextYear: YearNeed;
  /** The current and the next year when they have no official data (provisional or not listed), ascending. */
  readonly missing: readonly YearNeed[];
  /** The first local day (`YYYY-MM-DD`) from which a next year without official data raises the warning: 1 November. */
  readonly nextYearCheckFrom: string;
  /** Set when the current year has no official data, or from 1 November when the next year has none. */
  readonly warning: CoverageWarning | null;
  /** The national holidays applied in every year, listed or not: "1 Jan Tahun Baru Masehi", ... */
  readonly fixedDateHolidays: readonly string[];
}

/** Month (1-12) and day from which the next year's official data is expected. */
const NEXT_YEAR_CHECK_MONTH = 11;
const NEXT_YEAR_CHECK_DAY = 1;

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/**
 * How far the holiday data reaches at `now` in `timeZone`. Pure: no clock, no files.
 * The current year needs official data at once; the next year from 1 November (office
 * time), since its SKB is normally signed in the autumn before.
 */
export function evaluateHolidayCoverage(data: HolidayData, now: Date, timeZone: string): HolidayCoverage {
  const dayNumber = zoneOf(timeZone).positionOf(now.getTime()).dayNumber;
  const local = new Date(dayNumber * 86_400_000);
  const localDate = local.toISOString().slice(0, 10);
  const year = local.getUTCFullYear();
  const month = local.getUTCMonth() + 1;
  const day = local.getUTCDate();

  const byYear = new Map(data.years.map((entry) => [entry.year, entry]));
  const needOf = (y: number): YearNeed => ({ year: y, status: byYear.get(y)?.status ?? 'missing' });
  const currentYear = needOf(year);
  const nextYear = needOf(year + 1);
  const missing = [currentYear, nextYear].filter((need) => need.status !== 'official');

  const nextYearDue = month > NEXT_YEAR_CHECK_MONTH || (month === NEXT_YEAR_CHECK_MONTH && day >= NEXT_YEAR_CHECK_DAY);
  const warnFor = missing.filter((need) => need.year === year || nextYearDue);

  return {
    file: data.file,
    timeZone,
    at: new Date(now.getTime()),
    localDate,
    years: [...data.years]
      .sort((a, b) => a.year - b.year)
      .map((entry) => ({
        year: entry.year,
        status: entry.status,
        decree: entry.decree,
        holidays: entry.holidays.filter((h) => h.kind === 'holiday').length,
        cutiBersama: entry.holidays.filter((h) => h.kind === 'cuti_bersama').length,
      })),
    currentYear,
    nextYear,
    missing,
    nextYearCheckFrom: `${year}-${pad(NEXT_YEAR_CHECK_MONTH)}-${pad(NEXT_YEAR_CHECK_DAY)}`,
    warning: warnFor.length === 0 ? null : warningOf(data.file, warnFor),
    fixedDateHolidays: FIXED_DATE_HOLIDAYS.map((h) => `${h.day} ${MONTHS[h.month - 1] ?? h.month} ${h.name}`),
  };
}

/** The coverage as JSON (times as ISO strings): `sapa calendar check --json` and the dashboard's `GET /api/calendar`. */
export function coverageJson(coverage: HolidayCoverage): Record<string, unknown> {
  return {
    at: coverage.at.toISOString(),
    localDate: coverage.localDate,
    timeZone: coverage.timeZone,
    file: coverage.file,
    years: coverage.years,
    currentYear: coverage.currentYear,
    nextYear: coverage.nextYear,
    missing: coverage.missing,
    nextYearCheckFrom: coverage.nextYearCheckFrom,
    warning: coverage.warning,
    fixedDateHolidays: coverage.fixedDateHolidays,
  };
}

/**
 * Where a year's joint decree (SKB) on national holidays and cuti bersama is published:
 * the ministries that sign it (the 2026 one: Agama, Ketenagakerjaan, PANRB).
 */
export const SKB_PUBLISHERS: readonly { readonly name: string; readonly url: string }[] = [
  { name: 'Kementerian Agama', url: 'https://kemenag.go.id' },
  { name: 'Kementerian Ketenagakerjaan', url: 'https://kemnaker.go.id' },
  { name: 'Kementerian PANRB', url: 'https://menpan.go.id' },
];

/**
 * The shape of a year's entry, to copy into the file. Only the fixed 1 January is filled
 * in: every other date must come from the decree itself, never from a guess.
 */
export function exampleYearEntry(year: number): string {
  return [
    `{ "year": ${year}, "status": "official",`,
    `  "decree": "SKB Menteri Agama Nomor ..., Menteri Ketenagakerjaan Nomor ... dan Menteri PANRB Nomor ... Tahun ...",`,
    '  "holidays": [',
    `    { "date": "${year}-01-01", "name": "Tahun Baru ${year} Masehi", "kind": "holiday" },`,
    `    { "date": "${year}-MM-DD", "name": "...", "kind": "holiday" or "cuti_bersama" }`,
    '  ] }',
  ].join('\n');
}

function warningOf(file: string, needs: readonly YearNeed[]): CoverageWarning {
  const parts = needs.map((need) =>
    need.status === 'provisional' ? `${need.year} is provisional` : `${need.year} is not in the file`,
  );
  const years = needs.map((need) => need.year);
  return {
    code: 'HOLIDAYS_NOT_OFFICIAL',
    years,
    message:
      `no official holidays for ${years.join(' and ')} in ${file} (${parts.join(', ')}): ` +
      'SLA deadlines skip only the fixed-date national holidays there; ' +
      `add each year's holidays and cuti bersama from its SKB with status "official" and the decree, then restart SAPA (check with "sapa calendar check")`,
  };
}

function pad(n: number): string {
  return String(n).padStart(2, '0');
}
