/**
 * What adapters report besides applicant messages (src/channel-records.ts): officers'
 * replies sent from the provider's own inbox (echoes), delivery and read receipts of our
 * messages, and people's names from the provider's profile API. Queries only; the
 * caller holds the transaction.
 */
import type { ChannelName } from '../../channels/channel.js';
import type { Conversation } from '../domain.js';
import { prepared, type Db } from './db.js';
import { toConversation, type ConversationRow } from './mappers.js';

/** An outbound message of the channel with this provider id, on the conversation (ids are per chat on some channels). */
export function findOutboundByExternalId(db: Db, conversationId: number, channel: ChannelName, externalId: string): number | null {
  return (
    prepared<[string, string, number], { id: number }>(
      db,
      "SELECT id FROM messages WHERE channel = ? AND external_id = ? AND direction = 'out' AND conversation_id = ? LIMIT 1",
    ).get(channel, externalId, conversationId)?.id ?? null
  );
}

/**
 * The conversation with this person, created (with its contact and identity) when SAPA has
 * none: an officer may answer someone in the provider's inbox who wrote before SAPA ran.
 */
export function ensureConversation(db: Db, channel: ChannelName, externalId: string, now: Date): Conversation {
  const found = prepared<[string, string], ConversationRow>(db, 'SELECT * FROM conversations WHERE channel = ? AND external_id = ?').get(channel, externalId);
  if (found) return toConversation(found);
  const at = now.getTime();
  const identity = prepared<[string, string], { contact_id: number }>(db, 'SELECT contact_id FROM identities WHERE channel = ? AND external_id = ?').get(
    channel,
    externalId,
  );
  let contactId = identity?.contact_id;
  if (contactId === undefined) {
    contactId = Number(prepared(db, 'INSERT INTO contacts (display_name, created_at) VALUES (NULL, ?)').run(at).lastInsertRowid);
    prepared(db, 'INSERT INTO identities (contact_id, channel, external_id, created_at) VALUES (?, ?, ?, ?)').run(contactId, channel, externalId, at);
  }
  return toConversation(
    prepared<[number, string, string, number], ConversationRow>(
      db,
      'INSERT INTO conversations (contact_id, channel, external_id, created_at) VALUES (?, ?, ?, ?) RETURNING *',
    ).get(contactId, channel, externalId, at)!,
  );
}

export interface SentElsewhere {
  readonly conversationId: number;
  readonly channel: ChannelName;
  readonly ticketId: number | null;
  readonly text: string;
  readonly externalId: string;
  readonly sentAt: Date;
}

/** A public staff message that was delivered without SAPA (never queued: no outbox attempts). */
export function insertSentElsewhere(db: Db, message: SentElsewhere): number {
  const at = message.sentAt.getTime();
  return Number(
    prepared(
      db,
      `INSERT INTO messages (conversation_id, channel, ticket_id, direction, author, staff_id, visibility, text, external_id, created_at,
                             delivery_status, sent_at)
       VALUES (?, ?, ?, 'out', 'staff', NULL, 'public', ?, ?, ?, 'sent', ?)`,
    ).run(message.conversationId, message.channel, message.ticketId, message.text, message.externalId, at, at).lastInsertRowid,
  );
}

export interface ReceiptUpdate {
  readonly conversationId: number;
  readonly channel: ChannelName;
  readonly kind: 'delivered' | 'read';
  readonly at: Date;
  readonly externalIds: readonly string[];
  /** This message's id and every earlier one of the conversation. */
  readonly throughMessageId: number | null;
  /** Every message recorded as sent at or before. */
  readonly upTo: Date | null;
}

/**
 * Marks the conversation's sent public messages that the receipt covers; a moment
 * already recorded is kept (the first report wins). Returns the ids that changed.
 */
export function applyReceipt(db: Db, update: ReceiptUpdate): number[] {
  const params = {
    conversation: update.conversationId,
    channel: update.channel,
    at: update.at.getTime(),
    ids: JSON.stringify(update.externalIds),
    through: update.throughMessageId ?? -1,
    upTo: update.upTo?.getTime() ?? -1,
  };
  const covered = `conversation_id = @conversation AND channel = @channel AND direction = 'out' AND visibility = 'public' AND delivery_status = 'sent'
         AND (external_id IN (SELECT value FROM json_each(@ids)) OR id <= @through OR sent_at <= @upTo)`;
  const sql =
    update.kind === 'read'
      ? `UPDATE messages SET read_at = @at, delivered_at = COALESCE(delivered_at, @at) WHERE ${covered} AND read_at IS NULL RETURNING id`
      : `UPDATE messages SET delivered_at = @at WHERE ${covered} AND delivered_at IS NULL RETURNING id`;
  return prepared<[typeof params], { id: number }>(db, sql)
    .all(params)
    .map((row) => row.id);
}

/** Whether the person (by their identity on the channel) has a name already. */
export function identityHasName(db: Db, channel: ChannelName, externalId: string): boolean {
  const row = prepared<[string, string], { display_name: string | null }>(db, 'SELECT display_name FROM identities WHERE channel = ? AND external_id = ?').get(
    channel,
    externalId,
  );
  return row !== undefined && row.display_name !== null && row.display_name !== '';
}

/**
 * The identity's name and username from the provider's profile; the contact's name too
 * while it has none, or still has the name this identity gave it before (a name staff
 * typed is never overwritten). False when SAPA does not know the person.
 */
export function setIdentityProfile(db: Db, channel: ChannelName, externalId: string, displayName: string | null, username: string | null): boolean {
  const identity = prepared<[string, string], { contact_id: number; display_name: string | null }>(
    db,
    'SELECT contact_id, display_name FROM identities WHERE channel = ? AND external_id = ?',
  ).get(channel, externalId);
  if (!identity) return false;
  prepared(db, 'UPDATE identities SET display_name = COALESCE(?, display_name), username = COALESCE(?, username) WHERE channel = ? AND external_id = ?').run(
    displayName,
    username,
    channel,
    externalId,
  );
  if (displayName !== null) {
    prepared(db, "UPDATE contacts SET display_name = ? WHERE id = ? AND (display_name IS NULL OR display_name = '' OR display_name = ?)").run(
      displayName,
      identity.contact_id,
      identity.display_name ?? '',
    );
  }
  return true;
}

/** A key-value entry of `channel_state` (adapter state that survives restarts). */
export function readChannelState(db: Db, channel: string, key: string): string | null {
  return prepared<[string, string], { value: string }>(db, 'SELECT value FROM channel_state WHERE channel = ? AND key = ?').get(channel, key)?.value ?? null;
}

export function writeChannelState(db: Db, channel: string, key: string, value: string, now: Date): void {
  prepared(
    db,
    `INSERT INTO channel_state (channel, key, value, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT (channel, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  ).run(channel, key, value, now.getTime());
}
