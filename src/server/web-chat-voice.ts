/**
 * POST /chat/voice: a voice note recorded on the chat page ("hold to speak"), for
 * applicants who cannot type. The recording is the raw request body (Content-Type
 * audio/webm, audio/ogg or audio/mp4, as the browser's MediaRecorder made it); the visitor
 * id and the page's message id travel in headers (X-Visitor-Id, X-Client-Message-Id), so
 * nothing has to be parsed before the checks below. It becomes an inbound message with a
 * 'voice' attachment and no text, through the same intake and router as typed messages.
 *
 * A recording is up to a few MB where a typed message is 32 KB, so this route has its own
 * body limit, and everything that can refuse a request does so before one byte of the body
 * is read, answering with `Connection: close` so an unread body is never drained: an id the
 * server did not issue (403), too many recordings from the visitor or the address (429), a
 * type that is not a recording (415), a Content-Length over the limit (413), too many
 * uploads in progress on the whole server (503). A body without a Content-Length (chunked)
 * is cut off with 413 as soon as it passes the limit while streaming. Finally the bytes
 * must really be a recording (audio-sniff.ts), whatever the client called them.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { baseMimeType } from '../../channels/channel.js';
import { CLIENT_MESSAGE_ID_PATTERN, VISITOR_ID_PATTERN, WebChannelUnavailableError, type WebChannel } from '../../channels/web.js';
import { StorageUnavailableError } from '../intake.js';
import type { Db } from '../store/db.js';
import { getMessage } from '../store/messages.js';
import { createRequestCounter, type RequestCounter } from './address-limits.js';
import { sniffRecording } from './audio-sniff.js';
import { errorBody, HttpError, toHttpError } from './errors.js';
import { addressKey, type VisitorIdentities } from './web-identity.js';

/** HTTP_BODY_LIMIT_VOICE's default: three minutes of speech is well under 1 MB as Opus; Safari's AAC takes more. */
export const WEB_CHAT_VOICE_BODY_LIMIT = 4 * 1024 * 1024;
/** Recordings one visitor may send per minute. */
export const VOICE_PER_MINUTE_PER_VISITOR = 6;
/** Recordings one address may send per minute, whatever visitor ids it uses (an IPv6 subscriber by its /64). */
export const VOICE_PER_MINUTE_PER_ADDRESS = 20;
/** Uploads being received at once on the whole server: each may hold a few MB in memory. */
export const VOICE_UPLOADS_IN_FLIGHT = 16;
/** What the page records (MediaRecorder): Chrome and Firefox WebM or Ogg with Opus, Safari MP4 with AAC. */
export const VOICE_CONTENT_TYPES: readonly string[] = ['audio/webm', 'audio/ogg', 'audio/mp4'];
/** Header with the recording's length in seconds as the page measured it (shown to staff; informative only). */
export const VOICE_DURATION_HEADER = 'x-voice-duration';
export const CLIENT_MESSAGE_ID_HEADER = 'x-client-message-id';

export interface VoiceRouteDeps {
  readonly db: Db;
  readonly web: WebChannel;
  readonly identities: VisitorIdentities;
  /** Largest recording in bytes (HTTP_BODY_LIMIT_VOICE). */
  readonly bodyLimit?: number;
  readonly perMinutePerVisitor?: number;
  readonly perMinutePerAddress?: number;
  readonly inFlight?: number;
  /** The clock the per-minute windows run on. */
  readonly nowMs?: () => number;
}

const TYPES_TEXT = VOICE_CONTENT_TYPES.join(', ');
const tooMany = (): HttpError => new HttpError('RATE_LIMITED', 'too many voice notes in one minute; please wait a moment');

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The page's length of the recording, when it is a sane number of seconds. */
function durationOf(request: FastifyRequest): number | undefined {
  const raw = header(request, VOICE_DURATION_HEADER);
  if (raw === undefined || !/^\d{1,5}(\.\d{1,3})?$/.test(raw)) return undefined;
  return Math.round(Number(raw));
}

export async function registerVoiceRoute(app: FastifyInstance, deps: VoiceRouteDeps): Promise<void> {
  const bodyLimit = deps.bodyLimit ?? WEB_CHAT_VOICE_BODY_LIMIT;
  const perVisitor: RequestCounter = createRequestCounter(deps.perMinutePerVisitor ?? VOICE_PER_MINUTE_PER_VISITOR, deps.nowMs);
  const perAddress: RequestCounter = createRequestCounter(deps.perMinutePerAddress ?? VOICE_PER_MINUTE_PER_ADDRESS, deps.nowMs);
  const maxInFlight = deps.inFlight ?? VOICE_UPLOADS_IN_FLIGHT;
  let inFlight = 0;

  /** Refuses before the body is read; the connection closes so the body is never drained. */
  const refuse = (reply: FastifyReply, error: HttpError, retryAfter?: number): never => {
    reply.header('connection', 'close');
    if (retryAfter !== undefined) reply.header('retry-after', String(retryAfter));
    throw error;
  };

  await app.register(async (scope) => {
    // The recording arrives as bytes; only audio types get this far (checked in onRequest).
    scope.addContentTypeParser(/^audio\//, { parseAs: 'buffer', bodyLimit }, (_request, body, done) => done(null, body));
    scope.setErrorHandler((err, request, reply) => {
      const httpError = toHttpError(err);
      // A chunked body cut off at the limit: close, the rest of it is not read.
      if (httpError.status === 413) reply.header('connection', 'close');
      if (httpError.status >= 500) request.log.error({ err }, 'voice upload failed');
      return reply.code(httpError.status).send(errorBody(httpError.code, httpError.message));
    });

    scope.post(
      '/chat/voice',
      {
        bodyLimit,
        onRequest: async (request, reply) => {
          const visitorId = header(request, 'x-visitor-id');
          if (visitorId === undefined || !VISITOR_ID_PATTERN.test(visitorId) || !deps.identities.verify(visitorId)) {
            refuse(reply, new HttpError('FORBIDDEN', 'send an X-Visitor-Id issued by POST /chat/visitors'));
          }
          // The visitor's window first: one visitor hammering away does not use up its neighbours'
          // share of the address (a shared office or campus network).
          if (!perVisitor.take(visitorId!)) refuse(reply, tooMany(), perVisitor.retryAfterSeconds(visitorId!));
          const address = addressKey(request.ip);
          if (!perAddress.take(address)) refuse(reply, tooMany(), perAddress.retryAfterSeconds(address));
          const type = baseMimeType(request.headers['content-type']) ?? '';
          if (!VOICE_CONTENT_TYPES.includes(type)) {
            reply.header('connection', 'close');
            return reply.code(415).send(errorBody('BAD_REQUEST', `send the recording with Content-Type ${TYPES_TEXT}`));
          }
          const length = header(request, 'content-length');
          if (length !== undefined && Number(length) > bodyLimit) {
            refuse(reply, new HttpError('PAYLOAD_TOO_LARGE', `the recording is larger than ${bodyLimit} bytes; record a shorter message`));
          }
          if (inFlight >= maxInFlight) refuse(reply, new HttpError('UNAVAILABLE', 'too many recordings are being received; try again shortly'), 5);
          inFlight += 1;
          // 'close' comes once, whether the answer was sent or the client went away.
          reply.raw.once('close', () => {
            inFlight -= 1;
          });
          return undefined;
        },
      },
      async (request, reply) => {
        const visitorId = header(request, 'x-visitor-id')!;
        const clientMessageId = header(request, CLIENT_MESSAGE_ID_HEADER);
        if (clientMessageId === undefined || !CLIENT_MESSAGE_ID_PATTERN.test(clientMessageId)) {
          throw new HttpError('VALIDATION', `${CLIENT_MESSAGE_ID_HEADER} must be 8-64 characters of A-Z, a-z, 0-9, _ or -`);
        }
        const body = request.body;
        if (!Buffer.isBuffer(body) || body.byteLength === 0) throw new HttpError('VALIDATION', 'the recording is empty');
        const sniffed = sniffRecording(body);
        if (sniffed === null) {
          return reply.code(415).send(errorBody('BAD_REQUEST', `the body is not a recording (${TYPES_TEXT})`));
        }
        const durationSeconds = durationOf(request);
        try {
          const outcome = await deps.web.submit({
            visitorId,
            clientMessageId,
            text: '',
            attachments: [
              {
                kind: 'voice',
                mimeType: sniffed.mimeType,
                fileName: `pesan-suara.${sniffed.extension}`,
                sizeBytes: body.byteLength,
                data: new Uint8Array(body.buffer, body.byteOffset, body.byteLength),
                ...(durationSeconds !== undefined ? { durationSeconds } : {}),
              },
            ],
          });
          const createdAt = getMessage(deps.db, outcome.messageId)?.createdAt.toISOString() ?? null;
          return reply.code(202).send({ messageId: outcome.messageId, duplicate: outcome.outcome === 'duplicate', createdAt });
        } catch (err) {
          if (err instanceof WebChannelUnavailableError) throw new HttpError('UNAVAILABLE', err.message);
          if (err instanceof StorageUnavailableError) throw new HttpError('UNAVAILABLE', 'pesan suara belum dapat disimpan; silakan coba lagi sebentar lagi');
          throw err;
        }
      },
    );
  });
}
