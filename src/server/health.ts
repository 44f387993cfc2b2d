/**
 * GET /healthz for load balancers and monitors: the overall state and each channel's
 * state, nothing more (no internal URLs, error texts or WhatsApp pairing codes: anyone
 * can call it). The whole report, with each channel's details, the problems and the
 * warnings, is for admins: GET /api/health in the dashboard reads `app.healthReport()`.
 */
import type { FastifyInstance } from 'fastify';
import type { Channel, ChannelState, ChannelStatus } from '../../channels/channel.js';

export interface HealthDeps {
  readonly channels: () => readonly Channel[];
  /** Problems that make the service unhealthy (database read-only, disk full). */
  readonly problems: () => readonly string[];
  /** Things an admin must see to that do not stop the service (no official holidays for next year): still 200. */
  readonly warnings?: () => readonly string[];
}

/** What anyone may read. */
export interface PublicHealthBody {
  readonly ok: boolean;
  readonly channels: Readonly<Record<string, ChannelState>>;
}

/** What an admin reads (GET /api/health). */
export interface HealthBody extends PublicHealthBody {
  readonly details: Readonly<Record<string, ChannelStatus>>;
  readonly problems: readonly string[];
  /** Never affect `ok` or the status code: a warning is not an outage. */
  readonly warnings: readonly string[];
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The full health report (buildServer decorates the root instance). */
    healthReport: () => HealthBody;
  }
}

export function createHealthReport(deps: HealthDeps): () => HealthBody {
  return () => {
    const channels: Record<string, ChannelState> = {};
    const details: Record<string, ChannelStatus> = {};
    for (const channel of deps.channels()) {
      const status = channel.status();
      channels[channel.name] = status.state;
      details[channel.name] = status;
    }
    const problems = deps.problems();
    return { ok: problems.length === 0, channels, details, problems, warnings: deps.warnings?.() ?? [] };
  };
}

export function registerHealthRoutes(app: FastifyInstance, deps: HealthDeps): void {
  const report = createHealthReport(deps);
  app.decorate('healthReport', report);
  app.get('/healthz', async (_request, reply) => {
    const { ok, channels } = report();
    const body: PublicHealthBody = { ok, channels };
    return reply.code(ok ? 200 : 503).header('cache-control', 'no-store').send(body);
  });
}
