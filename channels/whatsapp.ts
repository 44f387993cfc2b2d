/**
 * WhatsApp channel (@whiskeysockets/baileys 7.0.0-rc14): the adapter factory.
 * The office's number is linked as a WhatsApp Web device (QR code or pairing
 * code). The parts live in channels/whatsapp/:
 *   state-store.ts   channel_state as a key-value store (one transaction per write batch)
 *   auth-state.ts    creds + signal keys (incl. lid-mapping) in SQLite, BufferJSON
 *   connection.ts    socket lifecycle: reconnect with backoff, 515, 401 logout
 *   disconnect.ts    status codes -> named reasons -> actions; backoff with jitter
 *   linking.ts       current QR / pairing code for terminal and dashboard
 *   intake.ts        messages.upsert -> InboundMessage (filters, dedupe, order)
 *   message-content.ts, media.ts, identity.ts   what a message says, its files, who sent it
 *   send.ts, limiter.ts, quick-replies.ts, sent-messages.ts   outbound
 *   staff-group.ts   staff commands in the WhatsApp staff group (src/staff-desk)
 *
 * Voice notes, stickers and other media we do not read arrive at the core as
 * an InboundMessage with empty text and a typed attachment; the core answers
 * "please write your question" through the outbox, like on Telegram.
 */
import type { WAMessageKey, WASocket } from '@whiskeysockets/baileys';
import type { Logger } from 'pino';
import { systemClock } from '../src/clock.js';
import type { Clock } from '../src/clock.js';
import type { Db } from '../src/store/db.js';
import type { Channel, ChannelCapabilities, InboundSink } from './channel.js';
import { createAuthStore } from './whatsapp/auth-state.js';
import { createConnection, type SocketFactory, type WhatsappProblem } from './whatsapp/connection.js';
import { DEFAULT_RECONNECT_BACKOFF, type ReconnectBackoff } from './whatsapp/disconnect.js';
import { logSafeError } from './whatsapp/errors.js';
import { createIdentityResolver } from './whatsapp/identity.js';
import { createUpsertIntake, type WhatsappGroupMessage } from './whatsapp/intake.js';
import { createSendLimiter, realTimers, type LimiterTimers } from './whatsapp/limiter.js';
import { createLinking, defaultQrPrinter, type LinkingInfo, type QrPrinter } from './whatsapp/linking.js';
import { createMediaDownloader, type WhatsappMediaOptions } from './whatsapp/media.js';
import { createQuickReplyMemory } from './whatsapp/quick-replies.js';
import { createWhatsappSender, DEFAULT_TYPING, WHATSAPP_MAX_TEXT_LENGTH, type TypingOptions } from './whatsapp/send.js';
import { createSentMessageStore } from './whatsapp/sent-messages.js';
import { createStateStore } from './whatsapp/state-store.js';

// ---------------------------------------------------------------------------
// Public API (callers import from here only)
// ---------------------------------------------------------------------------

export { WHATSAPP_MAX_TEXT_LENGTH, DEFAULT_TYPING } from './whatsapp/send.js';
export { createWhatsappStaffGroup } from './whatsapp/staff-group.js';
export type { WhatsappStaffGroup, WhatsappStaffGroupDeps, GroupResponder } from './whatsapp/staff-group.js';
export type { WhatsappGroupMessage } from './whatsapp/intake.js';
export type { WhatsappProblem, WhatsappProblemKind, SocketFactory } from './whatsapp/connection.js';
export type { LinkingInfo, LinkingState, QrPrinter } from './whatsapp/linking.js';
export type { WhatsappMediaOptions } from './whatsapp/media.js';
export type { TypingOptions } from './whatsapp/send.js';
export type { ReconnectBackoff } from './whatsapp/disconnect.js';

/** Handles a staff-group message; `respond` posts feedback in the group. */
export type WhatsappGroupHandler = (message: WhatsappGroupMessage, respond: (text: string) => Promise<void>) => Promise<void>;

export interface WhatsappChannelOptions {
  /** Creds, keys, sent messages and linking state live in `channel_state`. */
  readonly db: Db;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Link by pairing code for this number (digits with country code, e.g. 6281234567890) instead of QR. */
  readonly pairingNumber?: string;
  /** WHATSAPP_STAFF_GROUP_JID (…@g.us). Group messages are ignored unless from this group and `onGroupMessage` is set. */
  readonly staffGroupJid?: string;
  readonly onGroupMessage?: WhatsappGroupHandler;
  /** Overall sends per minute; 0 turns the limiter off (tests). */
  readonly sendsPerMinute: number;
  /** Minimum spacing between two sends to one chat. Default 3 s. */
  readonly perChatIntervalMs?: number;
  /** Sends allowed back to back before the rate applies. Default 3. */
  readonly sendBurst?: number;
  readonly media: WhatsappMediaOptions;
  /** Logged out (401), replaced (440) or forbidden (403): wire to staff alerts on the other channels. */
  readonly onProblem?: (problem: WhatsappProblem) => void;
  /** Terminal output of the QR/pairing code. Default: stdout. null: off. */
  readonly printQr?: QrPrinter;
  /** "typing..." before each message. Default 0.8-3 s by length; null: off. */
  readonly typing?: TypingOptions | null;
  readonly reconnectBackoff?: ReconnectBackoff;
  /** Level of Baileys' own logger (it logs JIDs at debug and below). Default 'warn'. */
  readonly libraryLogLevel?: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Abort one media download after this long. Default 60 s. */
  readonly requestTimeoutMs?: number;
  /** Tests: a local WebSocket server instead of wss://web.whatsapp.com. */
  readonly waWebSocketUrl?: string;
  /** Tests: wrap makeWASocket (to reach the socket). */
  readonly makeSocket?: SocketFactory;
  readonly random?: () => number;
  readonly limiterTimers?: LimiterTimers;
}

export interface WhatsappChannel extends Channel {
  readonly name: 'whatsapp';
  /** For the dashboard's channel page: QR or pairing code while not linked. */
  linking(): LinkingInfo;
  linkingQrSvg(): Promise<string | undefined>;
  linkingQrDataUrl(): Promise<string | undefined>;
  /** After a logout: start over with a new QR (or pairing code). No-op while connected or connecting. */
  relink(): void;
  /** Resolves when every message received so far was handled (tests, shutdown). */
  idle(): Promise<void>;
}

export const whatsappCapabilities: ChannelCapabilities = {
  // Rendered as numbered options the applicant answers with the number.
  quickReplies: true,
  inboundMedia: true,
  // Images and documents (the digest chart); Baileys uploads them to WhatsApp's media servers.
  outboundMedia: true,
  maxTextLength: WHATSAPP_MAX_TEXT_LENGTH,
};

// ---------------------------------------------------------------------------
// Factory
// ---------------------------------------------------------------------------

/** The stricter of the root logger's level and the one asked for Baileys (a child's level would override a silent root). */
function libraryLevel(root: Logger, wanted: string): string {
  const values = root.levels.values;
  return (values[wanted] ?? 0) >= root.levelVal ? wanted : root.level;
}

export function createWhatsappChannel(options: WhatsappChannelOptions): WhatsappChannel {
  const log = options.logger.child({ module: 'channel.whatsapp' });
  const clock = options.clock ?? systemClock;
  const store = createStateStore(options.db, clock);
  const auth = createAuthStore(store);
  const sent = createSentMessageStore(store, clock);
  const quickReplies = createQuickReplyMemory(clock);
  const linking = createLinking({
    clock,
    printQr: options.printQr === undefined ? defaultQrPrinter : options.printQr,
    onPrintError: (err) => log.warn({ err: logSafeError(err) }, 'rendering the whatsapp QR code for the terminal failed'),
  });
  let sink: InboundSink | undefined;
  let started = false;
  let stopping = false;
  let detachIntake: (() => void) | undefined;

  const baileysLog = options.logger.child({ module: 'baileys' }, { level: libraryLevel(options.logger, options.libraryLogLevel ?? 'warn') });
  const connection = createConnection({
    auth,
    linking,
    clock,
    log,
    backoff: options.reconnectBackoff ?? DEFAULT_RECONNECT_BACKOFF,
    ...(options.random !== undefined ? { random: options.random } : {}),
    ...(options.pairingNumber !== undefined ? { pairingNumber: options.pairingNumber } : {}),
    ...(options.makeSocket !== undefined ? { makeSocket: options.makeSocket } : {}),
    ...(options.onProblem !== undefined ? { onProblem: options.onProblem } : {}),
    socketConfig: {
      logger: baileysLog,
      getMessage: (key) => sent.getMessage(key),
      // Leaves the phone's own notifications on: staff may still read the number on the phone.
      markOnlineOnConnect: false,
      syncFullHistory: false,
      ...(options.waWebSocketUrl !== undefined ? { waWebSocketUrl: options.waWebSocketUrl } : {}),
    },
    onSocket: (socket) => {
      detachIntake?.();
      detachIntake = intake.attach(socket.ev);
    },
  });
  const openSocket = (): WASocket | undefined => connection.openSocket();

  const limiter = createSendLimiter(
    {
      sendsPerMinute: options.sendsPerMinute,
      burst: options.sendBurst ?? 3,
      perChatIntervalMs: options.sendsPerMinute === 0 ? 0 : (options.perChatIntervalMs ?? 3_000),
    },
    options.limiterTimers ?? realTimers,
  );
  const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
  const send = createWhatsappSender({
    socket: openSocket,
    limiter,
    quickReplies,
    sent,
    typing: options.typing === undefined ? DEFAULT_TYPING : options.typing,
    sleep,
    isStopping: () => stopping,
    log,
  });

  /** Feedback skips the outbox (it is UI, not mail); negative ids keep it apart from outbox message ids. */
  let feedbackCount = 0;
  async function respondInGroup(text: string): Promise<void> {
    const group = options.staffGroupJid;
    if (group === undefined) return;
    feedbackCount += 1;
    const result = await send({ conversationExternalId: group, author: 'system', text, quickReplies: [], messageId: -feedbackCount });
    if (!result.ok) log.warn({ error: result.error }, 'whatsapp staff group feedback not sent');
  }

  function markRead(key: WAMessageKey): void {
    const socket = openSocket();
    if (socket === undefined) return;
    // The read receipt is the acknowledgement we control: sent only after the message was stored.
    socket.readMessages([key]).catch((err: unknown) => log.debug({ err: logSafeError(err) }, 'whatsapp read receipt failed'));
  }

  const onGroupMessage = options.onGroupMessage;
  const intake = createUpsertIntake({
    sink: () => sink,
    identity: createIdentityResolver(auth.state.keys),
    media: createMediaDownloader({
      media: options.media,
      requestTimeoutMs: options.requestTimeoutMs ?? 60_000,
      log,
      reupload: () => {
        const socket = openSocket();
        return socket === undefined ? undefined : (message) => socket.updateMediaMessage(message);
      },
    }),
    quickReplies,
    clock,
    log,
    onStored: markRead,
    ...(options.staffGroupJid !== undefined ? { staffGroupJid: options.staffGroupJid } : {}),
    ...(onGroupMessage !== undefined ? { onGroupMessage: (message: WhatsappGroupMessage) => onGroupMessage(message, respondInGroup) } : {}),
  });

  return {
    name: 'whatsapp',
    capabilities: whatsappCapabilities,
    status: () => connection.status(),
    async start(next) {
      if (started || stopping) throw new Error('whatsapp channel already started or stopped; create a new one to restart');
      started = true;
      sink = next;
      // Resolves at once: linking may wait for a person, and status() says where it stands.
      connection.start();
    },
    async stop() {
      if (stopping) return;
      stopping = true;
      await connection.stop();
      detachIntake?.();
      await intake.idle();
    },
    send,
    linking: () => linking.current(),
    linkingQrSvg: () => linking.qrSvg(),
    linkingQrDataUrl: () => linking.qrDataUrl(),
    async linkingPrompt() {
      const info = linking.current();
      if (info.qr === undefined && info.pairingCode === undefined) return null;
      const qrDataUrl = await linking.qrDataUrl();
      return { ...(qrDataUrl ? { qrDataUrl } : {}), ...(info.pairingCode ? { pairingCode: info.pairingCode } : {}) };
    },
    relink: () => connection.relink(),
    idle: () => intake.idle(),
  };
}
