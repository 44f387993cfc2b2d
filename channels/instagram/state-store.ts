/**
 * What the Instagram channel keeps between runs, in `channel_state`
 * (channel = 'instagram'):
 * - `session`: the library's serialized state (cookies, authorization
 *   header, device ids). Restoring it means a restart does not log in again;
 *   every login from a server is a risk of a checkpoint.
 * - `account`: our own pk and username, so our own items are never read as an
 *   applicant's.
 * - `pending_auth`: a challenge or two-factor login waiting for a code
 *   (`sapa instagram verify <code>`). The library keeps the checkpoint out of
 *   its serialized state, so we keep what answering it needs.
 * - `intake_since`: items older than this are history, not new messages
 *   (set once, on the first start, so the first poll does not answer the
 *   account's whole past).
 * - `cursor:<thread id>`: the last item read per thread.
 *
 * The session holds credentials-equivalent cookies: it stays in the database
 * and never reaches a log.
 */
import type { Clock } from '../../src/clock.js';
import type { Db } from '../../src/store/db.js';
import { compareItems, type IgAccount, type IgItem } from './wire.js';

export const INSTAGRAM_STATE_CHANNEL = 'instagram';

export type PendingAuth =
  | {
      readonly kind: 'challenge';
      /** `/challenge/<pk>/<nonce>/` from the `challenge_required` answer. */
      readonly apiPath: string;
      readonly url?: string;
      /** Whether Instagram confirmed it sent a code; when false the owner must approve in the app. */
      readonly codeRequested: boolean;
      readonly since: string;
    }
  | {
      readonly kind: 'two_factor';
      readonly username: string;
      readonly twoFactorIdentifier: string;
      readonly method: 'sms' | 'totp';
      readonly since: string;
    };

export interface ThreadCursor {
  readonly itemId: string;
  readonly timestampUs: string;
}

export interface InstagramStateStore {
  loadSession(): string | undefined;
  saveSession(serialized: string): void;
  clearSession(): void;
  loadAccount(): IgAccount | undefined;
  saveAccount(account: IgAccount): void;
  loadPendingAuth(): PendingAuth | undefined;
  savePendingAuth(pending: PendingAuth): void;
  clearPendingAuth(): void;
  /** The intake start, set to `initial` on first use and fixed afterwards. */
  intakeSince(initial: Date): Date;
  cursor(threadId: string): ThreadCursor | undefined;
  /** Moves the cursor forward only (a late write of an older item never moves it back). */
  advanceCursor(threadId: string, item: Pick<IgItem, 'itemId' | 'timestampUs'>): void;
}

const KEY_SESSION = 'session';
const KEY_ACCOUNT = 'account';
const KEY_PENDING = 'pending_auth';
const KEY_SINCE = 'intake_since';
const CURSOR_PREFIX = 'cursor:';

export function createInstagramStateStore(deps: { db: Db; clock: Clock }): InstagramStateStore {
  const { db, clock } = deps;
  const read = db.prepare<[string, string], { value: string }>('SELECT value FROM channel_state WHERE channel = ? AND key = ?');
  const write = db.prepare<[string, string, string, number]>(
    'INSERT INTO channel_state (channel, key, value, updated_at) VALUES (?, ?, ?, ?) ON CONFLICT (channel, key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at',
  );
  const remove = db.prepare<[string, string]>('DELETE FROM channel_state WHERE channel = ? AND key = ?');

  const get = (key: string): string | undefined => read.get(INSTAGRAM_STATE_CHANNEL, key)?.value;
  const set = (key: string, value: string): void => {
    write.run(INSTAGRAM_STATE_CHANNEL, key, value, clock.now().getTime());
  };
  const del = (key: string): void => {
    remove.run(INSTAGRAM_STATE_CHANNEL, key);
  };

  return {
    loadSession: () => get(KEY_SESSION),
    saveSession: (serialized) => set(KEY_SESSION, serialized),
    clearSession: () => del(KEY_SESSION),
    loadAccount() {
      const value = parseJson(get(KEY_ACCOUNT));
      return isRecord(value) && typeof value['pk'] === 'string'
        ? { pk: value['pk'], ...(typeof value['username'] === 'string' ? { username: value['username'] } : {}) }
        : undefined;
    },
    saveAccount: (account) => set(KEY_ACCOUNT, JSON.stringify(account)),
    loadPendingAuth: () => parsePending(parseJson(get(KEY_PENDING))),
    savePendingAuth: (pending) => set(KEY_PENDING, JSON.stringify(pending)),
    clearPendingAuth: () => del(KEY_PENDING),
    intakeSince(initial) {
      const stored = get(KEY_SINCE);
      if (stored !== undefined && !Number.isNaN(Date.parse(stored))) return new Date(stored);
      set(KEY_SINCE, initial.toISOString());
      return initial;
    },
    cursor(threadId) {
      const value = parseJson(get(CURSOR_PREFIX + threadId));
      if (!isRecord(value)) return undefined;
      const { itemId, timestampUs } = value;
      return typeof itemId === 'string' && typeof timestampUs === 'string' && /^\d+$/.test(timestampUs) ? { itemId, timestampUs } : undefined;
    },
    advanceCursor(threadId, item) {
      const key = CURSOR_PREFIX + threadId;
      const current = this.cursor(threadId);
      if (current !== undefined && compareItems(item, current) <= 0) return;
      set(key, JSON.stringify({ itemId: item.itemId, timestampUs: item.timestampUs }));
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseJson(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (err) {
    // A corrupt row reads as absent; the caller falls back (log in again, start a new cursor).
    if (err instanceof SyntaxError) return undefined;
    throw err;
  }
}

function parsePending(value: unknown): PendingAuth | undefined {
  if (!isRecord(value) || typeof value['since'] !== 'string') return undefined;
  const since = value['since'];
  if (value['kind'] === 'challenge' && typeof value['apiPath'] === 'string') {
    return {
      kind: 'challenge',
      apiPath: value['apiPath'],
      codeRequested: value['codeRequested'] === true,
      since,
      ...(typeof value['url'] === 'string' ? { url: value['url'] } : {}),
    };
  }
  if (
    value['kind'] === 'two_factor' &&
    typeof value['username'] === 'string' &&
    typeof value['twoFactorIdentifier'] === 'string' &&
    (value['method'] === 'sms' || value['method'] === 'totp')
  ) {
    return { kind: 'two_factor', username: value['username'], twoFactorIdentifier: value['twoFactorIdentifier'], method: value['method'], since };
  }
  return undefined;
}
