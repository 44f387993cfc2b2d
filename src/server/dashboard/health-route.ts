/**
 * GET /api/health (admin): the whole health report that /healthz keeps to itself: each
 * channel's details (reasons, retry times, what to do), the problems that make the
 * service unhealthy and the warnings.
 */
import type { FastifyInstance } from 'fastify';

export function registerHealthRoute(app: FastifyInstance): void {
  app.get('/api/health', { config: { access: 'admin' } }, async () => app.healthReport());
}
