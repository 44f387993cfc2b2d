/**
 * Web chat: the default channel, needs no credentials. Visitors post over HTTP and
 * receive replies over server-sent events (src/server/web-chat-routes.ts wires the
 * HTTP side). A visitor is identified by a random id their browser keeps across
 * reloads; each posted message carries a client id, so a retried POST on a flaky
 * connection is stored once. A voice note recorded on the page arrives the same way,
 * with the recording as a 'voice' attachment and no text.
 */
import type {
  AcceptOutcome,
  Attachment,
  Channel,
  ChannelCapabilities,
  ChannelStatus,
  InboundSink,
  OutboundMessage,
  QuickReply,
  SendResult,
} from './channel.js';

/** What the browser receives for one message (history and live events alike). */
export interface WebChatMessage {
  readonly id: number;
  readonly author: 'applicant' | 'bot' | 'staff' | 'system';
  readonly text: string;
  readonly quickReplies: readonly QuickReply[];
  readonly createdAt: string;
  /** Applicant messages: the id the page posted it with (history only; a live push has none). */
  readonly clientMessageId?: string;
  /** Files that came with an applicant message (a voice note recorded on the page): what the page labels it with. */
  readonly attachments?: readonly WebChatAttachment[];
}

export interface WebChatAttachment {
  readonly kind: string;
}

export const VISITOR_ID_PATTERN = /^[A-Za-z0-9_-]{16,64}$/;
export const CLIENT_MESSAGE_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

export interface WebSubmission {
  readonly visitorId: string;
  readonly clientMessageId: string;
  readonly text: string;
  readonly quickReplyPayload?: string;
  readonly displayName?: string;
  /** A voice note recorded on the page (POST /chat/voice); the text is then empty. */
  readonly attachments?: readonly Attachment[];
}

export interface WebChannel extends Channel {
  readonly name: 'web';
  submit(submission: WebSubmission): Promise<AcceptOutcome>;
  /** Live messages for one visitor; returns the unsubscribe function. */
  subscribe(visitorId: string, listener: (message: WebChatMessage) => void): () => void;
  subscriberCount(): number;
}

export class WebChannelUnavailableError extends Error {
  readonly code = 'SAPA_WEB_UNAVAILABLE';
  constructor() {
    super('web chat is not accepting messages (starting or shutting down)');
    this.name = 'WebChannelUnavailableError';
  }
}

export function createWebChannel(options: { now?: () => Date } = {}): WebChannel {
  const now = options.now ?? (() => new Date());
  const listeners = new Map<string, Set<(message: WebChatMessage) => void>>();
  let sink: InboundSink | null = null;
  let status: ChannelStatus = { state: 'stopped' };

  const capabilities: ChannelCapabilities = { quickReplies: true, inboundMedia: true, outboundMedia: false, maxTextLength: 8_000 };

  return {
    name: 'web',
    capabilities,
    status: () => status,
    async start(inbound) {
      sink = inbound;
      status = { state: 'connected' };
    },
    async stop() {
      sink = null;
      status = { state: 'stopped' };
    },
    async send(message: OutboundMessage): Promise<SendResult> {
      // Web replies are read from the database on (re)connect, so a visitor who is
      // offline now still gets them: the send succeeds once the live push is done.
      const event: WebChatMessage = {
        id: message.messageId,
        author: message.author,
        text: message.text,
        quickReplies: message.quickReplies,
        createdAt: now().toISOString(),
      };
      for (const listener of listeners.get(message.conversationExternalId) ?? []) listener(event);
      return { ok: true, providerMessageId: `web-${message.messageId}` };
    },
    async submit(submission) {
      if (!sink) throw new WebChannelUnavailableError();
      return sink.accept({
        channel: 'web',
        externalId: `${submission.visitorId}:${submission.clientMessageId}`,
        conversationExternalId: submission.visitorId,
        sender: {
          externalId: submission.visitorId,
          ...(submission.displayName ? { displayName: submission.displayName } : {}),
        },
        text: submission.text,
        attachments: submission.attachments ?? [],
        receivedAt: now(),
        ...(submission.quickReplyPayload ? { quickReplyPayload: submission.quickReplyPayload } : {}),
      });
    },
    subscribe(visitorId, listener) {
      let set = listeners.get(visitorId);
      if (!set) {
        set = new Set();
        listeners.set(visitorId, set);
      }
      set.add(listener);
      return () => {
        set.delete(listener);
        if (set.size === 0) listeners.delete(visitorId);
      };
    },
    subscriberCount() {
      let count = 0;
      for (const set of listeners.values()) count += set.size;
      return count;
    },
  };
}
