/** `sapa tickets list`: a table (or JSON) of tickets for staff at a terminal; `sapa tickets export`: the CSV (#21). */
import type { Config } from './config.js';
import { TICKET_ORIGINS, TICKET_STATUSES, type Ticket, type TicketStatus } from './domain.js';
import { UsageError } from './cli-errors.js';
import { systemClock } from './clock.js';
import { dateRange, DateRangeError } from './metrics/days.js';
import { currentOsUser } from './cli-staff.js';
import { createAuditLog } from './server/dashboard/audit.js';
import { exportTicketsCsv, parseOrigin } from './ticket-export.js';
import { maskPersonalData } from './privacy.js';
import { openDatabase } from './store/db.js';
import { listTickets } from './store/tickets.js';

export interface ListOptions {
  readonly status: string;
  readonly limit: string;
  readonly json: boolean;
}

export function listTicketsCommand(config: Config, options: ListOptions): string {
  const statuses = options.status.split(',').map((s) => s.trim()).filter(Boolean);
  const bad = statuses.find((s) => !TICKET_STATUSES.includes(s as TicketStatus));
  if (bad !== undefined) throw new UsageError(`--status accepts ${TICKET_STATUSES.join(', ')}; got "${bad}"`);
  const limit = Number(options.limit);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new UsageError(`--limit must be a whole number from 1 to 10000; got "${options.limit}"`);
  const db = openDatabase(config.dbPath);
  try {
    const tickets = listTickets(db, { status: statuses as TicketStatus[], limit });
    if (options.json) return `${JSON.stringify({ tickets: tickets.map((t) => toJson(t)) })}\n`;
    if (tickets.length === 0) return `no tickets with status ${statuses.join(', ')}\n`;
    const format = new Intl.DateTimeFormat('sv-SE', { timeZone: config.timeZone, dateStyle: 'short', timeStyle: 'short' });
    const rows = tickets.map((t) => [
      t.ref,
      t.status,
      t.priority,
      t.channel,
      t.kind,
      t.intent,
      format.format(t.createdAt),
      t.firstResponseDueAt && !t.firstResponseAt ? format.format(t.firstResponseDueAt) : '-',
      maskPersonalData(t.summary).slice(0, 60),
    ]);
    const header = ['REF', 'STATUS', 'PRIORITY', 'CHANNEL', 'KIND', 'INTENT', 'OPENED', 'FIRST REPLY DUE', 'SUMMARY'];
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
    const line = (cells: readonly string[]): string => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0))).join('  ');
    return `${[line(header), ...rows.map(line)].join('\n')}\n`;
  } finally {
    db.close();
  }
}

function toJson(t: Ticket): Record<string, unknown> {
  return {
    id: t.id,
    ref: t.ref,
    status: t.status,
    priority: t.priority,
    channel: t.channel,
    kind: t.kind,
    intent: t.intent,
    servqual: t.servqual,
    assignee: t.assigneeId,
    summary: maskPersonalData(t.summary),
    createdAt: t.createdAt.toISOString(),
    firstResponseDueAt: t.firstResponseDueAt?.toISOString() ?? null,
    firstResponseAt: t.firstResponseAt?.toISOString() ?? null,
    escalationLevel: t.escalationLevel,
  };
}

export interface ExportOptions {
  readonly from: string | undefined;
  readonly to: string | undefined;
  readonly origin: string | undefined;
  readonly unmasked: boolean;
  /** Who ran it, for the audit log (default: the OS user). */
  readonly osUser?: string;
}

/** The tickets CSV of a date range (see src/ticket-export.ts); masked unless `--unmasked`. */
export function exportTicketsCommand(config: Config, options: ExportOptions): string {
  if (options.from === undefined || options.to === undefined) throw new UsageError('--from and --to are required, as dates YYYY-MM-DD');
  const origin = parseOrigin(options.origin);
  if (options.origin !== undefined && origin === undefined) throw new UsageError(`--origin accepts ${TICKET_ORIGINS.join(', ')}; got "${options.origin}"`);
  let range;
  try {
    range = dateRange(options.from, options.to, config.timeZone);
  } catch (err) {
    if (err instanceof DateRangeError) throw new UsageError(`--from/--to: ${err.message}`);
    throw err;
  }
  const db = openDatabase(config.dbPath);
  try {
    const csv = exportTicketsCsv(db, { range, ...(origin ? { origin } : {}), masked: !options.unmasked, timeZone: config.timeZone, now: systemClock.now() });
    createAuditLog(db, systemClock).record({
      staffId: null,
      username: `cli:${options.osUser ?? currentOsUser()}`,
      action: 'tickets_exported',
      target: `${range.from}..${range.to}`,
      data: { origin: origin ?? null, masked: !options.unmasked },
    });
    return csv;
  } finally {
    db.close();
  }
}

