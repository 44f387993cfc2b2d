/**
 * A channel that records what it is asked to send, and can be told to fail: used to
 * prove outbox retry, ordering and permanent-failure handling with the real dispatcher.
 */
import type {
  Channel,
  ChannelName,
  ChannelStatus,
  InboundSink,
  OutboundMessage,
  SendResult,
} from '../../channels/channel.js';

export type Scripted = SendResult | ((message: OutboundMessage) => SendResult | Promise<SendResult>);

export interface RecordingChannel extends Channel {
  readonly sent: OutboundMessage[];
  /** Every call to send, including failed ones. */
  readonly attempts: OutboundMessage[];
  /** Results to return for the next sends, in order; when empty, sends succeed. */
  script(...results: Scripted[]): void;
  /** Fail every send with this result until cleared with null. */
  failAll(result: SendResult | null): void;
  sink(): InboundSink | null;
  textsTo(conversationExternalId: string): string[];
}

export interface RecordingChannelOptions {
  /** Whether the channel says it can send files (default true, so tests see attachments). */
  readonly outboundMedia?: boolean;
  /** Takes whole answers, as e-mail does (`ChannelCapabilities.longAnswers`). */
  readonly longAnswers?: boolean;
}

export function createRecordingChannel(name: ChannelName = 'telegram', options: RecordingChannelOptions = {}): RecordingChannel {
  const sent: OutboundMessage[] = [];
  const attempts: OutboundMessage[] = [];
  const queue: Scripted[] = [];
  let always: SendResult | null = null;
  let inbound: InboundSink | null = null;
  let status: ChannelStatus = { state: 'stopped' };
  let counter = 0;
  return {
    name,
    capabilities: {
      quickReplies: true,
      inboundMedia: true,
      outboundMedia: options.outboundMedia ?? true,
      maxTextLength: 4096,
      ...(options.longAnswers === true ? { longAnswers: true } : {}),
    },
    sent,
    attempts,
    status: () => status,
    async start(sink) {
      inbound = sink;
      status = { state: 'connected' };
    },
    async stop() {
      status = { state: 'stopped' };
    },
    async send(message) {
      attempts.push(message);
      const next = always ?? queue.shift();
      const result = next === undefined ? null : typeof next === 'function' ? await next(message) : next;
      if (result && !result.ok) return result;
      sent.push(message);
      counter += 1;
      return result ?? { ok: true, providerMessageId: `${name}-${counter}` };
    },
    script(...results) {
      queue.push(...results);
    },
    failAll(result) {
      always = result;
    },
    sink: () => inbound,
    textsTo: (id) => sent.filter((m) => m.conversationExternalId === id).map((m) => m.text),
  };
}
