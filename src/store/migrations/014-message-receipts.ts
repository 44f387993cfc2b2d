import type { Migration } from './types.js';

/**
 * Delivery and read receipts for outbound messages (#19: Meta's `delivery`, `read` and
 * Instagram's `messaging_seen`). `delivery_status` stays the outbox's own state (queued,
 * sent, failed); what the provider later reports about a sent message is two moments of
 * its own: `delivered_at` (reached the person's device) and `read_at` (the person opened
 * it; a read message counts as delivered too). NULL: not reported (yet, or never: most
 * channels send no receipts).
 *
 * `messages_outbound_external`: receipts and echoes name our messages by the provider's
 * id; outbound ids are not unique across conversations on every channel (Telegram numbers
 * messages per chat), so the index is not unique and lookups add the conversation.
 */
export const messageReceipts: Migration = {
  version: 14,
  name: 'message receipts: delivered_at, read_at',
  sql: `
    ALTER TABLE messages ADD COLUMN delivered_at INTEGER;
    ALTER TABLE messages ADD COLUMN read_at INTEGER;
    CREATE INDEX messages_outbound_external ON messages(channel, external_id) WHERE direction = 'out' AND external_id IS NOT NULL;
  `,
};
