/**
 * A recurring job on node-cron in the office time zone, as the SLA scanner, the daily
 * digest and the holiday-calendar check all run one: started once, never overlapping
 * itself (node-cron's `noOverlap`), stopped by waiting for node-cron to let go of it, and
 * node-cron's own messages (a run missed after the event loop stalled) written to our log.
 * Why node-cron and not setInterval: wall-clock schedules in a named zone ("07:00 WITA"),
 * as the office configures them in SLA_SCAN_CRON and DIGEST_CRON.
 */
import type { Logger } from 'pino';
import { createTask, validateDetailed, type ScheduledTask } from 'node-cron';

export interface CronJobOptions {
  /** node-cron's task name (shown in its own messages). */
  readonly name: string;
  readonly expression: string;
  readonly timeZone: string;
  readonly logger: Logger;
  /** One run; its own error boundary (a throw here is node-cron's to log). */
  readonly run: () => unknown;
}

export interface CronJob {
  /** Schedules the job; a second call does nothing. */
  start(): void;
  /** Unschedules it; resolves once node-cron has released the task. */
  stop(): Promise<void>;
}

export function createCronJob(options: CronJobOptions): CronJob {
  const { name, expression, timeZone, logger, run } = options;
  let task: ScheduledTask | null = null;
  return {
    start() {
      if (task !== null) return;
      task = createTask(expression, () => run(), { name, timezone: timeZone, noOverlap: true, logger: cronLogger(logger) });
      void Promise.resolve(task.start()).catch((err: unknown) => logger.error({ err, job: name }, 'schedule failed to start'));
    },
    async stop() {
      const current = task;
      task = null;
      if (current === null) return;
      await current.stop();
      await current.destroy();
    },
  };
}

/**
 * What is wrong with a cron expression, for the configuration error that names its
 * variable: empty when valid. 5 fields, or 6 with seconds first; node-cron checks the rest.
 */
export function cronProblems(expression: string): string[] {
  const trimmed = expression.trim();
  const fields = trimmed === '' ? 0 : trimmed.split(/\s+/).length;
  if (fields < 5 || fields > 6) return [`${fields} field${fields === 1 ? '' : 's'}`];
  const result = validateDetailed(trimmed);
  return result.valid ? [] : result.errors.map((e) => `${e.field}: ${e.message}`);
}

/** node-cron's own messages go to our log (its info is our debug). */
function cronLogger(logger: Logger) {
  return {
    info: (message: string) => logger.debug({ source: 'node-cron' }, message),
    warn: (message: string) => logger.warn({ source: 'node-cron' }, message),
    error: (message: string | Error, err?: Error) =>
      logger.error({ source: 'node-cron', err: err ?? (message instanceof Error ? message : undefined) }, String(message)),
    debug: (message: string | Error, err?: Error) =>
      logger.debug({ source: 'node-cron', err: err ?? (message instanceof Error ? message : undefined) }, String(message)),
  };
}
