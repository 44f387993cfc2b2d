/**
 * What the e-mail adapter needs from the core beyond the InboundSink, as an interface the
 * composition root (src/main.ts) fills from the store (src/store/email-threads.ts). The
 * adapter never imports the store itself.
 */
export interface EmailDirectory {
  /** Adapter state kept across restarts (the IMAP cursor, threads, numbered options). */
  getState(key: string): string | undefined;
  setState(key: string, value: string): void;
  /** The conversation of an applicant's mail already stored with this Message-ID. */
  conversationOfInbound(messageId: string): string | undefined;
  /** The conversation of our reply number `ourMessageId` if it was sent with exactly this Message-ID. */
  conversationOfReply(ourMessageId: number, providerMessageId: string): string | undefined;
  /** The conversation of ticket `ticketNumber`, only when `address` belongs to that ticket's applicant. */
  conversationOfTicket(ticketNumber: number, address: string): string | undefined;
  /** The ticket number our reply belongs to, if any (its subject then carries `[#<n>]`). */
  ticketOfReply(ourMessageId: number): number | undefined;
  /** A bounce: marks our reply failed for good, with the reason. false when no sent reply matches. */
  markReplyBounced(ourMessageId: number, providerMessageId: string, reason: string, now: Date): boolean;
}

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
