/**
 * The adapter's key-value view of `channel_state` (channel = 'whatsapp'): auth
 * credentials, signal keys, sent messages for retries, quick-reply options.
 * Writes of several keys commit in one transaction, so a crash never leaves a
 * half-written `keys.set` (a lost session key breaks delivery to that contact).
 */
import type { Clock } from '../../src/clock.js';
import { inTransaction, prepared, type Db } from '../../src/store/db.js';

export interface StateStore {
  get(key: string): string | undefined;
  /** Values of the keys that exist; missing keys are absent from the map. */
  getMany(keys: readonly string[]): Map<string, string>;
  /** Writes every entry in one transaction; `null` deletes the key. */
  setMany(entries: Iterable<readonly [key: string, value: string | null]>): void;
  set(key: string, value: string | null): void;
  /** Deletes every key starting with `prefix`; returns how many. */
  deletePrefix(prefix: string): number;
  /** Deletes keys starting with `prefix` that were last written before `before`. */
  deleteOlderThan(prefix: string, before: Date): number;
}

const CHANNEL = 'whatsapp';
/** SQLite's default limit on bound parameters is 32766; stay far below it. */
const READ_CHUNK = 500;

export function createStateStore(db: Db, clock: Clock): StateStore {
  const upsert = (key: string, value: string, at: number): void => {
    prepared(
      db,
      `INSERT INTO channel_state (channel, key, value, updated_at) VALUES (?, ?, ?, ?)
       ON CONFLICT (channel, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
    ).run(CHANNEL, key, value, at);
  };
  const remove = (key: string): void => {
    prepared(db, 'DELETE FROM channel_state WHERE channel = ? AND key = ?').run(CHANNEL, key);
  };

  function setMany(entries: Iterable<readonly [string, string | null]>): void {
    const at = clock.now().getTime();
    inTransaction(db, () => {
      for (const [key, value] of entries) {
        if (value === null) remove(key);
        else upsert(key, value, at);
      }
    });
  }

  return {
    get(key) {
      return prepared<[string, string], { value: string }>(db, 'SELECT value FROM channel_state WHERE channel = ? AND key = ?').get(CHANNEL, key)
        ?.value;
    },
    getMany(keys) {
      const found = new Map<string, string>();
      for (let i = 0; i < keys.length; i += READ_CHUNK) {
        const chunk = keys.slice(i, i + READ_CHUNK);
        const rows = db
          .prepare<string[], { key: string; value: string }>(
            `SELECT key, value FROM channel_state WHERE channel = ? AND key IN (${chunk.map(() => '?').join(', ')})`,
          )
          .all(CHANNEL, ...chunk);
        for (const row of rows) found.set(row.key, row.value);
      }
      return found;
    },
    setMany,
    set(key, value) {
      setMany([[key, value]]);
    },
    deletePrefix(prefix) {
      // `key >= prefix AND key < prefix + U+FFFF` stays on the primary key's range.
      return prepared(db, 'DELETE FROM channel_state WHERE channel = ? AND key >= ? AND key < ?').run(CHANNEL, prefix, `${prefix}\uffff`).changes;
    },
    deleteOlderThan(prefix, before) {
      return prepared(db, 'DELETE FROM channel_state WHERE channel = ? AND key >= ? AND key < ? AND updated_at < ?').run(
        CHANNEL,
        prefix,
        `${prefix}\uffff`,
        before.getTime(),
      ).changes;
    },
  };
}
