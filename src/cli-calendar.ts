/**
 * `sapa calendar check [--at ISO-TIME] [--json]`: which years the holidays file covers,
 * with status and decree, and what is missing, judged by the same coverage check as
 * /healthz, the dashboard and the weekly staff alert. Reads the files afresh, so it
 * shows an edit before the bot is restarted. Exits 0 whatever it finds: a missing year
 * is a warning, not a failure (a broken file is an error, exit 1).
 */
import { parseScanTime } from './cli-sla.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { zoneOf } from './sla/calendar.js';
import { coverageJson, evaluateHolidayCoverage, exampleYearEntry, SKB_PUBLISHERS, type HolidayCoverage, type YearNeed } from './sla/holidays.js';
import { loadSlaPolicy } from './sla/policy.js';

export interface CalendarCheckOptions {
  /** `--at`: the moment to judge at; default now. */
  readonly at?: string | undefined;
  readonly json: boolean;
}

export function calendarCheckCommand(config: Config, options: CalendarCheckOptions, clock: Clock = systemClock): string {
  const at = options.at === undefined ? clock.now() : parseScanTime(options.at);
  // The whole policy: the holidays file is the one data/sla.yaml names, checked the way start-up checks it.
  const policy = loadSlaPolicy({ file: config.slaFile, timeZone: config.timeZone });
  const coverage = evaluateHolidayCoverage(policy.holidays, at, config.timeZone);
  return options.json ? `${JSON.stringify(coverageJson(coverage))}\n` : formatCoverage(coverage);
}

const STATUS_WORDS = { official: 'official', provisional: 'provisional', missing: 'not in the file' } as const;

function formatCoverage(c: HolidayCoverage): string {
  const localTime = localClock(c.at, c.timeZone);
  const lines: string[] = [`Holidays file: ${c.file}`, `Checked at: ${c.localDate} ${localTime} (${c.timeZone})`, '', 'Years covered:'];
  if (c.years.length === 0) lines.push('  none');
  for (const y of c.years) {
    const counts = `${y.holidays} holiday${y.holidays === 1 ? '' : 's'}, ${y.cutiBersama} cuti bersama`;
    lines.push(`  ${y.year}  ${y.status.padEnd(11)}  ${counts}`);
    lines.push(`        decree: ${y.decree ?? '(none yet)'}`);
  }
  lines.push('', `Fixed-date national holidays, applied in every year: ${c.fixedDateHolidays.join(', ')}.`, '');
  if (c.missing.length === 0) {
    lines.push(`Missing: nothing; ${c.currentYear.year} and ${c.nextYear.year} are official.`);
  } else {
    lines.push('Missing (no official data):');
    for (const need of c.missing) lines.push(`  ${need.year}  ${STATUS_WORDS[need.status].padEnd(15)}  ${consequence(need, c)}`);
  }
  lines.push('');
  lines.push(c.warning === null ? 'Warning: none.' : `Warning: ${c.warning.message}.`);
  if (c.missing.length > 0) {
    const year = c.missing[0]?.year ?? c.nextYear.year;
    lines.push(
      '',
      `What to add: once the joint decree (SKB) on national holidays and cuti bersama for ${c.missing.map((m) => m.year).join(' and ')} is published`,
      `(by ${SKB_PUBLISHERS.map((p) => `${p.name}, ${p.url}`).join('; ')}), add each year to "years" in ${c.file}:`,
      ...exampleYearEntry(year)
        .split('\n')
        .map((line) => `  ${line}`),
      'one entry per date, every holiday and cuti bersama of the decree; then restart SAPA and run "sapa calendar check" again.',
      'Until then list nothing you have not read in the decree: lists found online disagree.',
    );
  }
  return `${lines.join('\n')}\n`;
}

function consequence(need: YearNeed, c: HolidayCoverage): string {
  const when = need.year === c.currentYear.year ? 'now' : `from 1 January ${need.year}`;
  const warnFrom = need.year === c.currentYear.year ? 'warning now' : `warning from ${c.nextYearCheckFrom}`;
  const listed = c.years.find((y) => y.year === need.year);
  const skipped =
    listed === undefined
      ? 'only the fixed-date holidays'
      : `only the fixed-date holidays and the ${listed.holidays + listed.cutiBersama} provisional date(s) listed`;
  return `SLA deadlines ${when} skip ${skipped} (${warnFrom})`;
}

function localClock(at: Date, timeZone: string): string {
  const msOfDay = zoneOf(timeZone).positionOf(at.getTime()).msOfDay;
  const minutes = Math.floor(msOfDay / 60_000);
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
