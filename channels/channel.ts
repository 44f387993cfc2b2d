/**
 * The contract every channel adapter implements, and the types adapters share
 * with the core. Adapters import only this file and core types; the core never
 * imports a concrete adapter (only src/main.ts wires them).
 *
 * Data flow (see shared architecture): an adapter turns a provider event into an
 * InboundMessage and hands it to the InboundSink. The sink resolves only after
 * the message is durably stored, so the adapter acknowledges the provider
 * (Telegram offset, WhatsApp receipt, Instagram cursor) after `accept` resolves.
 */

export type ChannelName = 'web' | 'console' | 'telegram' | 'whatsapp' | 'instagram' | 'messenger' | 'email';

export const CHANNEL_NAMES: readonly ChannelName[] = ['web', 'console', 'telegram', 'whatsapp', 'instagram', 'messenger', 'email'];

/** What a channel is doing right now; shown by /healthz and the dashboard. */
export type ChannelStatus =
  | { readonly state: 'starting' }
  | { readonly state: 'connected'; readonly detail?: string }
  /** Temporarily down; the adapter retries by itself. */
  | { readonly state: 'reconnecting'; readonly reason: string; readonly retryAt?: Date }
  /** Needs a person: scan a QR code, enter a pairing or challenge code. */
  | { readonly state: 'needs_attention'; readonly reason: string; readonly action: string }
  /** The provider ended the session (WhatsApp 401); linking again is required. */
  | { readonly state: 'logged_out'; readonly reason: string }
  | { readonly state: 'stopped' };

export type ChannelState = ChannelStatus['state'];

export type AttachmentKind =
  | 'image'
  | 'document'
  | 'audio'
  | 'voice'
  | 'video'
  | 'sticker'
  | 'location'
  | 'contact'
  | 'link'
  | 'other';

export interface Attachment {
  readonly kind: AttachmentKind;
  readonly mimeType?: string;
  readonly fileName?: string;
  readonly sizeBytes?: number;
  /** The provider's own handle (Telegram file_id, media URL, ...). */
  readonly providerRef?: string;
  /** Bytes, when the adapter downloaded the file (images, documents and audio on a ticket). */
  readonly data?: Uint8Array;
  /** Length of a voice note or audio file in seconds, when the provider says (Telegram duration, WhatsApp seconds). */
  readonly durationSeconds?: number;
}

/**
 * Voice notes and audio files (#22): kept on a handoff ticket for an officer to listen to.
 * Adapters download them only within these limits (the same for every channel, so the
 * applicant hears the same rule everywhere); a refused one still arrives as an attachment
 * with its metadata and no bytes, and the core tells the applicant why.
 */
export const AUDIO_KINDS: ReadonlySet<AttachmentKind> = new Set<AttachmentKind>(['voice', 'audio']);
/** A few minutes: longer recordings are refused with a request to send shorter ones. */
export const AUDIO_MAX_SECONDS = 5 * 60;
/** Five minutes of mp3 at 128 kbit/s is about 4.7 MB; opus voice notes are far smaller. */
export const AUDIO_MAX_BYTES = 6 * 1024 * 1024;
/**
 * ogg/opus (WhatsApp and Telegram voice notes), m4a/mp4 audio (iPhone, Safari's recorder),
 * mp3, aac, amr/3gpp (older Android phones), webm/opus (Chrome's recorder), wav.
 */
export const AUDIO_MIME_TYPES: readonly string[] = [
  'audio/ogg',
  'audio/opus',
  'audio/mpeg',
  'audio/mp3',
  'audio/mp4',
  'audio/m4a',
  'audio/x-m4a',
  'audio/aac',
  'audio/amr',
  'audio/3gpp',
  'audio/webm',
  'audio/wav',
  'audio/x-wav',
];

/** "audio/ogg; codecs=opus" -> "audio/ogg" (providers add parameters; the allow-list has none). */
export function baseMimeType(mimeType: string | undefined | null): string | null {
  if (mimeType === undefined || mimeType === null) return null;
  const base = mimeType.split(';')[0]!.trim().toLowerCase();
  return base === '' ? null : base;
}

export type AudioRefusal = 'wrong_type' | 'too_big' | 'too_long';

/** Why an audio attachment is not downloaded and kept, from what the provider says of it; null when it may be. */
export function audioRefusal(meta: { readonly mimeType?: string | null; readonly sizeBytes?: number | null; readonly durationSeconds?: number | null }): AudioRefusal | null {
  const mime = baseMimeType(meta.mimeType);
  if (mime === null || !AUDIO_MIME_TYPES.includes(mime)) return 'wrong_type';
  if (meta.durationSeconds !== undefined && meta.durationSeconds !== null && meta.durationSeconds > AUDIO_MAX_SECONDS) return 'too_long';
  if (meta.sizeBytes !== undefined && meta.sizeBytes !== null && meta.sizeBytes > AUDIO_MAX_BYTES) return 'too_big';
  return null;
}

export interface Sender {
  /** Stable provider id of the person (Telegram user id, WhatsApp phone JID, IG user pk, web visitor id). */
  readonly externalId: string;
  readonly displayName?: string;
  readonly phone?: string;
  readonly username?: string;
}

export interface InboundMessage {
  readonly channel: ChannelName;
  /** Provider message id; unique per channel. Redeliveries carry the same id and are dropped. */
  readonly externalId: string;
  /** Where replies go: Telegram chat id, WhatsApp JID, IG thread id, web visitor id. */
  readonly conversationExternalId: string;
  readonly sender: Sender;
  readonly text: string;
  readonly attachments: readonly Attachment[];
  readonly receivedAt: Date;
  /** Payload of a quick-reply button the applicant pressed, when the channel has buttons. */
  readonly quickReplyPayload?: string;
}

export interface QuickReply {
  readonly label: string;
  /** Sent back as the text of the next inbound message (or as quickReplyPayload). */
  readonly payload: string;
}

/**
 * A file sent with an outbound message (the digest's PNG chart, a document, an applicant's
 * voice note on a staff group's ticket post). Channels without a way to send a kind send
 * it as a document.
 */
export interface OutboundAttachment {
  readonly kind: 'image' | 'document' | 'voice' | 'audio';
  readonly mimeType: string;
  readonly fileName: string;
  readonly data: Uint8Array;
}

export interface OutboundMessage {
  readonly conversationExternalId: string;
  /** Who speaks: the bot, or an officer (adapters may label staff replies). */
  readonly author: 'bot' | 'staff' | 'system';
  readonly text: string;
  readonly quickReplies: readonly QuickReply[];
  /** Our own message id, for adapters that must correlate (web chat event ids). */
  readonly messageId: number;
  /**
   * Files to send after (or, when the text fits a caption, with) the text. Only given to
   * channels whose capabilities say `outboundMedia`; the others receive the text alone.
   */
  readonly attachments?: readonly OutboundAttachment[];
}

export type SendFailureKind =
  /** Try again later (network down, 5xx, 429). */
  | 'retryable'
  /** Never succeeds (user blocked the bot, chat gone, message rejected). */
  | 'permanent';

export type SendResult =
  | { readonly ok: true; readonly providerMessageId: string }
  | {
      readonly ok: false;
      readonly kind: SendFailureKind;
      readonly error: string;
      /** Provider-imposed wait (Telegram 429 retry_after), honoured by the outbox. */
      readonly retryAfterMs?: number;
    };

export interface ChannelCapabilities {
  readonly quickReplies: boolean;
  /** Can receive images/documents that we download and attach to tickets. */
  readonly inboundMedia: boolean;
  /** Can send images/documents (OutboundMessage.attachments); false = text only. */
  readonly outboundMedia: boolean;
  /** Longest text the provider accepts in one message; longer texts are split by the adapter. */
  readonly maxTextLength: number;
  /**
   * Read like a letter (e-mail): an FAQ answer goes out whole, its default reply and its rest
   * in one message, instead of the first part with a "more" button that costs a round trip
   * of mail. Chat channels leave it out (false): phone-sized parts.
   */
  readonly longAnswers?: boolean;
}

export type AcceptOutcome =
  | { readonly outcome: 'stored'; readonly messageId: number }
  | { readonly outcome: 'duplicate'; readonly messageId: number };

/**
 * A message the account sent outside SAPA, seen by the adapter as an echo: an officer
 * answered in the provider's own inbox (Meta Business Suite). The core stores it as a
 * public staff message, already delivered, on the conversation and its open ticket.
 */
export interface StaffEcho {
  readonly channel: ChannelName;
  /** The provider's message id (Meta's `mid`): a redelivered echo is stored once. */
  readonly externalId: string;
  /** The person it was sent to (where replies go). */
  readonly conversationExternalId: string;
  readonly text: string;
  /** Files sent with it (recorded by count only). */
  readonly attachmentCount: number;
  readonly sentAt: Date;
}

/**
 * The provider says messages we sent reached the person's device, or were read. Which
 * messages: those named, those up to and including one named (`throughExternalId`),
 * and/or every one recorded as sent at or before `upTo` (a provider's watermark).
 */
export interface DeliveryReceipt {
  readonly channel: ChannelName;
  readonly conversationExternalId: string;
  readonly kind: 'delivered' | 'read';
  readonly at: Date;
  readonly externalIds: readonly string[];
  readonly throughExternalId?: string;
  readonly upTo?: Date;
}

/** A person's name as the provider's profile API gives it. */
export interface SenderProfile {
  readonly channel: ChannelName;
  /** Sender.externalId of the person. */
  readonly externalId: string;
  readonly displayName?: string;
  readonly username?: string;
}

/** The core's intake. `accept` resolves once the message is committed to the database. */
export interface InboundSink {
  accept(message: InboundMessage): Promise<AcceptOutcome>;
  /** Stores an officer's reply sent outside SAPA; resolves once committed. Deduplicated on externalId. */
  acceptStaffEcho?(echo: StaffEcho): Promise<AcceptOutcome | { readonly outcome: 'ignored'; readonly reason: string }>;
  /** Marks our sent messages delivered or read; resolves with how many changed. */
  acceptReceipt?(receipt: DeliveryReceipt): Promise<number>;
  /** Whether the core already has a name for this person (a profile lookup is then not needed). */
  hasSenderName?(channel: ChannelName, senderExternalId: string): boolean;
  /** Records a person's name from the provider's profile (only fills what is unknown or was the provider's before). */
  acceptSenderProfile?(profile: SenderProfile): Promise<void>;
}

/**
 * What the e-mail adapter needs from the core beyond the InboundSink: the composition root
 * (src/main.ts) fills it from the store (src/store/email-threads.ts), which implements this
 * type; the adapter never imports the store itself.
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

/** What an admin needs to link a device-style channel (WhatsApp): a QR image or a pairing code. */
export interface LinkingPrompt {
  /** A `data:image/...` URL of the QR code to scan. */
  readonly qrDataUrl?: string;
  readonly pairingCode?: string;
}

export interface ReplyWindow {
  readonly closesAt: Date | null;
  readonly tagClosesAt: Date | null;
}

export interface Channel {
  readonly name: ChannelName;
  readonly capabilities: ChannelCapabilities;
  status(): ChannelStatus;
  /** Channels linked by scanning or a code expose the current prompt; null when linked. */
  linkingPrompt?(): Promise<LinkingPrompt | null>;
  /**
   * Channels that may only answer for a while after the person's last message (Meta's
   * 24-hour window): until when a reply goes, and until when an officer's reply goes with
   * a tag (null: no such extension). Both null when the person never wrote.
   */
  replyWindow?(lastInboundAt: Date | null): ReplyWindow;
  /** Begin intake. Resolves once the channel is running (not when it stops). */
  start(sink: InboundSink): Promise<void>;
  /** Stop intake and release resources; in-flight sends may finish. */
  stop(): Promise<void>;
  send(message: OutboundMessage): Promise<SendResult>;
}

/** Split a long text on paragraph, then line, then word boundaries so no part exceeds `max`. */
export function splitText(text: string, max: number): string[] {
  if (max < 1) throw new RangeError('max must be positive');
  const parts: string[] = [];
  let rest = text;
  while (rest.length > max) {
    const window = rest.slice(0, max + 1);
    let cut = window.lastIndexOf('\n\n');
    if (cut < max / 2) cut = window.lastIndexOf('\n');
    if (cut < max / 2) cut = window.lastIndexOf(' ');
    if (cut < 1) cut = max;
    parts.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).replace(/^\s+/, '');
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}

/**
 * Collects chunks (a response body, a decrypted media stream) up to `maxBytes`:
 * 'too_big' as soon as the total passes the limit, without buffering the rest.
 */
export async function readBounded(chunks: AsyncIterable<unknown>, maxBytes: number): Promise<Uint8Array | 'too_big'> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of chunks) {
    if (!(chunk instanceof Uint8Array)) continue;
    total += chunk.byteLength;
    if (total > maxBytes) return 'too_big';
    parts.push(chunk);
  }
  // A plain Uint8Array, not a Buffer: it serializes and compares like the contract says.
  const data = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    data.set(part, at);
    at += part.byteLength;
  }
  return data;
}

/** An HTTP response body up to `maxBytes`; a declared length over the limit is refused unread. */
export async function readBoundedBody(response: Response, maxBytes: number): Promise<Uint8Array | 'too_big'> {
  if (response.body === null) return new Uint8Array(0);
  const declared = Number(response.headers.get('content-length') ?? '0');
  if (declared > maxBytes) {
    await response.body.cancel();
    return 'too_big';
  }
  return readBounded(response.body, maxBytes);
}

/** Waits `ms`, or less when `signal` aborts (stopping a channel must not wait out a backoff). */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}

/** true when `promise` settled (either way) within `ms`: stop() waits for a loop, but not forever. */
export async function raceTimeout(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), ms);
  });
  try {
    return await Promise.race([promise.then(() => true, () => true), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
