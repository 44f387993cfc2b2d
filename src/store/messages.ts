/** Message queries: an outbound public message is queued for delivery as it is inserted (it is its own outbox entry). */
import type { ChannelName, OutboundAttachment, QuickReply } from '../../channels/channel.js';
import type { Author, Conversation, TicketChannel, StoredAttachment, StoredMessage } from '../domain.js';
import { prepared, type Db } from './db.js';
import { toConversation, toMessage, type MessageRow } from './mappers.js';

export interface OutboundDraft {
  readonly conversationId: number;
  /** The conversation's channel when the caller already has it (saves a lookup); otherwise read. */
  readonly channel?: TicketChannel;
  readonly ticketId?: number | null;
  readonly author: Exclude<Author, 'applicant'>;
  readonly staffId?: number | null;
  readonly text: string;
  readonly quickReplies?: readonly QuickReply[];
  /** Files sent with the text (stored in `attachments`, loaded again by the outbox). */
  readonly attachments?: readonly OutboundAttachment[];
}

/** JSON of frozen button lists (the router's, built once per knowledge base), kept: they cannot change. */
const frozenQuickReplies = new WeakMap<readonly QuickReply[], string>();

function quickRepliesJson(quickReplies: readonly QuickReply[]): string {
  if (!Object.isFrozen(quickReplies) || !quickReplies.every((reply) => Object.isFrozen(reply))) return JSON.stringify(quickReplies);
  let json = frozenQuickReplies.get(quickReplies);
  if (json === undefined) {
    json = JSON.stringify(quickReplies);
    frozenQuickReplies.set(quickReplies, json);
  }
  return json;
}

/** Inserts a public outbound message, queued for delivery now. Call inside the transaction that caused it. */
export function queueOutbound(db: Db, draft: OutboundDraft, now: Date): number {
  const conversation =
    draft.channel !== undefined
      ? { channel: draft.channel }
      : prepared<[number], { channel: TicketChannel }>(db, 'SELECT channel FROM conversations WHERE id = ?').get(draft.conversationId);
  if (!conversation) throw new Error(`conversation ${draft.conversationId} does not exist`);
  // No channel can deliver it: answers to an offline contact are recorded as given outside SAPA (#21).
  if (conversation.channel === 'offline') throw new Error(`conversation ${draft.conversationId} is offline: nothing can be sent to it`);
  const at = now.getTime();
  const quickReplies = draft.quickReplies && draft.quickReplies.length > 0 ? quickRepliesJson(draft.quickReplies) : null;
  const messageId = Number(
    prepared(db, 
        `INSERT INTO messages (conversation_id, channel, ticket_id, direction, author, staff_id, visibility, text, quick_replies, created_at,
                               delivery_status, delivery_attempts, next_attempt_at)
         VALUES (?, ?, ?, 'out', ?, ?, 'public', ?, ?, ?, 'queued', 0, ?)`,
      )
      .run(
        draft.conversationId,
        conversation.channel,
        draft.ticketId ?? null,
        draft.author,
        draft.staffId ?? null,
        draft.text,
        quickReplies,
        at,
        at,
      ).lastInsertRowid,
  );
  for (const file of draft.attachments ?? []) {
    prepared(db, 'INSERT INTO attachments (message_id, kind, mime_type, file_name, size_bytes, data) VALUES (?, ?, ?, ?, ?, ?)').run(
      messageId,
      file.kind,
      file.mimeType,
      file.fileName,
      file.data.byteLength,
      Buffer.from(file.data.buffer, file.data.byteOffset, file.data.byteLength),
    );
  }
  return messageId;
}

export interface NoteDraft {
  readonly conversationId: number;
  readonly ticketId: number;
  readonly staffId: number | null;
  readonly author: 'staff' | 'system';
  readonly text: string;
}

/** An internal note: visible to staff only, never delivered. */
export function insertInternalNote(db: Db, draft: NoteDraft, now: Date): number {
  const conversation = prepared<[number], { channel: ChannelName }>(db, 'SELECT channel FROM conversations WHERE id = ?')
    .get(draft.conversationId);
  if (!conversation) throw new Error(`conversation ${draft.conversationId} does not exist`);
  return Number(
    prepared(db, 
        `INSERT INTO messages (conversation_id, channel, ticket_id, direction, author, staff_id, visibility, text, created_at)
         VALUES (?, ?, ?, 'out', ?, ?, 'internal', ?, ?)`,
      )
      .run(draft.conversationId, conversation.channel, draft.ticketId, draft.author, draft.staffId, draft.text, now.getTime())
      .lastInsertRowid,
  );
}

export function getMessage(db: Db, id: number): StoredMessage | null {
  const row = prepared<[number], MessageRow>(db, 'SELECT * FROM messages WHERE id = ?').get(id);
  return row ? toMessage(row) : null;
}

/** The latest public messages of one conversation, oldest first. */
export function listConversationMessages(db: Db, conversationId: number, limit = 200): StoredMessage[] {
  return prepared<[number, number], MessageRow>(db, 
      `SELECT * FROM (SELECT * FROM messages WHERE conversation_id = ? AND visibility = 'public' ORDER BY id DESC LIMIT ?)
       ORDER BY id`,
    )
    .all(conversationId, limit)
    .map(toMessage);
}

/** Everything a contact said and was told, across channels, oldest first (staff view). */
export function listContactMessages(db: Db, contactId: number, limit = 500): StoredMessage[] {
  return prepared<[number, number], MessageRow>(db, 
      `SELECT * FROM (
         SELECT m.* FROM messages m JOIN conversations c ON c.id = m.conversation_id
         WHERE c.contact_id = ? ORDER BY m.id DESC LIMIT ?)
       ORDER BY id`,
    )
    .all(contactId, limit)
    .map(toMessage);
}

export function listTicketMessages(db: Db, ticketId: number): StoredMessage[] {
  return prepared<[number], MessageRow>(db, 'SELECT * FROM messages WHERE ticket_id = ? ORDER BY id')
    .all(ticketId)
    .map(toMessage);
}

/** An attachment as stored, with a recording's length (migration 16). */
export interface StoredMedia extends StoredAttachment {
  /** Seconds of a voice note or audio file as the provider said; null otherwise. */
  readonly durationSeconds: number | null;
}

/** An attachment row as `MEDIA_COLUMNS` selects it (without its bytes). */
export interface MediaRow {
  id: number;
  message_id: number;
  kind: string;
  mime_type: string | null;
  file_name: string | null;
  size_bytes: number | null;
  duration_seconds: number | null;
  has_data: number;
}

/** The columns `toStoredMedia` reads: everything but the bytes, and whether they are kept. */
export const MEDIA_COLUMNS = 'id, message_id, kind, mime_type, file_name, size_bytes, duration_seconds, data IS NOT NULL AS has_data';

export function toStoredMedia(row: MediaRow): StoredMedia {
  return {
    id: row.id,
    messageId: row.message_id,
    kind: row.kind,
    mimeType: row.mime_type,
    fileName: row.file_name,
    sizeBytes: row.size_bytes,
    durationSeconds: row.duration_seconds,
    hasData: row.has_data === 1,
  };
}

export function listAttachments(db: Db, messageId: number): StoredMedia[] {
  return prepared<[number], MediaRow>(db, `SELECT ${MEDIA_COLUMNS} FROM attachments WHERE message_id = ? ORDER BY id`)
    .all(messageId)
    .map(toStoredMedia);
}

/** Links an inbound message (and its attachments) to a ticket. */
export function attachMessageToTicket(db: Db, messageId: number, ticketId: number): void {
  prepared(db, 'UPDATE messages SET ticket_id = ? WHERE id = ?').run(ticketId, messageId);
}

export interface Classified {
  readonly intent: string;
  readonly confidence: number;
  readonly complaint: boolean;
}

export function markProcessed(db: Db, messageId: number, classified: Classified | null, now: Date): void {
  prepared(db, 'UPDATE messages SET processed_at = ?, intent = ?, confidence = ?, complaint = ? WHERE id = ?').run(
    now.getTime(),
    classified?.intent ?? null,
    classified?.confidence ?? null,
    classified === null ? null : classified.complaint ? 1 : 0,
    messageId,
  );
}

export function listUnprocessedInbound(db: Db, limit: number): StoredMessage[] {
  return prepared<[number], MessageRow>(db, 
      "SELECT * FROM messages WHERE direction = 'in' AND processed_at IS NULL ORDER BY id LIMIT ?",
    )
    .all(limit)
    .map(toMessage);
}

/** Unprocessed inbound messages with ids in [fromId, toId], oldest first, with their conversation and whether they have attachments. */
export function listUnprocessedInboundForRouting(
  db: Db,
  fromId: number,
  toId: number,
): { message: StoredMessage; conversation: Conversation | null; hasAttachments: boolean }[] {
  return prepared<[number, number], MessageRow & RoutingColumns>(
    db,
    `SELECT m.*, EXISTS (SELECT 1 FROM attachments a WHERE a.message_id = m.id) AS has_attachments,
       c.id AS c_id, c.contact_id AS c_contact_id, c.channel AS c_channel, c.external_id AS c_external_id,
       c.language AS c_language, c.miss_count AS c_miss_count, c.awaiting AS c_awaiting,
       c.awaiting_ticket_id AS c_awaiting_ticket_id, c.created_at AS c_created_at, c.last_inbound_at AS c_last_inbound_at,
       c.dialogue AS c_dialogue
     FROM messages m LEFT JOIN conversations c ON c.id = m.conversation_id
     WHERE m.id >= ? AND m.id <= ? AND m.direction = 'in' AND m.processed_at IS NULL ORDER BY m.id`,
  )
    .all(fromId, toId)
    .map((row) => ({
      message: toMessage(row),
      conversation:
        row.c_id === null
          ? null
          : toConversation({
              id: row.c_id,
              contact_id: row.c_contact_id,
              channel: row.c_channel,
              external_id: row.c_external_id,
              language: row.c_language,
              miss_count: row.c_miss_count,
              awaiting: row.c_awaiting,
              awaiting_ticket_id: row.c_awaiting_ticket_id,
              created_at: row.c_created_at,
              last_inbound_at: row.c_last_inbound_at,
              dialogue: row.c_dialogue,
            }),
      hasAttachments: row.has_attachments === 1,
    }));
}

interface RoutingColumns {
  has_attachments: number;
  c_id: number | null;
  c_contact_id: number;
  c_channel: string;
  c_external_id: string;
  c_language: string;
  c_miss_count: number;
  c_awaiting: string | null;
  c_awaiting_ticket_id: number | null;
  c_created_at: number;
  c_last_inbound_at: number | null;
  c_dialogue: string | null;
}

/** Ids (and conversations) of stored inbound messages not routed yet, oldest first. */
export function listUnprocessedInboundIds(db: Db, limit: number): { id: number; conversationId: number }[] {
  return prepared<[number], { id: number; conversation_id: number }>(
    db,
    "SELECT id, conversation_id FROM messages WHERE direction = 'in' AND processed_at IS NULL ORDER BY id LIMIT ?",
  )
    .all(limit)
    .map((row) => ({ id: row.id, conversationId: row.conversation_id }));
}

/** Whether any stored inbound message still waits to be routed. */
export function hasUnprocessedInbound(db: Db): boolean {
  return prepared<[], { id: number }>(db, "SELECT id FROM messages WHERE direction = 'in' AND processed_at IS NULL ORDER BY id LIMIT 1").get() !== undefined;
}
