/**
 * Dashboard sessions in SQLite. The cookie holds a random 256-bit token; the table keeps
 * only its SHA-256, so reading the database does not yield a usable cookie. Each session
 * carries its own CSRF token (synchronizer pattern), handed to the page by GET /api/session.
 * Expiry slides with use (idle timeout) but never past an absolute lifetime.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../clock.js';
import type { Db } from '../../store/db.js';

export interface SessionPolicy {
  /** Logged out after this long without a request. */
  readonly idleMs: number;
  /** Logged out this long after login, however busy. */
  readonly absoluteMs: number;
}

export const DEFAULT_SESSION_POLICY: SessionPolicy = { idleMs: 8 * 3_600_000, absoluteMs: 24 * 3_600_000 };
/** Writing last_seen_at on every request would turn each page view into a write. */
const TOUCH_EVERY_MS = 60_000;

export interface Session {
  readonly id: string;
  readonly staffId: number;
  readonly csrfToken: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

export interface SessionStore {
  /** Returns the cookie token (shown once, never stored) and the session. */
  create(staffId: number): { token: string; session: Session };
  /** The live session of a cookie token, its expiry slid forward; null when unknown or expired. */
  resolve(token: string): Session | null;
  /** Still valid (for long-lived streams); does not slide the expiry. */
  isLive(id: string): boolean;
  revoke(id: string): void;
  revokeAllOf(staffId: number): void;
}

interface Row {
  id: string;
  staff_id: number;
  csrf_token: string;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
}

const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Constant-time comparison of two tokens of any length. */
export function sameToken(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const toSession = (row: Row): Session => ({
  id: row.id,
  staffId: row.staff_id,
  csrfToken: row.csrf_token,
  createdAt: new Date(row.created_at),
  expiresAt: new Date(row.expires_at),
});

export function createSessionStore(db: Db, clock: Clock, policy: SessionPolicy = DEFAULT_SESSION_POLICY): SessionStore {
  const expiryOf = (createdMs: number, nowMs: number): number => Math.min(createdMs + policy.absoluteMs, nowMs + policy.idleMs);
  const byId = db.prepare<[string], Row>('SELECT * FROM sessions WHERE id = ?');
  return {
    create(staffId) {
      const now = clock.now().getTime();
      const token = randomBytes(32).toString('base64url');
      const csrfToken = randomBytes(32).toString('base64url');
      const id = hashToken(token);
      // Expired rows are swept at login, which is rare enough to cost nothing.
      db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now);
      db.prepare('INSERT INTO sessions (id, staff_id, csrf_token, created_at, expires_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?)').run(
        id,
        staffId,
        csrfToken,
        now,
        expiryOf(now, now),
        now,
      );
      return { token, session: toSession(byId.get(id)!) };
    },
    resolve(token) {
      if (!TOKEN_PATTERN.test(token)) return null;
      const row = byId.get(hashToken(token));
      const now = clock.now().getTime();
      if (!row || row.expires_at <= now) return null;
      if (now - row.last_seen_at >= TOUCH_EVERY_MS) {
        const expiresAt = expiryOf(row.created_at, now);
        db.prepare('UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id = ?').run(now, expiresAt, row.id);
        return toSession({ ...row, last_seen_at: now, expires_at: expiresAt });
      }
      return toSession(row);
    },
    isLive(id) {
      const row = byId.get(id);
      return row !== undefined && row.expires_at > clock.now().getTime();
    },
    revoke(id) {
      db.prepare('DELETE FROM sessions WHERE id = ?').run(id);
    },
    revokeAllOf(staffId) {
      db.prepare('DELETE FROM sessions WHERE staff_id = ?').run(staffId);
    },
  };
}
