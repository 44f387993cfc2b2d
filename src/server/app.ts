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
import { repoPath } from '../paths.js';
import type { Db } from '../store/db.js';
import { errorBody, toHttpError } from './errors.js';
import { registerHealthRoutes } from './health.js';
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
  /** Web chat identities (the signing key) and their limits; default: a key for this process only. */
  readonly webChat?: Pick<WebChatDeps, 'identities' | 'visitorsPerHour' | 'now'>;
  /** Extra routes (Telegram webhook, dashboard) registered by the composition root. */
  readonly plugins?: readonly ((app: FastifyInstance) => Promise<void> | void)[];
}

export const STATIC_DIR = repoPath('src', 'server', 'static');

export async function buildServer(deps: ServerDeps): Promise<FastifyInstance> {
  const app = Fastify({
    // pino's Logger is Fastify's logger; the cast only widens its generic type.
    loggerInstance: deps.logger.child({ module: 'http' }) as FastifyBaseLogger,
    // Request lines would carry URLs with visitor ids; errors are logged by the error handler.
    logController: new LogController({ disableRequestLogging: true }),
    // SSE streams would otherwise hold shutdown open.
    forceCloseConnections: true,
    return503OnClosing: true,
    bodyLimit: 256 * 1024,
    trustProxy: true,
  });

  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        frameAncestors: ['*'],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
    },
    // The chat page is embedded by the widget on the office website.
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
  await registerWebChatRoutes(app, { db: deps.db, web: deps.web, perMinute: deps.webChatPerMinute, ...deps.webChat });
  await app.register(fastifyStatic, { root: STATIC_DIR, prefix: '/', index: ['chat.html'], wildcard: false });
  for (const plugin of deps.plugins ?? []) await plugin(app);
  return app;
}
