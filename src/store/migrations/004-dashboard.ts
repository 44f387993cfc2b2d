import type { Migration } from './types.js';

/**
 * Dashboard sessions and the audit trail, plus the indexes the metric queries need
 * (tickets and messages of a date range, so a day's report on a million tickets
 * reads only that day's rows).
 */
export const dashboard: Migration = {
  version: 4,
  name: 'dashboard sessions, audit log, metric indexes',
  sql: `
    -- The cookie carries a random token; only its SHA-256 is stored, so a copy of the
    -- database does not hand out live sessions.
    CREATE TABLE sessions (
      id TEXT PRIMARY KEY,
      staff_id INTEGER NOT NULL REFERENCES staff(id),
      csrf_token TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      expires_at INTEGER NOT NULL,
      last_seen_at INTEGER NOT NULL
    );
    CREATE INDEX sessions_staff ON sessions(staff_id);
    CREATE INDEX sessions_expires ON sessions(expires_at);

    -- Who did what outside a ticket (logins, lockouts, accounts, channel actions);
    -- ticket actions are in ticket_events with their staff_id.
    CREATE TABLE audit_log (
      id INTEGER PRIMARY KEY,
      staff_id INTEGER REFERENCES staff(id),
      username TEXT,
      action TEXT NOT NULL,
      target TEXT,
      data TEXT, -- JSON
      ip TEXT,
      created_at INTEGER NOT NULL
    );
    CREATE INDEX audit_log_created ON audit_log(created_at);

    CREATE INDEX tickets_created ON tickets(created_at);
  `,
};
