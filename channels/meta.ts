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
 * stored them. Echoes of what the account sent, delivery and read receipts are
 * acknowledged and not stored.
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
import type { MetaWebhookTarget } from './meta/webhook.js';
import { decideWindow } from './meta/window.js';

export { createMetaWebhook } from './meta/webhook.js';
export type { MetaWebhook, MetaWebhookOptions, WebhookAnswer } from './meta/webhook.js';
export { signBody, SIGNATURE_HEADER } from './meta/signature.js';
export type { MetaMediaOptions } from './meta/media.js';
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
}

export interface MetaChannel extends Channel, MetaWebhookTarget {
  readonly name: MetaChannelKind;
  readonly object: MetaObject;
}

const LABEL: Readonly<Record<MetaChannelKind, string>> = { messenger: 'Messenger', instagram: 'Instagram' };
/** Our own sent message ids, remembered to tell our echoes from an officer's reply in Meta's inbox. */
const SENT_IDS_KEPT = 5_000;

export function createMetaChannel(options: MetaChannelOptions): MetaChannel {
  const { kind, accountId, logger } = options;
  const log = logger.child({ module: `channel.${kind}` });
  const clock = options.clock ?? systemClock;
  const label = LABEL[kind];
  const limits = kind === 'messenger' ? MESSENGER_LIMITS : INSTAGRAM_LIMITS;
  const capabilities: ChannelCapabilities = { quickReplies: true, inboundMedia: true, outboundMedia: false, maxTextLength: limits.maxChars };
  const graph: GraphClient = createGraphClient({
    apiRoot: options.apiRoot,
    version: options.apiVersion,
    token: () => options.accessToken,
    requestTimeoutMs: options.requestTimeoutMs ?? 20_000,
  });
  const media = createMediaDownloader(options.media, log);
  const menus = createNumberedMenus(clock);
  /** Parts of a split message already delivered, so a retry resumes after them. */
  const progress = new Map<number, { sent: number; lastId: string }>();
  const sentIds = new Set<string>();

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
        return;
      case 'echo':
        if (sentIds.has(event.mid)) log.debug('echo of our own message ignored');
        // Not recorded in SAPA yet: the officer's reply stays in Meta's inbox only.
        else log.info({ hasText: event.text !== '' }, `a message was sent from Meta's own ${label} inbox (not through SAPA); acknowledged`);
        return;
      case 'delivery':
      case 'read':
        log.debug({ kind: event.kind }, 'receipt acknowledged');
        return;
      case 'ignored':
        log.debug({ reason: event.reason }, 'event acknowledged and ignored');
        return;
    }
  }

  async function send(message: OutboundMessage): Promise<SendResult> {
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
    async start(next) {
      if (started || stopping) throw new Error(`${kind} channel already started or stopped; create a new one to restart`);
      started = true;
      sink = next;
      status = { state: 'connected', detail: 'webhook' };
      // In the background: intake works without it, and a bad token shows on the channel page.
      void checkToken().catch((err: unknown) => log.warn({ err }, `${label} token check failed`));
    },
    async stop() {
      stopping = true;
      status = { state: 'stopped' };
    },
    send,
    handleEvent,
  };
}
