/**
 * Getting and keeping a logged-in session, and turning account problems into
 * something a person can act on.
 *
 * Rules that keep the account safe:
 * - A saved session is restored; logging in happens only without one.
 * - A login Instagram refused is never retried by itself (repeated logins from
 *   a server are what gets accounts locked). Only a network failure, where
 *   Instagram never judged the attempt, is retried with backoff.
 * - `challenge_required` and two-factor logins are recorded in the database
 *   and wait for `sapa instagram verify <code>`.
 * - A session that expires is replaced by one new login at most every
 *   AUTO_LOGIN_MIN_GAP_MS; if it expires again sooner, a person looks.
 */
import type { Logger } from 'pino';
import type { Clock } from '../../src/clock.js';
import { classifyIgError, describeIgError, logSafeError } from './errors.js';
import type { GatewayFactory, IgGateway } from './gateway.js';
import { attachSessionSaver, type SessionSaver } from './session-saver.js';
import type { InstagramStateStore, PendingAuth } from './state-store.js';
import { parseTwoFactorInfo, type IgAccount } from './wire.js';

export const VERIFY_ACTION = 'run: npx sapa instagram verify <code>';
export const AUTO_LOGIN_MIN_GAP_MS = 6 * 60 * 60 * 1000;

export type AuthProblemKind = 'challenge' | 'two_factor' | 'bad_credentials' | 'blocked' | 'login_refused' | 'session_lost';

/** Why the channel stopped, and what a person should do; shown as `needs_attention`. */
export interface AuthProblem {
  readonly kind: AuthProblemKind;
  readonly reason: string;
  readonly action: string;
  /** true while `sapa instagram verify <code>` can resolve it (a pending challenge or two-factor login). */
  readonly verifiable: boolean;
}

export interface ActiveSession {
  readonly gateway: IgGateway;
  readonly account: IgAccount;
  readonly saver: SessionSaver;
}

export type EstablishResult =
  | { readonly ok: true; readonly session: ActiveSession; readonly loggedIn: boolean }
  | { readonly ok: false; readonly problem: AuthProblem };

export interface SessionManager {
  current(): ActiveSession | undefined;
  /** Restores the saved session, or logs in. Throws only for failures worth retrying (network). */
  establish(): Promise<EstablishResult>;
  /**
   * An account error during polling or sending. Returns the problem to show,
   * or 'retry' when a new session may be tried (an expired session, within
   * the automatic-login budget).
   */
  onAccountError(err: unknown): Promise<AuthProblem | 'retry'>;
  /** The pending challenge/two-factor state, when one waits for a code. */
  pendingProblem(): AuthProblem | undefined;
  close(): void;
}

export interface SessionManagerDeps {
  readonly username: string;
  readonly password: string;
  readonly store: InstagramStateStore;
  readonly createGateway: GatewayFactory;
  readonly proxyUrl?: string;
  readonly clock: Clock;
  readonly log: Logger;
}

export function problemForPending(pending: PendingAuth): AuthProblem {
  if (pending.kind === 'two_factor') {
    const where = pending.method === 'totp' ? 'the authenticator app' : 'an SMS to the account phone';
    return {
      kind: 'two_factor',
      reason: `Instagram asked for the two-factor login code (from ${where})`,
      action: VERIFY_ACTION,
      verifiable: true,
    };
  }
  return pending.codeRequested
    ? {
        kind: 'challenge',
        reason: 'Instagram asked to confirm it is the office (challenge_required); it sent a code to the account phone or e-mail',
        action: VERIFY_ACTION,
        verifiable: true,
      }
    : {
        kind: 'challenge',
        reason: 'Instagram asked to confirm it is the office (challenge_required) and did not confirm sending a code',
        action: `confirm the login in the Instagram app ("This was me"), then restart SAPA; if Instagram sends a code, ${VERIFY_ACTION}`,
        verifiable: true,
      };
}

export function createSessionManager(deps: SessionManagerDeps): SessionManager {
  const { username, password, store, clock, log } = deps;
  let active: ActiveSession | undefined;
  let gateway: IgGateway | undefined;
  let lastAutoLoginAt: number | undefined;

  function newGateway(): { gateway: IgGateway; saver: SessionSaver } {
    gateway?.close();
    gateway = deps.createGateway({ username, ...(deps.proxyUrl !== undefined ? { proxyUrl: deps.proxyUrl } : {}) });
    return { gateway, saver: attachSessionSaver({ gateway, store, log }) };
  }

  /** Records a challenge (asking Instagram to send the code once) and returns the problem. */
  async function recordChallenge(gw: IgGateway, saver: SessionSaver, err: unknown): Promise<AuthProblem> {
    const challenge = gw.currentChallenge();
    if (challenge === undefined) {
      log.error({ err: logSafeError(err) }, 'instagram challenge without a challenge path');
      return {
        kind: 'challenge',
        reason: 'Instagram asked to confirm it is the office (challenge_required) without saying how',
        action: 'confirm the login in the Instagram app ("This was me"), then restart SAPA',
        verifiable: false,
      };
    }
    let codeRequested = false;
    try {
      await gw.requestChallengeCode();
      codeRequested = true;
    } catch (requestErr) {
      log.warn({ err: logSafeError(requestErr) }, 'could not ask Instagram to send the challenge code');
    }
    await saver.flush();
    const pending: PendingAuth = {
      kind: 'challenge',
      apiPath: challenge.apiPath,
      ...(challenge.url !== undefined ? { url: challenge.url } : {}),
      codeRequested,
      since: clock.now().toISOString(),
    };
    store.savePendingAuth(pending);
    return problemForPending(pending);
  }

  /** A refused login or a blocked account: what to show. Network failures are rethrown (retried with backoff). */
  async function problemFor(err: unknown, gw: IgGateway, saver: SessionSaver, during: 'login' | 'session'): Promise<AuthProblem> {
    const kind = classifyIgError(err);
    switch (kind) {
      case 'challenge':
        return recordChallenge(gw, saver, err);
      case 'two_factor': {
        const info = parseTwoFactorInfo(errorBody(err));
        if (info === undefined) {
          return { kind: 'two_factor', reason: 'Instagram asked for a two-factor code but sent no login id', action: 'restart SAPA to log in again', verifiable: false };
        }
        const pending: PendingAuth = { kind: 'two_factor', ...info, since: clock.now().toISOString() };
        await saver.flush();
        store.savePendingAuth(pending);
        return problemForPending(pending);
      }
      case 'bad_credentials':
        return {
          kind: 'bad_credentials',
          reason: 'Instagram rejected the username or password',
          action: 'check IG_USERNAME and IG_PASSWORD, then restart SAPA',
          verifiable: false,
        };
      case 'blocked':
        return {
          kind: 'blocked',
          reason: `Instagram restricted the account (${describeIgError(err)})`,
          action: 'open the Instagram app on the office phone, resolve the warning, then restart SAPA',
          verifiable: false,
        };
      default:
        return during === 'login'
          ? {
              kind: 'login_refused',
              reason: `Instagram refused the login (${describeIgError(err)})`,
              action: 'log in once in the Instagram app on the office phone, then restart SAPA',
              verifiable: false,
            }
          : {
              kind: 'session_lost',
              reason: `the Instagram session ended again soon after logging in (${describeIgError(err)})`,
              action: 'log in once in the Instagram app on the office phone, then restart SAPA',
              verifiable: false,
            };
    }
  }

  async function login(): Promise<EstablishResult> {
    const { gateway: gw, saver } = newGateway();
    try {
      const account = await gw.login(username, password);
      await saver.flush();
      store.saveAccount(account);
      log.info('instagram login succeeded; session saved');
      active = { gateway: gw, account, saver };
      return { ok: true, session: active, loggedIn: true };
    } catch (err) {
      if (classifyIgError(err) === 'network') throw err;
      log.warn({ err: logSafeError(err) }, 'instagram login failed');
      return { ok: false, problem: await problemFor(err, gw, saver, 'login') };
    }
  }

  return {
    current: () => active,
    pendingProblem() {
      const pending = store.loadPendingAuth();
      return pending === undefined ? undefined : problemForPending(pending);
    },
    async establish() {
      active = undefined;
      const pending = store.loadPendingAuth();
      if (pending !== undefined) return { ok: false, problem: problemForPending(pending) };
      const saved = store.loadSession();
      if (saved !== undefined) {
        const { gateway: gw, saver } = newGateway();
        try {
          await gw.restore(saved);
        } catch (err) {
          // A session we cannot read is as good as none.
          log.warn({ err: logSafeError(err) }, 'saved instagram session unreadable; logging in');
          store.clearSession();
          return login();
        }
        const pk = store.loadAccount()?.pk ?? gw.sessionPk();
        if (pk !== undefined) {
          log.info('instagram session restored');
          active = { gateway: gw, account: { pk }, saver };
          return { ok: true, session: active, loggedIn: false };
        }
        log.warn('saved instagram session has no account id; logging in');
      }
      return login();
    },
    async onAccountError(err) {
      const session = active;
      active = undefined;
      const kind = classifyIgError(err);
      if (kind === 'session_expired') {
        store.clearSession();
        const now = clock.now().getTime();
        if (lastAutoLoginAt === undefined || now - lastAutoLoginAt >= AUTO_LOGIN_MIN_GAP_MS) {
          lastAutoLoginAt = now;
          log.warn({ err: logSafeError(err) }, 'instagram session expired; logging in once');
          return 'retry';
        }
      }
      const gw = session?.gateway ?? gateway;
      const saver = session?.saver;
      if (gw === undefined || saver === undefined) {
        return { kind: 'session_lost', reason: describeIgError(err), action: 'restart SAPA', verifiable: false };
      }
      return problemFor(err, gw, saver, 'session');
    },
    close() {
      gateway?.close();
      gateway = undefined;
      active = undefined;
    },
  };
}

function errorBody(err: unknown): unknown {
  if (typeof err !== 'object' || err === null || !('response' in err)) return undefined;
  const response: unknown = err.response;
  return typeof response === 'object' && response !== null && 'body' in response ? response.body : undefined;
}
