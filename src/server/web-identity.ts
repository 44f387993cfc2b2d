/**
 * Web chat identities issued by the server, so a visitor id is something the server
 * handed out, not anything a script makes up:
 *
 *   visitorId = "v1" + random (20) + address tag (8) + signature (20)   (50 characters)
 *
 * all base64url, so it still matches VISITOR_ID_PATTERN. The signature is HMAC-SHA256
 * over the rest with a secret only the server knows (WEB_CHAT_SECRET, or a key generated
 * on first start beside the database, mode 0600). The address tag is a keyed hash of the
 * address that asked for the id (an IPv6 address counts by its /64), so flood control can
 * count new tickets per address across identities without storing addresses.
 *
 * Event streams take a short-lived, single-use stream token instead of the visitor id, so
 * the credential never sits in a URL that a proxy would log (EventSource cannot send
 * headers).
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { isIPv4, isIPv6 } from 'node:net';
import { resolveFromCwd } from '../paths.js';

const VERSION = 'v1';
const RANDOM_CHARS = 20; // 15 bytes
const TAG_CHARS = 8; // 6 bytes
const MAC_CHARS = 20; // 15 bytes (120 bits)
export const ISSUED_VISITOR_ID_LENGTH = VERSION.length + RANDOM_CHARS + TAG_CHARS + MAC_CHARS;
const ISSUED_PATTERN = new RegExp(`^${VERSION}[A-Za-z0-9_-]{${RANDOM_CHARS + TAG_CHARS + MAC_CHARS}}$`);

/** How long a stream token may wait before it is used (it is used once, at once). */
export const STREAM_TOKEN_TTL_MS = 60_000;
/** Outstanding stream tokens kept at most (each visitor holds one at a time). */
const MAX_STREAM_TOKENS = 20_000;

export interface VisitorIdentities {
  /** A new signed visitor id for a visitor at this address. */
  issue(address: string): string;
  /** True only for ids this server (this secret) issued. */
  verify(visitorId: string): boolean;
  /** The address tag of an issued id (null for anything else): the flood-control key. */
  addressTagOf(visitorId: string): string | null;
  /** The keyed hash of an address (what issued ids carry): for per-address limits. */
  addressTag(address: string): string;
}

/** An IPv4 address as is; IPv4-mapped IPv6 as IPv4; other IPv6 by its /64 (one subscriber's prefix). */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (isIPv4(address) || !isIPv6(address)) return address;
  const [head = '', tail = ''] = address.toLowerCase().split('::');
  const headParts = head === '' ? [] : head.split(':');
  const tailParts = address.includes('::') ? (tail === '' ? [] : tail.split(':')) : [];
  const groups = address.includes('::')
    ? [...headParts, ...Array<string>(8 - headParts.length - tailParts.length).fill('0'), ...tailParts]
    : headParts;
  return `${groups
    .slice(0, 4)
    .map((g) => g.replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

export function createVisitorIdentities(secret: Buffer): VisitorIdentities {
  if (secret.length < 32) throw new Error('the web chat secret must be at least 32 bytes');
  const mac = (body: string): string => createHmac('sha256', secret).update(`visitor\0${body}`).digest().subarray(0, 15).toString('base64url');
  const tag = (address: string): string =>
    createHmac('sha256', secret).update(`address\0${addressKey(address)}`).digest().subarray(0, 6).toString('base64url');
  const verify = (visitorId: string): boolean => {
    if (!ISSUED_PATTERN.test(visitorId)) return false;
    const body = visitorId.slice(0, ISSUED_VISITOR_ID_LENGTH - MAC_CHARS);
    const given = Buffer.from(visitorId.slice(ISSUED_VISITOR_ID_LENGTH - MAC_CHARS));
    const expected = Buffer.from(mac(body));
    return given.length === expected.length && timingSafeEqual(given, expected);
  };
  return {
    issue(address) {
      const body = `${VERSION}${randomBytes(15).toString('base64url')}${tag(address)}`;
      return `${body}${mac(body)}`;
    },
    verify,
    addressTagOf(visitorId) {
      if (!verify(visitorId)) return null;
      const start = VERSION.length + RANDOM_CHARS;
      return visitorId.slice(start, start + TAG_CHARS);
    },
    addressTag: tag,
  };
}

/**
 * The signing secret: WEB_CHAT_SECRET when configured; otherwise a random key kept in
 * `web-chat.key` beside the database (created 0600 on first start, so ids survive
 * restarts); for an in-memory database a key that lives as long as the process.
 */
export function loadWebChatSecret(options: { configured: string | null; dbPath: string }): Buffer {
  if (options.configured !== null) return Buffer.from(options.configured, 'utf8');
  if (options.dbPath === ':memory:') return randomBytes(32);
  const file = join(dirname(resolveFromCwd(options.dbPath)), 'web-chat.key');
  try {
    const stored = readFileSync(file, 'utf8').trim();
    if (!/^[0-9a-f]{64}$/.test(stored)) throw new Error(`${file} is not a web chat key (64 hex digits); delete it to have a new one made (visitors then start new conversations)`);
    if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
    return Buffer.from(stored, 'hex');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  const key = randomBytes(32).toString('hex');
  mkdirSync(dirname(file), { recursive: true });
  try {
    writeFileSync(file, `${key}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    // Another process made it first: use theirs.
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return loadWebChatSecret(options);
    throw err;
  }
  return Buffer.from(key, 'hex');
}

export interface StreamTokens {
  /** A fresh single-use token for the visitor's event stream (replaces the visitor's previous unused one); null when too many are outstanding. */
  issue(visitorId: string): { token: string; expiresAt: Date } | null;
  /** The visitor a token was issued to, once: the token is spent by this call. Null when unknown, used or expired. */
  redeem(token: string): string | null;
  outstanding(): number;
}

export function createStreamTokens(now: () => Date, ttlMs = STREAM_TOKEN_TTL_MS): StreamTokens {
  const byToken = new Map<string, { visitorId: string; expiresAt: number }>();
  const byVisitor = new Map<string, string>();
  const prune = (at: number): void => {
    for (const [token, entry] of byToken) {
      if (entry.expiresAt > at) break; // insertion order = expiry order (fixed TTL)
      byToken.delete(token);
      if (byVisitor.get(entry.visitorId) === token) byVisitor.delete(entry.visitorId);
    }
  };
  return {
    issue(visitorId) {
      const at = now().getTime();
      prune(at);
      const previous = byVisitor.get(visitorId);
      if (previous !== undefined) byToken.delete(previous);
      if (byToken.size >= MAX_STREAM_TOKENS) return null;
      const token = randomBytes(24).toString('base64url');
      const expiresAt = at + ttlMs;
      byToken.set(token, { visitorId, expiresAt });
      byVisitor.set(visitorId, token);
      return { token, expiresAt: new Date(expiresAt) };
    },
    redeem(token) {
      const entry = byToken.get(token);
      if (entry === undefined) return null;
      byToken.delete(token);
      if (byVisitor.get(entry.visitorId) === token) byVisitor.delete(entry.visitorId);
      return entry.expiresAt > now().getTime() ? entry.visitorId : null;
    },
    outstanding: () => byToken.size,
  };
}
