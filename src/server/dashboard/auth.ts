/**
 * Who may call what. Every dashboard route declares its minimum role in its route
 * config (`access`); a route that declares nothing needs a staff session, so a route
 * added without thought is closed, not open. State-changing requests must also carry
 * the session's CSRF token in `x-csrf-token`.
 */
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { StaffRole } from '../../domain.js';
import type { StaffAccount, StaffService } from '../../staff.js';
import { HttpError } from '../errors.js';
import { sameToken, type Session, type SessionStore } from './sessions.js';

/** 'public': no session needed (login); otherwise the least role allowed. */
export type Access = 'public' | StaffRole;

export interface DashboardUser {
  readonly session: Session;
  readonly account: StaffAccount;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
    /** An HTML page: without a session, redirect to the login page instead of a 401. */
    page?: boolean;
  }
  interface FastifyRequest {
    dashboardUser: DashboardUser | null;
  }
}

export const SESSION_COOKIE = 'sapa_session';
export const CSRF_HEADER = 'x-csrf-token';
export const LOGIN_PAGE = '/dashboard/login';

const RANK: Readonly<Record<StaffRole, number>> = { staff: 1, supervisor: 2, admin: 3 };
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function hasRole(account: StaffAccount, least: StaffRole): boolean {
  return RANK[account.role] >= RANK[least];
}

/** The signed-in user of a route that required a session (the hook guarantees it). */
export function userOf(request: FastifyRequest): DashboardUser {
  if (!request.dashboardUser) throw new HttpError('UNAUTHORIZED', 'please log in');
  return request.dashboardUser;
}

export interface AuthDeps {
  readonly sessions: SessionStore;
  readonly staff: StaffService;
  /** Static files that the login page needs before anyone is logged in. */
  readonly publicPaths: ReadonlySet<string>;
}

export function createAuthHook({ sessions, staff, publicPaths }: AuthDeps) {
  const userFrom = (request: FastifyRequest): DashboardUser | null => {
    const token = request.cookies[SESSION_COOKIE];
    if (!token) return null;
    const session = sessions.resolve(token);
    if (!session) return null;
    const account = staff.get(session.staffId);
    if (!account || account.disabled) {
      sessions.revoke(session.id);
      return null;
    }
    return { session, account };
  };

  return async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    const config = request.routeOptions.config;
    const path = request.url.split('?')[0] ?? '';
    const access: Access = config.access ?? (publicPaths.has(path) ? 'public' : 'staff');
    request.dashboardUser = userFrom(request);
    if (access === 'public') return;
    const user = request.dashboardUser;
    if (!user) {
      if (config.page && (request.method === 'GET' || request.method === 'HEAD')) {
        await reply.redirect(`${LOGIN_PAGE}?next=${encodeURIComponent(request.url)}`, 302);
        return;
      }
      throw new HttpError('UNAUTHORIZED', 'please log in');
    }
    if (!hasRole(user.account, access)) throw new HttpError('FORBIDDEN', `this needs the ${access} role`);
    if (!SAFE_METHODS.has(request.method)) {
      const sent = request.headers[CSRF_HEADER];
      if (typeof sent !== 'string' || !sameToken(sent, user.session.csrfToken)) {
        throw new HttpError('FORBIDDEN', 'missing or wrong CSRF token (send x-csrf-token from GET /api/session)');
      }
    }
  };
}
