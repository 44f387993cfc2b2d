import type { Migration } from './types.js';

/**
 * One row per (digest date, supervisor target) that was queued. The unique key is what
 * makes the daily digest go out once per date and recipient: the row is inserted in the
 * transaction that queues the outbound message (text + PNG), so a second scheduler, a
 * restart, a catch-up run or `sapa digest --send` finds the row and queues nothing.
 */
export const digestDeliveries: Migration = {
  version: 6,
  name: 'digest deliveries',
  sql: `
    CREATE TABLE digest_deliveries (
      id INTEGER PRIMARY KEY,
      -- the office-local day the digest describes, YYYY-MM-DD
      date TEXT NOT NULL,
      channel TEXT NOT NULL,
      external_id TEXT NOT NULL,
      message_id INTEGER REFERENCES messages(id),
      alert_id INTEGER REFERENCES staff_alerts(id),
      created_at INTEGER NOT NULL,
      UNIQUE (date, channel, external_id)
    );
  `,
};
