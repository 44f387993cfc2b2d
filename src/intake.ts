/**
 * The intake: the InboundSink every adapter feeds, and the processor that routes
 * stored messages one at a time. `accept` resolves once the message is committed,
 * which is when adapters may acknowledge the provider. Routing happens afterwards
 * from the database, so messages stored before a crash are routed after the restart.
 */
import type { Logger } from 'pino';
import type { AcceptOutcome, InboundMessage, InboundSink } from '../channels/channel.js';
import type { Clock } from './clock.js';
import { messagesFor } from './messages/index.js';
import type { Router } from './router.js';
import type { Db } from './store/db.js';
import { inTransaction } from './store/db.js';
import { storeInbound } from './store/inbox.js';
import { getConversation } from './store/conversations.js';
import { listUnprocessedInbound, markProcessed, queueOutbound } from './store/messages.js';
import { MAX_EXTERNAL_ID_CHARS } from './text-limits.js';

export class InboundRejectedError extends Error {
  readonly code = 'SAPA_INBOUND_REJECTED';
  constructor(message: string) {
    super(message);
    this.name = 'InboundRejectedError';
  }
}

export interface Intake {
  readonly sink: InboundSink;
  /** Routes every stored, unprocessed message; resolves when none is left. */
  drain(): Promise<number>;
  /** Resolves once every message accepted so far has been routed. */
  idle(): Promise<void>;
}

export interface IntakeDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly router: Router;
  readonly logger: Logger;
  /** Called after routed messages committed replies (the outbox dispatcher's kick). */
  readonly onRouted?: () => void;
}

const BATCH = 100;

export function createIntake(deps: IntakeDeps): Intake {
  const { db, clock, router, logger } = deps;
  let draining: Promise<number> | null = null;
  let again = false;

  const routeOne = (messageId: number, conversationId: number): void => {
    try {
      router.handle(messageId);
    } catch (err) {
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
        const batch = listUnprocessedInbound(db, BATCH);
        if (batch.length === 0) break;
        for (const message of batch) routeOne(message.id, message.conversationId);
        total += batch.length;
        deps.onRouted?.();
        // Let adapters' I/O (and new accepts) run between batches.
        await new Promise((resolve) => setImmediate(resolve));
      }
    } while (again);
    return total;
  };

  const drain = (): Promise<number> => {
    if (draining) {
      again = true;
      return draining;
    }
    draining = drainLoop().finally(() => {
      draining = null;
    });
    return draining;
  };

  return {
    sink: {
      async accept(message: InboundMessage): Promise<AcceptOutcome> {
        validate(message);
        const outcome = storeInbound(db, message, clock.now());
        if (outcome.outcome === 'stored') void drain().catch((err: unknown) => logger.error({ err }, 'drain failed'));
        return outcome;
      },
    },
    drain,
    async idle() {
      while (draining) await draining;
      if (listUnprocessedInbound(db, 1).length > 0) await drain();
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
