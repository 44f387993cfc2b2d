import type { Migration } from './types.js';

/**
 * One row per SLA escalation that fired. The unique key is what makes each
 * (ticket, timer, level) fire exactly once: the scanner inserts the row in the
 * transaction that raises the alert, so a second scanner, a restart or a clock
 * jump finds the row and stays silent.
 *
 * `window_start_at` is part of the key because the next-response timer runs once
 * per unanswered stretch (each new applicant message after a staff reply starts a
 * new window, which must be able to escalate again). For first response and
 * resolution it is always the ticket's opening time, so for them the key is
 * exactly (ticket, timer, level).
 *
 * The dashboard and the digest read breaches from here rather than recomputing
 * them: `breach_at` is when the window ran out and `overdue_ms` how much business
 * time past it the escalation fired (negative for a warning: time that was left).
 */
export const slaEscalations: Migration = {
  version: 3,
  name: 'sla escalations',
  sql: `
    CREATE TABLE sla_escalations (
      id INTEGER PRIMARY KEY,
      ticket_id INTEGER NOT NULL REFERENCES tickets(id),
      timer TEXT NOT NULL CHECK (timer IN ('first_response', 'next_response', 'resolution')),
      level TEXT NOT NULL CHECK (level IN ('warning', 'breach', 'supervisor')),
      window_start_at INTEGER NOT NULL,
      priority TEXT NOT NULL CHECK (priority IN ('normal', 'high')),
      -- the moment of this level (warning, breach or supervisor time)
      due_at INTEGER NOT NULL,
      -- when the window itself runs out
      breach_at INTEGER NOT NULL,
      -- the scan moment that fired it
      fired_at INTEGER NOT NULL,
      overdue_ms INTEGER NOT NULL,
      assignee_id INTEGER REFERENCES staff(id),
      alert_id INTEGER REFERENCES staff_alerts(id),
      UNIQUE (ticket_id, timer, level, window_start_at)
    );
    CREATE INDEX sla_escalations_fired ON sla_escalations(fired_at);
  `,
};
