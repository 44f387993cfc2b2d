import type { Migration } from './types.js';

/**
 * Indexes for large databases.
 * - `tickets_finished`: `resolvedBetween` (metrics/backlog.ts) counts tickets by
 *   `COALESCE(resolved_at, closed_at)`; without an index on that very expression each day
 *   of the digest's 8-day comparison read all tickets.
 * - `messages_inbound_recent`: the router's flood check counts a conversation's inbound
 *   messages of the last minute; through `messages_conversation` it read the whole history
 *   of the conversation for every message.
 */
export const reportIndexes: Migration = {
  version: 7,
  name: 'report indexes',
  sql: `
    CREATE INDEX tickets_finished ON tickets(COALESCE(resolved_at, closed_at));
    CREATE INDEX messages_inbound_recent ON messages(conversation_id, created_at) WHERE direction = 'in';
  `,
};
