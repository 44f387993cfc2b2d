/**
 * Baileys' authentication state (credentials and every signal key, including
 * `lid-mapping`) kept in SQLite through the StateStore, serialized with
 * BufferJSON. The replacement for `useMultiFileAuthState`, which Baileys
 * documents as not for production.
 *
 * Every `keys.set` is persisted before it resolves, in one transaction: Baileys
 * batches a signal transaction's writes into one `set`, and a lost pre-key or
 * session key breaks delivery to that contact until the session is rebuilt.
 */
import { BufferJSON, initAuthCreds, proto } from '@whiskeysockets/baileys';
import type { AuthenticationCreds, AuthenticationState, SignalDataSet, SignalDataTypeMap, SignalKeyStore } from '@whiskeysockets/baileys';
import type { StateStore } from './state-store.js';

export const AUTH_PREFIX = 'auth:';
const CREDS_KEY = `${AUTH_PREFIX}creds`;

export interface AuthStore {
  /** Loaded (or freshly created) state to hand to makeWASocket. */
  readonly state: AuthenticationState;
  /** Persists the current creds; bind to `creds.update`. */
  saveCreds(): void;
  /** true once linked to a phone (a restart then resumes without scanning). */
  isRegistered(): boolean;
  /** Deletes creds and every key (after a 401 the session is dead) and starts over with fresh creds. */
  reset(): void;
}

function keyName(type: keyof SignalDataTypeMap, id: string): string {
  return `${AUTH_PREFIX}key:${type}:${id}`;
}

export function serialize(value: unknown): string {
  return JSON.stringify(value, BufferJSON.replacer);
}

export function deserialize(text: string): unknown {
  return JSON.parse(text, BufferJSON.reviver);
}

/** The store's creds, or undefined when there are none (never linked, or cleared after a logout). */
function loadCreds(store: StateStore): AuthenticationCreds | undefined {
  const text = store.get(CREDS_KEY);
  if (text === undefined) return undefined;
  // Written by saveCreds from an AuthenticationCreds object; BufferJSON restores the Buffers.
  return deserialize(text) as AuthenticationCreds;
}

function createKeyStore(store: StateStore): SignalKeyStore {
  return {
    get<T extends keyof SignalDataTypeMap>(type: T, ids: string[]): { [id: string]: SignalDataTypeMap[T] } {
      const found = store.getMany(ids.map((id) => keyName(type, id)));
      const result: { [id: string]: SignalDataTypeMap[T] } = {};
      for (const id of ids) {
        const text = found.get(keyName(type, id));
        if (text === undefined) continue;
        const raw = deserialize(text);
        // Written by `set` below from a value of this very type; app-state keys
        // must be proto objects again (Baileys calls methods on them).
        result[id] = (type === 'app-state-sync-key' ? proto.Message.AppStateSyncKeyData.fromObject(raw as object) : raw) as SignalDataTypeMap[T];
      }
      return result;
    },
    set(data: SignalDataSet): void {
      const entries: [string, string | null][] = [];
      for (const type of Object.keys(data) as (keyof SignalDataTypeMap)[]) {
        const values = data[type];
        if (values === undefined) continue;
        for (const [id, value] of Object.entries(values)) {
          entries.push([keyName(type, id), value === null || value === undefined ? null : serialize(value)]);
        }
      }
      store.setMany(entries);
    },
    clear(): void {
      store.deletePrefix(`${AUTH_PREFIX}key:`);
    },
  };
}

export function createAuthStore(store: StateStore): AuthStore {
  const keys = createKeyStore(store);
  // One mutable object: Baileys assigns creds.update into it (Object.assign), and saveCreds writes it.
  const state: AuthenticationState = { creds: loadCreds(store) ?? initAuthCreds(), keys };

  return {
    state,
    saveCreds() {
      store.set(CREDS_KEY, serialize(state.creds));
    },
    // `account` is set on pair-success (QR or code); `me` alone is set as soon as a pairing code is requested.
    isRegistered: () => state.creds.account !== undefined && state.creds.account !== null && state.creds.me?.id !== undefined,
    reset() {
      store.deletePrefix(AUTH_PREFIX);
      state.creds = initAuthCreds();
    },
  };
}
