/**
 * The applicant's recordings on a ticket, as files for the staff post (#22): officers hear
 * a voice note where they work (the Telegram or WhatsApp staff group), with the post they
 * answer by replying to. Only audio: a photo may show an identity card or a passport
 * page, and a group chat is no place for those (staff open photos on the dashboard).
 */
import type { OutboundAttachment } from '../../channels/channel.js';
import { prepared, type Db } from './db.js';

/** At most this many recordings ride on one post (the first ones sent). */
const MAX_POST_RECORDINGS = 3;

export function ticketRecordings(db: Db, ticketId: number): OutboundAttachment[] {
  return prepared<[number, number], { kind: string; mime_type: string | null; file_name: string | null; data: Buffer }>(
    db,
    `SELECT a.kind, a.mime_type, a.file_name, a.data FROM attachments a JOIN messages m ON m.id = a.message_id
      WHERE m.ticket_id = ? AND m.direction = 'in' AND a.kind IN ('voice', 'audio') AND a.data IS NOT NULL
      ORDER BY a.id LIMIT ?`,
  )
    .all(ticketId, MAX_POST_RECORDINGS)
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
