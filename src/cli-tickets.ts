/** `sapa tickets list`: a table (or JSON) of tickets for staff at a terminal. */
import type { Config } from './config.js';
import { TICKET_STATUSES, type Ticket, type TicketStatus } from './domain.js';
import { UsageError } from './cli-errors.js';
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
