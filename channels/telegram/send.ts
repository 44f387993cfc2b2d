/**
 * Outbound: one OutboundMessage becomes one or more sendMessage calls, paced by
 * the limiter, split on paragraph boundaries, with quick replies as an inline
 * keyboard under the last part. Failures become SendResult values for the outbox.
 */
import type { Telegram } from 'telegraf';
import type { InlineKeyboardMarkup } from 'telegraf/types';
import type { Logger } from 'pino';
import { splitText } from '../channel.js';
import type { OutboundMessage, QuickReply, SendResult } from '../channel.js';
import type { CallbackDataCodec } from './callback-data.js';
import { classifySendError, logSafeError } from './errors.js';
import type { SendLimiter } from './limiter.js';
import { createSendProgress } from './send-progress.js';
import { timeoutSignal } from './signals.js';

export const TELEGRAM_MAX_TEXT_LENGTH = 4096;

export interface TelegramSenderDeps {
  readonly telegram: Telegram;
  readonly limiter: SendLimiter;
  readonly callbackData: CallbackDataCodec;
  readonly requestTimeoutMs: number;
  readonly isStopping: () => boolean;
  readonly log: Logger;
}

export type TelegramSend = (message: OutboundMessage) => Promise<SendResult>;

export function createTelegramSender(deps: TelegramSenderDeps): TelegramSend {
  const { telegram, limiter, callbackData, requestTimeoutMs, log } = deps;
  const progress = createSendProgress();

  function keyboardFor(replies: readonly QuickReply[]): InlineKeyboardMarkup {
    // One button per row: topic labels are phrases, and rows of one read best on phones.
    return { inline_keyboard: replies.map((r) => [{ text: r.label, callback_data: callbackData.encode(r.payload) }]) };
  }

  return async function send(message) {
    if (deps.isStopping()) return { ok: false, kind: 'retryable', error: 'telegram channel stopped' };
    if (message.text.trim() === '') return { ok: false, kind: 'permanent', error: 'empty text' };
    const chatId = message.conversationExternalId;
    const parts = splitText(message.text, TELEGRAM_MAX_TEXT_LENGTH);
    // A retry of a split message resumes after the parts already delivered.
    const resume = progress.resume(message, parts.length);
    let lastId = resume.lastProviderMessageId;
    for (let i = resume.nextPart; i < parts.length; i++) {
      const isLast = i === parts.length - 1;
      await limiter.acquire(chatId);
      try {
        const sent = await telegram.callApi(
          'sendMessage',
          {
            chat_id: chatId,
            text: parts[i] ?? '',
            ...(isLast && message.quickReplies.length > 0 ? { reply_markup: keyboardFor(message.quickReplies) } : {}),
          },
          { signal: timeoutSignal(requestTimeoutMs) },
        );
        lastId = String(sent.message_id);
        progress.record(message, i + 1, lastId, parts.length);
      } catch (err) {
        const failure = classifySendError(err);
        if (failure.kind === 'permanent') progress.forget(message.messageId);
        log.warn({ err: logSafeError(err), messageId: message.messageId, part: i + 1, parts: parts.length, kind: failure.kind }, 'telegram send failed');
        return failure;
      }
    }
    progress.forget(message.messageId);
    return { ok: true, providerMessageId: lastId ?? '' };
  };
}
