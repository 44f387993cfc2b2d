/**
 * "Handle this provider event once", across restarts: staff commands are not
 * stored in the inbox like applicant messages, so a redelivered update (crash
 * before the acknowledgement, webhook retry) would otherwise post a staff
 * reply twice. The record and the command's effects commit in one
 * transaction: either both happened or neither did. Kept in channel_state.
 */
import type { ChannelName } from '../../channels/channel.js';
import type { Clock } from '../clock.js';
import { inTransaction, type Db } from '../store/db.js';

/** Providers stop redelivering long before this (Telegram keeps updates 24 hours). */
const KEEP_MS = 7 * 24 * 60 * 60 * 1000;
const PRUNE_EVERY_MS = 60 * 60 * 1000;

export type OnceResult<T> = { readonly first: true; readonly value: T } | { readonly first: false };

export interface OnceLog {
  /** Runs `work` and records `key` in one transaction, unless `key` was recorded before. */
  run<T>(key: string, work: () => T): OnceResult<T>;
}

export function createOnceLog(deps: { db: Db; channel: ChannelName; clock: Clock; prefix: string }): OnceLog {
  const { db, channel, clock, prefix } = deps;
  const seen = db.prepare<[string, string], { key: string }>('SELECT key FROM channel_state WHERE channel = ? AND key = ?');
  const record = db.prepare<[string, string, string, number]>('INSERT INTO channel_state (channel, key, value, updated_at) VALUES (?, ?, ?, ?)');
  // `key >= prefix AND key < prefix + U+FFFF` keeps the delete on the primary key's range.
  const prune = db.prepare<[string, string, string, number]>('DELETE FROM channel_state WHERE channel = ? AND key >= ? AND key < ? AND updated_at < ?');
  let prunedAt = 0;

  return {
    run(key, work) {
      const fullKey = `${prefix}${key}`;
      const now = clock.now().getTime();
      const result = inTransaction(db, (): OnceResult<ReturnType<typeof work>> => {
        if (seen.get(channel, fullKey) !== undefined) return { first: false };
        const value = work();
        record.run(channel, fullKey, 'done', now);
        return { first: true, value };
      });
      if (now - prunedAt > PRUNE_EVERY_MS) {
        prunedAt = now;
        prune.run(channel, prefix, `${prefix}\uffff`, now - KEEP_MS);
      }
      return result;
    },
  };
}
