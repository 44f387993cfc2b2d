/**
 * Outbound: one OutboundMessage becomes one or more WhatsApp messages (text
 * parts, then its files; recordings before the text, see `unitsOf`),
 * paced by the limiter, with "typing..." shown before each (composing ->
 * send -> paused), quick replies rendered as numbered options, and the sent
 * proto kept for retry requests (getMessage). Failures become SendResult
 * values: while disconnected every send is `retryable`, so the outbox keeps
 * the message queued and in order until the connection is back.
 */
import { jidDecode } from '@whiskeysockets/baileys';
import type { WASocket } from '@whiskeysockets/baileys';
import type { Logger } from 'pino';
import { baseMimeType, splitText } from '../channel.js';
import type { OutboundAttachment, OutboundMessage, SendResult } from '../channel.js';
import { describeError, logSafeError } from './errors.js';
import type { SendLimiter } from './limiter.js';
import type { QuickReplyMemory } from './quick-replies.js';
import type { SentMessageStore } from './sent-messages.js';

/**
 * WhatsApp accepts far longer texts (~65k), but a wall of text reads badly on
 * a phone; split on paragraphs like the other channels.
 */
export const WHATSAPP_MAX_TEXT_LENGTH = 4096;

export interface TypingOptions {
  readonly minMs: number;
  readonly maxMs: number;
  readonly msPerChar: number;
}

export const DEFAULT_TYPING: TypingOptions = { minMs: 800, maxMs: 3_000, msPerChar: 15 };

/** What sending needs of the socket (tests pass a recording stand-in). */
export type SendSocket = Pick<WASocket, 'sendMessage' | 'sendPresenceUpdate'>;

export interface WhatsappSenderDeps {
  /** The socket while connected. */
  readonly socket: () => SendSocket | undefined;
  readonly limiter: SendLimiter;
  readonly quickReplies: QuickReplyMemory;
  readonly sent: SentMessageStore;
  /** null: no typing pause (tests, load tests). */
  readonly typing: TypingOptions | null;
  readonly sleep: (ms: number) => Promise<void>;
  readonly isStopping: () => boolean;
  readonly log: Logger;
}

export type WhatsappSend = (message: OutboundMessage) => Promise<SendResult>;

/** One WhatsApp message of an OutboundMessage: a part of the text, or one file (sent after the text). */
type Unit = { readonly text: string } | { readonly file: OutboundAttachment };

function contentOf(unit: Unit): Parameters<SendSocket['sendMessage']>[1] {
  if ('text' in unit) return { text: unit.text };
  const data = Buffer.from(unit.file.data);
  if (unit.file.kind === 'voice' || unit.file.kind === 'audio') {
    // WhatsApp shows a voice note (ptt) only for OGG/Opus; other recordings as an audio message.
    const mime = baseMimeType(unit.file.mimeType);
    const ptt = mime === 'audio/ogg' || mime === 'audio/opus';
    return { audio: data, mimetype: ptt ? 'audio/ogg; codecs=opus' : unit.file.mimeType, ptt };
  }
  return unit.file.kind === 'image'
    ? { image: data, mimetype: unit.file.mimeType }
    : { document: data, mimetype: unit.file.mimeType, fileName: unit.file.fileName };
}

/**
 * The WhatsApp messages of one OutboundMessage, in order. An audio message has no caption,
 * so a ticket post with a recording sends the recording first and the text last: the text
 * is the message whose id is kept, so an officer answers by quoting the post as always,
 * right under the voice note it is about. Images and documents follow the text.
 */
export function unitsOf(text: string, files: readonly OutboundAttachment[]): Unit[] {
  const recordings = files.filter((f) => f.kind === 'voice' || f.kind === 'audio');
  const others = files.filter((f) => f.kind !== 'voice' && f.kind !== 'audio');
  return [
    ...recordings.map((file) => ({ file })),
    ...splitText(text, WHATSAPP_MAX_TEXT_LENGTH).map((part) => ({ text: part })),
    ...others.map((file) => ({ file })),
  ];
}

export function createWhatsappSender(deps: WhatsappSenderDeps): WhatsappSend {
  const { limiter, quickReplies, sent, log } = deps;
  /** Parts of split messages already delivered, so a retry resumes instead of repeating them. */
  const progress = new Map<number, { readonly nextPart: number; readonly lastId: string }>();

  function typingMs(text: string): number {
    const t = deps.typing;
    return t === null ? 0 : Math.min(t.maxMs, Math.max(t.minMs, text.length * t.msPerChar));
  }

  async function presence(socket: SendSocket, type: 'composing' | 'paused', jid: string): Promise<void> {
    try {
      await socket.sendPresenceUpdate(type, jid);
    } catch (err) {
      // Cosmetic: the message itself matters, not the typing bubble.
      log.debug({ err: logSafeError(err) }, 'whatsapp presence update failed');
    }
  }

  return async function send(message) {
    const chatId = message.conversationExternalId;
    if (deps.isStopping()) return { ok: false, kind: 'retryable', error: 'whatsapp channel stopped' };
    if (message.text.trim() === '') return { ok: false, kind: 'permanent', error: 'empty text' };
    if (jidDecode(chatId)?.user === undefined) return { ok: false, kind: 'permanent', error: 'not a WhatsApp JID' };
    if (deps.socket() === undefined) return { ok: false, kind: 'retryable', error: 'whatsapp not connected' };

    const parts = unitsOf(quickReplies.render(chatId, message.text, message.quickReplies), message.attachments ?? []);
    const resume = progress.get(message.messageId);
    let lastId = resume?.lastId;
    for (let i = resume?.nextPart ?? 0; i < parts.length; i++) {
      const unit = parts[i];
      if (unit === undefined) continue;
      const slot = await limiter.acquire(chatId);
      if (!slot.ok) return { ok: false, kind: 'retryable', error: 'send rate limit', retryAfterMs: slot.retryAfterMs };
      // Looked up again after waiting: the connection may have dropped meanwhile.
      const socket = deps.socket();
      if (socket === undefined) return { ok: false, kind: 'retryable', error: 'whatsapp not connected' };
      try {
        const pauseMs = typingMs('text' in unit ? unit.text : '');
        if (pauseMs > 0) {
          await presence(socket, 'composing', chatId);
          await deps.sleep(pauseMs);
        }
        const result = await socket.sendMessage(chatId, contentOf(unit));
        if (pauseMs > 0) await presence(socket, 'paused', chatId);
        const id = result?.key.id;
        if (result === undefined || typeof id !== 'string' || id === '') throw new Error('WhatsApp returned no message id');
        if (result.message) sent.remember(id, result.message);
        lastId = id;
        if (i + 1 < parts.length) {
          progress.set(message.messageId, { nextPart: i + 1, lastId: id });
          // Bounded: a message the outbox gave up on never comes back to clear its entry.
          if (progress.size > 1_000) progress.delete(progress.keys().next().value ?? message.messageId);
        }
      } catch (err) {
        // Nothing a WhatsApp text send throws is known to be final; the outbox gives up after its own limit.
        log.warn({ err: logSafeError(err), messageId: message.messageId, part: i + 1, parts: parts.length }, 'whatsapp send failed');
        return { ok: false, kind: 'retryable', error: describeError(err) };
      }
    }
    progress.delete(message.messageId);
    return { ok: true, providerMessageId: lastId ?? '' };
  };
}
