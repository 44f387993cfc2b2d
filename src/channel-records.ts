/**
 * What adapters report besides applicant messages, offered to them on the intake's sink
 * (channels/channel.ts, InboundSink):
 *
 * - `acceptStaffEcho`: an officer answered in the provider's own inbox (Meta Business
 *   Suite). Stored as a public staff message, already sent, on the person's conversation;
 *   with the contact's open or pending ticket it joins that ticket and counts as the staff
 *   response for SLA (no known officer). Deduplicated on the provider's id, which also
 *   drops an echo of a message SAPA itself sent (its id is recorded when it was sent).
 * - `acceptReceipt`: delivery and read receipts set `delivered_at` / `read_at` of our sent
 *   messages (migration 14); the dashboard hears of each change.
 * - `hasSenderName` / `acceptSenderProfile`: a person's name from the provider's profile
 *   API fills the identity and, while it has none, the contact.
 *
 * Each write is one transaction; the promise resolves after the commit, so an adapter may
 * acknowledge the provider then, as with `accept`.
 */
import type { Logger } from 'pino';
import type { AcceptOutcome, ChannelName, DeliveryReceipt, SenderProfile, StaffEcho } from '../channels/channel.js';
import type { Clock } from './clock.js';
import type { EventBus } from './events.js';
import { inTransaction, type Db } from './store/db.js';
import {
  applyReceipt,
  ensureConversation,
  findOutboundByExternalId,
  identityHasName,
  insertSentElsewhere,
  setIdentityProfile,
} from './store/channel-records.js';
import { findConversation } from './store/conversations.js';
import { findActiveTicket } from './store/tickets.js';
import { boundText, sanitizeText } from './text-limits.js';
import type { TicketService } from './tickets.js';

export interface ChannelRecords {
  acceptStaffEcho(echo: StaffEcho): Promise<AcceptOutcome | { readonly outcome: 'ignored'; readonly reason: string }>;
  acceptReceipt(receipt: DeliveryReceipt): Promise<number>;
  hasSenderName(channel: ChannelName, senderExternalId: string): boolean;
  acceptSenderProfile(profile: SenderProfile): Promise<void>;
}

export interface ChannelRecordsDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly bus: EventBus;
  readonly tickets: TicketService;
  readonly logger: Logger;
}

/** What an echo without text (a file, a sticker sent from the provider's inbox) is stored as. */
const FILE_ONLY_TEXT = '[lampiran dikirim dari kotak masuk penyedia]';
/** Dashboard notifications per receipt at most (a watermark may cover a long conversation). */
const EVENTS_PER_RECEIPT = 50;

export function createChannelRecords(deps: ChannelRecordsDeps): ChannelRecords {
  const { db, clock, bus, tickets } = deps;
  const log = deps.logger.child({ module: 'channel-records' });

  return {
    async acceptStaffEcho(echo) {
      const body = sanitizeText(echo.text).trim();
      const text = body !== '' ? boundText(body).text : echo.attachmentCount > 0 ? FILE_ONLY_TEXT : '';
      if (text === '') return { outcome: 'ignored', reason: 'echo without text or files' };
      const result = inTransaction(db, () => {
        const conversation = ensureConversation(db, echo.channel, echo.conversationExternalId, clock.now());
        const existing = findOutboundByExternalId(db, conversation.id, echo.channel, echo.externalId);
        if (existing !== null) return { outcome: { outcome: 'duplicate', messageId: existing } as const, conversationId: conversation.id, ticketId: null };
        const ticket = findActiveTicket(db, conversation.contactId);
        const messageId = insertSentElsewhere(db, {
          conversationId: conversation.id,
          channel: echo.channel,
          ticketId: ticket?.id ?? null,
          text,
          externalId: echo.externalId,
          sentAt: echo.sentAt,
        });
        if (ticket) tickets.outsideReply(ticket.id, messageId, `${echo.channel}_inbox`);
        return { outcome: { outcome: 'stored', messageId } as const, conversationId: conversation.id, ticketId: ticket?.id ?? null };
      });
      if (result.outcome.outcome === 'stored') {
        log.info({ channel: echo.channel, messageId: result.outcome.messageId, ticketId: result.ticketId }, "officer's reply from the provider's inbox recorded");
        bus.publish({ type: 'message.outbound', conversationId: result.conversationId, messageId: result.outcome.messageId });
      }
      return result.outcome;
    },

    async acceptReceipt(receipt) {
      const changed = inTransaction(db, () => {
        const conversation = findConversation(db, receipt.channel, receipt.conversationExternalId);
        if (conversation === null) return null;
        const through =
          receipt.throughExternalId === undefined ? null : findOutboundByExternalId(db, conversation.id, receipt.channel, receipt.throughExternalId);
        const ids = applyReceipt(db, {
          conversationId: conversation.id,
          channel: receipt.channel,
          kind: receipt.kind,
          at: receipt.at,
          externalIds: receipt.externalIds,
          throughMessageId: through,
          upTo: receipt.upTo ?? null,
        });
        return { conversationId: conversation.id, ids };
      });
      if (changed === null) return 0;
      for (const messageId of changed.ids.slice(-EVENTS_PER_RECEIPT)) {
        bus.publish({ type: 'message.delivery', conversationId: changed.conversationId, messageId, status: receipt.kind });
      }
      return changed.ids.length;
    },

    hasSenderName(channel, senderExternalId) {
      return identityHasName(db, channel, senderExternalId);
    },

    async acceptSenderProfile(profile) {
      const clean = (value: string | undefined, max: number): string | null => {
        const text = value === undefined ? '' : sanitizeText(value).replace(/\s+/g, ' ').trim().slice(0, max);
        return text === '' ? null : text;
      };
      const displayName = clean(profile.displayName, 200);
      const username = clean(profile.username, 100);
      if (displayName === null && username === null) return;
      const known = inTransaction(db, () => setIdentityProfile(db, profile.channel, profile.externalId, displayName, username));
      if (!known) log.debug({ channel: profile.channel }, 'profile for a person SAPA has not stored; ignored');
    },
  };
}
