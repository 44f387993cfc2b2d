import type { Migration } from './types.js';

/**
 * Staff targets (the Telegram staff group, the WhatsApp staff group, supervisors' chats)
 * are conversations of a contact of kind 'staff_target', so alerts to them travel through
 * the same outbox as applicant replies: retried, ordered, resumed after a restart.
 */
export const staffAlerts: Migration = {
  version: 2,
  name: 'staff alerts',
  sql: `
    ALTER TABLE contacts ADD COLUMN kind TEXT NOT NULL DEFAULT 'applicant' CHECK (kind IN ('applicant', 'staff_target'));

    CREATE TABLE staff_alerts (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL,
      audience TEXT NOT NULL CHECK (audience IN ('staff', 'supervisor')),
      ticket_id INTEGER REFERENCES tickets(id),
      text TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );
    CREATE INDEX staff_alerts_created ON staff_alerts(created_at);
    CREATE INDEX staff_alerts_ticket ON staff_alerts(ticket_id);

    -- Which alert an outbound message carries (a staff-group post), so a reply to that
    -- post can be traced back to its ticket.
    ALTER TABLE messages ADD COLUMN alert_id INTEGER REFERENCES staff_alerts(id);
  `,
};
