import type { Migration } from './types.js';

/**
 * Flood control across web chat identities.
 *
 * `ticket_origins`: the tickets a web chat address opened, by a keyed hash of the address
 * (never the address itself), so "new tickets per address per hour" is one indexed count.
 * `kind = 'flood'` marks the one ticket per address that collects the complaints beyond
 * the cap instead of a new ticket each.
 *
 * `staff_alerts.batch_state`: during a spike of new tickets, alerts past the threshold are
 * stored ('held') without a post of their own, then summed up in one post ('summarised',
 * by `summary_alert_id`).
 */
export const floodControl: Migration = {
  version: 12,
  name: 'flood control across web chat identities',
  sql: `
    CREATE TABLE ticket_origins (
      ticket_id INTEGER PRIMARY KEY REFERENCES tickets(id),
      origin_key TEXT NOT NULL,
      kind TEXT NOT NULL CHECK (kind IN ('regular', 'flood')),
      created_at INTEGER NOT NULL
    );
    CREATE INDEX ticket_origins_key ON ticket_origins(origin_key, kind, created_at);

    ALTER TABLE staff_alerts ADD COLUMN batch_state TEXT CHECK (batch_state IN ('held', 'summarised'));
    ALTER TABLE staff_alerts ADD COLUMN summary_alert_id INTEGER REFERENCES staff_alerts(id);
    CREATE INDEX staff_alerts_kind_created ON staff_alerts(kind, created_at);
    CREATE INDEX staff_alerts_held ON staff_alerts(kind, created_at) WHERE batch_state = 'held';
  `,
};
