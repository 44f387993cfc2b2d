/**
 * One poll: the message-request folder, then the inbox. For every thread,
 * the items newer than its cursor are handed to the sink oldest first, and
 * the cursor moves past an item only after `accept` resolved (stored), so a
 * crash or a database error means a redelivery, never a lost message. The
 * core drops redeliveries by item id (externalId).
 *
 * Message requests are accepted (approved) before their items are stored:
 * Instagram does not deliver replies into a thread the account has not
 * accepted, and the core may answer as soon as the item is stored.
 *
 * Group threads are not read: a helpdesk answer (ticket numbers, personal
 * details) must not go to a group.
 */
import type { Logger } from 'pino';
import type { InboundSink } from '../channel.js';
import type { IgGateway, InboxFolder } from './gateway.js';
import { itemContent, senderOf } from './items.js';
import type { PhotoDownloader } from './media.js';
import type { InstagramStateStore, ThreadCursor } from './state-store.js';
import { compareItems, type IgItem, type IgThread } from './wire.js';

export interface IntakeLimits {
  /** Inbox pages (20 threads each) read per poll while they still hold news. */
  readonly maxInboxPages: number;
  /** Older pages of one thread fetched when more than the inbox's 10 latest items are new. */
  readonly maxThreadPages: number;
}

export const DEFAULT_INTAKE_LIMITS: IntakeLimits = { maxInboxPages: 3, maxThreadPages: 3 };

export interface IntakeDeps {
  readonly gateway: IgGateway;
  readonly selfPk: string;
  readonly store: InstagramStateStore;
  readonly sink: InboundSink;
  /** Items at or before this are history (the account's past before SAPA was connected). */
  readonly intakeSince: Date;
  readonly download: PhotoDownloader;
  readonly limits: IntakeLimits;
  readonly isStopping: () => boolean;
  readonly log: Logger;
}

export interface PollSummary {
  stored: number;
  duplicates: number;
  approved: number;
}

/** An item the sink did not store; wraps the cause so logs and status say which. */
export class InstagramIntakeError extends Error {
  readonly code = 'INSTAGRAM_INTAKE_FAILED';
  constructor(
    readonly itemId: string,
    cause: unknown,
  ) {
    super(`item ${itemId} was not stored: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'InstagramIntakeError';
  }
}

const FOLDERS: readonly InboxFolder[] = ['pending', 'inbox'];

export async function pollOnce(deps: IntakeDeps): Promise<PollSummary> {
  const summary: PollSummary = { stored: 0, duplicates: 0, approved: 0 };
  const sinceUs = (BigInt(deps.intakeSince.getTime()) * 1000n).toString();
  for (const folder of FOLDERS) {
    const reader = deps.gateway.openInbox(folder);
    for (let page = 1; page <= deps.limits.maxInboxPages && !deps.isStopping(); page++) {
      const { threads } = await reader.next();
      let changed = false;
      for (const thread of threads) {
        if (deps.isStopping()) return summary;
        const fresh = await newItems(deps, thread, sinceUs);
        if (fresh.length === 0) continue;
        changed = true;
        await handleThread(deps, thread, fresh, folder, summary);
      }
      // Threads come newest activity first: a page with nothing new means older pages have nothing either.
      if (!changed || !reader.hasMore()) break;
      if (page === deps.limits.maxInboxPages) deps.log.warn({ folder }, 'more instagram threads with news than one poll reads; the rest come next poll');
    }
  }
  return summary;
}

function isNewer(item: IgItem, cursor: ThreadCursor | undefined, sinceUs: string): boolean {
  if (cursor !== undefined) return compareItems(item, cursor) > 0;
  return BigInt(item.timestampUs) > BigInt(sinceUs);
}

/** Items after the thread's cursor, oldest first, fetching older pages when the inbox snapshot does not reach back to it. */
async function newItems(deps: IntakeDeps, thread: IgThread, sinceUs: string): Promise<IgItem[]> {
  const cursor = deps.store.cursor(thread.threadId);
  let items = thread.items.filter((item) => isNewer(item, cursor, sinceUs));
  if (thread.isGroup) return items;
  let reachedCursor = items.length < thread.items.length || thread.items.length === 0;
  let hasOlder = thread.hasOlder;
  let oldestCursor = thread.oldestCursor;
  for (let page = 0; !reachedCursor && hasOlder && oldestCursor !== undefined && page < deps.limits.maxThreadPages; page++) {
    const older = await deps.gateway.olderItems(thread.threadId, oldestCursor);
    const fresh = older.items.filter((item) => isNewer(item, cursor, sinceUs));
    reachedCursor = fresh.length < older.items.length;
    items = [...fresh, ...items];
    hasOlder = older.hasOlder;
    oldestCursor = older.oldestCursor;
  }
  if (!reachedCursor && hasOlder) {
    deps.log.warn({ threadId: thread.threadId, read: items.length }, 'instagram thread has more new items than read; older ones are skipped');
  }
  // Pages can overlap; keep one of each item, in order.
  const byId = new Map(items.map((item) => [item.itemId, item]));
  return [...byId.values()].sort(compareItems);
}

async function handleThread(deps: IntakeDeps, thread: IgThread, items: readonly IgItem[], folder: InboxFolder, summary: PollSummary): Promise<void> {
  const { store, log } = deps;
  const newest = items[items.length - 1];
  if (thread.isGroup) {
    log.debug({ threadId: thread.threadId }, 'instagram group thread ignored');
    if (newest !== undefined) store.advanceCursor(thread.threadId, newest);
    return;
  }
  const fromOthers = items.some((item) => item.userId !== deps.selfPk);
  if (folder === 'pending' && fromOthers) {
    await deps.gateway.approve(thread.threadId);
    summary.approved++;
    log.info({ threadId: thread.threadId }, 'instagram message request accepted');
  }
  for (const item of items) {
    if (deps.isStopping()) return;
    // Our own items: the bot's replies, and staff typing in the Instagram app.
    if (item.userId === deps.selfPk) {
      store.advanceCursor(thread.threadId, item);
      continue;
    }
    const content = await itemContent(item.payload, item.itemId, deps.download);
    if (content !== undefined) {
      let outcome: 'stored' | 'duplicate';
      try {
        outcome = (
          await deps.sink.accept({
            channel: 'instagram',
            externalId: item.itemId,
            conversationExternalId: thread.threadId,
            sender: senderOf(item.userId, thread.users),
            text: content.text,
            attachments: content.attachments,
            receivedAt: new Date(Number(BigInt(item.timestampUs) / 1000n)),
          })
        ).outcome;
      } catch (err) {
        throw new InstagramIntakeError(item.itemId, err);
      }
      if (outcome === 'stored') summary.stored++;
      else summary.duplicates++;
      log.debug({ itemId: item.itemId, outcome }, 'instagram item stored');
    }
    // Only now: the item is in the database (or was never a message).
    store.advanceCursor(thread.threadId, item);
  }
}
