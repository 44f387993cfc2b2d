/** Which parts of a split outbound message were already delivered. */
import { createHash } from 'node:crypto';
import type { OutboundMessage } from '../channel.js';

interface SendProgressEntry {
  readonly fingerprint: string;
  readonly sentParts: number;
  readonly lastProviderMessageId: string;
}

export interface SendProgress {
  resume(message: OutboundMessage, parts: number): { nextPart: number; lastProviderMessageId: string | undefined };
  record(message: OutboundMessage, sentParts: number, lastProviderMessageId: string, parts: number): void;
  forget(messageId: number): void;
}

/**
 * When part 2 of 3 fails, the outbox retries the whole message; resuming at
 * part 2 avoids sending part 1 twice. In memory only: after a restart the
 * message is sent from its first part again.
 */
export function createSendProgress(): SendProgress {
  const entries = new Map<number, SendProgressEntry>();
  const fingerprint = (m: OutboundMessage): string =>
    createHash('sha256').update(m.conversationExternalId).update('\0').update(m.text).digest('base64url');
  return {
    resume(message, parts) {
      const entry = entries.get(message.messageId);
      if (entry === undefined || entry.fingerprint !== fingerprint(message) || entry.sentParts >= parts) {
        return { nextPart: 0, lastProviderMessageId: undefined };
      }
      return { nextPart: entry.sentParts, lastProviderMessageId: entry.lastProviderMessageId };
    },
    record(message, sentParts, lastProviderMessageId, parts) {
      if (sentParts >= parts) return;
      entries.set(message.messageId, { fingerprint: fingerprint(message), sentParts, lastProviderMessageId });
    },
    forget(messageId) {
      entries.delete(messageId);
    },
  };
}
