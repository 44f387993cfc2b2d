import type { Migration } from './types.js';

/**
 * One row per weekly reminder to staff that the holiday calendar lacks official data
 * (issue 14). The reminder is due when the latest row is at least 7 days old; the check
 * and the insert run in one IMMEDIATE transaction with the alert, so restarts, a second
 * process or a second check within the week raise nothing more.
 */
export const holidayCoverageAlerts: Migration = {
  version: 10,
  name: 'holiday coverage alerts',
  sql: `
    CREATE TABLE holiday_coverage_alerts (
      id INTEGER PRIMARY KEY,
      -- the years without official holidays the reminder was about, e.g. "2027"
      years TEXT NOT NULL,
      alert_id INTEGER REFERENCES staff_alerts(id),
      created_at INTEGER NOT NULL
    );
    CREATE INDEX holiday_coverage_alerts_created ON holiday_coverage_alerts(created_at);
  `,
};
