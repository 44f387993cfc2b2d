/**
 * The tickets of a date range as CSV, one row per ticket, for the office's monthly reports
 * (#21): `GET /api/tickets.csv` and `sapa tickets export`. Tickets count on the office-local
 * day they were opened, as in the reports. Personal data (the name, phone, e-mail and the
 * NIK/passport/phone numbers inside the summary) is masked unless the caller may see it
 * (an admin on the dashboard, `--unmasked` at the terminal).
 */
import { TICKET_ORIGINS, ticketRef, type TicketOrigin } from './domain.js';
import type { DateRange } from './metrics/days.js';
import { verdict } from './metrics/compliance.js';
import { maskIdentifier, maskPersonalData } from './privacy.js';
import { prepared, type Db } from './store/db.js';

export interface ExportOptions {
  readonly range: DateRange;
  readonly origin?: TicketOrigin;
  /** Mask personal data (everyone but admins). */
  readonly masked: boolean;
  readonly timeZone: string;
  /** SLA verdicts of tickets still running are as of now. */
  readonly now: Date;
}

/** Columns, in order; the header row is these names. */
export const EXPORT_COLUMNS = [
  'ref',
  'opened_at',
  'origin',
  'lapor_tracking_id',
  'channel',
  'kind',
  'status',
  'priority',
  'integrity',
  'intent',
  'servqual',
  'contact_name',
  'contact_phone',
  'contact_email',
  'assignee',
  'first_response_at',
  'first_response_due_at',
  'first_response_sla',
  'resolved_at',
  'resolution_due_at',
  'resolution_sla',
  'summary',
] as const;

interface ExportRow {
  id: number;
  created_at: number;
  origin: string | null;
  lapor_tracking_id: string | null;
  channel: string;
  kind: string;
  status: string;
  priority: string;
  integrity: number;
  intent: string;
  servqual: string;
  summary: string;
  first_response_at: number | null;
  first_response_due_at: number | null;
  resolved_at: number | null;
  closed_at: number | null;
  resolution_due_at: number | null;
  contact_name: string | null;
  contact_phone: string | null;
  contact_email: string | null;
  identity_phone: string | null;
  assignee: string | null;
}

/** "2026-11-30 09:00" in the office zone: what a spreadsheet reads as a date and time. */
function localTime(ms: number | null, timeZone: string): string {
  if (ms === null) return '';
  return new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'short' }).format(new Date(ms));
}

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. A field a
 * spreadsheet would run as a formula (=, +, -, @ first) gets a leading apostrophe.
 */
export function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** "Yohanes Bria" -> "Y. B.": enough to tell rows apart, not to name the person. */
function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .map((part) => `${[...part][0]?.toUpperCase() ?? ''}.`)
    .join(' ');
}

function maskEmail(email: string): string {
  const at = email.indexOf('@');
  return at <= 0 ? maskPersonalData(email) : `${email[0]}***${email.slice(at)}`;
}

export function exportTicketsCsv(db: Db, options: ExportOptions): string {
  const rows = prepared<[{ start: number; end: number; origin: string | null }], ExportRow>(
    db,
    `SELECT t.id, t.created_at, t.origin, t.lapor_tracking_id, t.channel, t.kind, t.status, t.priority, t.integrity, t.intent,
            t.servqual, t.summary, t.first_response_at, t.first_response_due_at, t.resolved_at, t.closed_at, t.resolution_due_at,
            c.display_name AS contact_name, c.phone AS contact_phone, c.email AS contact_email,
            (SELECT phone FROM identities i WHERE i.contact_id = t.contact_id AND i.phone IS NOT NULL ORDER BY i.id LIMIT 1) AS identity_phone,
            COALESCE(s.display_name, s.username) AS assignee
       FROM tickets t
       JOIN contacts c ON c.id = t.contact_id
       LEFT JOIN staff s ON s.id = t.assignee_id
      WHERE t.created_at >= @start AND t.created_at < @end AND (@origin IS NULL OR t.origin = @origin)
      ORDER BY t.created_at, t.id`,
  ).all({ start: options.range.startMs, end: options.range.endMs, origin: options.origin ?? null });
  const nowMs = options.now.getTime();
  const { masked, timeZone } = options;
  const lines = [EXPORT_COLUMNS.join(',')];
  for (const row of rows) {
    const name = row.contact_name ?? '';
    const phone = row.contact_phone ?? row.identity_phone ?? '';
    const email = row.contact_email ?? '';
    const resolvedMs = row.resolved_at ?? row.closed_at;
    const cells: string[] = [
      ticketRef(row.id),
      localTime(row.created_at, timeZone),
      row.origin ?? 'chat',
      row.lapor_tracking_id ?? '',
      row.channel,
      row.kind,
      row.status,
      row.priority,
      row.integrity === 1 ? 'yes' : 'no',
      row.intent,
      row.servqual,
      masked ? initials(name) : name,
      masked && phone !== '' ? maskIdentifier(phone) : phone,
      masked && email !== '' ? maskEmail(email) : email,
      row.assignee ?? '',
      localTime(row.first_response_at, timeZone),
      localTime(row.first_response_due_at, timeZone),
      verdict(row.first_response_at, row.first_response_due_at, nowMs),
      localTime(resolvedMs, timeZone),
      localTime(row.resolution_due_at, timeZone),
      verdict(resolvedMs, row.resolution_due_at, nowMs),
      masked ? maskPersonalData(row.summary) : row.summary,
    ];
    lines.push(cells.map(csvField).join(','));
  }
  // CRLF (RFC 4180) and a byte-order mark, so spreadsheet programs read the UTF-8 names right.
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

export function parseOrigin(value: string | undefined): TicketOrigin | undefined {
  if (value === undefined || value === '') return undefined;
  return (TICKET_ORIGINS as readonly string[]).includes(value) ? (value as TicketOrigin) : undefined;
}

/** `tickets-2026-11-01-2026-11-30-lapor.csv` */
export function exportFileName(range: DateRange, origin?: TicketOrigin): string {
  return `tickets-${range.from}-${range.to}${origin ? `-${origin}` : ''}.csv`;
}
