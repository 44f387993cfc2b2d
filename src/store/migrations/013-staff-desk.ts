import type { Migration } from './types.js';

/**
 * What the officers' desk remembers per officer (#18 part B):
 *
 * `ticket_reads`: the last message of a ticket an officer has seen (opening the ticket page
 * moves it forward), so the queue shows unread applicant messages per ticket and officer.
 * `alert_reads`: which alert of the dashboard feed an officer has marked as seen.
 * `takeover_requests`: an officer asks to take over a colleague's ticket; the holder or a
 * supervisor accepts (the ticket moves to the requester) or declines.
 * `contact_notes`: staff notes about an applicant (not about one ticket), shown in the
 * contact panel of every ticket of that applicant.
 */
export const staffDesk: Migration = {
  version: 13,
  name: 'staff desk: unread state, alert reads, take-over requests, contact notes',
  sql: `
    CREATE TABLE ticket_reads (
      staff_id INTEGER NOT NULL REFERENCES staff(id),
      ticket_id INTEGER NOT NULL REFERENCES tickets(id),
      last_message_id INTEGER NOT NULL,
      read_at INTEGER NOT NULL,
      PRIMARY KEY (staff_id, ticket_id)
    ) WITHOUT ROWID;

    CREATE TABLE alert_reads (
      staff_id INTEGER NOT NULL REFERENCES staff(id),
      alert_id INTEGER NOT NULL REFERENCES staff_alerts(id),
      seen_at INTEGER NOT NULL,
      PRIMARY KEY (staff_id, alert_id)
    ) WITHOUT ROWID;

    CREATE TABLE takeover_requests (
      id INTEGER PRIMARY KEY,
      ticket_id INTEGER NOT NULL REFERENCES tickets(id),
      requester_id INTEGER NOT NULL REFERENCES staff(id),
      -- who held the ticket when the request was made
      holder_id INTEGER REFERENCES staff(id),
      note TEXT,
      status TEXT NOT NULL CHECK (status IN ('pending', 'accepted', 'declined', 'withdrawn')),
      decided_by INTEGER REFERENCES staff(id),
      created_at INTEGER NOT NULL,
      decided_at INTEGER
    );
    CREATE INDEX takeover_requests_ticket ON takeover_requests(ticket_id, status);
    CREATE INDEX takeover_requests_pending ON takeover_requests(status) WHERE status = 'pending';

    CREATE TABLE contact_notes (
      id INTEGER PRIMARY KEY,
      contact_id INTEGER NOT NULL REFERENCES contacts(id),
      staff_id INTEGER REFERENCES staff(id),
      text TEXT NOT NULL,
      created_at INTEGER NOT NULL
    );
    CREATE INDEX contact_notes_contact ON contact_notes(contact_id, id);
  `,
};
