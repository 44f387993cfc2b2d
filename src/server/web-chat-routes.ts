/**
 * Web chat over HTTP: get a visitor id, POST a message, read history, and receive replies
 * as server-sent events. Visitor ids are issued and signed by the server
 * (`POST /chat/visitors`, rate-limited per address; see web-identity.ts); every other
 * route refuses ids it did not issue with 403. The id never travels in a URL: history
 * takes it in the `X-Visitor-Id` header, and the event stream takes a short-lived
 * single-use token (`POST /chat/stream-tokens`), because EventSource cannot send headers.
 * Per-visitor message rate limit via @fastify/rate-limit.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CLIENT_MESSAGE_ID_PATTERN, VISITOR_ID_PATTERN, WebChannelUnavailableError, type WebChannel, type WebChatMessage } from '../../channels/web.js';
import { StorageUnavailableError } from '../intake.js';
import type { Db } from '../store/db.js';
import { findConversation } from '../store/conversations.js';
import { listConversationMessages } from '../store/messages.js';
import { HttpError } from './errors.js';
import { openLimitedStream } from './stream-limits.js';
import { addressKey, createStreamTokens, createVisitorIdentities, type StreamTokens, type VisitorIdentities } from './web-identity.js';

/**
 * A message body's limit (HTTP_BODY_LIMIT_CHAT): room for the 8,000 characters that are
 * stored (at most 3 bytes each in UTF-8), and small enough that trickled bodies cannot fill memory.
 */
export const WEB_CHAT_BODY_LIMIT = 32 * 1024;

export interface WebChatDeps {
  readonly db: Db;
  readonly web: WebChannel;
  readonly perMinute: number;
  /** Largest accepted message body in bytes (default WEB_CHAT_BODY_LIMIT). */
  readonly bodyLimit?: number;
  /** Issues and checks visitor ids; default: a key that lives as long as the process. */
  readonly identities?: VisitorIdentities;
  /** New visitor ids one address may get per hour (WEB_CHAT_VISITORS_PER_HOUR). */
  readonly visitorsPerHour?: number;
  /** The clock stream tokens expire by. */
  readonly now?: () => Date;
}

export const DEFAULT_VISITORS_PER_HOUR = 30;

/** The header that carries the visitor id on GET /chat/history and POST /chat/stream-tokens. */
export const VISITOR_HEADER = 'x-visitor-id';

const NOT_ISSUED = 'this visitor id was not issued by this server; get a new one with POST /chat/visitors';

interface PostBody {
  visitorId?: unknown;
  clientMessageId?: unknown;
  text?: unknown;
  quickReplyPayload?: unknown;
}

function visitorFrom(value: unknown, identities: VisitorIdentities): string {
  if (typeof value !== 'string' || !VISITOR_ID_PATTERN.test(value)) {
    throw new HttpError('VALIDATION', 'visitorId must be 16-64 characters of A-Z, a-z, 0-9, _ or -');
  }
  if (!identities.verify(value)) throw new HttpError('FORBIDDEN', NOT_ISSUED);
  return value;
}

/** The visitor id of a GET (history) or token request: from the header only, never the URL. */
function visitorFromHeader(request: FastifyRequest, identities: VisitorIdentities): string {
  const query = request.query as { visitorId?: unknown } | undefined;
  if (query?.visitorId !== undefined) {
    throw new HttpError('VALIDATION', 'send the visitor id in the X-Visitor-Id header, not in the URL');
  }
  const header = request.headers[VISITOR_HEADER];
  return visitorFrom(Array.isArray(header) ? header[0] : header, identities);
}

export function historyFor(db: Db, visitorId: string, afterId = 0): WebChatMessage[] {
  const conversation = findConversation(db, 'web', visitorId);
  if (!conversation) return [];
  return listConversationMessages(db, conversation.id, 200)
    .filter((m) => m.id > afterId)
    .map((m) => ({ id: m.id, author: m.author, text: m.text, quickReplies: m.quickReplies, createdAt: m.createdAt.toISOString() }));
}

export async function registerWebChatRoutes(app: FastifyInstance, deps: WebChatDeps): Promise<void> {
  const { db, web } = deps;
  const identities = deps.identities ?? createVisitorIdentities(randomBytes(32));
  const now = deps.now ?? ((): Date => new Date());
  const streamTokens: StreamTokens = createStreamTokens(now);

  app.post(
    '/chat/visitors',
    {
      config: {
        rateLimit: {
          max: deps.visitorsPerHour ?? DEFAULT_VISITORS_PER_HOUR,
          timeWindow: 3_600_000,
          // An IPv6 subscriber counts by their /64, or rotating addresses would dodge the limit.
          keyGenerator: (request: FastifyRequest) => `visitors:${addressKey(request.ip)}`,
        },
      },
    },
    async (request, reply) => reply.code(201).send({ visitorId: identities.issue(request.ip) }),
  );

  app.post(
    '/chat/stream-tokens',
    {
      config: {
        rateLimit: {
          max: 60,
          timeWindow: 60_000,
          keyGenerator: (request: FastifyRequest) => {
            const header = request.headers[VISITOR_HEADER];
            return typeof header === 'string' && VISITOR_ID_PATTERN.test(header) ? `st:${header}` : `st-ip:${request.ip}`;
          },
        },
      },
    },
    async (request, reply) => {
      const visitorId = visitorFromHeader(request, identities);
      const issued = streamTokens.issue(visitorId);
      if (issued === null) throw new HttpError('UNAVAILABLE', 'too many streams are being opened; try again shortly');
      return reply.code(201).send({ token: issued.token, expiresAt: issued.expiresAt.toISOString() });
    },
  );

  app.post(
    '/chat/messages',
    {
      bodyLimit: deps.bodyLimit ?? WEB_CHAT_BODY_LIMIT,
      config: {
        rateLimit: {
          max: deps.perMinute,
          timeWindow: 60_000,
          hook: 'preHandler',
          keyGenerator: (request: FastifyRequest) => {
            const body = request.body as PostBody | undefined;
            return typeof body?.visitorId === 'string' && VISITOR_ID_PATTERN.test(body.visitorId) ? `v:${body.visitorId}` : `ip:${request.ip}`;
          },
        },
      },
    },
    async (request, reply) => {
      const body = (request.body ?? {}) as PostBody;
      const visitorId = visitorFrom(body.visitorId, identities);
      if (typeof body.clientMessageId !== 'string' || !CLIENT_MESSAGE_ID_PATTERN.test(body.clientMessageId)) {
        throw new HttpError('VALIDATION', 'clientMessageId must be 8-64 characters of A-Z, a-z, 0-9, _ or -');
      }
      if (typeof body.text !== 'string') throw new HttpError('VALIDATION', 'text must be a string');
      const payload = typeof body.quickReplyPayload === 'string' && body.quickReplyPayload.length <= 128 ? body.quickReplyPayload : undefined;
      try {
        const outcome = await web.submit({
          visitorId,
          clientMessageId: body.clientMessageId,
          text: body.text,
          ...(payload ? { quickReplyPayload: payload } : {}),
        });
        return reply.code(202).send({ messageId: outcome.messageId, duplicate: outcome.outcome === 'duplicate' });
      } catch (err) {
        if (err instanceof WebChannelUnavailableError) throw new HttpError('UNAVAILABLE', err.message);
        // The message was not stored (disk full, read-only database): the browser retries it.
        if (err instanceof StorageUnavailableError) throw new HttpError('UNAVAILABLE', 'pesan belum dapat disimpan; silakan coba lagi sebentar lagi');
        throw err;
      }
    },
  );

  app.get('/chat/history', async (request) => {
    const query = request.query as { after?: unknown };
    const visitorId = visitorFromHeader(request, identities);
    const after = Number(query.after ?? 0);
    return { messages: historyFor(db, visitorId, Number.isFinite(after) ? after : 0) };
  });

  app.get('/chat/events', (request, reply) => {
    const query = request.query as { visitorId?: unknown; token?: unknown; after?: unknown };
    if (query.visitorId !== undefined) throw new HttpError('VALIDATION', 'open the stream with a token from POST /chat/stream-tokens, not the visitor id');
    // A stream token is spent by this request: a URL that reaches a log is useless afterwards.
    const visitorId = typeof query.token === 'string' && query.token.length <= 64 ? streamTokens.redeem(query.token) : null;
    if (visitorId === null) throw new HttpError('FORBIDDEN', 'the stream token is unknown, used or expired; get a new one with POST /chat/stream-tokens');
    const lastEventId = Number(request.headers['last-event-id'] ?? query.after ?? 0);
    let lastSent = Number.isFinite(lastEventId) ? lastEventId : 0;

    let unsubscribe = (): void => undefined;
    // One stream per visitor (a new one replaces the old), a few per address, a total for the server.
    const stream = openLimitedStream(request, reply, { kind: 'chat', owner: visitorId, onClose: () => unsubscribe() });
    const write = (message: WebChatMessage): void => {
      if (message.id <= lastSent) return;
      lastSent = message.id;
      stream.send('message', message, message.id);
    };
    // Subscribe first, then replay history: nothing falls between the two.
    const buffered: WebChatMessage[] = [];
    let replaying = true;
    unsubscribe = web.subscribe(visitorId, (message) => (replaying ? buffered.push(message) : write(message)));
    for (const message of historyFor(db, visitorId, lastSent)) write(message);
    replaying = false;
    for (const message of buffered.sort((a, b) => a.id - b.id)) write(message);
  });
}
