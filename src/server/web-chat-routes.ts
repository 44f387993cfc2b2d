/**
 * Web chat over HTTP: POST a message, read history, and receive replies as
 * server-sent events. Per-visitor rate limit via @fastify/rate-limit (keyed on the
 * visitor id, falling back to the IP address).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CLIENT_MESSAGE_ID_PATTERN, VISITOR_ID_PATTERN, WebChannelUnavailableError, type WebChannel, type WebChatMessage } from '../../channels/web.js';
import { StorageUnavailableError } from '../intake.js';
import type { Db } from '../store/db.js';
import { findConversation } from '../store/conversations.js';
import { listConversationMessages } from '../store/messages.js';
import { HttpError } from './errors.js';
import { openEventStream } from './sse.js';

/** Generous so a 1 MB paste is accepted (stored truncated) instead of failing in the browser. */
export const WEB_CHAT_BODY_LIMIT = 4 * 1024 * 1024;

export interface WebChatDeps {
  readonly db: Db;
  readonly web: WebChannel;
  readonly perMinute: number;
}

interface PostBody {
  visitorId?: unknown;
  clientMessageId?: unknown;
  text?: unknown;
  quickReplyPayload?: unknown;
}

function visitorFrom(value: unknown): string {
  if (typeof value !== 'string' || !VISITOR_ID_PATTERN.test(value)) {
    throw new HttpError('VALIDATION', 'visitorId must be 16-64 characters of A-Z, a-z, 0-9, _ or -');
  }
  return value;
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

  app.post(
    '/chat/messages',
    {
      bodyLimit: WEB_CHAT_BODY_LIMIT,
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
      const visitorId = visitorFrom(body.visitorId);
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
    const query = request.query as { visitorId?: unknown; after?: unknown };
    const visitorId = visitorFrom(query.visitorId);
    const after = Number(query.after ?? 0);
    return { messages: historyFor(db, visitorId, Number.isFinite(after) ? after : 0) };
  });

  app.get('/chat/events', (request, reply) => {
    const query = request.query as { visitorId?: unknown; after?: unknown };
    const visitorId = visitorFrom(query.visitorId);
    const lastEventId = Number(request.headers['last-event-id'] ?? query.after ?? 0);
    let lastSent = Number.isFinite(lastEventId) ? lastEventId : 0;

    let unsubscribe = (): void => undefined;
    const stream = openEventStream(request, reply, { onClose: () => unsubscribe() });
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
