/**
 * The polling loop: get a session, poll, wait a jittered interval, repeat.
 *
 * - Failures that may pass (network, 5xx, 429, a database error while
 *   storing) back off exponentially; status `reconnecting` with `retryAt`.
 * - Account problems (challenge, two-factor, refused login, block) stop
 *   polling: status `needs_attention`, staff alerted. While a challenge or
 *   two-factor login waits for `sapa instagram verify <code>`, the loop only
 *   reads the database now and then (no Instagram requests) and resumes once
 *   the verify command cleared the pending state. Other problems end the
 *   loop until a restart.
 */
import type { Logger } from 'pino';
import type { InboundSink } from '../channel.js';
import type { AuthProblem, SessionManager } from './auth.js';
import { classifyIgError, describeIgError, logSafeError, needsPerson, RATE_LIMIT_WAIT_MS } from './errors.js';
import { InstagramIntakeError, pollOnce, type IntakeLimits } from './intake.js';
import type { PhotoDownloader } from './media.js';
import type { InstagramStateStore } from './state-store.js';
import type { StatusTracker } from './status.js';
import { backoffDelayMs, jitteredIntervalMs, type IntervalRange, type PollTimers, type RetryBackoff } from './timers.js';
import type { Clock } from '../../src/clock.js';

export interface PollLoopDeps {
  readonly sessions: SessionManager;
  readonly status: StatusTracker;
  readonly store: InstagramStateStore;
  readonly sink: InboundSink;
  readonly intakeSince: Date;
  readonly download: PhotoDownloader;
  readonly limits: IntakeLimits;
  readonly interval: IntervalRange;
  readonly backoff: RetryBackoff;
  /** How often a loop waiting for `verify` looks at the database. */
  readonly verifyCheckMs: number;
  readonly timers: PollTimers;
  readonly clock: Clock;
  readonly isStopping: () => boolean;
  /** Interrupts the current wait: on stop(), and when a send hit an account problem. */
  readonly wakeSignal: () => AbortSignal;
  /** An account error a send ran into since the last look (taken once). */
  readonly takeSendAccountError: () => { readonly err: unknown } | undefined;
  readonly log: Logger;
}

export async function runPollLoop(deps: PollLoopDeps, onFirstAttempt: () => void): Promise<void> {
  const { sessions, status, timers, clock, isStopping, log } = deps;
  let failures = 0;

  const sleep = (ms: number): Promise<void> => timers.sleep(ms, deps.wakeSignal());

  /** true when polling may go on (after verify); false when it must end. */
  async function stopFor(problem: AuthProblem): Promise<boolean> {
    status.needsAttention(problem);
    onFirstAttempt();
    sessions.close();
    if (!problem.verifiable) return false;
    while (!isStopping()) {
      await sleep(deps.verifyCheckMs);
      if (isStopping()) break;
      if (sessions.pendingProblem() === undefined) {
        log.info('instagram verification completed elsewhere; resuming');
        status.starting();
        failures = 0;
        return true;
      }
    }
    return false;
  }

  async function handleAccountError(err: unknown): Promise<boolean> {
    const outcome = await sessions.onAccountError(err);
    if (outcome === 'retry') return true;
    return stopFor(outcome);
  }

  async function backOff(err: unknown, what: string): Promise<void> {
    failures++;
    const kind = classifyIgError(err);
    const delayMs = Math.max(backoffDelayMs(failures, deps.backoff, timers.random), kind === 'rate_limited' ? RATE_LIMIT_WAIT_MS : 0);
    status.reconnecting(`${what}: ${err instanceof InstagramIntakeError ? err.message : describeIgError(err)}`, new Date(clock.now().getTime() + delayMs));
    log.warn({ err: err instanceof InstagramIntakeError ? { type: err.name, itemId: err.itemId } : logSafeError(err), attempt: failures, delayMs }, `${what} failed; retrying`);
    onFirstAttempt();
    await sleep(delayMs);
  }

  while (!isStopping()) {
    const fromSend = deps.takeSendAccountError();
    if (fromSend !== undefined) {
      if (!(await handleAccountError(fromSend.err))) return;
      continue;
    }
    let session = sessions.current();
    if (session === undefined) {
      let result: Awaited<ReturnType<SessionManager['establish']>>;
      try {
        result = await sessions.establish();
      } catch (err) {
        if (isStopping()) return;
        await backOff(err, 'logging in');
        continue;
      }
      if (!result.ok) {
        if (!(await stopFor(result.problem))) return;
        continue;
      }
      session = result.session;
    }
    try {
      const summary = await pollOnce({
        gateway: session.gateway,
        selfPk: session.account.pk,
        store: deps.store,
        sink: deps.sink,
        intakeSince: deps.intakeSince,
        download: deps.download,
        limits: deps.limits,
        isStopping,
        log,
      });
      if (summary.stored + summary.approved > 0) log.debug(summary, 'instagram poll done');
      failures = 0;
      status.connected();
      onFirstAttempt();
    } catch (err) {
      if (isStopping()) return;
      const kind = classifyIgError(err);
      if (needsPerson(kind) || kind === 'session_expired') {
        if (!(await handleAccountError(err))) return;
        continue;
      }
      await backOff(err, err instanceof InstagramIntakeError ? 'storing an item' : 'polling');
      continue;
    }
    await sleep(jitteredIntervalMs(deps.interval, timers.random));
  }
}
