/**
 * Outbound: one OutboundMessage becomes one or more `broadcastText` calls,
 * paced for the whole account, split on paragraph boundaries at Instagram's
 * 1,000-character limit. Failures become SendResult values for the outbox;
 * account problems (challenge, expired session, spam flag) are also reported
 * to the channel, which stops and asks for a person.
 */
import type { Logger } from 'pino';
import { splitText } from '../channel.js';
import type { OutboundMessage, SendResult } from '../channel.js';
import { classifyIgError, classifySendError, logSafeError, needsPerson } from './errors.js';
import type { IgGateway } from './gateway.js';
import type { SendPacer } from './pacer.js';

export const INSTAGRAM_MAX_TEXT_LENGTH = 1000;

export type InstagramSend = (message: OutboundMessage) => Promise<SendResult>;

export interface SenderDeps {
  /** The logged-in gateway, or why there is none (starting, needs attention, stopped). */
  readonly gateway: () => IgGateway | string;
  readonly pacer: SendPacer;
  /** An account error while sending (challenge, expired session, block). */
  readonly onAccountError: (err: unknown) => void;
  readonly log: Logger;
}

/** Parts already delivered of a split message, so a retry resumes instead of repeating them. */
interface Progress {
  readonly sent: number;
  readonly lastId: string | undefined;
}

const PROGRESS_KEPT = 1_000;

export function createInstagramSender(deps: SenderDeps): InstagramSend {
  const { pacer, log } = deps;
  const progress = new Map<number, Progress>();

  function remember(messageId: number, entry: Progress): void {
    progress.delete(messageId);
    progress.set(messageId, entry);
    if (progress.size > PROGRESS_KEPT) {
      const oldest = progress.keys().next();
      if (oldest.done !== true) progress.delete(oldest.value);
    }
  }

  return async function send(message) {
    if (message.text.trim() === '') return { ok: false, kind: 'permanent', error: 'empty text' };
    const threadId = message.conversationExternalId;
    const parts = splitText(message.text, INSTAGRAM_MAX_TEXT_LENGTH);
    const resume = progress.get(message.messageId);
    let lastId = resume?.lastId;
    for (let i = resume?.sent ?? 0; i < parts.length; i++) {
      await pacer.acquire();
      // Checked after the wait: the channel may have stopped meanwhile.
      const gateway = deps.gateway();
      if (typeof gateway === 'string') return { ok: false, kind: 'retryable', error: gateway };
      try {
        lastId = (await gateway.broadcastText(threadId, parts[i] ?? '')) ?? lastId;
        remember(message.messageId, { sent: i + 1, lastId });
      } catch (err) {
        const failure = classifySendError(err);
        const kind = classifyIgError(err);
        if (needsPerson(kind) || kind === 'session_expired') deps.onAccountError(err);
        if (failure.kind === 'permanent') progress.delete(message.messageId);
        log.warn({ err: logSafeError(err), messageId: message.messageId, part: i + 1, parts: parts.length, kind: failure.kind }, 'instagram send failed');
        return failure;
      }
    }
    progress.delete(message.messageId);
    // Instagram answered "ok" without an item id only in old app versions; the reply did go out.
    return { ok: true, providerMessageId: lastId ?? '' };
  };
}
