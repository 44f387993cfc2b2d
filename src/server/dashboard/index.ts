/**
 * The staff and supervisor dashboard: pages under /dashboard and the JSON API under
 * /api. Everything registers inside one encapsulated scope whose hooks (session, role,
 * CSRF, security headers) and error handler apply to every route of the dashboard and
 * to no route outside it (web chat and health stay public).
 */
import cookie from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import type { Core } from '../../core.js';
import type { MetaSetup } from '../../meta-setup.js';
import type { SlaPolicy } from '../../sla/policy.js';
import type { StaffService } from '../../staff.js';
import { errorBody } from '../errors.js';
import { registerAdminRoutes } from './admin-routes.js';
import { createAuditLog } from './audit.js';
import { createAuthHook } from './auth.js';
import { registerCalendarRoutes } from './calendar-routes.js';
import { registerDeskRoutes } from './desk-routes.js';
import { registerDigestRoutes } from './digest-routes.js';
import { dashboardHttpError } from './errors.js';
import { registerExportRoutes } from './export-routes.js';
import { registerEventsRoute } from './events-route.js';
import { registerHealthRoute } from './health-route.js';
import { registerIntakeRoutes } from './intake-routes.js';
import { createLogin, type LoginPolicy } from './login.js';
import { PUBLIC_ASSETS, registerPages } from './pages.js';
import { registerReportRoutes } from './report-routes.js';
import { registerSessionRoutes } from './session-routes.js';
import { createSessionStore, DEFAULT_SESSION_POLICY, type SessionPolicy } from './sessions.js';
import { registerTicketRoutes } from './ticket-routes.js';

export interface DashboardDeps {
  readonly core: Core;
  readonly staff: StaffService;
  readonly policy: SlaPolicy;
  /** Mark the session cookie Secure: PUBLIC_URL is https (never taken from a request header). */
  readonly secureCookies?: boolean;
  /** PUBLIC_URL as configured (null when unset): the go-live checklist's HTTPS check reads it. */
  readonly publicUrl?: string | null;
  /** Login attempts per minute per IP address. */
  readonly loginPerMinute?: number;
  readonly sessionPolicy?: SessionPolicy;
  /** Login throttling, the scrypt concurrency limit and the failure alert (login.ts). */
  readonly loginPolicy?: Partial<LoginPolicy>;
  /** Messenger and official Instagram setup for the channel page (webhook address, what is missing). */
  readonly metaSetup?: () => MetaSetup;
}

export const DEFAULT_LOGIN_PER_MINUTE = 10;

export async function registerDashboard(app: FastifyInstance, deps: DashboardDeps): Promise<void> {
  const { core, staff, policy } = deps;
  const sessionPolicy = deps.sessionPolicy ?? DEFAULT_SESSION_POLICY;
  const sessions = createSessionStore(core.db, core.clock, sessionPolicy);
  const audit = createAuditLog(core.db, core.clock);
  const login = createLogin({ db: core.db, clock: core.clock, staff, audit, alerts: core.alerts, ...(deps.loginPolicy ? { policy: deps.loginPolicy } : {}) });

  await app.register(async (scope) => {
    await scope.register(cookie);
    scope.decorateRequest('dashboardUser', null);

    // The dashboard's error boundary: domain errors become catalogue errors, the rest is logged.
    scope.setErrorHandler((err, request, reply) => {
      const httpError = dashboardHttpError(err);
      if (httpError.status >= 500) request.log.error({ err }, 'dashboard request failed');
      return reply.code(httpError.status).send(errorBody(httpError.code, httpError.message));
    });

    scope.addHook('onRequest', createAuthHook({ sessions, staff, publicPaths: PUBLIC_ASSETS }));
    scope.addHook('onSend', async (_request, reply, payload) => {
      // The chat may be framed by the office website; the dashboard never is.
      reply.header('x-frame-options', 'DENY');
      const csp = reply.getHeader('content-security-policy');
      if (typeof csp === 'string') reply.header('content-security-policy', csp.replace(/frame-ancestors [^;]*/, "frame-ancestors 'none'"));
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
      return payload;
    });

    registerSessionRoutes(scope, {
      login,
      sessions,
      sessionPolicy,
      audit,
      secureCookies: deps.secureCookies ?? false,
      loginPerMinute: deps.loginPerMinute ?? DEFAULT_LOGIN_PER_MINUTE,
      timeZone: core.timeZone,
      clock: core.clock,
    });
    registerTicketRoutes(scope, { core, staff, policy, audit });
    registerIntakeRoutes(scope, { core, staff, policy });
    registerExportRoutes(scope, { core, audit });
    registerDeskRoutes(scope, { core, staff });
    registerReportRoutes(scope, { core, policy });
    registerDigestRoutes(scope, { core, policy });
    registerAdminRoutes(scope, { core, staff, audit, sessions, login, publicUrl: deps.publicUrl ?? null, ...(deps.metaSetup ? { metaSetup: deps.metaSetup } : {}) });
    registerCalendarRoutes(scope, { core, policy });
    registerEventsRoute(scope, { core, sessions });
    registerHealthRoute(scope);
    await registerPages(scope);
  });
}
