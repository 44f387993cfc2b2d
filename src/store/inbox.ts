/**
 * The intake's write path: one transaction stores the person, the conversation and
 * the message. The unique key on (channel, external_id) makes a redelivery a no-op.
 */
import type { AcceptOutcome, Attachment, InboundMessage } from '../../channels/channel.js';
import type { Conversation, StoredMessage } from '../domain.js';
import { MAX_ATTACHMENT_BYTES, boundText, sanitizeText } from '../text-limits.js';
import { inTransaction, prepared, type Db } from './db.js';
import { toConversation, type ConversationRow } from './mappers.js';
import type { Classified } from './messages.js';

/** What storing a message learned, for routing it in the same transaction without reading it back. */
export interface StoredInbound<C extends Classified = Classified> {
  readonly message: StoredMessage;
  /** The conversation row as it is after this store (last_inbound_at included). */
  readonly conversation: Conversation;
  readonly hasAttachments: boolean;
  /**
   * The row was stored already marked processed at `processedAt` with this classification
   * (what routing it records), because it is routed in the same transaction: one write
   * instead of an insert and an update.
   */
  readonly classification: C | null;
  readonly processedAt: Date;
}

/** Classifies a message's stored text (and stored quick-reply payload) for `storeInboundForRouting`. */
export type InboundClassifier<C extends Classified> = (text: string, quickReplyPayload: string | null) => C | null;

export function storeInbound(db: Db, message: InboundMessage, now: Date): AcceptOutcome {
  // Inside a transaction (the intake's group commit) we already hold the write lock:
  // one check suffices, and a failure rolls back the caller's whole transaction anyway.
  if (db.inTransaction) return storeLocked(db, message, now);
  const existing = findInbound(db, message);
  if (existing) return { outcome: 'duplicate', messageId: existing.id };
  return inTransaction(db, () => storeLocked(db, message, now));
}

function findInbound(db: Db, message: InboundMessage): { id: number } | undefined {
  return prepared<[string, string], { id: number }>(db, "SELECT id FROM messages WHERE channel = ? AND external_id = ? AND direction = 'in'").get(
    message.channel,
    message.externalId,
  );
}

/** Call with the write lock held. */
function storeLocked(db: Db, message: InboundMessage, now: Date): AcceptOutcome {
  return storeLockedForRouting(db, message, now, null).outcome;
}

/**
 * Stores one message inside the caller's IMMEDIATE transaction, already marked processed
 * at `now` with what `classify` says, and returns, for a stored message, its row and its
 * conversation's row as they now are. The caller must route it in the same transaction
 * (so the mark commits only together with what routing it wrote).
 */
export function storeInboundForRouting<C extends Classified>(
  db: Db,
  message: InboundMessage,
  now: Date,
  classify: InboundClassifier<C>,
): { outcome: AcceptOutcome; stored: StoredInbound<C> | null } {
  if (!db.inTransaction) throw new Error('storeInboundForRouting needs the write transaction');
  return storeLockedForRouting(db, message, now, classify);
}

function storeLockedForRouting<C extends Classified>(
  db: Db,
  message: InboundMessage,
  now: Date,
  classify: InboundClassifier<C> | null,
): { outcome: AcceptOutcome; stored: StoredInbound<C> | null } {
  // Checked (again) inside the write lock: another connection may have stored it meanwhile.
  const again = findInbound(db, message);
  if (again) return { outcome: { outcome: 'duplicate', messageId: again.id }, stored: null };

  const at = now.getTime();
  const contactId = upsertIdentity(db, message, at);
  const conversationRow = upsertConversation(db, message, contactId, at);
  const conversationId = conversationRow.id;
  const { text, truncated } = boundText(sanitizeText(message.text));
  const quickReplyPayload = message.quickReplyPayload ? message.quickReplyPayload.slice(0, 256) : null;
  const createdAt = message.receivedAt.getTime();
  const classification = classify === null ? null : classify(text, quickReplyPayload);
  const info = prepared(db, 
      `INSERT INTO messages (conversation_id, channel, direction, author, visibility, text, text_truncated, quick_reply_payload, external_id, created_at,
                             processed_at, intent, confidence, complaint)
       VALUES (?, ?, 'in', 'applicant', 'public', ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      conversationId,
      message.channel,
      text,
      truncated ? 1 : 0,
      quickReplyPayload,
      message.externalId,
      createdAt,
      classify === null ? null : at,
      classification?.intent ?? null,
      classification?.confidence ?? null,
      classification === null ? null : classification.complaint ? 1 : 0,
    );
  const messageId = Number(info.lastInsertRowid);
  for (const attachment of message.attachments) insertAttachment(db, messageId, attachment);
  if (classify === null) return { outcome: { outcome: 'stored', messageId }, stored: null };
  const stored: StoredMessage = {
    id: messageId,
    conversationId,
    channel: message.channel,
    ticketId: null,
    direction: 'in',
    author: 'applicant',
    staffId: null,
    visibility: 'public',
    text,
    textTruncated: truncated,
    quickReplies: [],
    quickReplyPayload,
    externalId: message.externalId,
    intent: classification?.intent ?? null,
    confidence: classification?.confidence ?? null,
    complaint: classification === null ? null : classification.complaint,
    createdAt: new Date(createdAt),
    processedAt: now,
    deliveryStatus: null,
    deliveryError: null,
    deliveredAt: null,
    readAt: null,
  };
  return {
    outcome: { outcome: 'stored', messageId },
    stored: { message: stored, conversation: toConversation(conversationRow), hasAttachments: message.attachments.length > 0, classification, processedAt: now },
  };
}

function upsertIdentity(db: Db, message: InboundMessage, at: number): number {
  const { sender } = message;
  const found = prepared<[string, string], { contact_id: number; display_name: string | null }>(db, 
      'SELECT contact_id, display_name FROM identities WHERE channel = ? AND external_id = ?',
    )
    .get(message.channel, sender.externalId);
  const displayName = sender.displayName ? sanitizeText(sender.displayName).slice(0, 200) : null;
  if (found) {
    // Unchanged names are not written again (the row would be the same).
    if (displayName && displayName !== found.display_name) {
      prepared(db, 'UPDATE identities SET display_name = ? WHERE channel = ? AND external_id = ?').run(
        displayName,
        message.channel,
        sender.externalId,
      );
    }
    return found.contact_id;
  }
  const contactId = Number(
    prepared(db, 'INSERT INTO contacts (display_name, created_at) VALUES (?, ?)').run(displayName, at).lastInsertRowid,
  );
  prepared(db, 
    `INSERT INTO identities (contact_id, channel, external_id, display_name, phone, username, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(contactId, message.channel, sender.externalId, displayName, sender.phone ?? null, sender.username ?? null, at);
  return contactId;
}

/**
 * The conversation's row as it is after this message: inserted if new, otherwise its
 * last_inbound_at moved to `at`. One statement (an upsert returning the row) where a
 * lookup, an insert and an update were three.
 */
function upsertConversation(db: Db, message: InboundMessage, contactId: number, at: number): ConversationRow {
  return prepared<[number, string, string, number, number], ConversationRow>(
    db,
    `INSERT INTO conversations (contact_id, channel, external_id, created_at, last_inbound_at) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (channel, external_id) DO UPDATE SET last_inbound_at = excluded.last_inbound_at
     RETURNING *`,
  ).get(contactId, message.channel, message.conversationExternalId, at, at)!;
}

function insertAttachment(db: Db, messageId: number, attachment: Attachment): void {
  const data = attachment.data && attachment.data.byteLength <= MAX_ATTACHMENT_BYTES ? Buffer.from(attachment.data) : null;
  prepared(db, 
    `INSERT INTO attachments (message_id, kind, mime_type, file_name, size_bytes, provider_ref, data, duration_seconds)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    messageId,
    attachment.kind,
    attachment.mimeType ?? null,
    attachment.fileName ? sanitizeText(attachment.fileName).slice(0, 255) : null,
    attachment.sizeBytes ?? attachment.data?.byteLength ?? null,
    attachment.providerRef ?? null,
    data,
    // Only a plausible length is kept (providers send integers; a hostile one could send anything).
    typeof attachment.durationSeconds === 'number' && Number.isFinite(attachment.durationSeconds) && attachment.durationSeconds >= 0
      ? Math.min(Math.round(attachment.durationSeconds), 1_000_000)
      : null,
  );
}
