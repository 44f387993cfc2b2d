/**
 * The intake's write path: one transaction stores the person, the conversation and
 * the message. The unique key on (channel, external_id) makes a redelivery a no-op.
 */
import type { AcceptOutcome, Attachment, InboundMessage } from '../../channels/channel.js';
import { MAX_ATTACHMENT_BYTES, boundText, sanitizeText } from '../text-limits.js';
import { inTransaction, prepared, type Db } from './db.js';

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
  // Checked (again) inside the write lock: another connection may have stored it meanwhile.
  const again = findInbound(db, message);
  if (again) return { outcome: 'duplicate', messageId: again.id };

  const at = now.getTime();
  const contactId = upsertIdentity(db, message, at);
  const conversationId = upsertConversation(db, message, contactId, at);
  const { text, truncated } = boundText(sanitizeText(message.text));
  const info = prepared(db, 
      `INSERT INTO messages (conversation_id, channel, direction, author, visibility, text, text_truncated, quick_reply_payload, external_id, created_at)
       VALUES (?, ?, 'in', 'applicant', 'public', ?, ?, ?, ?, ?)`,
    )
    .run(
      conversationId,
      message.channel,
      text,
      truncated ? 1 : 0,
      message.quickReplyPayload ? message.quickReplyPayload.slice(0, 256) : null,
      message.externalId,
      message.receivedAt.getTime(),
    );
  const messageId = Number(info.lastInsertRowid);
  for (const attachment of message.attachments) insertAttachment(db, messageId, attachment);
  prepared(db, 'UPDATE conversations SET last_inbound_at = ? WHERE id = ?').run(at, conversationId);
  return { outcome: 'stored', messageId };
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

function upsertConversation(db: Db, message: InboundMessage, contactId: number, at: number): number {
  const found = prepared<[string, string], { id: number }>(db, 'SELECT id FROM conversations WHERE channel = ? AND external_id = ?')
    .get(message.channel, message.conversationExternalId);
  if (found) return found.id;
  return Number(
    prepared(db, 'INSERT INTO conversations (contact_id, channel, external_id, created_at) VALUES (?, ?, ?, ?)')
      .run(contactId, message.channel, message.conversationExternalId, at).lastInsertRowid,
  );
}

function insertAttachment(db: Db, messageId: number, attachment: Attachment): void {
  const data = attachment.data && attachment.data.byteLength <= MAX_ATTACHMENT_BYTES ? Buffer.from(attachment.data) : null;
  prepared(db, 
    `INSERT INTO attachments (message_id, kind, mime_type, file_name, size_bytes, provider_ref, data)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    messageId,
    attachment.kind,
    attachment.mimeType ?? null,
    attachment.fileName ? sanitizeText(attachment.fileName).slice(0, 255) : null,
    attachment.sizeBytes ?? attachment.data?.byteLength ?? null,
    attachment.providerRef ?? null,
    data,
  );
}
