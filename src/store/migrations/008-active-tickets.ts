import type { Migration } from './types.js';

/**
 * `tickets_active`: the router looks up the contact's newest open or pending ticket for
 * every message (`findActiveTicket`). Through `tickets_contact (contact_id, status)` that
 * took two index searches and a sort; this index answers it with one search, in id order.
 */
export const activeTickets: Migration = {
  version: 8,
  name: 'active tickets index',
  sql: `
    CREATE INDEX tickets_active ON tickets(contact_id, id) WHERE status IN ('open', 'pending');
  `,
};
