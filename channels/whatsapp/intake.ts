/**
 * `messages.upsert` -> InboundMessage. Takes an event emitter (the socket's
 * `ev`, or any emitter in tests) and hands each applicant message to the
 * sink, one at a time in arrival order; staff-group messages go to the group
 * handler; everything else is dropped here:
 * - our own messages (fromMe), status broadcasts, broadcast lists,
 *   newsletters, groups other than the staff group;
 * - protocol messages (reactions, revokes, key distribution) with no content;
 * - ids already handled (Baileys replays events after a reconnect; the
 *   inbox's unique key catches what this in-memory set has forgotten).
 *
 * Upsert types: `notify` and `append`. Baileys 7.0.0-rc14 tags messages that
 * WhatsApp queued while we were offline `append` (messages-recv.js:
 * `node.attrs.offline ? 'append' : 'notify'`); history sync arrives on
 * `messaging-history.set`, not here. Reading only `notify` would drop every
 * message sent during a restart or outage.
 *
 * Baileys sends the delivery receipt before it emits the event, so the
 * acknowledgement we control is the read receipt: `onStored` runs only after
 * the sink stored the message. A sink failure is retried a few times (the
 * provider will not deliver the message again) and then logged by id.
 */
import { isJidBroadcast, isJidGroup, isJidNewsletter, isJidStatusBroadcast } from '@whiskeysockets/baileys';
import type { BaileysEventMap, WAMessage, WAMessageKey } from '@whiskeysockets/baileys';
import type { Logger } from 'pino';
import type { Clock } from '../../src/clock.js';
import type { InboundMessage, InboundSink } from '../channel.js';
import { logSafeError } from './errors.js';
import type { IdentityResolver, ResolvedPerson } from './identity.js';
import type { MediaDownloader } from './media.js';
import { readContent, toNumber } from './message-content.js';
import type { QuickReplyMemory } from './quick-replies.js';

/** A text message in the staff group, for the staff-group binding. */
export interface WhatsappGroupMessage {
  readonly id: string;
  readonly groupJid: string;
  readonly author: ResolvedPerson;
  readonly text: string;
  /** The message it replies to (a ticket post, say). */
  readonly quotedId?: string;
  readonly receivedAt: Date;
}

/** Awaited like the sink; throwing makes the message count as not handled (a replay may bring it again). */
export type GroupMessageHandler = (message: WhatsappGroupMessage) => Promise<void>;

export type UpsertEvent = BaileysEventMap['messages.upsert'];

/** The part of Baileys' event emitter the intake needs. */
export interface UpsertEvents {
  on(event: 'messages.upsert', listener: (arg: UpsertEvent) => void): void;
  off(event: 'messages.upsert', listener: (arg: UpsertEvent) => void): void;
}

export interface UpsertIntakeDeps {
  /** undefined before start(). */
  readonly sink: () => InboundSink | undefined;
  readonly identity: IdentityResolver;
  readonly media: MediaDownloader;
  readonly quickReplies: QuickReplyMemory;
  readonly clock: Clock;
  readonly log: Logger;
  readonly staffGroupJid?: string;
  readonly onGroupMessage?: GroupMessageHandler;
  /** Runs after a one-to-one message was stored (the read receipt). */
  readonly onStored?: (key: WAMessageKey) => void;
  /** Attempts and spacing when the sink fails. Default 4 attempts, 250 ms doubling. */
  readonly storeRetry?: { readonly attempts: number; readonly initialMs: number };
}

export interface UpsertIntake {
  /** Listens on `ev`; returns the function that stops listening. */
  attach(ev: UpsertEvents): () => void;
  /** Handles one event; resolves when every message in it was handled (tests call it directly). */
  handle(event: UpsertEvent): Promise<void>;
  /** Resolves when everything received so far was handled. */
  idle(): Promise<void>;
}

const SEEN_IDS_KEPT = 10_000;

export function createUpsertIntake(deps: UpsertIntakeDeps): UpsertIntake {
  const { identity, media, quickReplies, clock, log } = deps;
  const retry = deps.storeRetry ?? { attempts: 4, initialMs: 250 };
  const seen = new Set<string>();
  let queue: Promise<void> = Promise.resolve();

  function markSeen(id: string): void {
    seen.add(id);
    if (seen.size > SEEN_IDS_KEPT) {
      const oldest = seen.values().next().value;
      if (oldest !== undefined) seen.delete(oldest);
    }
  }

  function receivedAt(message: WAMessage): Date {
    const seconds = toNumber(message.messageTimestamp);
    return seconds === undefined || seconds <= 0 ? clock.now() : new Date(seconds * 1000);
  }

  type Route = 'direct' | 'staff_group' | 'ignore';

  function routeOf(key: WAMessageKey): Route {
    const jid = key.remoteJid;
    if (typeof jid !== 'string' || jid === '' || key.fromMe === true) return 'ignore';
    if (isJidStatusBroadcast(jid) || isJidBroadcast(jid) === true || isJidNewsletter(jid) === true) return 'ignore';
    if (isJidGroup(jid) === true) return deps.staffGroupJid === jid && deps.onGroupMessage !== undefined ? 'staff_group' : 'ignore';
    return 'direct';
  }

  async function store(message: InboundMessage): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const sink = deps.sink();
      if (sink === undefined) throw new Error('whatsapp channel received a message before start()');
      try {
        const result = await sink.accept(message);
        log.debug({ externalId: message.externalId, outcome: result.outcome }, 'whatsapp inbound stored');
        return;
      } catch (err) {
        if (attempt >= retry.attempts) throw err;
        log.warn({ err: logSafeError(err), externalId: message.externalId, attempt }, 'storing a whatsapp message failed; retrying');
        await new Promise((resolve) => setTimeout(resolve, retry.initialMs * 2 ** (attempt - 1)));
      }
    }
  }

  async function direct(message: WAMessage, id: string): Promise<void> {
    const content = readContent(message.message);
    if (content === undefined) return;
    const person = await identity.resolve(message.key);
    if (person === undefined) {
      log.debug({ messageId: id }, 'whatsapp message from an unsupported address ignored');
      return;
    }
    const picked = content.attachment === undefined ? quickReplies.pick(person.jid, content.text) : undefined;
    const attachments = content.attachment === undefined ? [] : [await media.attach(message, content.attachment)];
    const displayName = typeof message.pushName === 'string' && message.pushName !== '' ? message.pushName : undefined;
    await store({
      channel: 'whatsapp',
      externalId: id,
      conversationExternalId: person.jid,
      sender: {
        externalId: person.jid,
        ...(displayName !== undefined ? { displayName } : {}),
        ...(person.phone !== undefined ? { phone: person.phone } : {}),
      },
      text: picked?.text ?? content.text,
      attachments,
      receivedAt: receivedAt(message),
      ...(picked !== undefined ? { quickReplyPayload: picked.payload } : {}),
    });
    deps.onStored?.(message.key);
  }

  async function staffGroup(message: WAMessage, id: string, groupJid: string, handler: GroupMessageHandler): Promise<void> {
    const content = readContent(message.message);
    // Staff act by text; media, reactions and the like in the group are chat among colleagues.
    if (content === undefined || content.attachment !== undefined || content.text.trim() === '') return;
    const author = await identity.resolve(message.key);
    if (author === undefined) return;
    await handler({
      id,
      groupJid,
      author,
      text: content.text,
      receivedAt: receivedAt(message),
      ...(content.quotedId !== undefined ? { quotedId: content.quotedId } : {}),
    });
  }

  async function handleOne(message: WAMessage): Promise<void> {
    const id = message.key.id;
    if (typeof id !== 'string' || id === '' || seen.has(id)) return;
    const route = routeOf(message.key);
    if (route === 'ignore') return;
    try {
      if (route === 'direct') await direct(message, id);
      else if (deps.onGroupMessage !== undefined && typeof message.key.remoteJid === 'string') {
        await staffGroup(message, id, message.key.remoteJid, deps.onGroupMessage);
      }
      markSeen(id);
    } catch (err) {
      // The error boundary for one message: the next ones still go in. No text or numbers in the log.
      log.error({ err: logSafeError(err), messageId: id, route }, 'whatsapp message was not handled');
    }
  }

  async function handle(event: UpsertEvent): Promise<void> {
    if (event.type !== 'notify' && event.type !== 'append') return;
    for (const message of event.messages) await handleOne(message);
  }

  function enqueue(event: UpsertEvent): Promise<void> {
    queue = queue.then(() => handle(event));
    return queue;
  }

  return {
    attach(ev) {
      const listener = (event: UpsertEvent): void => {
        void enqueue(event);
      };
      ev.on('messages.upsert', listener);
      return () => ev.off('messages.upsert', listener);
    },
    handle: enqueue,
    idle: () => queue,
  };
}
