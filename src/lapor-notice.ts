/**
 * Applicants' right to escalate to LAPOR! (SP4N-LAPOR!, lapor.go.id), told when it matters
 * (#21): once their ticket has run past its resolution time (the SLA scanner's resolution
 * breach, which fires once per ticket), and with the thanks for a rating of 1 or 2
 * (messages `csatThanks`). Not told on a ticket that came from LAPOR! itself (the reporter
 * is there already) nor to a contact SAPA cannot reach.
 */
import type { Ticket } from './domain.js';
import type { EventBus } from './events.js';
import { messagesFor } from './messages/index.js';
import { getConversation } from './store/conversations.js';
import type { Db } from './store/db.js';
import { queueOutbound } from './store/messages.js';

/** Whether the applicant of this ticket is to be told of LAPOR! at all. */
export function laporNoticeApplies(ticket: Pick<Ticket, 'channel' | 'origin'>): boolean {
  return ticket.channel !== 'offline' && ticket.origin !== 'lapor';
}

/**
 * Queues the "your resolution time has passed; you may escalate to LAPOR!" message on the
 * ticket's conversation. Call inside the transaction that recorded the breach. Returns the
 * message id, or null when the notice does not apply.
 */
export function queueLaporNoticeAfterBreach(db: Db, ticket: Ticket, now: Date, bus?: EventBus): number | null {
  if (!laporNoticeApplies(ticket) || ticket.status === 'resolved' || ticket.status === 'closed') return null;
  const conversation = getConversation(db, ticket.conversationId);
  if (conversation === null) return null;
  const text = messagesFor(conversation.language).laporAfterBreach(ticket.ref);
  const messageId = queueOutbound(db, { conversationId: conversation.id, channel: conversation.channel, ticketId: ticket.id, author: 'bot', text }, now);
  bus?.publish({ type: 'message.outbound', conversationId: conversation.id, messageId });
  return messageId;
}
