/**
 * Outbox dispatcher: sends queued outbound messages through their channel.
 * - order: only the oldest pending row of a conversation is eligible, and one send per
 *   conversation is in flight at a time;
 * - retries: exponential backoff with full jitter (or the provider's retry_after) while a
 *   channel fails; a permanent failure is recorded on the message and never retried;
 * - restarts: pending rows live in SQLite, so a new process resumes them;
 * - at most once per row: only a pending row can be marked sent, and a row is sent by
 *   one pass at a time. (A crash between the provider accepting and our commit can
 *   repeat that one message; no protocol here offers better.)
 */
import type { Logger } from 'pino';
import type { Channel, SendResult } from '../channels/channel.js';
import type { Clock } from './clock.js';
import type { EventBus } from './events.js';
import { describeStorageFailure, isStorageFailure, type HealthMonitor } from './health.js';
import type { Db } from './store/db.js';
import {
  markOutboxFailed,
  markOutboxRetry,
  markOutboxSent,
  nextOutboxAttemptAt,
  selectDueOutbox,
  type OutboxItem,
} from './store/outbox.js';

export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
  /** A message still undelivered after this long is marked failed (visible to staff). */
  readonly giveUpAfterMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = {
  baseMs: 1_000,
  maxMs: 5 * 60_000,
  giveUpAfterMs: 3 * 24 * 60 * 60_000,
};

/** Due rows fetched at once by a background pass (more than the free slots: see `ready`). */
const PREFETCH = 64;

/** A pass that failed (the database unreadable, say) is tried again this soon. */
const RETRY_AFTER_FAILED_PASS_MS = 5_000;

/** Full-jitter exponential backoff: a random delay in [base, min(max, base * 2^attempt)]. */
export function backoffDelayMs(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(attempt, 30));
  return Math.round(policy.baseMs + random() * Math.max(0, ceiling - policy.baseMs));
}

export interface OutboxDispatcherDeps {
  readonly db: Db;
  readonly clock: Clock;
  /** The channels this process runs; rows of other channels are left to the process that runs them. */
  readonly channels: () => readonly Channel[];
  readonly logger: Logger;
  readonly bus: EventBus;
  readonly backoff?: BackoffPolicy;
  readonly random?: () => number;
  /** Sends running at once across conversations (default 32; adapters pace their own channel). */
  readonly concurrency?: number;
  readonly health?: HealthMonitor;
}

export interface OutboxDispatcher {
  /** Sends everything due now; resolves when those sends settled. Safe to call concurrently. */
  runOnce(): Promise<number>;
  /** Starts the timer loop: a pass whenever work is queued (`kick`) or a retry becomes due. */
  start(): void;
  /** Asks for a pass soon (after new rows were committed). */
  kick(): void;
  /** Stops scheduling and waits for in-flight sends. */
  stop(): Promise<void>;
}

export function createOutboxDispatcher(deps: OutboxDispatcherDeps): OutboxDispatcher {
  const { db, clock, logger, bus } = deps;
  const policy = deps.backoff ?? DEFAULT_BACKOFF;
  const random = deps.random ?? Math.random;
  const concurrency = deps.concurrency ?? 32;
  const inFlight = new Map<number, Promise<void>>(); // conversation id -> send
  let running = false;
  let timer: NodeJS.Timeout | null = null;
  /** The pass under way, awaited by `stop` so nothing touches the database after it returns. */
  let currentPass: Promise<void> | null = null;

  /** A storage failure (disk full, read-only database) is shown on /healthz until a delivery is recorded again. */
  const showStorageFailure = (err: unknown): void => {
    if (isStorageFailure(err)) deps.health?.report('delivery', describeStorageFailure(err));
  };

  /**
   * Sends that succeed together are marked sent in one transaction (on the next turn of the
   * event loop) instead of one commit each; the send counts as done (its conversation's next
   * row may go) only once the mark is committed.
   */
  let marks: { id: number; providerMessageId: string; now: Date; resolve: (changed: boolean) => void; reject: (err: unknown) => void }[] = [];
  const flushMarks = (): void => {
    const batch = marks;
    marks = [];
    try {
      const changed = db.transaction(() => batch.map((mark) => markOutboxSent(db, mark.id, mark.providerMessageId, mark.now)))();
      batch.forEach((mark, index) => mark.resolve(changed[index] ?? false));
    } catch (err) {
      for (const mark of batch) mark.reject(err);
    }
  };
  const markSent = (id: number, providerMessageId: string, now: Date): Promise<boolean> =>
    new Promise((resolve, reject) => {
      if (marks.length === 0) setImmediate(flushMarks);
      marks.push({ id, providerMessageId, now, resolve, reject });
    });

  const deliver = async (item: OutboxItem): Promise<void> => {
    const channel = deps.channels().find((candidate) => candidate.name === item.channel);
    let result: SendResult;
    if (!channel) {
      result = { ok: false, kind: 'retryable', error: `channel ${item.channel} is not running` };
    } else {
      try {
        result = await channel.send({
          conversationExternalId: item.conversationExternalId,
          author: item.author,
          text: item.text,
          quickReplies: item.quickReplies,
          messageId: item.messageId,
          // A channel that cannot send files gets the text alone (the text stands on its own).
          ...(item.attachments.length > 0 && channel.capabilities.outboundMedia ? { attachments: item.attachments } : {}),
        });
      } catch (err) {
        // An adapter should return failures as values; a throw is treated as retryable.
        logger.error({ err, channel: item.channel, outboxId: item.id }, 'channel send threw');
        result = { ok: false, kind: 'retryable', error: err instanceof Error ? err.message : String(err) };
      }
    }
    const now = clock.now();
    if (result.ok) {
      if (await markSent(item.id, result.providerMessageId, now)) {
        bus.publish({ type: 'message.delivery', conversationId: item.conversationId, messageId: item.messageId, status: 'sent' });
      }
      return;
    }
    const expired = now.getTime() - item.createdAt.getTime() >= policy.giveUpAfterMs;
    if (result.kind === 'permanent' || expired) {
      const reason = expired && result.kind !== 'permanent' ? `gave up after retrying: ${result.error}` : result.error;
      markOutboxFailed(db, item.id, reason, now);
      logger.warn({ channel: item.channel, outboxId: item.id, reason }, 'outbound message failed permanently');
      bus.publish({ type: 'message.delivery', conversationId: item.conversationId, messageId: item.messageId, status: 'failed' });
      return;
    }
    const delay = Math.max(result.retryAfterMs ?? 0, backoffDelayMs(item.attempts, policy, random));
    markOutboxRetry(db, item.id, result.error, new Date(now.getTime() + delay));
    logger.info({ channel: item.channel, outboxId: item.id, attempt: item.attempts + 1, delayMs: delay }, 'send failed, will retry');
  };

  const start = (item: OutboxItem): Promise<void> => {
    const send = deliver(item)
      .then(() => deps.health?.clear('delivery'))
      .catch((err: unknown) => {
        // The row stays pending and is tried again.
        showStorageFailure(err);
        logger.error({ err, outboxId: item.id }, 'outbox delivery failed');
      })
      .finally(() => inFlight.delete(item.conversationId));
    inFlight.set(item.conversationId, send);
    return send;
  };

  /**
   * Due rows fetched beyond the free slots, kept for the slots that free up next within one
   * pass (only this dispatcher sends, so a fetched head of a conversation stays due and
   * queued until it is sent): one query per few dozen sends instead of one per send.
   */
  let ready: OutboxItem[] = [];

  /**
   * Starts sends for the due rows that free slots allow (one per conversation); returns them.
   * With `prefetch`, fetches up to PREFETCH rows and keeps the rest in `ready`.
   */
  const launch = (prefetch: boolean): Promise<void>[] => {
    const free = concurrency - inFlight.size;
    if (free <= 0) return [];
    const picked: OutboxItem[] = [];
    const take = (): void => {
      const rest: OutboxItem[] = [];
      for (const item of ready) {
        if (picked.length < free && !inFlight.has(item.conversationId) && !picked.some((p) => p.conversationId === item.conversationId)) picked.push(item);
        else rest.push(item);
      }
      ready = rest;
    };
    take();
    if (picked.length < free) {
      const names = deps.channels().map((channel) => channel.name);
      const exclude = new Set([...inFlight.keys(), ...picked.map((item) => item.conversationId), ...ready.map((item) => item.conversationId)]);
      ready.push(...selectDueOutbox(db, clock.now(), prefetch ? Math.max(PREFETCH, free) : free - picked.length, exclude, names));
      take();
    }
    // runOnce (tests, sapa chat) may run beside a pass: what a pass fetched is dropped, so no
    // row is picked twice.
    if (!prefetch) ready = [];
    return picked.map(start);
  };

  const runOnce = async (): Promise<number> => {
    const sends = launch(false);
    await Promise.all(sends);
    return sends.length;
  };

  const schedule = (delayMs: number): void => {
    if (!running) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = null;
      void pass();
    }, Math.max(0, Math.min(delayMs, 60_000)));
  };

  const passBody = async (): Promise<void> => {
    try {
      // Keep every slot busy while rows are ready: each finished send frees a slot for the
      // next due row (which may be the next one of its own conversation).
      try {
        while (running) {
          launch(true);
          if (inFlight.size === 0) break;
          await Promise.race(inFlight.values());
          // Sends that finish together free their slots together: one refill for them all.
          await new Promise((resolve) => setImmediate(resolve));
        }
      } finally {
        // What was fetched is fetched again by the next pass (it may be stale by then).
        ready = [];
      }
      // Stopped meanwhile: the database may be closing; nothing more to plan.
      if (!running) return;
      const next = nextOutboxAttemptAt(db, deps.channels().map((channel) => channel.name));
      schedule(next ? next.getTime() - clock.now().getTime() : 60_000);
    } catch (err) {
      logger.error({ err }, 'outbox pass failed');
      showStorageFailure(err);
      schedule(RETRY_AFTER_FAILED_PASS_MS);
    }
  };

  const pass = (): Promise<void> => {
    if (currentPass) return currentPass;
    currentPass = passBody().finally(() => {
      currentPass = null;
    });
    return currentPass;
  };

  return {
    runOnce,
    start() {
      running = true;
      void pass();
    },
    kick() {
      if (!running) return;
      if (currentPass) {
        schedule(0);
        return;
      }
      void pass();
    },
    async stop() {
      running = false;
      if (timer) clearTimeout(timer);
      timer = null;
      await Promise.allSettled([...inFlight.values(), ...(currentPass ? [currentPass] : [])]);
    },
  };
}
