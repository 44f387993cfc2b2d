/**
 * Instagram direct messages (instagram-private-api 1.46.1): the adapter
 * factory. The parts live in channels/instagram/: the library edge
 * (gateway, wire), the session kept in channel_state, the polling loop and
 * one poll's intake, item mapping and photo download, the paced sender,
 * error classification, and the `verify` step for challenges.
 *
 * This is unofficial access: the library imitates the Android app with a
 * frozen app version. Everything Instagram-specific stays behind this file,
 * so moving to the official Instagram Messaging API (webhooks from Meta,
 * Graph API sends) replaces this file and its folder and touches nothing in
 * the core: the Channel contract, externalId = message id, conversation =
 * thread, and the outbox stay as they are.
 *
 * Intake: the message-request folder and the inbox are polled at a jittered
 * interval (default 20 to 40 s); each thread is read from its last stored
 * item on; message requests are accepted so replies can be delivered. See
 * instagram/intake.ts for the storage-before-cursor rule and
 * instagram/poller.ts for backoff and the stop on account problems.
 */
import type { Logger } from 'pino';
import { systemClock } from '../src/clock.js';
import type { Clock } from '../src/clock.js';
import type { Db } from '../src/store/db.js';
import { raceTimeout, type Channel, type ChannelCapabilities, type InboundSink } from './channel.js';
import { createSessionManager } from './instagram/auth.js';
import { describeIgError, logSafeError } from './instagram/errors.js';
import { createIgGateway, type GatewayFactory } from './instagram/gateway.js';
import { DEFAULT_INTAKE_LIMITS, type IntakeLimits } from './instagram/intake.js';
import { createPhotoDownloader, DEFAULT_MEDIA_OPTIONS, type InstagramMediaOptions } from './instagram/media.js';
import { createSendPacer, realPacerTimers, type PacerTimers } from './instagram/pacer.js';
import { runPollLoop } from './instagram/poller.js';
import { createInstagramSender, INSTAGRAM_MAX_TEXT_LENGTH } from './instagram/sender.js';
import { createInstagramStateStore } from './instagram/state-store.js';
import { createStatusTracker } from './instagram/status.js';
import { DEFAULT_BACKOFF, DEFAULT_POLL_INTERVAL, realPollTimers, type IntervalRange, type PollTimers, type RetryBackoff } from './instagram/timers.js';
import { completeVerification, isVerificationCode, type VerifyOutcome } from './instagram/verify.js';

// ---------------------------------------------------------------------------
// Public API (callers import from here only)
// ---------------------------------------------------------------------------

export { INSTAGRAM_MAX_TEXT_LENGTH } from './instagram/sender.js';
export { VERIFY_ACTION } from './instagram/auth.js';
export { classifyIgError, classifySendError, describeIgError } from './instagram/errors.js';
export type { IgErrorClass } from './instagram/errors.js';
export type { GatewayFactory, IgGateway } from './instagram/gateway.js';
export type { InstagramMediaOptions } from './instagram/media.js';
export type { IntakeLimits } from './instagram/intake.js';
export type { PacerTimers } from './instagram/pacer.js';
export type { IntervalRange, PollTimers, RetryBackoff } from './instagram/timers.js';
export type { VerifyOutcome } from './instagram/verify.js';
export { DEFAULT_BACKOFF, DEFAULT_POLL_INTERVAL } from './instagram/timers.js';

export interface InstagramChannelOptions {
  /** IG_USERNAME */
  readonly username: string;
  /** IG_PASSWORD: used only when there is no saved session. */
  readonly password: string;
  /** Where the session, cursors and pending challenge live (channel_state). */
  readonly db: Db;
  readonly logger: Logger;
  /** Called with a staff-readable line whenever the channel starts needing a person (wired to staff alerts). */
  readonly onProblem?: (text: string) => void;
  /** Poll interval range; default 20 to 40 s. */
  readonly pollInterval?: IntervalRange;
  /** Messages per minute for the whole account; default 20; 0 = unpaced (tests). */
  readonly sendsPerMinute?: number;
  /** Backoff after failed polls; default 30 s doubling to 15 min. */
  readonly retryBackoff?: RetryBackoff;
  readonly media?: InstagramMediaOptions;
  readonly limits?: IntakeLimits;
  /**
   * On the very first start, items older than this are the account's history
   * and are not answered. Default 0 (only messages from now on).
   */
  readonly initialLookbackMs?: number;
  /** How often a channel waiting for `sapa instagram verify` checks the database. Default 15 s. */
  readonly verifyCheckMs?: number;
  readonly proxyUrl?: string;
  readonly clock?: Clock;
  readonly timers?: PollTimers;
  readonly pacerTimers?: PacerTimers;
  /** Tests and the later swap: the library edge. */
  readonly createGateway?: GatewayFactory;
  /** How long stop() waits for a poll in progress. Default 10 s. */
  readonly stopGraceMs?: number;
}

export interface InstagramChannel extends Channel {
  readonly name: 'instagram';
}

export const instagramCapabilities: ChannelCapabilities = {
  quickReplies: false,
  inboundMedia: true,
  // broadcastText only: images would need the photo upload flow of the private API.
  outboundMedia: false,
  maxTextLength: INSTAGRAM_MAX_TEXT_LENGTH,
};

export const DEFAULT_SENDS_PER_MINUTE = 20;

// ---------------------------------------------------------------------------
// Factory
// ---------------------------------------------------------------------------

export function createInstagramChannel(options: InstagramChannelOptions): InstagramChannel {
  const log = options.logger.child({ module: 'channel.instagram' });
  const clock = options.clock ?? systemClock;
  const timers = options.timers ?? realPollTimers;
  const stopGraceMs = options.stopGraceMs ?? 10_000;
  const store = createInstagramStateStore({ db: options.db, clock });
  const status = createStatusTracker({ log, ...(options.onProblem !== undefined ? { onProblem: options.onProblem } : {}) });
  const sessions = createSessionManager({
    username: options.username,
    password: options.password,
    store,
    createGateway: options.createGateway ?? createIgGateway,
    ...(options.proxyUrl !== undefined ? { proxyUrl: options.proxyUrl } : {}),
    clock,
    log,
  });

  let started = false;
  let stopping = false;
  let loop: Promise<void> | undefined;
  let sendAccountError: { readonly err: unknown } | undefined;
  const stopController = new AbortController();
  /** Replaced after each use: a send's account error interrupts one wait. */
  let wake = new AbortController();
  const wakeSignal = (): AbortSignal => {
    // A send hit an account problem while the loop was busy: its next wait ends at once.
    if (sendAccountError !== undefined) return AbortSignal.abort();
    if (wake.signal.aborted) wake = new AbortController();
    return AbortSignal.any([stopController.signal, wake.signal]);
  };

  const send = createInstagramSender({
    gateway: () => {
      if (stopping || !started) return 'instagram channel not running';
      const current = status.current();
      if (current.state === 'needs_attention') return `instagram needs attention: ${current.reason}`;
      if (sendAccountError !== undefined) return 'instagram account problem; waiting for the channel to check';
      return sessions.current()?.gateway ?? 'instagram not logged in yet';
    },
    pacer: createSendPacer(options.sendsPerMinute ?? DEFAULT_SENDS_PER_MINUTE, options.pacerTimers ?? realPacerTimers),
    onAccountError: (err) => {
      sendAccountError ??= { err };
      wake.abort();
    },
    log,
  });

  return {
    name: 'instagram',
    capabilities: instagramCapabilities,
    status: () => status.current(),
    async start(sink: InboundSink): Promise<void> {
      if (started || stopping) throw new Error('instagram channel already started or stopped; create a new one to restart');
      started = true;
      status.starting();
      const intakeSince = store.intakeSince(new Date(clock.now().getTime() - (options.initialLookbackMs ?? 0)));
      // Resolves after the first poll, the first failure, or the first "needs attention";
      // the loop goes on in the background and the status says how it is doing.
      await new Promise<void>((resolve) => {
        loop = runPollLoop(
          {
            sessions,
            status,
            store,
            sink,
            intakeSince,
            download: createPhotoDownloader({ options: options.media ?? DEFAULT_MEDIA_OPTIONS, log }),
            limits: options.limits ?? DEFAULT_INTAKE_LIMITS,
            interval: options.pollInterval ?? DEFAULT_POLL_INTERVAL,
            backoff: options.retryBackoff ?? DEFAULT_BACKOFF,
            verifyCheckMs: options.verifyCheckMs ?? 15_000,
            timers,
            clock,
            isStopping: () => stopping,
            wakeSignal,
            takeSendAccountError: () => {
              const taken = sendAccountError;
              sendAccountError = undefined;
              return taken;
            },
            log,
          },
          resolve,
        ).catch((err: unknown) => {
          // Not expected: every failure inside the loop is handled there.
          log.error({ err: logSafeError(err) }, 'instagram polling loop ended unexpectedly');
          status.reconnecting(`polling stopped unexpectedly: ${describeIgError(err)}`, clock.now());
        });
        void loop.then(resolve);
      });
    },
    async stop(): Promise<void> {
      if (stopping) return;
      stopping = true;
      stopController.abort();
      if (loop !== undefined) {
        const finished = await raceTimeout(loop, stopGraceMs);
        if (!finished) log.warn({ stopGraceMs }, 'stopping instagram: a poll was still running; its items come again next start');
      }
      sessions.close();
      status.stopped();
    },
    send,
  };
}

// ---------------------------------------------------------------------------
// `sapa instagram verify <code>`
// ---------------------------------------------------------------------------

export interface VerifyInstagramOptions {
  readonly db: Db;
  /** IG_USERNAME (the simulated device is derived from it, as in the channel). */
  readonly username: string;
  readonly code: string;
  readonly logger: Logger;
  readonly proxyUrl?: string;
  readonly clock?: Clock;
  readonly createGateway?: GatewayFactory;
}

export { isVerificationCode };

/** Completes a pending challenge or two-factor login with `code` and saves the session. */
export function verifyInstagramLogin(options: VerifyInstagramOptions): Promise<VerifyOutcome> {
  const clock = options.clock ?? systemClock;
  const log = options.logger.child({ module: 'channel.instagram.verify' });
  return completeVerification(
    {
      store: createInstagramStateStore({ db: options.db, clock }),
      createGateway: options.createGateway ?? createIgGateway,
      username: options.username,
      ...(options.proxyUrl !== undefined ? { proxyUrl: options.proxyUrl } : {}),
      clock,
      log,
    },
    options.code,
  );
}
