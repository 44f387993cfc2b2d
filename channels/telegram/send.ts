/**
 * Outbound: one OutboundMessage becomes one or more sendMessage calls, paced by
 * the limiter, split on paragraph boundaries, with quick replies as an inline
 * keyboard under the last part. Attachments follow as sendPhoto / sendDocument /
 * sendVoice / sendAudio uploads (multipart); a text that fits a caption (1,024 characters) rides on the
 * first file instead of going as its own message. Failures become SendResult
 * values for the outbox.
 */
import { Input } from 'telegraf';
import type { Telegram } from 'telegraf';
import type { InlineKeyboardMarkup } from 'telegraf/types';
import type { Logger } from 'pino';
import { baseMimeType, splitText } from '../channel.js';
import type { OutboundAttachment, OutboundMessage, QuickReply, SendResult } from '../channel.js';
import type { CallbackDataCodec } from './callback-data.js';
import { classifySendError, logSafeError } from './errors.js';
import type { SendLimiter } from './limiter.js';
import { createSendProgress } from './send-progress.js';
import { timeoutSignal } from './signals.js';

export const TELEGRAM_MAX_TEXT_LENGTH = 4096;
/** Telegram's limit for a photo or document caption. */
export const TELEGRAM_MAX_CAPTION_LENGTH = 1024;

/** One API call of an outbound message: a text part, or a file with an optional caption. */
type SendStep =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'file'; readonly file: OutboundAttachment; readonly caption?: string };

/** Text parts first, then the files; a short text becomes the first file's caption. */
export function planSteps(message: OutboundMessage): SendStep[] {
  const files = message.attachments ?? [];
  const text = message.text.trim() === '' ? '' : message.text;
  if (files.length > 0 && text.length <= TELEGRAM_MAX_CAPTION_LENGTH) {
    return files.map((file, i) => (i === 0 && text !== '' ? { kind: 'file', file, caption: text } : { kind: 'file', file }));
  }
  const parts: SendStep[] = text === '' ? [] : splitText(text, TELEGRAM_MAX_TEXT_LENGTH).map((part) => ({ kind: 'text', text: part }));
  return [...parts, ...files.map((file): SendStep => ({ kind: 'file', file }))];
}

/**
 * How Telegram takes a file. A voice note plays in the chat only as OGG/Opus (sendVoice), an
 * audio file only as MP3 or M4A (sendAudio); anything else (AMR, WebM, WAV) goes as a
 * document, which staff can still download and play.
 */
export function uploadMethod(file: Pick<OutboundAttachment, 'kind' | 'mimeType'>): 'sendPhoto' | 'sendDocument' | 'sendVoice' | 'sendAudio' {
  if (file.kind === 'image') return 'sendPhoto';
  if (file.kind !== 'voice' && file.kind !== 'audio') return 'sendDocument';
  const mime = baseMimeType(file.mimeType);
  if (mime === 'audio/ogg' || mime === 'audio/opus') return 'sendVoice';
  if (mime === 'audio/mpeg' || mime === 'audio/mp3' || mime === 'audio/mp4' || mime === 'audio/m4a' || mime === 'audio/x-m4a') return 'sendAudio';
  return 'sendDocument';
}

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

  const call = (chatId: string, step: SendStep, keyboard: InlineKeyboardMarkup | undefined): Promise<{ message_id: number }> => {
    const extra = keyboard === undefined ? {} : { reply_markup: keyboard };
    const signal = timeoutSignal(requestTimeoutMs);
    if (step.kind === 'text') return telegram.callApi('sendMessage', { chat_id: chatId, text: step.text, ...extra }, { signal });
    // Input.fromBuffer makes telegraf upload the bytes as multipart/form-data.
    const upload = Input.fromBuffer(Buffer.from(step.file.data.buffer, step.file.data.byteOffset, step.file.data.byteLength), step.file.fileName);
    const caption = step.caption === undefined ? {} : { caption: step.caption };
    switch (uploadMethod(step.file)) {
      case 'sendPhoto':
        return telegram.callApi('sendPhoto', { chat_id: chatId, photo: upload, ...caption, ...extra }, { signal });
      case 'sendVoice':
        return telegram.callApi('sendVoice', { chat_id: chatId, voice: upload, ...caption, ...extra }, { signal });
      case 'sendAudio':
        return telegram.callApi('sendAudio', { chat_id: chatId, audio: upload, ...caption, ...extra }, { signal });
      case 'sendDocument':
        return telegram.callApi('sendDocument', { chat_id: chatId, document: upload, ...caption, ...extra }, { signal });
    }
  };

  return async function send(message) {
    if (deps.isStopping()) return { ok: false, kind: 'retryable', error: 'telegram channel stopped' };
    const steps = planSteps(message);
    if (steps.length === 0) return { ok: false, kind: 'permanent', error: 'empty text' };
    const chatId = message.conversationExternalId;
    // A retry of a split message resumes after the steps already delivered.
    const resume = progress.resume(message, steps.length);
    let lastId = resume.lastProviderMessageId;
    for (let i = resume.nextPart; i < steps.length; i++) {
      const isLast = i === steps.length - 1;
      await limiter.acquire(chatId);
      try {
        const step = steps[i]!;
        const sent = await call(chatId, step, isLast && message.quickReplies.length > 0 ? keyboardFor(message.quickReplies) : undefined);
        lastId = String(sent.message_id);
        progress.record(message, i + 1, lastId, steps.length);
      } catch (err) {
        const failure = classifySendError(err);
        if (failure.kind === 'permanent') progress.forget(message.messageId);
        log.warn({ err: logSafeError(err), messageId: message.messageId, part: i + 1, parts: steps.length, kind: failure.kind }, 'telegram send failed');
        return failure;
      }
    }
    progress.forget(message.messageId);
    return { ok: true, providerMessageId: lastId ?? '' };
  };
}
