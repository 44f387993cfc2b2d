/**
 * `sapa sla scan [--at ISO-TIME] [--dry-run]`: runs one SLA scan against SAPA_DB and
 * prints its report as one JSON object. Without --dry-run the escalations are
 * performed: rows recorded and alerts queued in the outbox, which the running bot
 * delivers (its dispatcher looks at the outbox at least once a minute).
 */
import { pino } from 'pino';
import { UsageError } from './cli-errors.js';
import { systemClock, type Clock } from './clock.js';
import { alertTargetsOf } from './alert-targets.js';
import type { Config } from './config.js';
import { createEventBus } from './events.js';
import { createLogger } from './log.js';
import { loadSlaPolicy } from './sla/policy.js';
import { createSlaScanner, type ScanReport } from './sla/scanner.js';
import { createStaffAlerts } from './staff-alerts.js';
import { openDatabase } from './store/db.js';

export interface SlaScanOptions {
  /** `--at`: the moment to scan at; default now. */
  readonly at?: string | undefined;
  readonly dryRun: boolean;
}

export const AT_FORMAT_HINT = 'an ISO 8601 time with a zone, e.g. 2026-12-01T10:00:00+08:00 or 2026-12-01T02:00:00Z';

/** Date and time required, seconds and fractions optional, and an explicit zone so "10:00" is never ambiguous. */
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;

export function parseScanTime(text: string): Date {
  const at = new Date(text);
  if (!ISO_WITH_ZONE.test(text) || Number.isNaN(at.getTime())) throw new UsageError(`--at must be ${AT_FORMAT_HINT}; got "${text}"`);
  return at;
}

export async function slaScanCommand(config: Config, options: SlaScanOptions, clock: Clock = systemClock): Promise<string> {
  // Parsed before anything is opened: a typo must not touch the database.
  const at = options.at === undefined ? clock.now() : parseScanTime(options.at);
  // Logs go to stderr so stdout stays one JSON object.
  const logger = createLogger(config.logLevel, pino.destination(2));
  const policy = loadSlaPolicy({ file: config.slaFile, timeZone: config.timeZone });
  const db = openDatabase(config.dbPath);
  try {
    const bus = createEventBus((err, event) => logger.error({ err, event: event.type }, 'event listener failed'));
    const alerts = createStaffAlerts({ db, clock, bus, targets: alertTargetsOf(config) });
    const scanner = createSlaScanner({ db, clock, policy, alerts, logger, timeZone: config.timeZone, cron: config.slaScanCron });
    return `${JSON.stringify(toJson(scanner.scan(at, { dryRun: options.dryRun })))}\n`;
  } finally {
    db.close();
  }
}

function toJson(report: ScanReport): Record<string, unknown> {
  return {
    at: report.at.toISOString(),
    dryRun: report.dryRun,
    examined: report.examined,
    fired: report.fired.map((f) => ({ ticketId: f.ticketId, ref: f.ref, timer: f.timer, level: f.level, dueAt: f.dueAt.toISOString() })),
    nextCheckAt: report.nextCheckAt?.toISOString() ?? null,
  };
}
