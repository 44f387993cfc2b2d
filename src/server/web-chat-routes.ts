/**
 * Web chat over HTTP: get a visitor id, POST a message, read history, and receive replies
 * as server-sent events. Visitor ids are issued and signed by the server
 * (`POST /chat/visitors`, rate-limited per address; see web-identity.ts); every other
 * route refuses ids it did not issue with 403. The id never travels in a URL: history
 * takes it in the `X-Visitor-Id` header, and the event stream takes a short-lived
 * single-use token (`POST /chat/stream-tokens`), because EventSource cannot send headers.
 * Per-visitor message rate limit via @fastify/rate-limit.
 *
 * Besides the messages the page gets: a welcome shown locally on a first visit
 * (`GET /chat/welcome`, the greeting of the knowledge base: nothing is stored or sent as
 * the applicant), each message's time and the office time zone to show it in, and read
 * receipts (`readUpTo`: the newest applicant message an officer has seen, see
 * web-chat-receipts.ts) in the history and as `receipt` events on the stream.
 */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { CLIENT_MESSAGE_ID_PATTERN, VISITOR_ID_PATTERN, WebChannelUnavailableError, type WebChannel, type WebChatMessage } from '../../channels/web.js';
import type { QuickReply } from '../../channels/channel.js';
import { StorageUnavailableError } from '../intake.js';
import { composeAnswer } from '../knowledge/render.js';
import type { KnowledgeBase, Language } from '../knowledge/types.js';
import type { Db } from '../store/db.js';
import { findConversation } from '../store/conversations.js';
import { getMessage, listAttachments, listConversationMessages } from '../store/messages.js';
import { zoneLabel } from '../time-format.js';
import { HttpError } from './errors.js';
import { openLimitedStream } from './stream-limits.js';
import { createReadReceipts } from './web-chat-receipts.js';
import { registerVoiceRoute } from './web-chat-voice.js';
import { addressKey, createStreamTokens, createVisitorIdentities, type StreamTokens, type VisitorIdentities } from './web-identity.js';

/**
 * A message body's limit (HTTP_BODY_LIMIT_CHAT): room for the 8,000 characters that are
 * stored (at most 3 bytes each in UTF-8), and small enough that trickled bodies cannot fill memory.
 */
export const WEB_CHAT_BODY_LIMIT = 32 * 1024;
/** Routes that take no body still accept an empty JSON object ("{}") from clients that send one. */
const NO_BODY_LIMIT = 1024;

export interface WebChatDeps {
  readonly db: Db;
  readonly web: WebChannel;
  readonly perMinute: number;
  /** Largest accepted message body in bytes (default WEB_CHAT_BODY_LIMIT). */
  readonly bodyLimit?: number;
  /** Largest voice note in bytes (HTTP_BODY_LIMIT_VOICE; default WEB_CHAT_VOICE_BODY_LIMIT). */
  readonly voiceBodyLimit?: number;
  /** Issues and checks visitor ids; default: a key that lives as long as the process. */
  readonly identities?: VisitorIdentities;
  /** New visitor ids one address may get per hour (WEB_CHAT_VISITORS_PER_HOUR). */
  readonly visitorsPerHour?: number;
  /** The clock stream tokens expire by. */
  readonly now?: () => Date;
  /** The knowledge base the welcome is taken from (its `greeting`); without it /chat/welcome answers 404. */
  readonly knowledge?: () => KnowledgeBase;
  /** The office time zone the page shows message times in (default Asia/Makassar, WITA). */
  readonly timeZone?: string;
  /** How often an open stream checks whether an officer has read more (default 15 s). */
  readonly receiptsEveryMs?: number;
}

export const DEFAULT_RECEIPTS_EVERY_MS = 15_000;
const DEFAULT_TIME_ZONE = 'Asia/Makassar';

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
  const prefix = `${visitorId}:`;
  return listConversationMessages(db, conversation.id, 200)
    .filter((m) => m.id > afterId)
    .map((m) => ({
      id: m.id,
      author: m.author,
      text: m.text,
      quickReplies: m.quickReplies,
      createdAt: m.createdAt.toISOString(),
      // The page's own id for the message: a copy still shown as "sending" is replaced, not doubled.
      ...(m.author === 'applicant' && m.externalId?.startsWith(prefix) ? { clientMessageId: m.externalId.slice(prefix.length) } : {}),
      // A voice note has no text: the page shows what it was instead.
      ...(m.author === 'applicant' && m.text === '' ? attachmentsOf(db, m.id) : {}),
    }));
}

function attachmentsOf(db: Db, messageId: number): { attachments?: { kind: string }[] } {
  const kinds = listAttachments(db, messageId).map((a) => ({ kind: a.kind }));
  return kinds.length > 0 ? { attachments: kinds } : {};
}

/** The greeting of the knowledge base with its suggested topics, for the page to show itself. */
export function welcomeFor(kb: KnowledgeBase, language: Language): { text: string; quickReplies: QuickReply[] } {
  const greeting = kb.intents.get('greeting');
  if (!greeting) throw new HttpError('NOT_FOUND', 'the knowledge base has no greeting');
  const text = composeAnswer(kb, 'greeting', language).text;
  const quickReplies = greeting.followups
    .map((id) => kb.intents.get(id))
    .filter((entry) => entry !== undefined)
    .map((entry) => ({ label: entry.label[language], payload: `intent:${entry.id}` }));
  return { text, quickReplies };
}

export async function registerWebChatRoutes(app: FastifyInstance, deps: WebChatDeps): Promise<void> {
  const { db, web } = deps;
  const identities = deps.identities ?? createVisitorIdentities(randomBytes(32));
  const now = deps.now ?? ((): Date => new Date());
  const streamTokens: StreamTokens = createStreamTokens(now);
  const timeZone = deps.timeZone ?? DEFAULT_TIME_ZONE;
  const zone = { timeZone, timeZoneLabel: zoneLabel(timeZone) };
  const receipts = createReadReceipts(db);
  const readUpTo = (visitorId: string): number => {
    const conversation = findConversation(db, 'web', visitorId);
    return conversation ? receipts.readUpTo(conversation.id) : 0;
  };
  const receiptsEveryMs = deps.receiptsEveryMs ?? DEFAULT_RECEIPTS_EVERY_MS;
  // "Hold to speak": recordings have their own route, body limit and rate limits (web-chat-voice.ts).
  await registerVoiceRoute(app, { db, web, identities, ...(deps.voiceBodyLimit !== undefined ? { bodyLimit: deps.voiceBodyLimit } : {}), nowMs: () => now().getTime() });

  // Shown by the page on a first visit instead of posting a greeting as the applicant:
  // nothing is stored, so the digest counts only what people wrote.
  app.get('/chat/welcome', async (request) => {
    const query = request.query as { lang?: unknown };
    const language: Language = query.lang === 'en' ? 'en' : 'id';
    if (!deps.knowledge) throw new HttpError('NOT_FOUND', 'no welcome text is configured');
    return { language, ...welcomeFor(deps.knowledge(), language), ...zone };
  });

  app.post(
    '/chat/visitors',
    {
      // Takes no body: anything sent is refused before it is read (as all chat bodies, small).
      bodyLimit: NO_BODY_LIMIT,
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
      bodyLimit: NO_BODY_LIMIT,
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
        // The stored time (the first one for a retried POST), shown beside the message.
        const createdAt = getMessage(db, outcome.messageId)?.createdAt.toISOString() ?? null;
        return reply.code(202).send({ messageId: outcome.messageId, duplicate: outcome.outcome === 'duplicate', createdAt });
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
    return { messages: historyFor(db, visitorId, Number.isFinite(after) ? after : 0), readUpTo: readUpTo(visitorId), ...zone };
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
    let receiptTimer: NodeJS.Timeout | undefined;
    // One stream per visitor (a new one replaces the old), a few per address, a total for the server.
    const stream = openLimitedStream(request, reply, {
      kind: 'chat',
      owner: visitorId,
      onClose: () => {
        clearInterval(receiptTimer);
        unsubscribe();
      },
    });
    // Read receipts: sent when they move (an officer opened the ticket or replied).
    let receiptSent = -1;
    const sendReceipt = (): void => {
      const read = readUpTo(visitorId);
      if (read === receiptSent) return;
      receiptSent = read;
      stream.send('receipt', { readUpTo: read }, lastSent);
    };
    const write = (message: WebChatMessage): void => {
      if (message.id <= lastSent) return;
      lastSent = message.id;
      stream.send('message', message, message.id);
      if (message.author === 'staff') sendReceipt();
    };
    // Subscribe first, then replay history: nothing falls between the two.
    const buffered: WebChatMessage[] = [];
    let replaying = true;
    unsubscribe = web.subscribe(visitorId, (message) => (replaying ? buffered.push(message) : write(message)));
    for (const message of historyFor(db, visitorId, lastSent)) write(message);
    replaying = false;
    for (const message of buffered.sort((a, b) => a.id - b.id)) write(message);
    if (stream.closed) return;
    sendReceipt();
    receiptTimer = setInterval(sendReceipt, receiptsEveryMs);
    receiptTimer.unref();
  });
}
