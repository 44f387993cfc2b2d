/**
 * The satisfaction survey: when a ticket is resolved the applicant is asked to rate the
 * help from 1 to 5 (buttons where the channel has them, a number otherwise), then for an
 * optional comment. A rating of 1 or 2 alerts the supervisors.
 */
import type { QuickReply } from '../channels/channel.js';
import type { Ticket } from './domain.js';
import type { Language } from './knowledge/types.js';
import { messagesFor } from './messages/index.js';
import { staffTexts } from './messages/staff.js';
import { maskPersonalData } from './privacy.js';
import type { StaffAlerts } from './staff-alerts.js';
import { updateConversationState } from './store/conversations.js';
import { prepared, type Db } from './store/db.js';
import { queueOutbound } from './store/messages.js';

export const LOW_RATING = 2;
const RATING_PAYLOAD = /^csat:(\d+):([1-5])$/;
/** "5", "4 bintang", "nilai 3", "⭐⭐⭐⭐" */
const RATING_TEXT = /^\s*(?:nilai|rating|skor|score)?\s*([1-5])(?:\s*(?:\/\s*5|bintang|stars?))?\s*[.!]*\s*$/i;
const STARS = /^\s*(⭐{1,5})\s*$/u;
export const SKIP_COMMENT_PAYLOAD = 'csat:skip';

export interface SatisfactionDeps {
  readonly db: Db;
  readonly alerts: StaffAlerts;
}

export function ratingButtons(ticketId: number): QuickReply[] {
  return [1, 2, 3, 4, 5].map((n) => ({ label: '⭐'.repeat(n), payload: `csat:${ticketId}:${n}` }));
}

/** Reads a rating from a pressed button or a typed answer; null when the message is something else. */
export function parseRating(text: string, payload: string | null, ticketId: number): number | null {
  const fromButton = payload ? RATING_PAYLOAD.exec(payload) : null;
  if (fromButton) return Number(fromButton[1]) === ticketId ? Number(fromButton[2]) : null;
  const typed = RATING_TEXT.exec(text);
  if (typed?.[1]) return Number(typed[1]);
  const stars = STARS.exec(text);
  return stars?.[1] ? [...stars[1]].length : null;
}

export function hasRating(db: Db, ticketId: number): boolean {
  return prepared<[number], { n: number }>(db, 'SELECT COUNT(*) AS n FROM csat_ratings WHERE ticket_id = ?').get(ticketId)?.n === 1;
}

/** Asks for a rating after a resolution (once per ticket). Call inside the resolving transaction. */
export function askForRating(db: Db, ticket: Ticket, language: Language, now: Date): number | null {
  if (hasRating(db, ticket.id)) return null;
  const messageId = queueOutbound(
    db,
    { conversationId: ticket.conversationId, ticketId: ticket.id, author: 'bot', text: messagesFor(language).csatQuestion(ticket.ref), quickReplies: ratingButtons(ticket.id) },
    now,
  );
  updateConversationState(db, ticket.conversationId, { awaiting: 'csat_rating', awaitingTicketId: ticket.id });
  return messageId;
}

export function recordRating(deps: SatisfactionDeps, ticket: Ticket, rating: number, now: Date): void {
  prepared(deps.db, 'INSERT OR REPLACE INTO csat_ratings (ticket_id, rating, created_at) VALUES (?, ?, ?)').run(ticket.id, rating, now.getTime());
  if (rating <= LOW_RATING) {
    deps.alerts.raise({
      kind: 'csat_low',
      audience: 'supervisor',
      ticketId: ticket.id,
      text: staffTexts.lowRating(ticket, rating, maskPersonalData(ticket.summary)),
    });
  }
}

export function recordComment(deps: SatisfactionDeps, ticket: Ticket, comment: string, now: Date): void {
  prepared(deps.db, 'UPDATE csat_ratings SET comment = ?, commented_at = ? WHERE ticket_id = ?').run(comment.slice(0, 2000), now.getTime(), ticket.id);
  if ((prepared<[number], { rating: number }>(deps.db, 'SELECT rating FROM csat_ratings WHERE ticket_id = ?').get(ticket.id)?.rating ?? 5) <= LOW_RATING) {
    deps.alerts.raise({
      kind: 'csat_low',
      audience: 'supervisor',
      ticketId: ticket.id,
      text: staffTexts.lowRatingComment(ticket, maskPersonalData(comment).slice(0, 300)),
    });
  }
}
