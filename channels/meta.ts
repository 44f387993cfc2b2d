/**
 * Facebook Messenger and Instagram direct messages through Meta's official platform:
 * one adapter family, two channels (`messenger`, `instagram`), built on plain fetch (see
 * the README for why not bottender or messaging-api-*). The parts live in channels/meta/:
 * the webhook (handshake, signature, routing), payload parsing, the Graph client and its
 * errors, the 24-hour window, message planning (splitting, quick replies), media.
 *
 * Intake: Meta posts events to our webhook (GET/POST /webhooks/meta, src/server), which
 * hands each one to the channel it is for; messages and button presses become
 * InboundMessages for the core's sink and the webhook answers 200 only after the sink
 * stored them. An echo of a message SAPA sent is dropped; any other echo is an officer
 * answering in Meta's own inbox and is stored as a staff message (sink.acceptStaffEcho).
 * Delivery and read receipts (Instagram's messaging_seen) mark our sent messages
 * delivered or read (sink.acceptReceipt). After a message is stored, the person's name
 * is looked up once in the background (meta/profiles.ts).
 *
 * Instagram's token is refreshed before its 60 days run out and kept in the database
 * (meta/token.ts); Messenger Page tokens do not expire and are used as configured.
 *
 * Sending: POST /{version}/{page or Instagram account id}/messages with
 * `messaging_type: RESPONSE` inside the 24-hour window, the HUMAN_AGENT tag for an
 * officer's reply up to 7 days when allowed, and a permanent failure (with the reason
 * on the message) beyond. Rate limits pause the channel and are retried by the outbox;
 * an invalid or expired token (Graph error 190) sets the channel to needs_attention,
 * alerts staff once, and keeps every reply in the outbox until a send works again.
 */
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../src/clock.js';
import type { Channel, ChannelCapabilities, ChannelStatus, InboundMessage, InboundSink, OutboundMessage, SendResult } from './channel.js';
import { classifyGraphFailure } from './meta/errors.js';
import type { MetaEvent, MetaObject } from './meta/events.js';
import { createGraphClient, type GraphClient } from './meta/graph.js';
import { createMediaDownloader, type MetaMediaOptions } from './meta/media.js';
import { INSTAGRAM_LIMITS, MESSENGER_LIMITS, createNumberedMenus, planMessage } from './meta/outbound.js';
import { createProfileNames } from './meta/profiles.js';
import { createTokenKeeper, type TokenCheck, type TokenKeeper, type TokenStatus, type TokenStore } from './meta/token.js';
import type { MetaWebhookTarget } from './meta/webhook.js';
import { HUMAN_AGENT_WINDOW_MS, RESPONSE_WINDOW_MS, decideWindow } from './meta/window.js';

export { createMetaWebhook } from './meta/webhook.js';
export type { MetaWebhook, MetaWebhookOptions, WebhookAnswer } from './meta/webhook.js';
export { signBody, SIGNATURE_HEADER } from './meta/signature.js';
export type { MetaMediaOptions } from './meta/media.js';
export type { TokenCheck, TokenStatus, TokenStore } from './meta/token.js';
export { RESPONSE_WINDOW_MS, HUMAN_AGENT_WINDOW_MS, windowLeftMs } from './meta/window.js';

export type MetaChannelKind = 'messenger' | 'instagram';

export const DEFAULT_GRAPH_API_VERSION = 'v25.0';

export interface MetaChannelOptions {
  readonly kind: MetaChannelKind;
  /** Messenger: the Facebook Page id. Instagram: the Instagram professional account id. */
  readonly accountId: string;
  readonly accessToken: string;
  /** https://graph.facebook.com (Messenger) or https://graph.instagram.com (Instagram Login); tests: the fake. */
  readonly apiRoot: string;
  readonly apiVersion: string;
  /** Officers' replies 24 h - 7 d after the applicant's last message go with the HUMAN_AGENT tag (needs Meta's approval). */
  readonly humanAgentTag: boolean;
  /** When the applicant last wrote on a conversation (the core's record): the 24-hour window. */
  readonly lastInboundAt: (conversationExternalId: string) => Date | null;
  readonly media: MetaMediaOptions;
  readonly logger: Logger;
  readonly clock?: Clock;
  /** Told once per problem (an invalid token): staff are alerted on the other channels. */
  readonly onProblem?: (text: string) => void;
  /** Abort a Graph call after this long. Default 20 s. */
  readonly requestTimeoutMs?: number;
  /**
   * Instagram: where the refreshed token is kept (the database); with it the token is
   * refreshed before it expires. `onTokenWarning` tells admins when refreshing keeps failing.
   */
  readonly tokenStore?: TokenStore;
  readonly onTokenWarning?: (text: string) => void;
  /** Where the token refresh goes: INSTAGRAM_GRAPH_API_ROOT without the version. Default: apiRoot. */
  readonly tokenApiRoot?: string;
}

export interface MetaChannel extends Channel, MetaWebhookTarget {
  readonly name: MetaChannelKind;
  readonly object: MetaObject;
  replyWindow(lastInboundAt: Date | null): { readonly closesAt: Date | null; readonly tagClosesAt: Date | null };
  /** Instagram with a token store: the token's source, expiry and last refresh error; otherwise null. */
  tokenStatus(): TokenStatus | null;
  /** Runs the token check now (it also runs at start and hourly); null without a token store. */
  refreshToken(): Promise<TokenCheck | null>;
}

const LABEL: Readonly<Record<MetaChannelKind, string>> = { messenger: 'Messenger', instagram: 'Instagram' };
/** Our own sent message ids, remembered to tell our echoes from an officer's reply in Meta's inbox. */
const SENT_IDS_KEPT = 5_000;
/**
 * Our send time is recorded when Meta's answer arrives, a moment after Meta's own timestamp
 * for the message; a watermark (everything up to this moment) allows for that much.
 */
export const WATERMARK_GRACE_MS = 3_000;

export function createMetaChannel(options: MetaChannelOptions): MetaChannel {
  const { kind, accountId, logger } = options;
  const log = logger.child({ module: `channel.${kind}` });
  const clock = options.clock ?? systemClock;
  const label = LABEL[kind];
  const limits = kind === 'messenger' ? MESSENGER_LIMITS : INSTAGRAM_LIMITS;
  const capabilities: ChannelCapabilities = { quickReplies: true, inboundMedia: true, outboundMedia: false, maxTextLength: limits.maxChars };
  const requestTimeoutMs = options.requestTimeoutMs ?? 20_000;
  const tokens: TokenKeeper | null =
    kind === 'instagram' && options.tokenStore !== undefined
      ? createTokenKeeper({
          configuredToken: options.accessToken,
          apiRoot: options.tokenApiRoot ?? options.apiRoot,
          store: options.tokenStore,
          clock,
          logger: log,
          requestTimeoutMs,
          onWarning: (text) => options.onTokenWarning?.(text),
        })
      : null;
  const graph: GraphClient = createGraphClient({
    apiRoot: options.apiRoot,
    version: options.apiVersion,
    token: () => tokens?.current() ?? options.accessToken,
    requestTimeoutMs,
  });
  const names = createProfileNames({ kind, graph, clock, log });
  const media = createMediaDownloader(options.media, log);
  const menus = createNumberedMenus(clock);
  /** Parts of a split message already delivered, so a retry resumes after them. */
  const progress = new Map<number, { sent: number; lastId: string }>();
  const sentIds = new Set<string>();
  /** App ids seen on echoes of our own messages: later echoes with them are ours too (after a restart, say). */
  const ownAppIds = new Set<string>();
  /** Sends in progress per recipient: an echo may arrive before Meta's answer to the send. */
  const sending = new Map<string, Promise<unknown>>();

  let sink: InboundSink | undefined;
  let started = false;
  let stopping = false;
  let status: ChannelStatus = { state: 'stopped' };
  /** Until when Meta asked us to stop sending (a rate limit). */
  let pausedUntil = 0;
  let tokenProblemReported = false;

  const tokenProblem = (error: string): void => {
    status = {
      state: 'needs_attention',
      reason: `Meta refused the ${label} access token (${error})`,
      action: kind === 'messenger'
        ? 'Create a new Page access token in the Meta app (Messenger API settings), put it in MESSENGER_PAGE_ACCESS_TOKEN and restart SAPA; replies wait in the outbox.'
        : 'Create a new Instagram access token in the Meta app (Instagram API with Instagram Login), put it in INSTAGRAM_ACCESS_TOKEN and restart SAPA; replies wait in the outbox.',
    };
    log.error({ error }, `${label} access token refused; replies wait in the outbox`);
    if (!tokenProblemReported) {
      tokenProblemReported = true;
      options.onProblem?.(
        `Kanal ${label} perlu perhatian: Meta menolak access token (kedaluwarsa atau dicabut). Balasan ke pemohon menunggu di antrean; ` +
          `admin perlu memasang token baru (${kind === 'messenger' ? 'MESSENGER_PAGE_ACCESS_TOKEN' : 'INSTAGRAM_ACCESS_TOKEN'}) lalu memulai ulang SAPA.`,
      );
    }
  };
  const working = (): void => {
    if (status.state !== 'connected') status = { state: 'connected', detail: 'webhook' };
    tokenProblemReported = false;
  };

  function rememberSent(id: string): void {
    sentIds.add(id);
    if (sentIds.size > SENT_IDS_KEPT) {
      const oldest = sentIds.values().next().value;
      if (oldest !== undefined) sentIds.delete(oldest);
    }
  }

  async function checkToken(): Promise<void> {
    const result = await graph.get('me', { fields: 'id' });
    if (result.ok) return;
    const failure = classifyGraphFailure(result.failure);
    if (failure.kind === 'token') tokenProblem(failure.error);
    else log.warn({ error: failure.error }, `${label} token check failed; sending will tell`);
  }

  async function deliver(message: InboundMessage): Promise<void> {
    if (sink === undefined) throw new Error(`${kind} channel received an event before start()`);
    try {
      const outcome = await sink.accept(message);
      log.debug({ outcome: outcome.outcome }, 'inbound stored');
    } catch (err) {
      // The core refused a malformed message (an id too long): delivering it again cannot help.
      if ((err as { code?: unknown }).code === 'SAPA_INBOUND_REJECTED') {
        log.warn({ err }, 'inbound message refused by the core; acknowledged and dropped');
        return;
      }
      throw err;
    }
  }

  function receivedAt(timestamp: number): Date {
    // Meta's timestamp, unless it is missing or absurd (then our clock).
    return timestamp > 1_000_000_000_000 && timestamp < 100_000_000_000_000 ? new Date(timestamp) : clock.now();
  }

  async function handleEvent(event: MetaEvent): Promise<void> {
    switch (event.kind) {
      case 'message': {
        const picked = event.attachments.length === 0 ? menus.pick(event.senderId, event.text) : undefined;
        const attachments = await media.toAttachments(event.attachments);
        // Instagram says is_unsupported for a message type its API cannot show: the core asks for text.
        if (event.unsupported && attachments.length === 0) attachments.push({ kind: 'other' });
        const payload = event.quickReplyPayload ?? picked?.payload;
        await deliver({
          channel: kind,
          externalId: event.mid,
          conversationExternalId: event.senderId,
          sender: { externalId: event.senderId },
          text: picked !== undefined && event.quickReplyPayload === undefined ? picked.label : event.text,
          attachments,
          receivedAt: receivedAt(event.timestamp),
          ...(payload !== undefined ? { quickReplyPayload: payload } : {}),
        });
        learnName(event.senderId);
        return;
      }
      case 'postback':
        await deliver({
          channel: kind,
          externalId: event.mid,
          conversationExternalId: event.senderId,
          sender: { externalId: event.senderId },
          text: event.title,
          attachments: [],
          receivedAt: receivedAt(event.timestamp),
          quickReplyPayload: event.payload,
        });
        learnName(event.senderId);
        return;
      case 'echo':
        await handleEcho(event);
        return;
      case 'delivery':
        await receipt({
          channel: kind,
          conversationExternalId: event.senderId,
          kind: 'delivered',
          at: receivedAt(event.timestamp),
          externalIds: event.mids,
          ...(event.watermark !== null ? { upTo: new Date(event.watermark + WATERMARK_GRACE_MS) } : {}),
        });
        return;
      case 'read':
        // Messenger: a watermark (everything up to it); Instagram's messaging_seen: the message read, and so every earlier one.
        await receipt({
          channel: kind,
          conversationExternalId: event.senderId,
          kind: 'read',
          at: receivedAt(event.timestamp),
          externalIds: [],
          ...(event.mid !== null ? { throughExternalId: event.mid } : {}),
          ...(event.watermark !== null ? { upTo: new Date(event.watermark + WATERMARK_GRACE_MS) } : {}),
        });
        return;
      case 'ignored':
        log.debug({ reason: event.reason }, 'event acknowledged and ignored');
        return;
    }
  }

  function learnName(senderId: string): void {
    if (sink === undefined) return;
    // In the background: the webhook's answer does not wait for Meta's profile API.
    void names.learn(sink, senderId);
  }

  async function handleEcho(event: Extract<MetaEvent, { kind: 'echo' }>): Promise<void> {
    if (sink === undefined) throw new Error(`${kind} channel received an event before start()`);
    // Our own send to this person may still wait for Meta's answer (its id): decide after it.
    await sending.get(event.recipientId);
    const ours = sentIds.has(event.mid) || (event.appId !== null && ownAppIds.has(event.appId));
    if (ours) {
      if (event.appId !== null) ownAppIds.add(event.appId);
      log.debug('echo of our own message ignored');
      return;
    }
    if (sink.acceptStaffEcho === undefined) {
      log.info(`a message was sent from Meta's own ${label} inbox; this core does not record such messages`);
      return;
    }
    // Stored before the webhook answers 200, like an applicant's message; the core drops
    // an echo of a message it recorded as sent by SAPA (same mid).
    const outcome = await sink.acceptStaffEcho({
      channel: kind,
      externalId: event.mid,
      conversationExternalId: event.recipientId,
      text: event.text,
      attachmentCount: event.attachmentCount,
      sentAt: receivedAt(event.timestamp),
    });
    log.info({ outcome: outcome.outcome }, `a reply sent from Meta's own ${label} inbox recorded as a staff message`);
  }

  async function receipt(value: Parameters<NonNullable<InboundSink['acceptReceipt']>>[0]): Promise<void> {
    if (sink?.acceptReceipt === undefined) return;
    try {
      const changed = await sink.acceptReceipt(value);
      log.debug({ kind: value.kind, changed }, 'receipt recorded');
    } catch (err) {
      // A status is not worth Meta delivering the whole batch again: logged, acknowledged.
      log.warn({ err, kind: value.kind }, 'recording a receipt failed; acknowledged');
    }
  }

  async function send(message: OutboundMessage): Promise<SendResult> {
    const recipient = message.conversationExternalId;
    const previous = sending.get(recipient);
    const attempt = (previous ?? Promise.resolve()).then(() => sendNow(message));
    const settled = attempt.catch(() => undefined);
    sending.set(recipient, settled);
    void settled.then(() => {
      if (sending.get(recipient) === settled) sending.delete(recipient);
    });
    return attempt;
  }

  async function sendNow(message: OutboundMessage): Promise<SendResult> {
    if (stopping) return { ok: false, kind: 'retryable', error: `${kind} channel stopped` };
    const now = clock.now();
    if (now.getTime() < pausedUntil) {
      return { ok: false, kind: 'retryable', error: `${label} rate limit: paused`, retryAfterMs: pausedUntil - now.getTime() };
    }
    const recipient = message.conversationExternalId;
    const window = decideWindow({
      lastInboundAt: options.lastInboundAt(recipient),
      now,
      author: message.author,
      humanAgentTag: options.humanAgentTag,
      label,
    });
    if (!window.ok) {
      progress.delete(message.messageId);
      log.warn({ messageId: message.messageId }, `${label} reply outside the messaging window; not sent`);
      return { ok: false, kind: 'permanent', error: window.reason };
    }
    const plan = planMessage(message.text, message.quickReplies, limits);
    if (plan.parts.length === 0) return { ok: false, kind: 'permanent', error: 'empty text' };
    const resume = progress.get(message.messageId);
    let lastId = resume?.lastId ?? '';
    for (let i = resume?.sent ?? 0; i < plan.parts.length; i++) {
      const result = await graph.post(`${accountId}/messages`, { recipient: { id: recipient }, ...window.fields, message: plan.parts[i] });
      if (result.ok) {
        const id = typeof result.body['message_id'] === 'string' ? result.body['message_id'] : '';
        if (id !== '') rememberSent(id);
        lastId = id || lastId;
        progress.set(message.messageId, { sent: i + 1, lastId });
        working();
        continue;
      }
      const failure = classifyGraphFailure(result.failure);
      log.warn({ messageId: message.messageId, part: i + 1, parts: plan.parts.length, failure: failure.kind, error: failure.error }, `${label} send failed`);
      switch (failure.kind) {
        case 'token':
          tokenProblem(failure.error);
          return { ok: false, kind: 'retryable', error: failure.error };
        case 'retryable':
          if (failure.rateLimited && failure.retryAfterMs !== undefined) pausedUntil = clock.now().getTime() + failure.retryAfterMs;
          return { ok: false, kind: 'retryable', error: failure.error, ...(failure.retryAfterMs !== undefined ? { retryAfterMs: failure.retryAfterMs } : {}) };
        case 'window':
          progress.delete(message.messageId);
          return { ok: false, kind: 'permanent', error: `Tidak terkirim: Meta menolak karena di luar jendela pesan ${label} (${failure.error}).` };
        case 'permanent':
          progress.delete(message.messageId);
          return { ok: false, kind: 'permanent', error: failure.error };
      }
    }
    progress.delete(message.messageId);
    menus.remember(recipient, plan.numbered);
    return { ok: true, providerMessageId: lastId };
  }

  return {
    name: kind,
    object: kind === 'messenger' ? 'page' : 'instagram',
    accountId,
    capabilities,
    status: () => status,
    accepting: () => started && !stopping,
    replyWindow: (lastInboundAt) =>
      lastInboundAt === null
        ? { closesAt: null, tagClosesAt: null }
        : {
            closesAt: new Date(lastInboundAt.getTime() + RESPONSE_WINDOW_MS),
            tagClosesAt: options.humanAgentTag ? new Date(lastInboundAt.getTime() + HUMAN_AGENT_WINDOW_MS) : null,
          },
    tokenStatus: () => tokens?.status() ?? null,
    refreshToken: async () => (tokens === null ? null : tokens.check()),
    async start(next) {
      if (started || stopping) throw new Error(`${kind} channel already started or stopped; create a new one to restart`);
      started = true;
      sink = next;
      status = { state: 'connected', detail: 'webhook' };
      // In the background: intake works without it, and a bad token shows on the channel page.
      void checkToken().catch((err: unknown) => log.warn({ err }, `${label} token check failed`));
      // Instagram: refresh the token now if due, then hourly.
      tokens?.start();
    },
    async stop() {
      stopping = true;
      status = { state: 'stopped' };
      await tokens?.stop();
    },
    send,
    handleEvent,
  };
}
