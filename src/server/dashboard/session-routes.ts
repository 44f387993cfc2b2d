/** POST/GET/DELETE /api/session: log in, who am I (with the CSRF token), log out. */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from '../../clock.js';
import { localDateOf } from '../../metrics/days.js';
import type { StaffAccount } from '../../staff.js';
import { HttpError } from '../errors.js';
import { addressKey } from '../web-identity.js';
import type { AuditLog } from './audit.js';
import { SESSION_COOKIE, userOf } from './auth.js';
import { body } from './input.js';
import type { Login } from './login.js';
import type { SessionPolicy, SessionStore } from './sessions.js';

export interface SessionRouteDeps {
  readonly login: Login;
  readonly sessions: SessionStore;
  readonly sessionPolicy: SessionPolicy;
  readonly audit: AuditLog;
  /** Mark the cookie Secure: the configured PUBLIC_URL is https. */
  readonly secureCookies: boolean;
  readonly loginPerMinute: number;
  /** The office zone, so pages show times as the office reads them. */
  readonly timeZone: string;
  /**
   * The server's clock: pages take "now" and "today" from it, not from the browser, so a PC
   * with a wrong clock (or a test server on a fake one) still shows the right dates and ages.
   */
  readonly clock: Clock;
}

export const userJson = (account: StaffAccount) => ({
  id: account.id,
  username: account.username,
  displayName: account.displayName,
  role: account.role,
});

export function registerSessionRoutes(app: FastifyInstance, deps: SessionRouteDeps): void {
  const { login, sessions, audit } = deps;
  // From PUBLIC_URL, not from X-Forwarded-Proto: a header anyone can send decides nothing here.
  const secure = (_request: FastifyRequest): boolean => deps.secureCookies;

  app.post(
    '/api/session',
    {
      config: {
        access: 'public',
        rateLimit: { max: deps.loginPerMinute, timeWindow: 60_000, keyGenerator: (request: FastifyRequest) => `login:${addressKey(request.ip)}` },
      },
    },
    async (request, reply) => {
      const input = body(request);
      const username = input['username'];
      const password = input['password'];
      if (typeof username !== 'string' || typeof password !== 'string' || username === '' || password === '') {
        throw new HttpError('VALIDATION', 'send username and password');
      }
      if (password.length > 1024) throw new HttpError('UNAUTHORIZED', 'wrong username or password');
      const result = await login.attempt(username, password, request.ip);
      if (!result.ok) {
        // The same answers whether or not the username exists (see login.ts).
        if (result.reason === 'throttled') {
          const seconds = Math.max(1, Math.ceil(result.retryAfterMs / 1000));
          reply.header('retry-after', String(seconds));
          throw new HttpError('RATE_LIMITED', `too many failed logins; try again in ${seconds} s`);
        }
        if (result.reason === 'busy') {
          reply.header('retry-after', '5');
          throw new HttpError('UNAVAILABLE', 'too many logins at once; try again in a few seconds');
        }
        throw new HttpError('UNAUTHORIZED', 'wrong username or password');
      }
      const { token, session } = sessions.create(result.account.id);
      reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'strict',
        secure: secure(request),
        path: '/',
        maxAge: Math.floor(deps.sessionPolicy.absoluteMs / 1000),
      });
      return { user: userJson(result.account), csrfToken: session.csrfToken, expiresAt: session.expiresAt.toISOString() };
    },
  );

  app.get('/api/session', async (request) => {
    const { account, session } = userOf(request);
    const now = deps.clock.now();
    return {
      user: userJson(account),
      csrfToken: session.csrfToken,
      expiresAt: session.expiresAt.toISOString(),
      timeZone: deps.timeZone,
      now: now.toISOString(),
      today: localDateOf(now, deps.timeZone),
    };
  });

  app.delete('/api/session', async (request, reply) => {
    const { account, session } = userOf(request);
    sessions.revoke(session.id);
    audit.record({ staffId: account.id, username: account.username, action: 'logout', ip: request.ip });
    reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure: secure(request) });
    return reply.code(204).send();
  });
}
