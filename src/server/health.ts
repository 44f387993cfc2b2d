import type { FastifyInstance } from 'fastify';
import type { Channel, ChannelState } from '../../channels/channel.js';

export interface HealthDeps {
  readonly channels: () => readonly Channel[];
  /** Problems that make the service unhealthy (database read-only, disk full). */
  readonly problems: () => readonly string[];
  /** Things an admin must see to that do not stop the service (no official holidays for next year): still 200. */
  readonly warnings?: () => readonly string[];
}

export interface HealthBody {
  readonly ok: boolean;
  readonly channels: Readonly<Record<string, ChannelState>>;
  readonly details: Readonly<Record<string, unknown>>;
  readonly problems: readonly string[];
  /** Never affect `ok` or the status code: a warning is not an outage. */
  readonly warnings: readonly string[];
}

export function registerHealthRoutes(app: FastifyInstance, deps: HealthDeps): void {
  app.get('/healthz', async (_request, reply) => {
    const channels: Record<string, ChannelState> = {};
    const details: Record<string, unknown> = {};
    for (const channel of deps.channels()) {
      const status = channel.status();
      channels[channel.name] = status.state;
      details[channel.name] = status;
    }
    const problems = deps.problems();
    const warnings = deps.warnings?.() ?? [];
    const body: HealthBody = { ok: problems.length === 0, channels, details, problems, warnings };
    return reply.code(body.ok ? 200 : 503).send(body);
  });
}
