/**
 * GET/POST /webhooks/meta: Meta's subscription handshake and event posts for Messenger
 * and Instagram (channels/meta). The POST body reaches the handler as raw bytes, so the
 * signature is checked on exactly what Meta signed, before any JSON is parsed; a missing
 * or wrong signature is 401. The route keeps the server's limits: the per-address request
 * count (onRequest, before the body is read), timeouts, and a body limit of its own
 * (Meta batches events, a few hundred KB at most; 1 MiB leaves room and refuses more).
 */
import type { FastifyInstance } from 'fastify';

export const META_WEBHOOK_PATH = '/webhooks/meta';
export const META_WEBHOOK_BODY_LIMIT = 1024 * 1024;

/** What the route needs of the webhook (channels/meta/webhook.ts implements it). */
export interface MetaWebhookHandler {
  verify(query: Readonly<Record<string, unknown>>): { readonly status: number; readonly body?: string };
  receive(rawBody: Uint8Array, signature: string | undefined): Promise<{ readonly status: number }>;
}

export function metaWebhookRoute(handler: MetaWebhookHandler): (app: FastifyInstance) => Promise<void> {
  return async (app) => {
    await app.register(async (scope) => {
      scope.removeAllContentTypeParsers();
      // Buffered as bytes, not parsed: the signature covers the raw body.
      scope.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: META_WEBHOOK_BODY_LIMIT }, (_request, body, done) => done(null, body));
      scope.get(META_WEBHOOK_PATH, async (request, reply) => {
        const answer = handler.verify((request.query ?? {}) as Record<string, unknown>);
        reply.code(answer.status).header('content-type', 'text/plain; charset=utf-8');
        return reply.send(answer.body ?? '');
      });
      scope.post(META_WEBHOOK_PATH, { bodyLimit: META_WEBHOOK_BODY_LIMIT }, async (request, reply) => {
        const header = request.headers['x-hub-signature-256'];
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const answer = await handler.receive(body, typeof header === 'string' ? header : undefined);
        return reply.code(answer.status).send();
      });
    });
  };
}
