// The contract with the core (what the store fills) is `EmailDirectory` in channels/channel.ts.
import type { EmailDirectory } from '../channel.js';

export type { EmailDirectory };

/** How we answer in a thread: kept per conversation, updated by every mail the applicant sends. */
export interface ThreadState {
  /** Where replies go (Reply-To, else From, of the latest mail). */
  readonly to: string;
  readonly name?: string;
  /** The latest subject without Re:/Fwd: prefixes and without our `[#<n>]` tag. */
  readonly subject: string;
  /** Message-ID of the latest mail, for In-Reply-To. */
  readonly lastMessageId: string;
  /** The thread's References, oldest first, ending with `lastMessageId` (bounded). */
  readonly references: readonly string[];
}

export function threadKey(conversationExternalId: string): string {
  return `thread:${conversationExternalId}`;
}

export function readThread(directory: EmailDirectory, conversationExternalId: string): ThreadState | undefined {
  const raw = directory.getState(threadKey(conversationExternalId));
  if (raw === undefined) return undefined;
  const value = JSON.parse(raw) as Partial<ThreadState>;
  if (typeof value.to !== 'string' || typeof value.subject !== 'string' || typeof value.lastMessageId !== 'string') return undefined;
  return {
    to: value.to,
    subject: value.subject,
    lastMessageId: value.lastMessageId,
    references: Array.isArray(value.references) ? value.references.filter((r): r is string => typeof r === 'string') : [],
    ...(typeof value.name === 'string' ? { name: value.name } : {}),
  };
}

export function writeThread(directory: EmailDirectory, conversationExternalId: string, thread: ThreadState): void {
  directory.setState(threadKey(conversationExternalId), JSON.stringify(thread));
}
