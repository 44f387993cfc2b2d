/**
 * What the e-mail channel asks of the store (`EmailDirectory` in channels/channel.ts is the
 * contract; src/main.ts hands this object to the adapter, which never imports the store):
 * - which conversation a mail belongs to, from the Message-IDs it answers (an applicant's
 *   earlier mail, or one of our replies: its id is checked against the one we sent, so a
 *   guessed number joins nothing) or from a `[#<n>]` in its subject (only for the ticket's
 *   own applicant, by address);
 * - the ticket a reply belongs to (its subject carries `[#<n>]`);
 * - a bounce: the reply it reports is marked failed, permanently, with the reason;
 * - a small key-value state in `channel_state` (channel 'email'): the IMAP cursor, each
 *   thread's addressing (who to write to, subject, Message-IDs) and the numbered options.
 */
import type { EmailDirectory } from '../../channels/channel.js';
import { prepared, type Db } from './db.js';

const CHANNEL = 'email';

export interface EmailStoreHooks {
  /** After a bounce marked a reply failed (the dashboard's live view listens). */
  readonly onDeliveryFailed?: (failure: { conversationId: number; messageId: number }) => void;
}

export function createEmailStore(db: Db, hooks: EmailStoreHooks = {}): EmailDirectory {
  return {
    getState(key) {
      return prepared<[string, string], { value: string }>(db, 'SELECT value FROM channel_state WHERE channel = ? AND key = ?').get(CHANNEL, key)?.value;
    },
    setState(key, value) {
      prepared(
        db,
        `INSERT INTO channel_state (channel, key, value, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (channel, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      ).run(CHANNEL, key, value, Date.now());
    },
    conversationOfInbound(messageId) {
      return prepared<[string, string], { external_id: string }>(
        db,
        `SELECT c.external_id FROM messages m JOIN conversations c ON c.id = m.conversation_id
         WHERE m.channel = ? AND m.direction = 'in' AND m.external_id = ?`,
      ).get(CHANNEL, messageId)?.external_id;
    },
    conversationOfReply(ourMessageId, providerMessageId) {
      return prepared<[number, string, string], { external_id: string }>(
        db,
        `SELECT c.external_id FROM messages m JOIN conversations c ON c.id = m.conversation_id
         WHERE m.id = ? AND m.channel = ? AND m.direction = 'out' AND m.external_id = ?`,
      ).get(ourMessageId, CHANNEL, providerMessageId)?.external_id;
    },
    conversationOfTicket(ticketNumber, address) {
      return prepared<[string, string, number, string], { external_id: string }>(
        db,
        `SELECT c.external_id FROM tickets t
         JOIN conversations c ON c.id = t.conversation_id
         JOIN identities i ON i.contact_id = t.contact_id AND i.channel = ? AND i.external_id = ?
         WHERE t.id = ? AND c.channel = ?`,
      ).get(CHANNEL, address, ticketNumber, CHANNEL)?.external_id;
    },
    ticketOfReply(ourMessageId) {
      const row = prepared<[number], { ticket_id: number | null }>(
        db,
        `SELECT COALESCE(m.ticket_id, (SELECT MAX(t.id) FROM tickets t WHERE t.conversation_id = m.conversation_id)) AS ticket_id
         FROM messages m WHERE m.id = ?`,
      ).get(ourMessageId);
      return row?.ticket_id ?? undefined;
    },
    markReplyBounced(ourMessageId, providerMessageId, reason, now) {
      const row = prepared<[string, number, number, string], { conversation_id: number }>(
        db,
        `UPDATE messages SET delivery_status = 'failed', delivery_error = ?, next_attempt_at = ?
         WHERE id = ? AND channel = 'email' AND direction = 'out' AND external_id = ? AND delivery_status = 'sent'
         RETURNING conversation_id`,
      ).get(reason.slice(0, 1000), now.getTime(), ourMessageId, providerMessageId);
      if (row === undefined) return false;
      hooks.onDeliveryFailed?.({ conversationId: row.conversation_id, messageId: ourMessageId });
      return true;
    },
  };
}
