/**
 * Operations: online backup and retention.
 * - Backup uses SQLite's online backup API (through better-sqlite3), which copies a
 *   consistent snapshot while the bot keeps running and writing.
 * - Retention removes the bodies of old messages (text, buttons, attachment bytes,
 *   alert texts, ticket summaries, survey comments) but keeps every row, time, intent,
 *   status and rating, so response-time statistics and reports stay intact.
 */
import { existsSync } from 'node:fs';
import { makePrivateFile, narrow, PRIVATE_FILE_MODE } from './file-modes.js';
import type { Db } from './store/db.js';

export const PURGED_TEXT = '[dihapus sesuai masa simpan]';

export interface BackupResult {
  readonly file: string;
  readonly pages: number;
}

export async function backupDatabase(db: Db, file: string, options: { overwrite?: boolean } = {}): Promise<BackupResult> {
  if (existsSync(file) && !options.overwrite) throw new Error(`${file} already exists; choose a new file name`);
  // A backup holds everything the database does: 0600 from the first byte.
  makePrivateFile(file);
  const result = await db.backup(file);
  narrow(file, PRIVATE_FILE_MODE);
  return { file, pages: result.totalPages };
}

export interface PurgeResult {
  readonly cutoff: Date;
  readonly messages: number;
  readonly attachments: number;
  readonly tickets: number;
  readonly alerts: number;
  readonly comments: number;
}

/**
 * Clears bodies older than `cutoff`. Messages of tickets still open or pending are kept
 * whole: staff may still need them.
 */
export function purgeOlderThan(db: Db, cutoff: Date): PurgeResult {
  const at = cutoff.getTime();
  return db.transaction(() => {
    const keep = "(ticket_id IS NULL OR ticket_id NOT IN (SELECT id FROM tickets WHERE status IN ('open', 'pending')))";
    const attachments = db
      .prepare(`UPDATE attachments SET data = NULL, file_name = NULL, provider_ref = NULL
                WHERE (data IS NOT NULL OR file_name IS NOT NULL OR provider_ref IS NOT NULL)
                  AND message_id IN (SELECT id FROM messages WHERE created_at < ? AND ${keep})`)
      .run(at).changes;
    const messages = db
      .prepare(`UPDATE messages SET text = ?, quick_replies = NULL, quick_reply_payload = NULL, delivery_error = NULL
                WHERE created_at < ? AND text != ? AND ${keep}`)
      .run(PURGED_TEXT, at, PURGED_TEXT).changes;
    const tickets = db
      .prepare(`UPDATE tickets SET summary = ? WHERE created_at < ? AND status IN ('resolved', 'closed') AND summary != ?`)
      .run(PURGED_TEXT, at, PURGED_TEXT).changes;
    const alerts = db.prepare('UPDATE staff_alerts SET text = ? WHERE created_at < ? AND text != ?').run(PURGED_TEXT, at, PURGED_TEXT).changes;
    const comments = db.prepare('UPDATE csat_ratings SET comment = NULL WHERE created_at < ? AND comment IS NOT NULL').run(at).changes;
    return { cutoff, messages, attachments, tickets, alerts, comments };
  }).immediate();
}

/** "365d", "52w" -> milliseconds. */
export function parseRetention(text: string): number | null {
  const match = /^(\d{1,5})([dw])$/.exec(text.trim());
  if (!match?.[1] || !match[2]) return null;
  const days = Number(match[1]) * (match[2] === 'w' ? 7 : 1);
  return days >= 1 ? days * 86_400_000 : null;
}
