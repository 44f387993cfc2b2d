import type { Migration } from './types.js';

/**
 * Complaints received outside the chat channels (#21): at the counter, by phone, by letter,
 * through LAPOR! (the national complaint system, worked by hand in its admin panel), by an
 * e-mail outside SAPA's mailbox, or otherwise, recorded by staff.
 *
 * - `tickets.origin`: where the complaint came from; 'chat' for every ticket the router
 *   opened (all tickets before this migration). The SLA policy may differ per origin.
 * - `tickets.lapor_tracking_id`: the LAPOR! report's tracking number, searchable.
 * - `contacts.phone`, `contacts.email`: what staff wrote down for a person met outside the
 *   channels (normalized: phone digits with country code, e-mail lower-case), so the next
 *   complaint from the same phone or address joins the same contact.
 * - `conversations` on channel 'offline': where the tickets and answers of a contact SAPA
 *   cannot reach live (tickets need a conversation); nothing is ever queued to them.
 * - `messages.answered_via`: a public staff answer given outside SAPA (phone call, letter,
 *   the LAPOR! panel, in person): recorded, never sent, counted for the SLA.
 */
export const ticketOrigin: Migration = {
  version: 15,
  name: 'ticket origin, LAPOR! tracking id, contact phone and e-mail, answers outside SAPA',
  sql: `
    ALTER TABLE tickets ADD COLUMN origin TEXT NOT NULL DEFAULT 'chat'
      CHECK (origin IN ('chat', 'desk', 'phone', 'letter', 'lapor', 'email', 'other'));
    ALTER TABLE tickets ADD COLUMN lapor_tracking_id TEXT;
    CREATE INDEX tickets_lapor_tracking ON tickets(lapor_tracking_id) WHERE lapor_tracking_id IS NOT NULL;
    CREATE INDEX tickets_origin_created ON tickets(origin, created_at) WHERE origin <> 'chat';

    ALTER TABLE contacts ADD COLUMN phone TEXT;
    ALTER TABLE contacts ADD COLUMN email TEXT;
    CREATE INDEX contacts_phone ON contacts(phone) WHERE phone IS NOT NULL;
    CREATE INDEX contacts_email ON contacts(email) WHERE email IS NOT NULL;
    CREATE INDEX identities_phone ON identities(phone) WHERE phone IS NOT NULL;

    ALTER TABLE messages ADD COLUMN answered_via TEXT
      CHECK (answered_via IN ('phone', 'letter', 'lapor', 'in_person', 'email'));
  `,
};
