/**
 * The daily digest job. node-cron fires at DIGEST_CRON (default 07:00, office zone);
 * each run sends every digest that is due and not yet delivered:
 * - the digest of day D is due at the first DIGEST_CRON moment after D ended (so with a
 *   weekday-only schedule, Saturday's goes out on Monday);
 * - due dates run from the last date delivered (inclusive: a target that missed it, say
 *   after a crash between two targets, still gets it) to yesterday, at most
 *   `catchUpDays` back; before the first digest ever, only the latest due date;
 * - start() runs once at once, so a digest missed while the server was down goes out
 *   when it starts again;
 * - once per date and target: deliveries.ts (unique row in the queuing transaction).
 * One error boundary per run: a failure is logged and the next run tries again.
 */
import type { Logger } from 'pino';
import { createTask, validateDetailed } from 'node-cron';
import { createCronJob, cronProblems } from '../cron-job.js';
import type { Clock } from '../clock.js';
import type { EventBus } from '../events.js';
import { dateKeyOf, dateRange, localDateOf } from '../metrics/days.js';
import type { BusinessCalendar } from '../sla/calendar.js';
import { parseDateKey } from '../sla/calendar.js';
import type { StaffAlerts } from '../staff-alerts.js';
import type { Db } from '../store/db.js';
import { lastDeliveredDate } from './deliveries.js';
import { sendDigest, type DigestSendReport } from './send.js';
import type { Digest } from './types.js';

/** `DIGEST_CRON` default: 07:00 every day, in the office zone. */
export const DEFAULT_DIGEST_CRON = '0 7 * * *';
/** How far back a start-up catches up by default. */
export const DEFAULT_CATCH_UP_DAYS = 7;
const MINUTE_MS = 60_000;
/** A schedule that never fires within this many days after a day ends never makes it due. */
const MAX_SCHEDULE_LOOKAHEAD_DAYS = 31;

export class DigestScheduleError extends Error {
  readonly code = 'DIGEST_CRON_INVALID';
  constructor(
    readonly expression: string,
    problems: readonly string[],
  ) {
    super(`DIGEST_CRON "${expression}" is not a valid cron expression (${problems.join('; ')}); expected 5 or 6 fields, e.g. "0 7 * * *" (07:00 daily) or "0 7 * * 1-5"`);
    this.name = 'DigestScheduleError';
  }
}

/** Throws DigestScheduleError naming DIGEST_CRON; config can call it at start-up. */
export function assertDigestCron(expression: string): void {
  const problems = cronProblems(expression);
  if (problems.length > 0) throw new DigestScheduleError(expression, problems);
}

export interface DigestSchedulerDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly calendar: BusinessCalendar;
  readonly timeZone: string;
  /** The supervisor targets come from here (audience 'supervisor'). */
  readonly alerts: Pick<StaffAlerts, 'targets'>;
  readonly logger: Logger;
  readonly bus?: EventBus;
  /** DIGEST_CRON; default 07:00 daily. */
  readonly cron?: string;
  readonly catchUpDays?: number;
  readonly renderChart?: (digest: Digest) => Promise<Uint8Array>;
}

export interface DigestScheduler {
  /** Sends every due, undelivered digest (the cron job and start-up both run this). */
  runDue(): Promise<DigestSendReport[]>;
  /** runDue behind the error boundary: logs, never throws. */
  tick(): Promise<void>;
  /** The dates due at `now` that runDue would consider, oldest first. */
  dueDates(now: Date): string[];
  /** Schedules the job and runs one catch-up pass at once. */
  start(): void;
  stop(): Promise<void>;
}

export function createDigestScheduler(deps: DigestSchedulerDeps): DigestScheduler {
  const { db, clock, timeZone } = deps;
  const logger = deps.logger.child({ module: 'digest' });
  const expression = (deps.cron ?? DEFAULT_DIGEST_CRON).trim();
  assertDigestCron(expression);
  const catchUpDays = deps.catchUpDays ?? DEFAULT_CATCH_UP_DAYS;
  const sendDeps = {
    db,
    calendar: deps.calendar,
    timeZone,
    targets: () => deps.alerts.targets(),
    logger,
    ...(deps.bus ? { bus: deps.bus } : {}),
    ...(deps.renderChart ? { renderChart: deps.renderChart } : {}),
  };

  // Never started: only its match() is used, so due times follow node-cron's own rules.
  const matcher = createTask(expression, () => undefined, { name: 'digest-schedule-matcher', timezone: timeZone });
  const firstSecond = validateDetailed(expression).fields?.second[0] ?? 0;
  const dueAtCache = new Map<string, number | null>();
  let running: Promise<void> | null = null;

  /** The first DIGEST_CRON moment at or after the end of `date` (local midnight after it). */
  const dueAt = (date: string): number | null => {
    const cached = dueAtCache.get(date);
    if (cached !== undefined) return cached;
    const endMs = dateRange(date, date, timeZone).endMs;
    let found: number | null = null;
    for (let t = endMs + firstSecond * 1000; t < endMs + MAX_SCHEDULE_LOOKAHEAD_DAYS * 86_400_000; t += MINUTE_MS) {
      if (matcher.match(new Date(t))) {
        found = t;
        break;
      }
    }
    dueAtCache.set(date, found);
    return found;
  };

  const dueDates = (now: Date): string[] => {
    const today = parseDateKey(localDateOf(now, timeZone))!;
    const last = lastDeliveredDate(db);
    const lastDay = last === null ? null : (parseDateKey(last) ?? null);
    const nowMs = now.getTime();
    const isDue = (day: number): boolean => {
      const at = dueAt(dateKeyOf(day));
      return at !== null && at <= nowMs;
    };
    const oldest = today - catchUpDays;
    if (lastDay === null) {
      // Before the first digest ever: only the latest due day, not a burst of old ones.
      for (let day = today - 1; day >= oldest; day--) if (isDue(day)) return [dateKeyOf(day)];
      return [];
    }
    const dates: string[] = [];
    for (let day = Math.max(lastDay, oldest); day <= today - 1; day++) if (isDue(day)) dates.push(dateKeyOf(day));
    return dates;
  };

  const runDue = async (): Promise<DigestSendReport[]> => {
    const reports: DigestSendReport[] = [];
    for (const date of dueDates(clock.now())) {
      const report = await sendDigest(sendDeps, date, clock.now());
      if (report.queued.length > 0) logger.info({ date, targets: report.queued.length }, 'daily digest queued');
      reports.push(report);
    }
    return reports;
  };

  const tick = async (): Promise<void> => {
    // A manual tick during a scheduled one (or the start-up catch-up) waits for it instead of racing it.
    if (running) return running;
    running = (async () => {
      try {
        await runDue();
      } catch (err) {
        logger.error({ err }, 'daily digest run failed; the next run tries again');
      } finally {
        running = null;
      }
    })();
    return running;
  };

  const job = createCronJob({ name: 'daily-digest', expression, timeZone, logger, run: tick });
  let started = false;

  return {
    runDue,
    tick,
    dueDates,
    start() {
      if (started) return;
      started = true;
      job.start();
      logger.info({ cron: expression, timeZone }, 'daily digest scheduled');
      void tick();
    },
    async stop() {
      started = false;
      await job.stop();
      await matcher.destroy();
      if (running) await running;
    },
  };
}
