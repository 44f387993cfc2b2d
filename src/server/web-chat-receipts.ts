/**
 * Read receipts for the web chat: up to which of the applicant's messages an officer has
 * seen. Derived from what the server already records, never guessed:
 *
 * - a public staff reply in the conversation: every applicant message before it was read;
 * - an officer opening one of the conversation's tickets on the dashboard: the ticket page
 *   shows the applicant's history, so every applicant message written before that moment
 *   was read. The moment comes from the audit trail (`ticket_viewed`, at most one entry per
 *   officer and ticket per 10 minutes, so a message written while the page stays open may
 *   show as read only at the next opening: late, never early) and, where the officers' desk
 *   keeps it (`ticket_reads`, migration 13), the last message an officer saw on the ticket.
 *
 * Bot answers do not count: "Dibaca petugas" (read by an officer) means a person.
 */
import { prepared, type Db } from '../store/db.js';

export interface ReadReceipts {
  /** The id of the newest applicant message of the conversation an officer has seen (0: none). */
  readUpTo(conversationId: number): number;
}

export function createReadReceipts(db: Db): ReadReceipts {
  // The officers' desk table exists from migration 13 on; older databases read the audit trail only.
  const hasTicketReads =
    prepared<[], { n: number }>(db, "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = 'ticket_reads'").get()?.n === 1;

  const newestApplicantBefore = (conversationId: number, beforeId: number): number =>
    prepared<[number, number], { id: number | null }>(
      db,
      "SELECT max(id) AS id FROM messages WHERE conversation_id = ? AND direction = 'in' AND author = 'applicant' AND id < ?",
    ).get(conversationId, beforeId)?.id ?? 0;

  return {
    readUpTo(conversationId) {
      // 1. A staff reply: everything the applicant wrote before it.
      const staffReply =
        prepared<[number], { id: number | null }>(
          db,
          "SELECT max(id) AS id FROM messages WHERE conversation_id = ? AND author = 'staff' AND visibility = 'public'",
        ).get(conversationId)?.id ?? 0;
      let read = staffReply > 0 ? newestApplicantBefore(conversationId, staffReply) : 0;

      // The first applicant message not yet known to be read: nothing to look up without one.
      const unread = prepared<[number, number], { id: number; created_at: number }>(
        db,
        "SELECT id, created_at FROM messages WHERE conversation_id = ? AND direction = 'in' AND author = 'applicant' AND id > ? ORDER BY id LIMIT 1",
      ).get(conversationId, read);
      if (!unread) return read;

      // 2. An officer opened one of this conversation's tickets after that message was written
      //    (audit_log is indexed by time: only entries since the unread message are read).
      const viewedAt =
        prepared<[number, number], { at: number | null }>(
          db,
          `SELECT max(created_at) AS at FROM audit_log
            WHERE created_at >= ? AND action = 'ticket_viewed'
              AND target IN (SELECT '#' || id FROM tickets WHERE conversation_id = ?)`,
        ).get(unread.created_at, conversationId)?.at ?? null;
      if (viewedAt !== null) {
        const seen =
          prepared<[number, number], { id: number | null }>(
            db,
            "SELECT max(id) AS id FROM messages WHERE conversation_id = ? AND direction = 'in' AND author = 'applicant' AND created_at <= ?",
          ).get(conversationId, viewedAt)?.id ?? 0;
        read = Math.max(read, seen);
      }

      // 3. The desk's own record of the last message each officer saw on a ticket.
      if (hasTicketReads) {
        const lastSeen =
          prepared<[number], { id: number | null }>(
            db,
            'SELECT max(r.last_message_id) AS id FROM ticket_reads r JOIN tickets t ON t.id = r.ticket_id WHERE t.conversation_id = ?',
          ).get(conversationId)?.id ?? 0;
        if (lastSeen > read) read = Math.max(read, newestApplicantBefore(conversationId, lastSeen + 1));
      }
      return read;
    },
  };
}
