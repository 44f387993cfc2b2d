/**
 * The staff group on Telegram: the binding between group updates and the
 * transport-neutral staff desk (src/staff-desk).
 *
 * - Buttons "Ambil"/"Selesai" under a ticket post (payloads staff:claim:<id>,
 *   staff:resolve:<id>) -> answerCallbackQuery with the result.
 * - A reply to a ticket post -> TicketService.staffReply: through the outbox
 *   to the applicant's own channel, counting as the staff response for SLA.
 * - /tiket, /ambil, /selesai, /balas, /catatan, /bantuan.
 * After a claim, resolve or reply, the ticket post is edited to show who
 * holds it. Feedback is UI, not applicant mail: it goes straight to the Bot
 * API, and its failure is logged, never retried.
 *
 * Group updates are commands, not applicant messages, so they skip the inbox;
 * instead each update id is recorded in the same transaction as its effects
 * (OnceLog), and a redelivered update changes nothing and answers nothing.
 */
import type { Telegram } from 'telegraf';
import type { CallbackQuery, InlineKeyboardMarkup, Message, Update, User } from 'telegraf/types';
import type { Logger } from 'pino';
import type { Clock } from '../../src/clock.js';
import type { Ticket } from '../../src/domain.js';
import { staffTexts } from '../../src/messages/staff.js';
import {
  createOnceLog,
  createStaffDesk,
  deskTexts,
  findTicketPost,
  looksLikeCommand,
  parseStaffButton,
  parseStaffCommand,
  staffButtonPayload,
  type StaffDeskOutcome,
  type StaffIdentity,
  type StaffRequest,
} from '../../src/staff-desk/index.js';
import { ticketOfStaffPost } from '../../src/staff-alerts.js';
import type { StaffService } from '../../src/staff.js';
import type { Db } from '../../src/store/db.js';
import type { TicketService } from '../../src/tickets.js';
import type { GroupUpdateHandler } from './intake.js';
import { logSafeError } from './errors.js';
import { TELEGRAM_MAX_CAPTION_LENGTH, TELEGRAM_MAX_TEXT_LENGTH } from './send.js';
import { timeoutSignal } from './signals.js';

/** Telegram cuts callback answers at 200 characters. */
const CALLBACK_ANSWER_MAX = 200;

export interface TelegramStaffGroupDeps {
  readonly db: Db;
  readonly tickets: TicketService;
  readonly staff: StaffService;
  readonly clock: Clock;
  readonly logger: Logger;
  /** TELEGRAM_STAFF_CHAT_ID; the channel hands us only this chat's updates. */
  readonly staffChatId: string;
  /** For due times in /tiket (config SAPA_TZ). */
  readonly timeZone: string;
  /** Abort one feedback call after this long. Default 10 s. */
  readonly requestTimeoutMs?: number;
}

export interface TelegramStaffGroup {
  /** Pass as `onGroupUpdate` to createTelegramChannel (with the same `staffChatId`). */
  readonly onGroupUpdate: GroupUpdateHandler;
}

/** What one group update asks of the desk, and where the answer goes. */
type GroupRequest =
  | { readonly via: 'button'; readonly queryId: string; readonly identity: StaffIdentity; readonly request: StaffRequest }
  | { readonly via: 'message'; readonly messageId: number; readonly identity: StaffIdentity; readonly request: StaffRequest };

export function createTelegramStaffGroup(deps: TelegramStaffGroupDeps): TelegramStaffGroup {
  const { db, clock, staffChatId } = deps;
  const log = deps.logger.child({ module: 'channel.telegram.staff-group' });
  const requestTimeoutMs = deps.requestTimeoutMs ?? 10_000;
  const desk = createStaffDesk({ db, tickets: deps.tickets, staff: deps.staff, clock, timeZone: deps.timeZone });
  const once = createOnceLog({ db, channel: 'telegram', clock, prefix: `staff-update:${staffChatId}:` });

  function identityOf(user: User): StaffIdentity {
    return { channel: 'telegram', userId: String(user.id) };
  }

  /** null: nothing for us (chat among staff, other bots, service messages). */
  function readRequest(update: Update): GroupRequest | null {
    if ('callback_query' in update) return readButton(update.callback_query);
    if ('message' in update) return readMessage(update.message);
    return null;
  }

  function readButton(query: CallbackQuery): GroupRequest | null {
    if (!('data' in query)) return null;
    const command = parseStaffButton(query.data);
    if (command === undefined) return null;
    return { via: 'button', queryId: query.id, identity: identityOf(query.from), request: command };
  }

  function readMessage(message: Message): GroupRequest | null {
    const from = message.from;
    if (from === undefined || from.is_bot) return null;
    const base = { via: 'message', messageId: message.message_id, identity: identityOf(from) } as const;
    const text = 'text' in message ? message.text : undefined;
    // Commands first, and nothing that looks like one is ever forwarded to an applicant.
    if (text !== undefined && looksLikeCommand(text)) {
      const request = parseStaffCommand(text);
      return request === undefined ? null : { ...base, request };
    }
    const replyTo = 'reply_to_message' in message ? message.reply_to_message : undefined;
    if (replyTo === undefined) return null;
    const ticketId = ticketOfStaffPost(db, 'telegram', staffChatId, String(replyTo.message_id));
    if (ticketId === null) return null;
    if (text === undefined) return { ...base, request: { type: 'malformed', hint: deskTexts.textOnly } };
    return { ...base, request: { type: 'reply', ticketId, text } };
  }

  async function call(what: 'answerCallbackQuery' | 'sendMessage' | 'editMessageText' | 'editMessageCaption', run: () => Promise<unknown>): Promise<void> {
    try {
      await run();
    } catch (err) {
      // Feedback only: the action is committed, and the update must not be redelivered for this.
      const level = isNotModified(err) ? 'debug' : 'warn';
      log[level]({ err: logSafeError(err), method: what }, 'staff group feedback failed');
    }
  }

  async function respond(telegram: Telegram, group: GroupRequest, outcome: StaffDeskOutcome): Promise<void> {
    const signal = timeoutSignal(requestTimeoutMs);
    if (group.via === 'button') {
      await call('answerCallbackQuery', () =>
        telegram.callApi(
          'answerCallbackQuery',
          { callback_query_id: group.queryId, text: clip(outcome.text, CALLBACK_ANSWER_MAX), show_alert: outcome.result === 'refused' },
          { signal },
        ),
      );
    } else {
      await call('sendMessage', () =>
        telegram.callApi(
          'sendMessage',
          {
            chat_id: staffChatId,
            text: clip(outcome.text, TELEGRAM_MAX_TEXT_LENGTH),
            reply_parameters: { message_id: group.messageId, allow_sending_without_reply: true },
          },
          { signal },
        ),
      );
    }
    if (outcome.result === 'done' && outcome.ticket !== undefined && changesPost(group.request)) {
      await updatePost(telegram, outcome.ticket);
    }
  }

  /** Re-renders the ticket's post: our stored text plus who holds it; buttons while it is active. */
  async function updatePost(telegram: Telegram, ticket: Ticket): Promise<void> {
    const post = findTicketPost(db, 'telegram', staffChatId, ticket.id);
    const messageId = post === null ? Number.NaN : Number(post.providerMessageId);
    if (post === null || !Number.isSafeInteger(messageId)) return;
    const text = `${post.text}\n\n${deskTexts.postFooter(ticket, desk.holderName(ticket))}`;
    const active = ticket.status === 'open' || ticket.status === 'pending';
    if (post.withFiles) {
      // A post with a voice note: its text is the recording's caption (a longer one went as
      // a message of its own before the file, which is not the post we know; left as sent).
      if (post.text.length > TELEGRAM_MAX_CAPTION_LENGTH || text.length > TELEGRAM_MAX_CAPTION_LENGTH) return;
      await call('editMessageCaption', () =>
        telegram.callApi(
          'editMessageCaption',
          { chat_id: staffChatId, message_id: messageId, caption: text, ...(active ? { reply_markup: ticketKeyboard(ticket.id) } : {}) },
          { signal: timeoutSignal(requestTimeoutMs) },
        ),
      );
      return;
    }
    if (text.length > TELEGRAM_MAX_TEXT_LENGTH) return;
    await call('editMessageText', () =>
      telegram.callApi(
        'editMessageText',
        // Without reply_markup Telegram removes the keyboard: that is what a resolved ticket wants.
        { chat_id: staffChatId, message_id: messageId, text, ...(active ? { reply_markup: ticketKeyboard(ticket.id) } : {}) },
        { signal: timeoutSignal(requestTimeoutMs) },
      ),
    );
  }

  return {
    async onGroupUpdate(update, telegram) {
      const group = readRequest(update);
      if (group === null) return;
      // Throws only when the database failed: then nothing was recorded and the update comes again.
      const handled = once.run(String(update.update_id), () => desk.execute(group.identity, group.request));
      if (!handled.first) {
        log.debug({ updateId: update.update_id }, 'staff group update already handled; not answered again');
        return;
      }
      const outcome = handled.value;
      log.info(
        { updateId: update.update_id, command: group.request.type, result: outcome.result, ticketId: outcome.ticket?.id, staffId: outcome.staff?.id },
        'staff group command',
      );
      await respond(telegram, group, outcome);
    },
  };
}

function changesPost(request: StaffRequest): boolean {
  return request.type === 'claim' || request.type === 'resolve' || request.type === 'reply';
}

function ticketKeyboard(ticketId: number): InlineKeyboardMarkup {
  // The same buttons (and one per row) as the channel renders for the original post.
  return {
    inline_keyboard: [
      [{ text: staffTexts.claimLabel, callback_data: staffButtonPayload('claim', ticketId) }],
      [{ text: staffTexts.resolveLabel, callback_data: staffButtonPayload('resolve', ticketId) }],
    ],
  };
}

function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Editing a post to the text it already has: harmless, expected after a redundant action. */
function isNotModified(err: unknown): boolean {
  return err instanceof Error && /message is not modified/i.test(err.message);
}
