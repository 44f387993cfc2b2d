/**
 * The applicant's recordings on a ticket, as files for the staff post (#22): officers hear
 * a voice note where they work (the Telegram or WhatsApp staff group), with the post they
 * answer by replying to. Only audio: a photo may show an identity card or a passport
 * page, and a group chat is no place for those (staff open photos on the dashboard).
 */
import type { OutboundAttachment } from '../../channels/channel.js';
import { prepared, type Db } from './db.js';
import { MEDIA_COLUMNS, toStoredMedia, type MediaRow, type StoredMedia } from './messages.js';

/** At most this many recordings ride on one post (the first ones sent). */
const MAX_POST_RECORDINGS = 3;

export function ticketRecordings(db: Db, ticketId: number): OutboundAttachment[] {
  return recordingsWhere(db, 'm.ticket_id = ?', ticketId, ticketId);
}

/** The recordings of one applicant message (a voice note joining an existing ticket). */
export function messageRecordings(db: Db, messageId: number, ticketId: number): OutboundAttachment[] {
  return recordingsWhere(db, 'm.id = ?', messageId, ticketId);
}

function recordingsWhere(db: Db, where: 'm.ticket_id = ?' | 'm.id = ?', value: number, ticketId: number): OutboundAttachment[] {
  return prepared<[number, number], { kind: string; mime_type: string | null; file_name: string | null; data: Buffer }>(
    db,
    `SELECT a.kind, a.mime_type, a.file_name, a.data FROM attachments a JOIN messages m ON m.id = a.message_id
      WHERE ${where} AND m.direction = 'in' AND a.kind IN ('voice', 'audio') AND a.data IS NOT NULL
      ORDER BY a.id LIMIT ?`,
  )
    .all(value, MAX_POST_RECORDINGS)
    .map((row, i) => ({
      kind: row.kind === 'audio' ? 'audio' : 'voice',
      mimeType: row.mime_type ?? 'application/octet-stream',
      fileName: row.file_name ?? `pesan-suara-tiket-${ticketId}-${i + 1}${extensionOf(row.mime_type)}`,
      data: new Uint8Array(row.data.buffer, row.data.byteOffset, row.data.byteLength),
    }));
}

function extensionOf(mimeType: string | null): string {
  const base = (mimeType ?? '').split(';')[0]!.trim().toLowerCase();
  const known: Record<string, string> = {
    'audio/ogg': '.ogg',
    'audio/opus': '.opus',
    'audio/mpeg': '.mp3',
    'audio/mp3': '.mp3',
    'audio/mp4': '.m4a',
    'audio/m4a': '.m4a',
    'audio/x-m4a': '.m4a',
    'audio/aac': '.aac',
    'audio/amr': '.amr',
    'audio/3gpp': '.3gp',
    'audio/webm': '.webm',
    'audio/wav': '.wav',
    'audio/x-wav': '.wav',
  };
  return known[base] ?? '';
}

/** The attachments of these messages (the ticket page's history), by message id; one query. */
export function attachmentsOfMessages(db: Db, messageIds: readonly number[]): Map<number, StoredMedia[]> {
  const byMessage = new Map<number, StoredMedia[]>();
  if (messageIds.length === 0) return byMessage;
  const rows = prepared<[string], MediaRow>(
    db,
    `SELECT ${MEDIA_COLUMNS} FROM attachments WHERE message_id IN (SELECT value FROM json_each(?)) ORDER BY id`,
  ).all(JSON.stringify(messageIds));
  for (const row of rows) {
    const list = byMessage.get(row.message_id) ?? [];
    list.push(toStoredMedia(row));
    byMessage.set(row.message_id, list);
  }
  return byMessage;
}

export interface AttachmentFile {
  readonly kind: string;
  readonly mimeType: string | null;
  readonly fileName: string | null;
  readonly data: Buffer;
}

/**
 * The bytes of an applicant's attachment as seen from one ticket's page: a message of that
 * ticket, or one of the same contact outside any ticket (the history shows those too).
 * Null when there is no such attachment or its bytes are not kept (too big, refused, purged).
 */
export function ticketAttachment(db: Db, ticketId: number, attachmentId: number): AttachmentFile | null {
  const row = prepared<[number, number], { kind: string; mime_type: string | null; file_name: string | null; data: Buffer | null }>(
    db,
    `SELECT a.kind, a.mime_type, a.file_name, a.data FROM attachments a
       JOIN messages m ON m.id = a.message_id
       JOIN conversations c ON c.id = m.conversation_id
       JOIN tickets t ON t.id = ?
      WHERE a.id = ? AND m.direction = 'in'
        AND (m.ticket_id = t.id OR (m.ticket_id IS NULL AND c.contact_id = t.contact_id))`,
  ).get(ticketId, attachmentId);
  if (row === undefined || row.data === null) return null;
  return { kind: row.kind, mimeType: row.mime_type, fileName: row.file_name, data: row.data };
}
