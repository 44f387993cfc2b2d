/**
 * Integrity reports (brokers, illegal fees, bribes, scams) of a period: tickets flagged as
 * integrity complaints that were opened in it, or flagged in it (an open ticket can be
 * flagged later: the supervisors' `integrity_report` alert marks the moment). The digest
 * and the reports page call them out; each is a supervisor's first read of the day.
 */
import type { TicketStatus } from '../domain.js';
import type { Db } from '../store/db.js';

export interface IntegrityReport {
  readonly ticketId: number;
  readonly status: TicketStatus;
  /** The officer holding it, or null when nobody has claimed it. */
  readonly assigneeId: number | null;
  readonly openedMs: number;
  /** When it was reported: the first integrity alert in the period, else the opening. */
  readonly reportedMs: number;
}

interface Row {
  id: number;
  status: TicketStatus;
  assignee_id: number | null;
  created_at: number;
  reported_at: number;
}

// Two indexed lookups joined by UNION (tickets opened in the period; integrity alerts raised in
// it): an OR across them made SQLite scan every ticket (166 s on 1,000,000 tickets).
// A ticket opened in the period and flagged only after it is that later day's report, not this one's.
const SQL = `WITH period AS (
    SELECT id FROM tickets WHERE created_at >= @start AND created_at < @end AND integrity = 1
      AND NOT EXISTS (SELECT 1 FROM staff_alerts later
                      WHERE later.ticket_id = tickets.id AND later.kind = 'integrity_report' AND later.created_at >= @end)
    UNION
    SELECT ticket_id FROM staff_alerts WHERE kind = 'integrity_report' AND created_at >= @start AND created_at < @end AND ticket_id IS NOT NULL
  )
  SELECT t.id, t.status, t.assignee_id, t.created_at,
    COALESCE((SELECT MIN(a.created_at) FROM staff_alerts a
              WHERE a.ticket_id = t.id AND a.kind = 'integrity_report' AND a.created_at >= @start AND a.created_at < @end), t.created_at) AS reported_at
  FROM period JOIN tickets t ON t.id = period.id
  WHERE t.integrity = 1
  ORDER BY reported_at, t.id`;

export function integrityReportsBetween(db: Db, startMs: number, endMs: number): IntegrityReport[] {
  return db
    .prepare<[{ start: number; end: number }], Row>(SQL)
    .all({ start: startMs, end: endMs })
    .map((row) => ({ ticketId: row.id, status: row.status, assigneeId: row.assignee_id, openedMs: row.created_at, reportedMs: row.reported_at }));
}
