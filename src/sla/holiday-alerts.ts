/**
 * The weekly reminder to staff while the holiday calendar lacks official data: the
 * current year without it, or (from 1 November) the next year without it, as judged by
 * `evaluateHolidayCoverage`.
 *
 * - A check runs at start-up and then daily at HOLIDAY_CHECK_CRON (08:00 office time).
 * - "Once a week": a reminder goes out when the warning holds and the last one (a
 *   `holiday_coverage_alerts` row) is at least 7 days old. Reading that row, inserting
 *   the new one and raising the alert are one IMMEDIATE transaction, so restarts, a
 *   second process or a second check within the week raise nothing more. A clock set
 *   back before the last reminder counts as within the week.
 * - Time comes from the injected Clock; the data is what the running calendar uses
 *   (loaded at start-up), so the reminder stops once the file is fixed and SAPA restarted.
 */
import type { Logger } from 'pino';
import type { Clock } from '../clock.js';
import { createCronJob } from '../cron-job.js';
import { calendarTexts } from '../messages/calendar.js';
import type { StaffAlerts } from '../staff-alerts.js';
import { inTransaction, prepared, type Db } from '../store/db.js';
import { evaluateHolidayCoverage, type HolidayCoverage, type HolidayData } from './holidays.js';

/** Daily at 08:00 in the office zone (the alert itself goes out at most once a week). */
export const HOLIDAY_CHECK_CRON = '0 8 * * *';

const WEEK_MS = 7 * 86_400_000;

export interface HolidayCheckReport {
  readonly at: Date;
  readonly coverage: HolidayCoverage;
  /** True when this check raised the week's reminder. */
  readonly sent: boolean;
  readonly alertId: number | null;
  /** The reminder before this check's, if any. */
  readonly previousAt: Date | null;
}

export interface HolidayCoverageAlerter {
  /** One check at `at` (default: now): raises a reminder if a warning holds and none went out in the 7 days before. */
  check(at?: Date): HolidayCheckReport;
  /** One scheduled check behind the error boundary: logs failures, never throws. */
  tick(): void;
  start(): void;
  stop(): Promise<void>;
}

export interface HolidayCoverageAlerterDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly holidays: HolidayData;
  readonly timeZone: string;
  readonly alerts: StaffAlerts;
  readonly logger: Logger;
  readonly cron?: string;
}

export function createHolidayCoverageAlerter(deps: HolidayCoverageAlerterDeps): HolidayCoverageAlerter {
  const { db, clock, holidays, timeZone, alerts } = deps;
  const logger = deps.logger.child({ module: 'holiday-calendar' });
  const expression = deps.cron ?? HOLIDAY_CHECK_CRON;

  const check = (at: Date = clock.now()): HolidayCheckReport => {
    const coverage = evaluateHolidayCoverage(holidays, at, timeZone);
    const warning = coverage.warning;
    return inTransaction(db, (): HolidayCheckReport => {
      const last = prepared<[], { last: number | null }>(db, 'SELECT MAX(created_at) AS last FROM holiday_coverage_alerts').get()?.last ?? null;
      const previousAt = last === null ? null : new Date(last);
      const due = last === null || at.getTime() - last >= WEEK_MS;
      if (warning === null || !due) return { at, coverage, sent: false, alertId: null, previousAt };
      const { alertId } = alerts.raise({ kind: 'holiday_calendar', audience: 'staff', ticketId: null, text: calendarTexts.staffReminder(coverage) });
      prepared(db, 'INSERT INTO holiday_coverage_alerts (years, alert_id, created_at) VALUES (?, ?, ?)').run(
        warning.years.join(','),
        alertId,
        at.getTime(),
      );
      return { at, coverage, sent: true, alertId, previousAt };
    });
  };

  const tick = (): void => {
    try {
      const report = check(clock.now());
      if (report.coverage.warning !== null) {
        logger.warn({ years: report.coverage.warning.years, reminded: report.sent }, report.coverage.warning.message);
      }
    } catch (err) {
      logger.error({ err }, 'holiday calendar check failed; the next check retries');
    }
  };

  const job = createCronJob({ name: 'holiday-calendar-check', expression, timeZone, logger, run: tick });

  return {
    check,
    tick,
    start: job.start,
    stop: job.stop,
  };
}
