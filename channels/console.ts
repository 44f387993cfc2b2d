/**
 * Terminal chat (`sapa chat`): talks to the same router and database as the server.
 * Quick replies are printed as numbered options; typing the number picks one.
 */
import { randomUUID } from 'node:crypto';
import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { Channel, ChannelStatus, InboundSink, OutboundMessage, QuickReply, SendResult } from './channel.js';

export interface ConsoleChannelOptions {
  readonly input: Readable;
  readonly output: Writable;
  /** Identifies this terminal user across runs (same conversation, same tickets). */
  readonly userId: string;
  readonly prompt?: string;
  /** Called when the input ends (Ctrl-D) or on Ctrl-C. */
  readonly onClose?: () => void;
  /** Reports a message that could not be stored (the adapter's error boundary). */
  readonly onError?: (err: unknown) => void;
}

export interface ConsoleChannel extends Channel {
  readonly name: 'console';
}

const LABELS = { bot: 'SAPA', staff: 'Petugas', system: 'SAPA' } as const;

export function createConsoleChannel(options: ConsoleChannelOptions): ConsoleChannel {
  const prompt = options.prompt ?? 'Anda> ';
  let status: ChannelStatus = { state: 'stopped' };
  let readline: Interface | null = null;
  let lastReplies: readonly QuickReply[] = [];
  let counter = 0;

  const print = (text: string): void => {
    options.output.write(`${text}\n`);
  };

  return {
    name: 'console',
    capabilities: { quickReplies: false, inboundMedia: false, outboundMedia: false, maxTextLength: 100_000 },
    status: () => status,
    async start(sink: InboundSink) {
      status = { state: 'connected' };
      readline = createInterface({ input: options.input, output: options.output, prompt, terminal: false });
      const session = randomUUID().slice(0, 8);
      readline.on('line', (line) => {
        const picked = /^\s*(\d{1,2})\s*$/.exec(line);
        const choice = picked?.[1] ? lastReplies[Number(picked[1]) - 1] : undefined;
        counter += 1;
        sink
          .accept({
            channel: 'console',
            externalId: `${options.userId}:${session}:${counter}`,
            conversationExternalId: options.userId,
            sender: { externalId: options.userId, displayName: options.userId },
            text: choice ? choice.label : line,
            attachments: [],
            receivedAt: new Date(),
            ...(choice ? { quickReplyPayload: choice.payload } : {}),
          })
          .catch((err: unknown) => options.onError?.(err));
      });
      readline.on('close', () => {
        status = { state: 'stopped' };
        // Replies still due are printed after the input ended (piped input); a closed
        // interface must not be prompted again (Node.js 24 throws ERR_USE_AFTER_CLOSE).
        readline = null;
        options.onClose?.();
      });
      readline.prompt();
    },
    async stop() {
      status = { state: 'stopped' };
      readline?.close();
      readline = null;
    },
    async send(message: OutboundMessage): Promise<SendResult> {
      print(`\n${LABELS[message.author]}> ${message.text}`);
      lastReplies = message.quickReplies;
      message.quickReplies.forEach((reply, index) => print(`  ${index + 1}. ${reply.label}`));
      readline?.prompt();
      return { ok: true, providerMessageId: `console-${message.messageId}` };
    },
  };
}
