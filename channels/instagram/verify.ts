/**
 * Completes a pending challenge or two-factor login with the code the
 * account owner received, using the session and the pending state the
 * channel saved in the database. Runs in the `sapa instagram verify` process;
 * the running bot sees the pending state disappear and resumes polling.
 */
import type { Logger } from 'pino';
import type { Clock } from '../../src/clock.js';
import { classifyIgError, describeIgError, logSafeError } from './errors.js';
import type { GatewayFactory } from './gateway.js';
import { attachSessionSaver } from './session-saver.js';
import type { InstagramStateStore, PendingAuth } from './state-store.js';

export type VerifyOutcome =
  | { readonly outcome: 'verified'; readonly kind: PendingAuth['kind'] }
  | { readonly outcome: 'nothing_pending' }
  /** Wrong or expired code: the pending state stays, another code can be tried. */
  | { readonly outcome: 'rejected'; readonly reason: string }
  /** The two-factor login passed but Instagram now wants a challenge: a new code is on its way. */
  | { readonly outcome: 'challenge_next'; readonly codeRequested: boolean }
  | { readonly outcome: 'failed'; readonly reason: string };

export interface VerifyDeps {
  readonly store: InstagramStateStore;
  readonly createGateway: GatewayFactory;
  /** IG_USERNAME: seeds the same simulated device the channel uses. */
  readonly username: string;
  readonly proxyUrl?: string;
  readonly clock: Clock;
  readonly log: Logger;
}

const CODE = /^\d{4,8}$/;

export function isVerificationCode(code: string): boolean {
  return CODE.test(code);
}

export async function completeVerification(deps: VerifyDeps, code: string): Promise<VerifyOutcome> {
  const { store, username, clock, log } = deps;
  const pending = store.loadPendingAuth();
  if (pending === undefined) return { outcome: 'nothing_pending' };
  const gateway = deps.createGateway({ username, ...(deps.proxyUrl !== undefined ? { proxyUrl: deps.proxyUrl } : {}) });
  const saver = attachSessionSaver({ gateway, store, log });
  try {
    const saved = store.loadSession();
    if (saved !== undefined) await gateway.restore(saved);
    const account =
      pending.kind === 'two_factor'
        ? await gateway.twoFactorLogin({ username: pending.username, twoFactorIdentifier: pending.twoFactorIdentifier, method: pending.method, code })
        : await gateway.answerChallenge({ apiPath: pending.apiPath, ...(pending.url !== undefined ? { url: pending.url } : {}) }, code);
    await saver.flush();
    const pk = account?.pk ?? gateway.sessionPk();
    if (pk !== undefined) store.saveAccount({ pk, ...(account?.username !== undefined ? { username: account.username } : {}) });
    // Last: the running channel resumes as soon as this row is gone.
    store.clearPendingAuth();
    log.info({ kind: pending.kind }, 'instagram verification completed; session saved');
    return { outcome: 'verified', kind: pending.kind };
  } catch (err) {
    await saver.flush();
    const kind = classifyIgError(err);
    log.warn({ err: logSafeError(err), kind }, 'instagram verification failed');
    if (kind === 'wrong_code' || kind === 'rejected') return { outcome: 'rejected', reason: describeIgError(err) };
    if (kind === 'challenge') {
      const challenge = gateway.currentChallenge();
      if (challenge === undefined) return { outcome: 'failed', reason: describeIgError(err) };
      let codeRequested = false;
      try {
        await gateway.requestChallengeCode();
        codeRequested = true;
      } catch (requestErr) {
        log.warn({ err: logSafeError(requestErr) }, 'could not ask Instagram to send the challenge code');
      }
      await saver.flush();
      store.savePendingAuth({ kind: 'challenge', apiPath: challenge.apiPath, ...(challenge.url !== undefined ? { url: challenge.url } : {}), codeRequested, since: clock.now().toISOString() });
      return { outcome: 'challenge_next', codeRequested };
    }
    return { outcome: 'failed', reason: describeIgError(err) };
  } finally {
    gateway.close();
  }
}
