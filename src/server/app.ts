/**
 * The HTTP server: health, web chat (page, widget, API, events) and, from the
 * dashboard issue on, the staff dashboard and JSON API. One error boundary: the
 * error handler turns every failure into `{error: {code, message}}`.
 */
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Channel } from '../../channels/channel.js';
import type { WebChannel } from '../../channels/web.js';
import { defaultHttpConfig, type HttpConfig } from '../config.js';
import { repoPath } from '../paths.js';
import type { Db } from '../store/db.js';
import { createRequestCounter, limitConnectionsPerAddress, requestLimitHook, useDepthLimitedJson } from './address-limits.js';
import { errorBody, toHttpError } from './errors.js';
import { registerHealthRoutes } from './health.js';
import { createStreamRegistry } from './stream-limits.js';
import { registerWebChatRoutes, type WebChatDeps } from './web-chat-routes.js';

export interface ServerDeps {
  readonly db: Db;
  readonly logger: Logger;
  readonly web: WebChannel;
  readonly channels: () => readonly Channel[];
  readonly problems: () => readonly string[];
  /** Shown on /healthz without making it fail (see health.ts). */
  readonly warnings?: () => readonly string[];
  readonly webChatPerMinute: number;
  /** Trusted proxies, public URL, framing, body/time/connection/stream limits (default: loadConfig({})'s). */
  readonly http?: HttpConfig;
  /** Web chat identities (the signing key) and their limits; default: a key for this process only. */
  readonly webChat?: Pick<WebChatDeps, 'identities' | 'visitorsPerHour' | 'now' | 'knowledge' | 'timeZone' | 'receiptsEveryMs'>;
  /** Extra routes (Telegram webhook, dashboard) registered by the composition root. */
  readonly plugins?: readonly ((app: FastifyInstance) => Promise<void> | void)[];
}

export const STATIC_DIR = repoPath('src', 'server', 'static');

export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const http = deps.http ?? defaultHttpConfig();
  const https = http.publicUrl?.startsWith('https:') ?? false;
  const app = Fastify({
    // pino's Logger is Fastify's logger; the cast only widens its generic type.
    loggerInstance: deps.logger.child({ module: 'http' }) as FastifyBaseLogger,
    // Request lines would carry URLs with visitor ids; errors are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    // SSE streams would otherwise hold shutdown open.
    forceCloseConnections: true,
    return503OnClosing: true,
    // The dashboard's limit; the web chat's routes set their own, smaller one.
    bodyLimit: http.bodyLimit,
    // request.ip and request.protocol take X-Forwarded-* only from the proxies TRUST_PROXY names.
    trustProxy: trustProxyOption(http.trustProxy),
    // The whole request (headers and body) must arrive within this; a trickled body is cut off.
    requestTimeout: http.requestTimeoutMs,
    // Idle sockets (no bytes either way) are closed; streams stay busy with heartbeats.
    connectionTimeout: http.connectionTimeoutMs,
    keepAliveTimeout: http.keepAliveTimeoutMs,
    // Node checks the two timeouts above every connectionsCheckingInterval (default 30 s).
    http: { headersTimeout: http.headersTimeoutMs, connectionsCheckingInterval: 1_000 },
  });
  // Beyond this many open sockets Node closes new ones at once: descriptors stay available.
  app.server.maxConnections = http.maxConnections;
  if (http.trustProxy === false) limitConnectionsPerAddress(app.server, http.maxConnectionsPerAddress);
  app.decorate('streams', createStreamRegistry(http.streams));
  useDepthLimitedJson(app, http.jsonMaxDepth);
  // Before the body is read: a flood from one address is refused without parsing anything.
  if (http.requestsPerMinutePerAddress > 0) app.addHook('onRequest', requestLimitHook(createRequestCounter(http.requestsPerMinutePerAddress)));

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        // The chat page may be framed by SAPA itself and the sites WEB_CHAT_FRAME_ANCESTORS names (the widget).
        frameAncestors: ["'self'", ...http.frameAncestors],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        // Only when PUBLIC_URL is https: on http://<LAN address> it would send the browser to an https that is not there.
        upgradeInsecureRequests: https ? [] : null,
      },
    },
    hsts: https,
    // Browsers ignore it on plain HTTP (and say so in the console of a page on a LAN address).
    crossOriginOpenerPolicy: https,
    // The chat page is embedded by the widget on the office website (frame-ancestors above decides where).
    frameguard: false,
    crossOriginResourcePolicy: { policy: 'cross-origin' },
  });
  await app.register(rateLimit, { global: false });

  app.setErrorHandler((err, request, reply) => {
    const httpError = toHttpError(err);
    if (httpError.status >= 500) request.log.error({ err }, 'request failed');
    return reply.code(httpError.status).send(errorBody(httpError.code, httpError.message));
  });
  app.setNotFoundHandler((_request, reply) => reply.code(404).send(errorBody('NOT_FOUND', 'no such route')));

  registerHealthRoutes(app, { channels: deps.channels, problems: deps.problems, ...(deps.warnings ? { warnings: deps.warnings } : {}) });
  await registerWebChatRoutes(app, { db: deps.db, web: deps.web, perMinute: deps.webChatPerMinute, bodyLimit: http.chatBodyLimit, voiceBodyLimit: http.voiceBodyLimit, ...deps.webChat });
  await app.register(fastifyStatic, { root: STATIC_DIR, prefix: '/', index: ['chat.html'], wildcard: false });
  for (const plugin of deps.plugins ?? []) await plugin(app);
  return app;
}

/** Fastify's trustProxy for TRUST_PROXY: a hop count trusts the nearest N hops (as proxy-addr does for a number). */
function trustProxyOption(trust: HttpConfig['trustProxy']): false | string[] | ((address: string, hop: number) => boolean) {
  if (trust === false) return false;
  if (typeof trust === 'number') return (_address, hop) => hop < trust;
  return [...trust];
}
