/**
 * The messages we sent, by WhatsApp message id, for Baileys' `getMessage`:
 * when a recipient's device could not decrypt a message it asks for a retry,
 * and Baileys re-encrypts what `getMessage` returns. It must be the exact
 * proto we sent (never a placeholder), so the proto is kept, not just the
 * text in `messages`. Retries come within minutes; entries are pruned after
 * a week.
 */
import { proto } from '@whiskeysockets/baileys';
import type { WAMessageKey } from '@whiskeysockets/baileys';
import type { Clock } from '../../src/clock.js';
import { deserialize, serialize } from './auth-state.js';
import type { StateStore } from './state-store.js';

const PREFIX = 'sent:';
const KEEP_MS = 7 * 24 * 60 * 60 * 1000;
const PRUNE_EVERY_MS = 60 * 60 * 1000;

export interface SentMessageStore {
  remember(id: string, message: proto.IMessage): void;
  /** Baileys' `getMessage`: the stored proto, or undefined when we never sent (or forgot) it. */
  getMessage(key: WAMessageKey): Promise<proto.IMessage | undefined>;
}

export function createSentMessageStore(store: StateStore, clock: Clock): SentMessageStore {
  let prunedAt = 0;
  return {
    remember(id, message) {
      store.set(`${PREFIX}${id}`, serialize(proto.Message.toObject(proto.Message.fromObject(message), { longs: Number })));
      const now = clock.now().getTime();
      if (now - prunedAt > PRUNE_EVERY_MS) {
        prunedAt = now;
        store.deleteOlderThan(PREFIX, new Date(now - KEEP_MS));
      }
    },
    async getMessage(key) {
      if (typeof key.id !== 'string') return undefined;
      const text = store.get(`${PREFIX}${key.id}`);
      if (text === undefined) return undefined;
      const raw = deserialize(text);
      return typeof raw === 'object' && raw !== null ? proto.Message.fromObject(raw) : undefined;
    },
  };
}
