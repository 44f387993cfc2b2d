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

const SQL = `SELECT t.id, t.status, t.assignee_id, t.created_at,
    COALESCE((SELECT MIN(a.created_at) FROM staff_alerts a
              WHERE a.ticket_id = t.id AND a.kind = 'integrity_report' AND a.created_at >= ? AND a.created_at < ?), t.created_at) AS reported_at
  FROM tickets t
  WHERE t.integrity = 1
    AND ((t.created_at >= ? AND t.created_at < ?)
      OR t.id IN (SELECT ticket_id FROM staff_alerts WHERE kind = 'integrity_report' AND created_at >= ? AND created_at < ? AND ticket_id IS NOT NULL))
  ORDER BY reported_at, t.id`;

export function integrityReportsBetween(db: Db, startMs: number, endMs: number): IntegrityReport[] {
  return db
    .prepare<number[], Row>(SQL)
    .all(startMs, endMs, startMs, endMs, startMs, endMs)
    .map((row) => ({ ticketId: row.id, status: row.status, assigneeId: row.assignee_id, openedMs: row.created_at, reportedMs: row.reported_at }));
}
