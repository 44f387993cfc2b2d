/** The "new ticket" post a staff chat received for a ticket (to edit it when someone claims or resolves it). */
import type { ChannelName } from '../../channels/channel.js';
import { prepared, type Db } from '../store/db.js';

export interface TicketPost {
  /** The provider's id of the (last part of the) post. */
  readonly providerMessageId: string;
  /** The text as we sent it, without anything a later edit appended. */
  readonly text: string;
  /** Sent with files (a voice note): on Telegram the text is then the file's caption. */
  readonly withFiles: boolean;
}

export function findTicketPost(db: Db, channel: ChannelName, chatExternalId: string, ticketId: number): TicketPost | null {
  const row = prepared<[string, string, number], { external_id: string; text: string; with_files: number }>(
    db,
    `SELECT m.external_id, m.text, EXISTS (SELECT 1 FROM attachments f WHERE f.message_id = m.id) AS with_files FROM messages m
       JOIN conversations c ON c.id = m.conversation_id
       JOIN staff_alerts a ON a.id = m.alert_id
       WHERE c.channel = ? AND c.external_id = ? AND m.ticket_id = ? AND a.kind = 'ticket_opened'
         AND m.direction = 'out' AND m.external_id IS NOT NULL
       ORDER BY m.id DESC LIMIT 1`,
  ).get(channel, chatExternalId, ticketId);
  return row === undefined ? null : { providerMessageId: row.external_id, text: row.text, withFiles: row.with_files === 1 };
}
