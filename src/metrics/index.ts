/**
 * Metric definitions shared by the dashboard reports and the daily digest: one read of
 * the range's tickets, then pure functions over it, so both show the same numbers.
 * The digest adds activity, backlog, breaches, per-staff and CSAT reads (same files).
 */
import type { BusinessCalendar } from '../sla/calendar.js';
import type { Db } from '../store/db.js';
import { complianceByDay, type ComplianceReport } from './compliance.js';
import type { DateRange } from './days.js';
import { firstResponseByDay, type FirstResponseReport } from './first-response.js';
import { integrityReportsBetween, type IntegrityReport } from './integrity.js';
import { laporStatusAt, type LaporStatus } from './origins.js';
import { ticketFactsBetween } from './ticket-facts.js';
import { volume, type VolumeReport } from './volume.js';

export * from './activity.js';
export * from './backlog.js';
export * from './breaches.js';
export * from './compliance.js';
export * from './csat.js';
export * from './days.js';
export * from './first-response.js';
export * from './integrity.js';
export * from './origins.js';
export * from './staff-activity.js';
export * from './stats.js';
export * from './ticket-facts.js';
export * from './unanswered.js';
export * from './volume.js';

export interface MetricsReport {
  readonly from: string;
  readonly to: string;
  readonly firstResponse: FirstResponseReport;
  readonly compliance: ComplianceReport;
  readonly volume: VolumeReport;
  /** Integrity reports opened or flagged in the range (brokers, illegal fees, scams). */
  readonly integrity: readonly IntegrityReport[];
  /** #21: LAPOR! reports open, due within an office day and late, as of now (or the range's end, if earlier). */
  readonly lapor: LaporStatus;
}

export function metricsReport(db: Db, calendar: BusinessCalendar, range: DateRange, now: Date): MetricsReport {
  const facts = ticketFactsBetween(db, range.startMs, range.endMs);
  return {
    from: range.from,
    to: range.to,
    firstResponse: firstResponseByDay(calendar, range, facts),
    compliance: complianceByDay(range, facts, now),
    volume: volume(facts),
    integrity: integrityReportsBetween(db, range.startMs, range.endMs),
    lapor: laporStatusAt(db, calendar, Math.min(range.endMs, now.getTime())),
  };
}
