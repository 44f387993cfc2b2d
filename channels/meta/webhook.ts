/**
 * The webhook Meta calls for both channels (one app, one URL): the subscription
 * handshake (GET) and the signed event posts (POST). A post is checked against
 * X-Hub-Signature-256 on its raw bytes before anything else is read (401 otherwise);
 * then every message in it is stored through the channel's sink, and only then is it
 * answered 200. A failure to store answers 500, so Meta delivers the batch again
 * (messages already stored are dropped as duplicates by their mid). Events SAPA does
 * not act on (echoes, receipts, other pages' entries) are answered 200 too, or Meta
 * would send them again and again.
 */
import type { Logger } from 'pino';
import { parseWebhookBody, type MetaEvent, type MetaObject } from './events.js';
import { secretEquals, signatureMatches } from './signature.js';

export interface MetaWebhookTarget {
  readonly object: MetaObject;
  /** The page id (Messenger) or Instagram professional account id entries must carry. */
  readonly accountId: string;
  /** true between start() and stop(). */
  accepting(): boolean;
  /** Resolves once the event is stored (or deliberately dropped); rejects when it could not be stored. */
  handleEvent(event: MetaEvent): Promise<void>;
}

export interface MetaWebhookOptions {
  readonly appSecret: string;
  readonly verifyToken: string;
  readonly targets: readonly MetaWebhookTarget[];
  readonly logger: Logger;
}

export interface WebhookAnswer {
  readonly status: number;
  /** Plain text (the challenge of the handshake). */
  readonly body?: string;
}

export interface MetaWebhook {
  /** GET: `hub.mode=subscribe`, `hub.verify_token`, `hub.challenge` -> the challenge, or 403. */
  verify(query: Readonly<Record<string, unknown>>): WebhookAnswer;
  /** POST: the raw body and the X-Hub-Signature-256 header. */
  receive(rawBody: Uint8Array, signature: string | undefined): Promise<WebhookAnswer>;
}

/** Meta's challenge is a number; anything else is not echoed back (no reflected content). */
const CHALLENGE_SHAPE = /^[A-Za-z0-9_.-]{1,256}$/;

export function createMetaWebhook(options: MetaWebhookOptions): MetaWebhook {
  const log = options.logger.child({ module: 'channel.meta.webhook' });

  return {
    verify(query) {
      const mode = query['hub.mode'];
      const token = query['hub.verify_token'];
      const challenge = query['hub.challenge'];
      if (mode !== 'subscribe' || !secretEquals(options.verifyToken, typeof token === 'string' ? token : undefined)) {
        log.warn('webhook verification refused: wrong mode or verify token');
        return { status: 403 };
      }
      if (typeof challenge !== 'string' || !CHALLENGE_SHAPE.test(challenge)) return { status: 400 };
      log.info('webhook verified by Meta');
      return { status: 200, body: challenge };
    },

    async receive(rawBody, signature) {
      if (!signatureMatches(options.appSecret, rawBody, signature)) {
        log.warn({ signed: signature !== undefined }, 'webhook post with a missing or wrong signature refused');
        return { status: 401 };
      }
      // Signed by Meta from here on: a body we cannot read is logged and acknowledged,
      // because Meta would deliver it again, without end, after any other answer.
      let json: unknown;
      try {
        json = JSON.parse(Buffer.from(rawBody.buffer, rawBody.byteOffset, rawBody.byteLength).toString('utf8')) as unknown;
      } catch {
        log.warn({ bytes: rawBody.byteLength }, 'signed webhook body is not JSON; acknowledged and dropped');
        return { status: 200 };
      }
      const parsed = parseWebhookBody(json);
      if ('problem' in parsed) {
        log.warn({ problem: parsed.problem }, 'signed webhook body is not a messaging event; acknowledged and dropped');
        return { status: 200 };
      }
      const routed: { target: MetaWebhookTarget; event: MetaEvent }[] = [];
      for (const event of parsed.events) {
        const target = options.targets.find((t) => t.object === event.object);
        if (target === undefined) {
          log.debug({ object: event.object }, 'event for a channel SAPA does not run; acknowledged');
          continue;
        }
        if (target.accountId !== event.accountId) {
          log.warn({ object: event.object, kind: event.kind }, 'event for another page or account subscribed to the app; acknowledged and dropped');
          continue;
        }
        routed.push({ target, event });
      }
      // Not started yet or stopping: Meta retries, and nothing of the batch is half done.
      if (routed.some(({ target }) => !target.accepting())) return { status: 503 };
      try {
        // In order: messages of one conversation keep their order.
        for (const { target, event } of routed) await target.handleEvent(event);
        return { status: 200 };
      } catch (err) {
        log.error({ err: safeError(err) }, 'storing a webhook event failed; Meta will deliver the batch again');
        return { status: 500 };
      }
    },
  };
}

function safeError(err: unknown): unknown {
  return err instanceof Error ? { type: err.name, message: err.message, code: (err as { code?: unknown }).code } : String(err);
}
