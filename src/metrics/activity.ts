/**
 * Applicant activity of a time range: messages in (by channel), conversations, and how
 * many of those conversations the bot handled alone.
 *
 * Only applicants count: staff-target conversations (the staff group, supervisors'
 * chats) are contacts of kind `staff_target` and are left out, as in unanswered.ts.
 *
 * "Bot only" (the digest's `botOnlyShare`): a conversation with at least one inbound
 * applicant message in the range in which, within the same range, no message (in
 * either direction) is linked to a ticket and no staff member wrote. So a conversation
 * that opened a ticket, added to an open ticket, got a staff reply, or received the
 * satisfaction question of a ticket that day is not bot-only; one where the bot
 * answered from the knowledge base (or asked again) is.
 */
import { prepared, type Db } from '../store/db.js';
import type { Count } from './volume.js';

export interface ActivityStats {
  /** Inbound applicant messages (button presses included). */
  readonly messagesIn: number;
  readonly byChannel: readonly Count[];
  /** Conversations with at least one inbound applicant message. */
  readonly conversations: number;
  /** Of those, handled by the bot alone (see the module comment). */
  readonly botOnly: number;
  /** botOnly / conversations; null when there were no conversations. */
  readonly botOnlyShare: number | null;
}

// messages_created keeps the scan to the range; the contact join drops staff-target chats.
// Offline conversations (#21: complaints staff recorded for someone without a channel) are no
// chat traffic: the digest counts those tickets by origin instead.
const PER_CONVERSATION_SQL = `SELECT m.conversation_id AS conversation_id, m.channel AS channel,
    SUM(m.direction = 'in' AND m.author = 'applicant') AS inbound,
    SUM(m.ticket_id IS NOT NULL OR m.author = 'staff') AS human
  FROM messages m
  JOIN conversations c ON c.id = m.conversation_id
  JOIN contacts k ON k.id = c.contact_id
  WHERE m.created_at >= ? AND m.created_at < ? AND k.kind = 'applicant' AND c.channel <> 'offline'
  GROUP BY m.conversation_id`;

interface Row {
  conversation_id: number;
  channel: string;
  inbound: number;
  human: number;
}

export function activityBetween(db: Db, startMs: number, endMs: number): ActivityStats {
  const rows = prepared<[number, number], Row>(db, PER_CONVERSATION_SQL).all(startMs, endMs);
  const byChannel = new Map<string, number>();
  let messagesIn = 0;
  let conversations = 0;
  let botOnly = 0;
  for (const row of rows) {
    if (row.inbound === 0) continue;
    messagesIn += row.inbound;
    conversations += 1;
    if (row.human === 0) botOnly += 1;
    byChannel.set(row.channel, (byChannel.get(row.channel) ?? 0) + row.inbound);
  }
  return {
    messagesIn,
    byChannel: [...byChannel].map(([key, count]) => ({ key, count })).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key)),
    conversations,
    botOnly,
    botOnlyShare: conversations === 0 ? null : botOnly / conversations,
  };
}

/**
 * What applicants asked about: inbound applicant messages by the intent the classifier
 * gave them, small talk (greeting, thanks) and out_of_scope left out (the latter are
 * the unanswered questions). Most frequent first.
 */
export function inboundIntentsBetween(db: Db, startMs: number, endMs: number, limit = 5): Count[] {
  return prepared<[number, number, number], { key: string; count: number }>(
    db,
    `SELECT m.intent AS key, COUNT(*) AS count
     FROM messages m
     JOIN conversations c ON c.id = m.conversation_id
     JOIN contacts k ON k.id = c.contact_id
     WHERE m.created_at >= ? AND m.created_at < ?
       AND m.direction = 'in' AND m.author = 'applicant' AND k.kind = 'applicant'
       AND m.intent IS NOT NULL AND m.intent NOT IN ('greeting', 'thanks', 'out_of_scope')
     GROUP BY m.intent
     ORDER BY count DESC, key
     LIMIT ?`,
  ).all(startMs, endMs, limit);
}
