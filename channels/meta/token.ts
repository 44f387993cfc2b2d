/**
 * The Instagram access token (Instagram API with Instagram Login) lasts 60 days. SAPA
 * refreshes it before it runs out (`GET {INSTAGRAM_GRAPH_API_ROOT}/refresh_access_token
 * ?grant_type=ig_refresh_token&access_token=...`, Meta's reference: a long-lived token at
 * least 24 hours old and not expired; the new one is valid 60 days from the refresh) and
 * keeps the current one in the database, so a restart uses the refreshed token, not the
 * older one in INSTAGRAM_ACCESS_TOKEN.
 *
 * - Which token: the stored one while it descends from the token configured now (its
 *   fingerprint is stored with it); an admin who puts a new token in
 *   INSTAGRAM_ACCESS_TOKEN replaces the stored one at the next start.
 * - When: at start and then hourly (node-cron); a refresh is due when the token was never
 *   refreshed by SAPA (its age and expiry are unknown), or it is over 24 hours old and at
 *   most 53 days remain (about weekly).
 * - Expiry unknown (a configured token never refreshed): taken as 60 days after SAPA first
 *   saw it, the latest it can be.
 * - Failing: the error is kept (the channel page shows it) and retried at the next check;
 *   once 7 days or less remain, admins are warned once per expiry date through the staff
 *   alerts (`onWarning`).
 *
 * The token is a query parameter of this one call, as Meta's reference has it: the URL is
 * never logged. Time comes from the injected clock.
 */
import { createHash } from 'node:crypto';
import { createTask, type ScheduledTask } from 'node-cron';
import type { Logger } from 'pino';
import type { Clock } from '../../src/clock.js';
import { describeFailure } from './errors.js';
import { describe, failureOf } from './graph.js';

export const TOKEN_LIFETIME_MS = 60 * 86_400_000;
/** Meta refuses to refresh a token younger than this. */
export const TOKEN_MIN_AGE_MS = 86_400_000;
/** Refreshed once at most this much of its life remains (so about weekly). */
export const REFRESH_WHEN_LEFT_MS = 53 * 86_400_000;
/** Admins are warned when refreshing fails this close to the expiry. */
export const WARN_BEFORE_EXPIRY_MS = 7 * 86_400_000;
/** Hourly, at a minute off the hour (the expiry moves by days, not minutes). */
export const TOKEN_CHECK_CRON = '17 * * * *';

/** What the database holds (JSON in channel_state). Times in ms since the epoch. */
export interface StoredToken {
  readonly token: string;
  /** sha256 of the configured token this one descends from. */
  readonly origin: string;
  readonly expiresAt: number | null;
  readonly refreshedAt: number | null;
  readonly firstSeenAt: number;
  readonly lastError: string | null;
  readonly lastAttemptAt: number | null;
  /** The expiry the admins were last warned about. */
  readonly warnedFor: number | null;
}

export interface TokenStore {
  load(): string | null;
  save(json: string): void;
}

export interface TokenStatus {
  /** configured: INSTAGRAM_ACCESS_TOKEN as given; refreshed: a newer one SAPA obtained. */
  readonly source: 'configured' | 'refreshed';
  readonly expiresAt: Date;
  /** true while the expiry is the latest possible (never refreshed: 60 days after first seen). */
  readonly expiryEstimated: boolean;
  readonly refreshedAt: Date | null;
  readonly lastError: string | null;
}

export type TokenCheck =
  | { readonly outcome: 'refreshed'; readonly expiresAt: Date }
  | { readonly outcome: 'not_due'; readonly expiresAt: Date }
  | { readonly outcome: 'failed'; readonly error: string; readonly expiresAt: Date; readonly warned: boolean };

export interface TokenKeeperOptions {
  readonly configuredToken: string;
  /** https://graph.instagram.com (unversioned: the refresh endpoint has no version). */
  readonly apiRoot: string;
  readonly store: TokenStore;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly requestTimeoutMs: number;
  /** Told once per expiry date when refreshing fails 7 days or less before it. */
  readonly onWarning: (text: string) => void;
  readonly cron?: string;
}

export interface TokenKeeper {
  current(): string;
  status(): TokenStatus;
  /** Refreshes when due; never throws. */
  check(): Promise<TokenCheck>;
  start(): void;
  stop(): Promise<void>;
}

const TOKEN_SHAPE = /^[A-Za-z0-9._|-]{20,2048}$/;

const fingerprint = (token: string): string => createHash('sha256').update(token).digest('hex');

function parseStored(json: string | null): StoredToken | null {
  if (json === null) return null;
  try {
    const value = JSON.parse(json) as Partial<StoredToken>;
    if (typeof value.token !== 'string' || typeof value.origin !== 'string' || typeof value.firstSeenAt !== 'number') return null;
    const num = (n: unknown): number | null => (typeof n === 'number' && Number.isFinite(n) ? n : null);
    return {
      token: value.token,
      origin: value.origin,
      expiresAt: num(value.expiresAt),
      refreshedAt: num(value.refreshedAt),
      firstSeenAt: value.firstSeenAt,
      lastError: typeof value.lastError === 'string' ? value.lastError : null,
      lastAttemptAt: num(value.lastAttemptAt),
      warnedFor: num(value.warnedFor),
    };
  } catch {
    return null;
  }
}

export function createTokenKeeper(options: TokenKeeperOptions): TokenKeeper {
  const { clock, store } = options;
  const log = options.logger.child({ module: 'channel.instagram.token' });
  const origin = fingerprint(options.configuredToken);
  let record: StoredToken;
  let running: Promise<TokenCheck> | null = null;
  let task: ScheduledTask | null = null;

  const save = (next: StoredToken): void => {
    record = next;
    try {
      store.save(JSON.stringify(next));
    } catch (err) {
      // The token in memory still works; the next start may use an older one.
      log.error({ err: { type: (err as Error).name, message: (err as Error).message } }, 'storing the Instagram token failed');
    }
  };

  {
    const stored = parseStored(store.load());
    if (stored !== null && stored.origin === origin) record = stored;
    else {
      // First start, or an admin configured a new token: that one is the current token now.
      if (stored !== null) log.info('INSTAGRAM_ACCESS_TOKEN changed: the stored token is replaced by the configured one');
      record = {
        token: options.configuredToken,
        origin,
        expiresAt: null,
        refreshedAt: null,
        firstSeenAt: clock.now().getTime(),
        lastError: null,
        lastAttemptAt: null,
        warnedFor: null,
      };
      save(record);
    }
  }

  const expiryOf = (r: StoredToken): number => r.expiresAt ?? r.firstSeenAt + TOKEN_LIFETIME_MS;

  const isDue = (now: number): boolean => {
    if (record.refreshedAt === null) return true;
    if (now - record.refreshedAt < TOKEN_MIN_AGE_MS) return false;
    return expiryOf(record) - now <= REFRESH_WHEN_LEFT_MS;
  };

  async function refresh(): Promise<{ token: string; expiresInMs: number } | { error: string }> {
    const url = new URL(`${options.apiRoot.replace(/\/+$/, '')}/refresh_access_token`);
    url.searchParams.set('grant_type', 'ig_refresh_token');
    url.searchParams.set('access_token', record.token);
    let response: Response;
    try {
      response = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(options.requestTimeoutMs), redirect: 'error' });
    } catch (err) {
      return { error: `network error: ${describe(err)}` };
    }
    let parsed: unknown;
    try {
      parsed = await response.json();
    } catch {
      parsed = undefined;
    }
    const body = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
    if (!response.ok || 'error' in body) return { error: describeFailure(failureOf(response, parsed)) };
    const token = body['access_token'];
    const expiresIn = body['expires_in'];
    if (typeof token !== 'string' || !TOKEN_SHAPE.test(token)) return { error: 'Meta answered without a usable access_token' };
    if (typeof expiresIn !== 'number' || !Number.isFinite(expiresIn) || expiresIn <= 0 || expiresIn > 366 * 86_400) {
      return { error: 'Meta answered without a usable expires_in' };
    }
    return { token, expiresInMs: expiresIn * 1000 };
  }

  function warningText(expiresAt: number, now: number, error: string): string {
    const days = Math.max(0, Math.floor((expiresAt - now) / 86_400_000));
    const when = new Date(expiresAt).toISOString().slice(0, 10);
    const left = expiresAt <= now ? 'sudah berakhir' : days === 0 ? 'berakhir hari ini' : `berakhir dalam ${days} hari`;
    return (
      `Untuk admin: token Instagram SAPA ${left} (${when} UTC) dan gagal diperbarui otomatis (${error}). ` +
      'Buat token baru di aplikasi Meta (Instagram → API setup with Instagram business login → Generate token), isi INSTAGRAM_ACCESS_TOKEN, lalu mulai ulang SAPA; ' +
      'tanpa token yang berlaku, balasan Instagram menunggu di antrean.'
    );
  }

  async function runCheck(): Promise<TokenCheck> {
    const now = clock.now().getTime();
    if (!isDue(now)) return { outcome: 'not_due', expiresAt: new Date(expiryOf(record)) };
    const result = await refresh();
    const at = clock.now().getTime();
    if ('token' in result) {
      const expiresAt = at + result.expiresInMs;
      save({ ...record, token: result.token, expiresAt, refreshedAt: at, lastError: null, lastAttemptAt: at });
      log.info({ expiresAt: new Date(expiresAt).toISOString() }, 'Instagram access token refreshed');
      return { outcome: 'refreshed', expiresAt: new Date(expiresAt) };
    }
    const expiresAt = expiryOf(record);
    const warn = expiresAt - at <= WARN_BEFORE_EXPIRY_MS && record.warnedFor !== expiresAt;
    save({ ...record, lastError: result.error, lastAttemptAt: at, ...(warn ? { warnedFor: expiresAt } : {}) });
    log.warn({ error: result.error, expiresAt: new Date(expiresAt).toISOString(), warned: warn }, 'refreshing the Instagram access token failed; tried again at the next check');
    if (warn) options.onWarning(warningText(expiresAt, at, result.error));
    return { outcome: 'failed', error: result.error, expiresAt: new Date(expiresAt), warned: warn };
  }

  const check = (): Promise<TokenCheck> => {
    running ??= runCheck()
      .catch((err: unknown): TokenCheck => {
        log.error({ err }, 'Instagram token check failed');
        return { outcome: 'failed', error: describe(err), expiresAt: new Date(expiryOf(record)), warned: false };
      })
      .finally(() => {
        running = null;
      });
    return running;
  };

  return {
    current: () => record.token,
    status: () => ({
      source: record.refreshedAt === null ? 'configured' : 'refreshed',
      expiresAt: new Date(expiryOf(record)),
      expiryEstimated: record.expiresAt === null,
      refreshedAt: record.refreshedAt === null ? null : new Date(record.refreshedAt),
      lastError: record.lastError,
    }),
    check,
    start() {
      if (task !== null) return;
      void check();
      task = createTask(options.cron ?? TOKEN_CHECK_CRON, () => void check(), { name: 'instagram-token-refresh', noOverlap: true });
      void Promise.resolve(task.start()).catch((err: unknown) => log.error({ err }, 'Instagram token refresh schedule failed to start'));
    },
    async stop() {
      const current = task;
      task = null;
      if (current !== null) {
        await current.stop();
        await current.destroy();
      }
      await running;
    },
  };
}
