/**
 * Routing of one update: private chats become InboundMessages for the sink,
 * the staff group goes to the group handler, everything else is acknowledged
 * and dropped. Resolves only after the sink (or the group handler) finished,
 * so the caller acknowledges the update after it was stored.
 */
import type { Telegram } from 'telegraf';
import type { CallbackQuery, Message, Update, User } from 'telegraf/types';
import type { Logger } from 'pino';
import type { Clock } from '../../src/clock.js';
import type { InboundMessage, InboundSink } from '../channel.js';
import type { CallbackDataCodec } from './callback-data.js';
import { logSafeError } from './errors.js';
import type { MediaDownloader } from './media.js';
import { messageContent, toSender } from './message-content.js';
import { timeoutSignal } from './signals.js';

/**
 * Called for updates from the staff group (messages and button presses),
 * awaited like the sink so staff actions are also stored before they are
 * acknowledged. Throwing makes the update be delivered again.
 */
export type GroupUpdateHandler = (update: Update, telegram: Telegram) => Promise<void>;

export interface UpdateIntakeDeps {
  readonly telegram: Telegram;
  /** undefined before start(). */
  readonly sink: () => InboundSink | undefined;
  readonly media: MediaDownloader;
  readonly callbackData: CallbackDataCodec;
  readonly clock: Clock;
  readonly requestTimeoutMs: number;
  readonly staffChatId?: string;
  readonly onGroupUpdate?: GroupUpdateHandler;
  readonly log: Logger;
}

export interface UpdateIntake {
  route(update: Update): Promise<void>;
}

export function createUpdateIntake(deps: UpdateIntakeDeps): UpdateIntake {
  const { telegram, media, callbackData, clock, requestTimeoutMs, log } = deps;

  async function routeUpdate(update: Update): Promise<void> {
    if ('message' in update) {
      const message = update.message;
      if (message.chat.type === 'private') return intakeMessage(message, message.from);
      return routeGroupUpdate(update, message.chat.id);
    }
    if ('callback_query' in update) {
      const query = update.callback_query;
      const chat = query.message?.chat;
      if (chat === undefined || chat.type === 'private') return intakeCallback(query);
      return routeGroupUpdate(update, chat.id);
    }
    log.debug({ updateId: update.update_id }, 'update type not handled; acknowledged');
  }

  async function routeGroupUpdate(update: Update, chatId: number): Promise<void> {
    if (deps.staffChatId !== undefined && deps.onGroupUpdate !== undefined && String(chatId) === deps.staffChatId) {
      await deps.onGroupUpdate(update, telegram);
      return;
    }
    log.debug({ updateId: update.update_id, chatId }, 'group update ignored (not the staff group)');
  }

  async function intakeMessage(message: Message, from: User): Promise<void> {
    const content = await messageContent(message, media);
    if (content === undefined) {
      log.debug({ messageId: message.message_id }, 'service message ignored');
      return;
    }
    await deliver({
      channel: 'telegram',
      externalId: `${message.chat.id}:${message.message_id}`,
      conversationExternalId: String(message.chat.id),
      sender: toSender(from),
      text: content.text,
      attachments: content.attachments,
      receivedAt: new Date(message.date * 1000),
    });
  }

  async function intakeCallback(query: CallbackQuery): Promise<void> {
    if (!('data' in query)) {
      await answerCallback(query.id);
      return;
    }
    const payload = callbackData.decode(query.data, query.message);
    // Inline-mode messages have no chat; in a private chat the chat id is the user id.
    const chatId = query.message?.chat.id ?? query.from.id;
    await deliver({
      channel: 'telegram',
      externalId: `cb:${query.id}`,
      conversationExternalId: String(chatId),
      sender: toSender(query.from),
      text: payload,
      attachments: [],
      receivedAt: clock.now(),
      quickReplyPayload: payload,
    });
    // After the store: pressing again while we were down must not be lost.
    await answerCallback(query.id);
  }

  async function answerCallback(id: string): Promise<void> {
    try {
      await telegram.callApi('answerCallbackQuery', { callback_query_id: id }, { signal: timeoutSignal(requestTimeoutMs) });
    } catch (err) {
      // Only the spinner on the button depends on it (and queries expire); the message is stored.
      log.warn({ err: logSafeError(err) }, 'answerCallbackQuery failed');
    }
  }

  async function deliver(message: InboundMessage): Promise<void> {
    const sink = deps.sink();
    if (sink === undefined) throw new Error('telegram channel received an update before start()');
    const result = await sink.accept(message);
    log.debug({ externalId: message.externalId, outcome: result.outcome }, 'inbound stored');
  }

  return { route: routeUpdate };
}
