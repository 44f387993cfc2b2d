/** Core domain types shared by the router, tickets, outbox, server and CLI. */
import type { ChannelName, QuickReply } from '../channels/channel.js';
import type { Language, ServqualDimension } from './knowledge/types.js';

/**
 * Where a ticket's conversation lives: a channel SAPA runs, or 'offline' for a contact it
 * cannot reach (a complaint recorded by staff from the counter, a phone call, a letter,
 * LAPOR!): nothing is ever queued to an offline conversation.
 */
export type TicketChannel = ChannelName | 'offline';

/** Where a complaint came from: 'chat' for the router's tickets, the rest recorded by staff (#21). */
export type TicketOrigin = 'chat' | 'desk' | 'phone' | 'letter' | 'lapor' | 'email' | 'other';
export const TICKET_ORIGINS: readonly TicketOrigin[] = ['chat', 'desk', 'phone', 'letter', 'lapor', 'email', 'other'];
/** The origins staff record by hand (`POST /api/tickets`). */
export const RECORDED_ORIGINS: readonly Exclude<TicketOrigin, 'chat'>[] = ['desk', 'phone', 'letter', 'lapor', 'email', 'other'];

/** How a public answer was given outside SAPA (recorded, never sent): phone call, letter, LAPOR! panel, in person, e-mail. */
export type AnsweredVia = 'phone' | 'letter' | 'lapor' | 'in_person' | 'email';
export const ANSWERED_VIA: readonly AnsweredVia[] = ['phone', 'letter', 'lapor', 'in_person', 'email'];

export type TicketStatus = 'open' | 'pending' | 'resolved' | 'closed';
export type TicketPriority = 'normal' | 'high';
export type TicketKind = 'complaint' | 'handoff';
export type Author = 'applicant' | 'bot' | 'staff' | 'system';
export type Visibility = 'public' | 'internal';
export type DeliveryStatus = 'queued' | 'sent' | 'failed';
export type StaffRole = 'staff' | 'supervisor' | 'admin';

export const TICKET_STATUSES: readonly TicketStatus[] = ['open', 'pending', 'resolved', 'closed'];
export const TICKET_PRIORITIES: readonly TicketPriority[] = ['normal', 'high'];

/** Tickets the applicant or staff still work on. */
export const ACTIVE_TICKET_STATUSES: readonly TicketStatus[] = ['open', 'pending'];

export interface Conversation {
  readonly id: number;
  readonly contactId: number;
  readonly channel: TicketChannel;
  readonly externalId: string;
  readonly language: Language;
  readonly missCount: number;
  readonly awaiting: ConversationAwaiting | null;
  readonly awaitingTicketId: number | null;
  readonly createdAt: Date;
  readonly lastInboundAt: Date | null;
  /** The router's memory of the conversation (JSON, see src/router/dialogue.ts), or null. */
  readonly dialogue: string | null;
}

export type ConversationAwaiting = 'handoff_confirm' | 'csat_rating' | 'csat_comment';

export interface Ticket {
  readonly id: number;
  /** What applicants and staff see: `#<number>`. */
  readonly ref: string;
  readonly contactId: number;
  readonly conversationId: number;
  readonly channel: TicketChannel;
  readonly kind: TicketKind;
  readonly status: TicketStatus;
  readonly priority: TicketPriority;
  readonly integrity: boolean;
  readonly intent: string;
  readonly servqual: ServqualDimension;
  readonly summary: string;
  readonly assigneeId: number | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly firstResponseAt: Date | null;
  readonly awaitingReplySince: Date | null;
  readonly pendingSince: Date | null;
  readonly resolvedAt: Date | null;
  readonly closedAt: Date | null;
  readonly reopenCount: number;
  readonly firstResponseDueAt: Date | null;
  readonly nextResponseDueAt: Date | null;
  readonly resolutionDueAt: Date | null;
  readonly escalationLevel: number;
  readonly origin: TicketOrigin;
  /** The LAPOR! report's tracking number (origin 'lapor'), or null. */
  readonly laporTrackingId: string | null;
}

export interface StoredMessage {
  readonly id: number;
  readonly conversationId: number;
  readonly channel: TicketChannel;
  readonly ticketId: number | null;
  readonly direction: 'in' | 'out';
  readonly author: Author;
  readonly staffId: number | null;
  readonly visibility: Visibility;
  readonly text: string;
  readonly textTruncated: boolean;
  readonly quickReplies: readonly QuickReply[];
  /** Inbound: payload of the button pressed; `text` then holds its label. */
  readonly quickReplyPayload: string | null;
  readonly externalId: string | null;
  readonly intent: string | null;
  readonly confidence: number | null;
  readonly complaint: boolean | null;
  readonly createdAt: Date;
  readonly processedAt: Date | null;
  readonly deliveryStatus: DeliveryStatus | null;
  readonly deliveryError: string | null;
  /** Outbound, as the provider reported (receipts): reached the person's device; null when not reported. */
  readonly deliveredAt: Date | null;
  /** Outbound: the person read it (a read message was delivered too); null when not reported. */
  readonly readAt: Date | null;
  /** A public staff answer given outside SAPA (recorded, never sent): how; null for everything else. */
  readonly answeredVia?: AnsweredVia | null;
}

export interface StoredAttachment {
  readonly id: number;
  readonly messageId: number;
  readonly kind: string;
  readonly mimeType: string | null;
  readonly fileName: string | null;
  readonly sizeBytes: number | null;
  readonly hasData: boolean;
}

export function ticketRef(id: number): string {
  return `#${id}`;
}
