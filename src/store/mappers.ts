/** Row <-> domain mapping: snake_case columns stay inside src/store. */
import type { QuickReply } from '../../channels/channel.js';
import type {
  AnsweredVia,
  Author,
  Conversation,
  ConversationAwaiting,
  DeliveryStatus,
  StoredMessage,
  Ticket,
  TicketKind,
  TicketPriority,
  TicketChannel,
  TicketOrigin,
  TicketStatus,
  Visibility,
} from '../domain.js';
import { ticketRef } from '../domain.js';
import type { Language, ServqualDimension } from '../knowledge/types.js';

export const toDate = (ms: number): Date => new Date(ms);
export const toDateOrNull = (ms: number | null): Date | null => (ms === null ? null : new Date(ms));
export const msOrNull = (date: Date | null | undefined): number | null => (date ? date.getTime() : null);

export interface ConversationRow {
  id: number;
  contact_id: number;
  channel: string;
  external_id: string;
  language: string;
  miss_count: number;
  awaiting: string | null;
  awaiting_ticket_id: number | null;
  created_at: number;
  last_inbound_at: number | null;
  dialogue: string | null;
}

export function toConversation(row: ConversationRow): Conversation {
  return {
    id: row.id,
    contactId: row.contact_id,
    channel: row.channel as TicketChannel,
    externalId: row.external_id,
    language: row.language as Language,
    missCount: row.miss_count,
    awaiting: row.awaiting as ConversationAwaiting | null,
    awaitingTicketId: row.awaiting_ticket_id,
    createdAt: toDate(row.created_at),
    lastInboundAt: toDateOrNull(row.last_inbound_at),
    dialogue: row.dialogue ?? null,
  };
}

export interface TicketRow {
  id: number;
  contact_id: number;
  conversation_id: number;
  channel: string;
  kind: string;
  status: string;
  priority: string;
  integrity: number;
  intent: string;
  servqual: string;
  summary: string;
  assignee_id: number | null;
  created_at: number;
  updated_at: number;
  first_response_at: number | null;
  awaiting_reply_since: number | null;
  pending_since: number | null;
  paused_ms: number;
  resolved_at: number | null;
  closed_at: number | null;
  reopen_count: number;
  first_response_due_at: number | null;
  next_response_due_at: number | null;
  resolution_due_at: number | null;
  next_sla_check_at: number | null;
  escalation_level: number;
  /** Migration 15. */
  origin: string;
  lapor_tracking_id: string | null;
}

export function toTicket(row: TicketRow): Ticket {
  return {
    id: row.id,
    ref: ticketRef(row.id),
    contactId: row.contact_id,
    conversationId: row.conversation_id,
    channel: row.channel as TicketChannel,
    kind: row.kind as TicketKind,
    status: row.status as TicketStatus,
    priority: row.priority as TicketPriority,
    integrity: row.integrity === 1,
    intent: row.intent,
    servqual: row.servqual as ServqualDimension,
    summary: row.summary,
    assigneeId: row.assignee_id,
    createdAt: toDate(row.created_at),
    updatedAt: toDate(row.updated_at),
    firstResponseAt: toDateOrNull(row.first_response_at),
    awaitingReplySince: toDateOrNull(row.awaiting_reply_since),
    pendingSince: toDateOrNull(row.pending_since),
    resolvedAt: toDateOrNull(row.resolved_at),
    closedAt: toDateOrNull(row.closed_at),
    reopenCount: row.reopen_count,
    firstResponseDueAt: toDateOrNull(row.first_response_due_at),
    nextResponseDueAt: toDateOrNull(row.next_response_due_at),
    resolutionDueAt: toDateOrNull(row.resolution_due_at),
    escalationLevel: row.escalation_level,
    // Rows of schemas before migration 15 (tests of old schemas) have no origin.
    origin: (row.origin ?? 'chat') as TicketOrigin,
    laporTrackingId: row.lapor_tracking_id ?? null,
  };
}

export interface MessageRow {
  id: number;
  conversation_id: number;
  channel: string;
  ticket_id: number | null;
  direction: string;
  author: string;
  staff_id: number | null;
  visibility: string;
  text: string;
  text_truncated: number;
  quick_replies: string | null;
  quick_reply_payload: string | null;
  external_id: string | null;
  intent: string | null;
  confidence: number | null;
  complaint: number | null;
  created_at: number;
  processed_at: number | null;
  delivery_status: string | null;
  delivery_error: string | null;
  /** Migration 14; absent in rows read before it ran (tests of old schemas). */
  delivered_at?: number | null;
  read_at?: number | null;
  /** Migration 15. */
  answered_via?: string | null;
}

export function toMessage(row: MessageRow): StoredMessage {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    channel: row.channel as TicketChannel,
    ticketId: row.ticket_id,
    direction: row.direction as 'in' | 'out',
    author: row.author as Author,
    staffId: row.staff_id,
    visibility: row.visibility as Visibility,
    text: row.text,
    textTruncated: row.text_truncated === 1,
    quickReplies: row.quick_replies === null ? [] : (JSON.parse(row.quick_replies) as QuickReply[]),
    quickReplyPayload: row.quick_reply_payload,
    externalId: row.external_id,
    intent: row.intent,
    confidence: row.confidence,
    complaint: row.complaint === null ? null : row.complaint === 1,
    createdAt: toDate(row.created_at),
    processedAt: toDateOrNull(row.processed_at),
    deliveryStatus: row.delivery_status as DeliveryStatus | null,
    deliveryError: row.delivery_error,
    deliveredAt: toDateOrNull(row.delivered_at ?? null),
    readAt: toDateOrNull(row.read_at ?? null),
    answeredVia: (row.answered_via ?? null) as AnsweredVia | null,
  };
}
