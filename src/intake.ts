/**
 * The intake: the InboundSink every adapter feeds, and the processor that routes
 * stored messages one at a time. `accept` resolves once the message is committed,
 * which is when adapters may acknowledge the provider. A batch of accepts is normally
 * stored and routed in one transaction; when earlier messages still wait to be routed
 * (a backlog after a restart or a failure), it is only stored and `drain` routes it from
 * the database in order, so messages stored before a crash are routed after the restart.
 */
import type { Logger } from 'pino';
import type { AcceptOutcome, InboundMessage, InboundSink } from '../channels/channel.js';
import type { Clock } from './clock.js';
import { messagesFor } from './messages/index.js';
import type { PreloadedInbound, Router } from './router.js';
import type { Db } from './store/db.js';
import { inTransaction } from './store/db.js';
import { storeInbound, storeInboundForRouting, type StoredInbound } from './store/inbox.js';
import type { Conversation } from './domain.js';
import type { Classification } from './nlu/types.js';
import { getConversation } from './store/conversations.js';
import {
  hasUnprocessedInbound,
  listUnprocessedInboundForRouting,
  listUnprocessedInboundIds,
  markProcessed,
  queueOutbound,
} from './store/messages.js';
import { MAX_EXTERNAL_ID_CHARS } from './text-limits.js';
import { describeStorageFailure, isStorageFailure, type HealthMonitor } from './health.js';

export class InboundRejectedError extends Error {
  readonly code = 'SAPA_INBOUND_REJECTED';
  constructor(message: string) {
    super(message);
    this.name = 'InboundRejectedError';
  }
}

/** The message could not be stored now (disk full, read-only database): the provider must deliver it again. */
export class StorageUnavailableError extends Error {
  readonly code = 'SAPA_STORAGE_UNAVAILABLE';
  constructor(message: string, options: { cause: unknown }) {
    super(message, options);
    this.name = 'StorageUnavailableError';
  }
}

export interface Intake {
  readonly sink: InboundSink;
  /** Routes every stored, unprocessed message; resolves when none is left. */
  drain(): Promise<number>;
  /** Resolves once every message accepted so far has been stored and routed. */
  idle(): Promise<void>;
}

export interface IntakeDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly router: Router;
  readonly logger: Logger;
  readonly health?: HealthMonitor;
  /** Called after routed messages committed replies (the outbox dispatcher's kick). */
  readonly onRouted?: () => void;
  /** Echoes, receipts and sender names (src/channel-records.ts), offered to adapters on the sink. */
  readonly records?: Omit<InboundSink, 'accept'>;
}

/** Messages routed per transaction: one commit serves the whole batch. */
const ROUTE_BATCH = 100;
/** Messages stored per transaction when many arrive at once (group commit). */
const STORE_BATCH = 500;
const RETRY_AFTER_FAILURE_MS = 2_000;

/** A message's routing failed (not storage) in an unguarded try: the flush retries the batch guarded. */
class RoutingBug extends Error {
  constructor(cause: unknown) {
    super('routing failed', { cause });
    this.name = 'RoutingBug';
  }
}

interface PendingAccept {
  readonly message: InboundMessage;
  readonly resolve: (outcome: AcceptOutcome) => void;
  readonly reject: (err: unknown) => void;
}

export function createIntake(deps: IntakeDeps): Intake {
  const { db, clock, router, logger, health } = deps;
  let draining: Promise<number> | null = null;
  let again = false;
  let retryTimer: NodeJS.Timeout | null = null;
  const pending: PendingAccept[] = [];
  let flushScheduled: Promise<void> | null = null;

  const storageFailed = (component: string, err: unknown): void => {
    const problem = describeStorageFailure(err);
    health?.report(component, problem);
    logger.error({ err }, `${component}: ${problem}`);
  };

  const routeOne = (messageId: number, conversationId: number, preloaded: PreloadedInbound | undefined): void => {
    try {
      router.handle(messageId, preloaded);
    } catch (err) {
      if (isStorageFailure(err)) throw err;
      // One error boundary per message: a bug on one message must not block the queue.
      logger.error({ err, messageId }, 'routing failed; the applicant is told to try again');
      inTransaction(db, () => {
        const conversation = getConversation(db, conversationId);
        const now = clock.now();
        markProcessed(db, messageId, null, now);
        if (conversation) {
          queueOutbound(db, { conversationId, author: 'bot', text: messagesFor(conversation.language).internalError }, now);
        }
      });
    }
  };

  const drainLoop = async (): Promise<number> => {
    let total = 0;
    do {
      again = false;
      for (;;) {
        const batch = listUnprocessedInboundIds(db, ROUTE_BATCH);
        if (batch.length === 0) break;
        // One transaction per batch; each message is a savepoint inside it.
        inTransaction(db, () => {
          // The batch's rows read once, inside the transaction (so they are current).
          const rows = new Map<number, PreloadedInbound>();
          const seen = new Set<number>();
          for (const row of listUnprocessedInboundForRouting(db, batch[0]!.id, batch[batch.length - 1]!.id)) {
            // Routing a message changes its own conversation only: a conversation's state read
            // here is current for its first message of the batch; later ones read it again.
            const first = !seen.has(row.message.conversationId);
            seen.add(row.message.conversationId);
            rows.set(row.message.id, {
              message: row.message,
              hasAttachments: row.hasAttachments,
              ...(first && row.conversation ? { conversation: row.conversation } : {}),
            });
          }
          for (const message of batch) routeOne(message.id, message.conversationId, rows.get(message.id));
        });
        total += batch.length;
        deps.onRouted?.();
        // Let adapters' I/O (and new accepts) run between batches.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } while (again);
    health?.clear('routing');
    return total;
  };

  const scheduleRetry = (): void => {
    if (retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      void drain();
    }, RETRY_AFTER_FAILURE_MS);
    retryTimer.unref();
  };

  const drain = (): Promise<number> => {
    if (draining) {
      again = true;
      return draining;
    }
    draining = drainLoop()
      .catch((err: unknown) => {
        // Nothing is lost: unprocessed messages stay in the database and are retried.
        if (isStorageFailure(err)) storageFailed('routing', err);
        else logger.error({ err }, 'routing batch failed');
        scheduleRetry();
        return 0;
      })
      .finally(() => {
        draining = null;
      });
    return draining;
  };

  const classify = (text: string, quickReplyPayload: string | null): Classification | null => router.classify(text, quickReplyPayload);

  /**
   * Routes, in the transaction that stored them, the messages a flush stored: in order,
   * each with the rows storing it produced (current: nothing else writes in between).
   * Unguarded, without a savepoint per message: a routing error throws RoutingBug out of
   * the transaction (rolled back whole). Guarded, each message has its own error boundary.
   */
  const routeStored = (stored: readonly StoredInbound<Classification>[], guarded: boolean): void => {
    // A conversation's row as its last store in the batch left it: current for its first
    // routed message; routing that message may change it, so later ones read it again.
    const latest = new Map<number, Conversation>();
    for (const item of stored) latest.set(item.conversation.id, item.conversation);
    for (const item of stored) {
      const conversationId = item.conversation.id;
      const conversation = latest.get(conversationId);
      latest.delete(conversationId);
      const preloaded: PreloadedInbound =
        conversation === undefined
          ? { message: item.message, hasAttachments: item.hasAttachments, premarked: item }
          : { message: item.message, hasAttachments: item.hasAttachments, conversation, premarked: item };
      if (guarded) {
        routeOne(item.message.id, conversationId, preloaded);
        continue;
      }
      try {
        router.handleUnguarded(item.message.id, preloaded);
      } catch (err) {
        if (isStorageFailure(err)) throw err;
        throw new RoutingBug(err);
      }
    }
  };

  /** Stores the batch and, when no earlier message waits to be routed, routes it; one transaction. */
  const storeBatch = (batch: readonly PendingAccept[], guarded: boolean): { outcomes: AcceptOutcome[]; routed: boolean } =>
    inTransaction(db, () => {
      if (draining !== null || hasUnprocessedInbound(db)) {
        return { outcomes: batch.map((item) => storeInbound(db, item.message, clock.now())), routed: false };
      }
      const results = batch.map((item) => storeInboundForRouting(db, item.message, clock.now(), classify));
      const stored: StoredInbound<Classification>[] = [];
      for (const result of results) if (result.stored !== null) stored.push(result.stored);
      routeStored(stored, guarded);
      return { outcomes: results.map((result) => result.outcome), routed: stored.length > 0 };
    });

  /**
   * Group commit: accepts that arrive together are stored in one transaction, and each
   * caller learns its outcome only after that commit (so adapters acknowledge late).
   * When no earlier message still waits to be routed, the batch is routed in that same
   * transaction (one commit for both); otherwise it is left to `drain`, which keeps order.
   * Routing is first tried without a savepoint per message; if a message's routing fails
   * (a bug), nothing of that try is kept and the batch is stored and routed again with one
   * error boundary per message, as `drain` does.
   */
  const flush = (): void => {
    const batch = pending.splice(0, STORE_BATCH);
    if (pending.length > 0) scheduleFlush();
    let done: { outcomes: AcceptOutcome[]; routed: boolean };
    try {
      try {
        done = storeBatch(batch, false);
      } catch (err) {
        if (!(err instanceof RoutingBug)) throw err;
        // Rolled back: what the router remembers of the try goes too.
        router.forget();
        done = storeBatch(batch, true);
      }
    } catch (err) {
      // Nothing of the batch was committed: what the router remembers of it goes too.
      router.forget();
      const failure = isStorageFailure(err) ? new StorageUnavailableError(describeStorageFailure(err), { cause: err }) : err;
      if (isStorageFailure(err)) storageFailed('intake', err);
      for (const item of batch) item.reject(failure);
      return;
    }
    const { outcomes, routed } = done;
    health?.clear('intake');
    batch.forEach((item, index) => item.resolve(outcomes[index]!));
    if (routed) {
      health?.clear('routing');
      deps.onRouted?.();
    } else if (outcomes.some((outcome) => outcome.outcome === 'stored')) void drain();
  };

  const scheduleFlush = (): Promise<void> => {
    flushScheduled ??= new Promise<void>((resolve) => {
      setImmediate(() => {
        flushScheduled = null;
        flush();
        resolve();
      });
    });
    return flushScheduled;
  };

  return {
    sink: {
      ...deps.records,
      accept(message: InboundMessage): Promise<AcceptOutcome> {
        try {
          validate(message);
        } catch (err) {
          return Promise.reject(err);
        }
        return new Promise<AcceptOutcome>((resolve, reject) => {
          pending.push({ message, resolve, reject });
          void scheduleFlush();
        });
      },
    },
    drain,
    async idle() {
      while (flushScheduled || pending.length > 0) await (flushScheduled ?? scheduleFlush());
      while (draining) await draining;
      if (listUnprocessedInboundIds(db, 1).length > 0) await drain();
    },
  };
}

function validate(message: InboundMessage): void {
  const ids: [string, string][] = [
    ['externalId', message.externalId],
    ['conversationExternalId', message.conversationExternalId],
    ['sender.externalId', message.sender.externalId],
  ];
  for (const [field, value] of ids) {
    if (typeof value !== 'string' || value === '' || value.length > MAX_EXTERNAL_ID_CHARS) {
      throw new InboundRejectedError(`${field} must be 1-${MAX_EXTERNAL_ID_CHARS} characters`);
    }
  }
  if (typeof message.text !== 'string') throw new InboundRejectedError('text must be a string');
  if (!(message.receivedAt instanceof Date) || Number.isNaN(message.receivedAt.getTime())) {
    throw new InboundRejectedError('receivedAt must be a valid date');
  }
}
