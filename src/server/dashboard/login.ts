/**
 * Password login that neither stalls the server nor lets anyone lock staff out.
 *
 * - scrypt runs asynchronously (libuv's thread pool) and at most `maxConcurrentHashes` at
 *   once; further attempts wait in a bounded queue (beyond it: "busy", 503). A flood of
 *   logins therefore costs a few threads, never the event loop.
 * - Unknown usernames, disabled accounts and wrong passwords cost the same one scrypt (a
 *   precomputed dummy hash) and get the same answer.
 * - Throttling instead of a lock: failures are counted per address (an IPv6 address by its
 *   /64, as the request limits count it) and per submitted
 *   username (whether or not it exists, so a 429 tells nothing about which accounts exist).
 *   After the free failures each further attempt must wait a delay that doubles, capped
 *   (one minute per username, ten minutes per address). Attempts refused while waiting do
 *   not count, so the delay cannot be stretched by hammering; the count is forgotten after
 *   a quiet period and cleared by a successful login or an admin ("unlock").
 * - The per-username delay does not hold back an address this account logged in from in
 *   the last 30 days (from the audit log): someone outside cannot keep an officer out by
 *   failing logins in their name; they only slow their own guessing.
 * - Each attempt is counted before scrypt runs, so a burst of parallel guesses is
 *   throttled like a sequence.
 * - A burst of failures across the dashboard raises one supervisor/admin alert per window.
 */
import type { Clock } from '../../clock.js';
import { staffTexts } from '../../messages/staff.js';
import type { StaffAlerts } from '../../staff-alerts.js';
import { dummyPasswordHash, type StaffAccount, type StaffService } from '../../staff.js';
import { prepared, type Db } from '../../store/db.js';
import { addressKey } from '../web-identity.js';
import type { AuditLog } from './audit.js';

export interface ThrottleRule {
  /** Failures allowed before any delay. */
  readonly freeFailures: number;
  /** The first delay; each further failure doubles it. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** The count starts afresh after this long without a failure. */
  readonly forgetAfterMs: number;
}

export interface LoginPolicy {
  readonly account: ThrottleRule;
  readonly address: ThrottleRule;
  /** An address this account logged in from within this period is not held back by the account's delay. */
  readonly knownAddressMs: number;
  readonly maxConcurrentHashes: number;
  /** Attempts waiting for a hash slot; beyond this the login answers busy (503). */
  readonly maxQueued: number;
  /** This many failures (all accounts, all addresses) within the window raise one alert. */
  readonly alertFailures: number;
  readonly alertWindowMs: number;
}

export const DEFAULT_LOGIN_POLICY: LoginPolicy = {
  account: { freeFailures: 5, baseDelayMs: 1_000, maxDelayMs: 60_000, forgetAfterMs: 15 * 60_000 },
  address: { freeFailures: 10, baseDelayMs: 1_000, maxDelayMs: 10 * 60_000, forgetAfterMs: 60 * 60_000 },
  knownAddressMs: 30 * 86_400_000,
  maxConcurrentHashes: 2,
  maxQueued: 200,
  alertFailures: 20,
  alertWindowMs: 10 * 60_000,
};

export type LoginResult =
  | { readonly ok: true; readonly account: StaffAccount }
  | { readonly ok: false; readonly reason: 'invalid' }
  | { readonly ok: false; readonly reason: 'throttled'; readonly retryAfterMs: number }
  | { readonly ok: false; readonly reason: 'busy' };

export interface Login {
  attempt(username: string, password: string, ip: string): Promise<LoginResult>;
  /** When the username's own delay ends (null when it may try now), for the accounts page. */
  throttledUntil(username: string): Date | null;
  /** Clears the username's failures and delay (the admin "unlock"). */
  clear(username: string): void;
}

export interface LoginDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly staff: StaffService;
  readonly audit: AuditLog;
  readonly alerts?: StaffAlerts;
  readonly policy?: Partial<LoginPolicy>;
}

interface Counter {
  failures: number;
  lastAt: number;
  blockedUntil: number;
}

/** Failure counters for one kind of key, bounded so that rotating keys cannot exhaust memory. */
function createCounters(rule: ThrottleRule, maxKeys = 10_000) {
  const map = new Map<string, Counter>();
  const live = (key: string, now: number): Counter | null => {
    const counter = map.get(key);
    if (!counter) return null;
    if (now - counter.lastAt > rule.forgetAfterMs && counter.blockedUntil <= now) {
      map.delete(key);
      return null;
    }
    return counter;
  };
  const delayAfter = (failures: number): number =>
    failures < rule.freeFailures ? 0 : Math.min(rule.maxDelayMs, rule.baseDelayMs * 2 ** Math.min(30, failures - rule.freeFailures));
  return {
    /** Milliseconds until the key may try again; 0 when it may now. */
    waitMs(key: string, now: number): number {
      const counter = live(key, now);
      return counter ? Math.max(0, counter.blockedUntil - now) : 0;
    },
    blockedUntil(key: string, now: number): number | null {
      const counter = live(key, now);
      return counter && counter.blockedUntil > now ? counter.blockedUntil : null;
    },
    /** Counts one attempt as a failure up front (undone by `succeeded`). */
    reserve(key: string, now: number): void {
      const counter = live(key, now) ?? { failures: 0, lastAt: now, blockedUntil: 0 };
      counter.failures += 1;
      counter.lastAt = now;
      const delay = delayAfter(counter.failures);
      counter.blockedUntil = delay > 0 ? now + delay : 0;
      map.delete(key); // re-insert: the map's order is least recently failed first
      map.set(key, counter);
      while (map.size > maxKeys) map.delete(map.keys().next().value!);
    },
    /** Takes back one reserved failure; the delay it set goes too when under the free count. */
    release(key: string): void {
      const counter = map.get(key);
      if (!counter) return;
      counter.failures = Math.max(0, counter.failures - 1);
      if (counter.failures < rule.freeFailures) counter.blockedUntil = 0;
      if (counter.failures === 0) map.delete(key);
    },
    clear(key: string): void {
      map.delete(key);
    },
  };
}

/** At most `max` tasks at once; up to `maxQueued` wait in order; beyond that `null`. */
export function createLimiter(max: number, maxQueued: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return {
    async run<T>(task: () => Promise<T>): Promise<T | null> {
      if (active >= max) {
        if (waiting.length >= maxQueued) return null;
        await new Promise<void>((resolve) => waiting.push(resolve));
      } else {
        active += 1;
      }
      try {
        return await task();
      } finally {
        const next = waiting.shift();
        if (next) next();
        else active -= 1;
      }
    },
    get active() {
      return active;
    },
    get queued() {
      return waiting.length;
    },
  };
}

const normalizeName = (username: string): string => username.trim().toLowerCase().slice(0, 64);

export function createLogin({ db, clock, staff, audit, alerts, policy: overrides = {} }: LoginDeps): Login {
  const policy: LoginPolicy = { ...DEFAULT_LOGIN_POLICY, ...overrides };
  const accounts = createCounters(policy.account);
  const addresses = createCounters(policy.address);
  const limiter = createLimiter(policy.maxConcurrentHashes, policy.maxQueued);
  // Computed now, in the thread pool, so the first unknown username costs no more than the next.
  // (Should it fail, the first login that needs it fails with the same error, and is logged there.)
  dummyPasswordHash().catch(() => undefined);
  const recentFailures: { at: number; name: string; ip: string }[] = [];
  let lastAlertAt = Number.NEGATIVE_INFINITY;

  const knownAddress = (staffId: number, ip: string, now: number): boolean =>
    prepared<[number, number, string], { id: number }>(
      db,
      "SELECT id FROM audit_log WHERE created_at > ? AND staff_id = ? AND action = 'login' AND ip = ? LIMIT 1",
    ).get(now - policy.knownAddressMs, staffId, ip) !== undefined;

  const noteFailure = (name: string, ip: string, now: number): void => {
    recentFailures.push({ at: now, name, ip });
    while (recentFailures.length > 0 && (recentFailures[0]!.at <= now - policy.alertWindowMs || recentFailures.length > 10_000)) recentFailures.shift();
    if (!alerts || recentFailures.length < policy.alertFailures || now - lastAlertAt < policy.alertWindowMs) return;
    lastAlertAt = now;
    const names = new Set(recentFailures.map((f) => f.name));
    // Only names of real accounts are shown: a typed "username" may be someone's password.
    const existing = [...names].filter((n) => staff.findByUsername(n) !== null).sort();
    alerts.raise({
      kind: 'login_failures',
      audience: 'supervisor',
      ticketId: null,
      text: staffTexts.loginFailures({
        failures: recentFailures.length,
        minutes: Math.round(policy.alertWindowMs / 60_000),
        names: names.size,
        addresses: new Set(recentFailures.map((f) => f.ip)).size,
        accounts: existing,
      }),
    });
  };

  return {
    async attempt(username, password, ip) {
      const started = clock.now().getTime();
      const name = normalizeName(username);
      const accountKey = `u:${name}`;
      // An IPv6 subscriber counts by their /64: rotating addresses inside it is one address.
      const addressSlot = `a:${addressKey(ip)}`;
      const addressWait = addresses.waitMs(addressSlot, started);
      let wait = addressWait;
      // Her usual address is not held back by the delay strangers caused in her name.
      let usualAddress = false;
      if (wait === 0) {
        const accountWait = accounts.waitMs(accountKey, started);
        if (accountWait > 0) {
          const known = staff.findByUsername(name);
          if (known && knownAddress(known.id, ip, started)) usualAddress = true;
          else wait = accountWait;
        }
      }
      if (wait > 0) {
        audit.record({ staffId: null, username: name, action: 'login_throttled', ip, data: { retryAfterMs: wait, by: addressWait > 0 ? 'address' : 'username' } });
        return { ok: false, reason: 'throttled', retryAfterMs: wait };
      }
      if (!usualAddress) accounts.reserve(accountKey, started);
      addresses.reserve(addressSlot, started);
      const outcome = await limiter.run(async () => ({ account: await staff.authenticate(name, password) }));
      const now = clock.now().getTime();
      if (outcome === null) {
        // Not checked at all (the queue was full): not a failure.
        if (!usualAddress) accounts.release(accountKey);
        addresses.release(addressSlot);
        return { ok: false, reason: 'busy' };
      }
      const checked = outcome.account;
      if (checked) {
        // A login from her usual address leaves the strangers' count as it is.
        if (!usualAddress) accounts.clear(accountKey);
        addresses.release(addressSlot);
        audit.record({ staffId: checked.id, username: checked.username, action: 'login', ip });
        return { ok: true, account: checked };
      }
      if (usualAddress) accounts.reserve(accountKey, now);
      const known = staff.findByUsername(name);
      audit.record({ staffId: known?.id ?? null, username: name, action: 'login_failed', ip });
      noteFailure(name, ip, now);
      return { ok: false, reason: 'invalid' };
    },
    throttledUntil(username) {
      const until = accounts.blockedUntil(`u:${normalizeName(username)}`, clock.now().getTime());
      return until === null ? null : new Date(until);
    },
    clear(username) {
      accounts.clear(`u:${normalizeName(username)}`);
    },
  };
}
