import type { Migration } from './types.js';

/**
 * The delivery queue moves into `messages`: an outbound public message is its own queue
 * entry, so queueing a reply is one row instead of a message row plus an outbox row (the
 * router queues one per applicant message).
 *
 * A queued message has `delivery_attempts` set (0 when queued); `delivery_status` says
 * where it is (queued = the old outbox `pending`, sent, failed) and `delivery_error` holds
 * the last error (it always equalled the outbox's `last_error`). `next_attempt_at` and
 * `sent_at` are the outbox's. The partial indexes are the outbox's, over queued rows only.
 * `outbox` stays as a read-only view with the old columns (the row id is the message id).
 */
export const outboxInMessages: Migration = {
  version: 9,
  name: 'outbox in messages',
  sql: `
    ALTER TABLE messages ADD COLUMN delivery_attempts INTEGER;
    ALTER TABLE messages ADD COLUMN next_attempt_at INTEGER;
    ALTER TABLE messages ADD COLUMN sent_at INTEGER;

    UPDATE messages
    SET delivery_attempts = o.attempts,
        next_attempt_at = o.next_attempt_at,
        sent_at = o.sent_at,
        delivery_error = o.last_error,
        delivery_status = CASE o.status WHEN 'pending' THEN 'queued' ELSE o.status END
    FROM outbox o
    WHERE o.message_id = messages.id;

    DROP TABLE outbox;

    CREATE INDEX messages_delivery_due ON messages(next_attempt_at) WHERE delivery_status = 'queued';
    CREATE INDEX messages_delivery_queue ON messages(conversation_id, id) WHERE delivery_status = 'queued';
    CREATE INDEX messages_delivery_failed ON messages(id) WHERE delivery_status = 'failed';

    CREATE VIEW outbox AS
      SELECT id, id AS message_id, conversation_id, channel,
             CASE delivery_status WHEN 'queued' THEN 'pending' ELSE delivery_status END AS status,
             delivery_attempts AS attempts, next_attempt_at, delivery_error AS last_error, created_at, sent_at
      FROM messages
      WHERE delivery_attempts IS NOT NULL;
  `,
};
