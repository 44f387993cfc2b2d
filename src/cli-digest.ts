/**
 * `sapa digest [--date YYYY-MM-DD] [--json] [--send] [--png FILE]`: builds the daily supervisor digest
 * of any day from SAPA_DB and prints it (the phone text, or one JSON object with --json).
 * --send also queues it to every supervisor target that has not had that date's digest
 * (once per date and recipient, shared with the scheduler); the running bot delivers it.
 * --png writes the chart the supervisors receive (the same PNG) to FILE.
 */
import { writeFileSync } from 'node:fs';
import { pino } from 'pino';
import { alertTargetsOf } from './alert-targets.js';
import { UsageError } from './cli-errors.js';
import { systemClock, type Clock } from './clock.js';
import type { Config } from './config.js';
import { buildDigest, renderDigestChart, renderDigestText, sendDigest, supervisorTargets, type DigestSendReport } from './digest/index.js';
import { createLogger } from './log.js';
import { dateKeyOf, localDateOf } from './metrics/days.js';
import { maskIdentifier } from './privacy.js';
import { parseDateKey } from './sla/calendar.js';
import { loadSlaPolicy } from './sla/policy.js';
import type { AlertTarget } from './staff-alerts.js';
import { openDatabase } from './store/db.js';

export interface DigestCommandOptions {
  /** `--date`; default yesterday in office time. */
  readonly date?: string | undefined;
  readonly json: boolean;
  readonly send: boolean;
  /** `--png FILE`: also write the chart there. */
  readonly png?: string | undefined;
}

/** The day a digest describes: `--date` checked, or yesterday in the office zone. Throws UsageError. */
export function digestDate(text: string | undefined, now: Date, timeZone: string): string {
  const today = parseDateKey(localDateOf(now, timeZone))!;
  if (text === undefined) return dateKeyOf(today - 1);
  const day = /^\d{4}-\d{2}-\d{2}$/.test(text) ? parseDateKey(text) : undefined;
  if (day === undefined) throw new UsageError(`--date must be a real date written YYYY-MM-DD, e.g. 2026-11-30; got "${text}"`);
  if (day > today) throw new UsageError(`--date ${text} is in the future (today is ${dateKeyOf(today)} in ${timeZone})`);
  return text;
}

export async function digestCommand(config: Config, options: DigestCommandOptions, clock: Clock = systemClock): Promise<string> {
  // Checked before anything is opened: a typo must not touch the database.
  const now = clock.now();
  const date = digestDate(options.date, now, config.timeZone);
  if (options.png !== undefined && options.png.trim() === '') throw new UsageError('--png needs a file name, e.g. --png ringkasan.png');
  const targets = supervisorTargets(alertTargetsOf(config));
  if (options.send && targets.length === 0) {
    throw new Error('--send: no supervisor targets; set TELEGRAM_SUPERVISOR_CHAT_IDS and/or WHATSAPP_SUPERVISOR_NUMBERS');
  }
  // Logs go to stderr so stdout stays the digest (one JSON object with --json).
  const logger = createLogger(config.logLevel, pino.destination(2));
  const policy = loadSlaPolicy({ file: config.slaFile, timeZone: config.timeZone });
  const db = openDatabase(config.dbPath);
  try {
    const digest = buildDigest(db, { date, calendar: policy.calendar, timeZone: config.timeZone, now });
    if (options.png !== undefined) writeFileSync(options.png, await renderDigestChart(digest));
    const report = options.send
      ? await sendDigest({ db, calendar: policy.calendar, timeZone: config.timeZone, targets: () => targets, logger }, date, now)
      : null;
    if (options.json) return `${JSON.stringify(report === null ? digest : { ...digest, delivery: deliveryJson(report) })}\n`;
    const chartLine = options.png === undefined ? '' : `\nchart written to ${options.png}\n`;
    return `${renderDigestText(digest)}\n${report === null ? '' : `\n${deliveryLine(report)}\n`}${chartLine}`;
  } finally {
    db.close();
  }
}

/** Chat ids and numbers masked: a phone number is personal data even in a terminal log. */
function targetJson(target: AlertTarget): { channel: string; target: string } {
  return { channel: target.channel, target: maskIdentifier(target.externalId) };
}

function deliveryJson(report: DigestSendReport): Record<string, unknown> {
  return { queued: report.queued.map((q) => targetJson(q.target)), alreadySent: report.alreadySent.map(targetJson) };
}

function deliveryLine(report: DigestSendReport): string {
  const already = report.alreadySent.length > 0 ? ` (${report.alreadySent.length} already had it)` : '';
  return `digest ${report.date} queued to ${report.queued.length} supervisor target(s)${already}; the running bot delivers it`;
}
