import type { Migration } from './types.js';

/** One satisfaction rating (1-5) per resolved ticket, with an optional comment. */
export const satisfaction: Migration = {
  version: 5,
  name: 'satisfaction survey',
  sql: `
    CREATE TABLE csat_ratings (
      ticket_id INTEGER PRIMARY KEY REFERENCES tickets(id),
      rating INTEGER NOT NULL CHECK (rating BETWEEN 1 AND 5),
      comment TEXT,
      created_at INTEGER NOT NULL,
      commented_at INTEGER
    );
    CREATE INDEX csat_ratings_created ON csat_ratings(created_at);
  `,
};
