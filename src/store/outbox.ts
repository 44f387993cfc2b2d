/**
 * Outbox queries used by the dispatcher (src/outbox.ts). The queue is the outbound public
 * messages themselves (migration 009): a queue entry's id is its message's id, and
 * `delivery_status = 'queued'` is what the outbox called `pending`.
 */
import type { ChannelName, OutboundAttachment, QuickReply } from '../../channels/channel.js';
import { prepared, type Db } from './db.js';

export interface OutboxItem {
  /** The queued message's id (the entry is the message row). */
  readonly id: number;
  readonly messageId: number;
  readonly conversationId: number;
  readonly channel: ChannelName;
  readonly conversationExternalId: string;
  readonly author: 'bot' | 'staff' | 'system';
  readonly text: string;
  readonly quickReplies: readonly QuickReply[];
  /** Files queued with the message (queueOutbound's `attachments`); empty for most messages. */
  readonly attachments: readonly OutboundAttachment[];
  readonly attempts: number;
  readonly createdAt: Date;
}

interface AttachmentRow {
  kind: string;
  mime_type: string | null;
  file_name: string | null;
  data: Buffer;
}

/** The files of one outbound message, in the order they were queued. */
export function outboundAttachments(db: Db, messageId: number): OutboundAttachment[] {
  return prepared<[number], AttachmentRow>(
    db,
    'SELECT kind, mime_type, file_name, data FROM attachments WHERE message_id = ? AND data IS NOT NULL ORDER BY id',
  )
    .all(messageId)
    .map((row) => ({
      kind: row.kind === 'image' || row.kind === 'voice' || row.kind === 'audio' ? row.kind : 'document',
      mimeType: row.mime_type ?? 'application/octet-stream',
      fileName: row.file_name ?? 'file',
      data: new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength),
    }));
}

interface OutboxItemRow {
  id: number;
  message_id: number;
  conversation_id: number;
  channel: string;
  external_id: string;
  author: string;
  text: string;
  quick_replies: string | null;
  attempts: number;
  created_at: number;
}

/**
 * Rows ready to send: due now, and the oldest pending row of their conversation
 * (so a conversation's messages go out in order even while earlier ones retry).
 */
export function selectDueOutbox(
  db: Db,
  now: Date,
  limit: number,
  excludeConversations: ReadonlySet<number>,
  channels: readonly ChannelName[],
): OutboxItem[] {
  if (channels.length === 0) return [];
  // Compiled once per number of channels (preparing cost more than running it, once per pass).
  const rows = prepared<(number | string)[], OutboxItemRow>(
      db,
      `SELECT m.id, m.id AS message_id, m.conversation_id, m.channel, c.external_id, m.author, m.text, m.quick_replies,
              m.delivery_attempts AS attempts, m.created_at
       FROM messages m
       JOIN conversations c ON c.id = m.conversation_id
       WHERE m.delivery_status = 'queued' AND m.next_attempt_at <= ?
         AND m.channel IN (${channels.map(() => '?').join(', ')})
         AND m.id = (SELECT MIN(m2.id) FROM messages m2 WHERE m2.conversation_id = m.conversation_id AND m2.delivery_status = 'queued')
       ORDER BY m.next_attempt_at, m.id
       LIMIT ?`,
    ).all(now.getTime(), ...channels, limit + excludeConversations.size);
  return rows
    .filter((row) => !excludeConversations.has(row.conversation_id))
    .slice(0, limit)
    .map((row) => ({
      id: row.id,
      messageId: row.message_id,
      conversationId: row.conversation_id,
      channel: row.channel as ChannelName,
      conversationExternalId: row.external_id,
      author: row.author === 'staff' ? 'staff' : row.author === 'system' ? 'system' : 'bot',
      text: row.text,
      quickReplies: row.quick_replies === null ? [] : (JSON.parse(row.quick_replies) as QuickReply[]),
      // One indexed lookup per due row (attachments_message); most rows have none.
      attachments: outboundAttachments(db, row.message_id),
      attempts: row.attempts,
      createdAt: new Date(row.created_at),
    }));
}

/** The earliest time a pending row becomes due, for scheduling the next pass. */
export function nextOutboxAttemptAt(db: Db, channels: readonly ChannelName[]): Date | null {
  if (channels.length === 0) return null;
  const row = prepared<string[], { at: number | null }>(db, 
      `SELECT MIN(next_attempt_at) AS at FROM messages WHERE delivery_status = 'queued' AND channel IN (${channels.map(() => '?').join(', ')})`,
    )
    .get(...channels);
  return row?.at == null ? null : new Date(row.at);
}

/** Marks a row sent. Only a queued row changes, so a row marked sent is never sent again. */
export function markOutboxSent(db: Db, id: number, providerMessageId: string, now: Date): boolean {
  return (
    prepared(
      db,
      `UPDATE messages SET delivery_status = 'sent', sent_at = ?, delivery_attempts = delivery_attempts + 1, delivery_error = NULL, external_id = ?
       WHERE id = ? AND delivery_status = 'queued'`,
    ).run(now.getTime(), providerMessageId, id).changes === 1
  );
}

export function markOutboxRetry(db: Db, id: number, error: string, nextAttemptAt: Date): void {
  prepared(
    db,
    "UPDATE messages SET delivery_attempts = delivery_attempts + 1, delivery_error = ?, next_attempt_at = ? WHERE id = ? AND delivery_status = 'queued'",
  ).run(error, nextAttemptAt.getTime(), id);
}

/** A permanent failure: recorded on the message, visible to staff, never retried. */
export function markOutboxFailed(db: Db, id: number, error: string, now: Date): void {
  prepared(
    db,
    `UPDATE messages SET delivery_status = 'failed', delivery_attempts = delivery_attempts + 1, delivery_error = ?, sent_at = NULL, next_attempt_at = ?
     WHERE id = ? AND delivery_status = 'queued'`,
  ).run(error, now.getTime(), id);
}

export interface OutboxCounts {
  readonly pending: number;
  readonly failed: number;
}

export function countOutbox(db: Db): OutboxCounts {
  const row = prepared<[], { pending: number; failed: number }>(db, 
      `SELECT (SELECT COUNT(*) FROM messages WHERE delivery_status = 'queued') AS pending,
              (SELECT COUNT(*) FROM messages WHERE delivery_status = 'failed' AND delivery_attempts IS NOT NULL) AS failed`,
    )
    .get();
  return { pending: row?.pending ?? 0, failed: row?.failed ?? 0 };
}
