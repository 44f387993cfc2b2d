/**
 * Password login with a temporary lockout: after `maxFailures` wrong passwords in a
 * row an account is locked for `lockMs`, and while locked the password is not even
 * checked (so guessing cannot continue). The per-IP rate limit on the route is the
 * other half: it slows guessing across many usernames.
 */
import type { Clock } from '../../clock.js';
import type { StaffAccount, StaffService } from '../../staff.js';
import type { Db } from '../../store/db.js';
import type { AuditLog } from './audit.js';

export interface LockoutPolicy {
  readonly maxFailures: number;
  readonly lockMs: number;
}

export const DEFAULT_LOCKOUT: LockoutPolicy = { maxFailures: 5, lockMs: 15 * 60_000 };

export type LoginResult =
  | { readonly ok: true; readonly account: StaffAccount }
  | { readonly ok: false; readonly reason: 'invalid' }
  | { readonly ok: false; readonly reason: 'locked'; readonly until: Date };

export interface Login {
  attempt(username: string, password: string, ip: string): LoginResult;
}

export interface LoginDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly staff: StaffService;
  readonly audit: AuditLog;
  readonly lockout?: LockoutPolicy;
}

export function createLogin({ db, clock, staff, audit, lockout = DEFAULT_LOCKOUT }: LoginDeps): Login {
  return {
    attempt(username, password, ip) {
      const now = clock.now();
      const name = username.slice(0, 64);
      const known = staff.findByUsername(name);
      if (known?.lockedUntil && known.lockedUntil > now) {
        audit.record({ staffId: known.id, username: known.username, action: 'login_locked', ip });
        return { ok: false, reason: 'locked', until: known.lockedUntil };
      }
      const account = staff.authenticate(name, password);
      if (account) {
        db.prepare('UPDATE staff SET failed_logins = 0, locked_until = NULL WHERE id = ?').run(account.id);
        audit.record({ staffId: account.id, username: account.username, action: 'login', ip });
        return { ok: true, account };
      }
      audit.record({ staffId: known?.id ?? null, username: name, action: 'login_failed', ip });
      if (!known) return { ok: false, reason: 'invalid' };
      const failures = known.failedLogins + 1;
      if (failures < lockout.maxFailures) {
        db.prepare('UPDATE staff SET failed_logins = ? WHERE id = ?').run(failures, known.id);
        return { ok: false, reason: 'invalid' };
      }
      // The counter restarts, so the next lock needs another full run of failures.
      const until = new Date(now.getTime() + lockout.lockMs);
      db.prepare('UPDATE staff SET failed_logins = 0, locked_until = ? WHERE id = ?').run(until.getTime(), known.id);
      audit.record({ staffId: known.id, username: known.username, action: 'login_locked', ip, data: { until: until.toISOString() } });
      return { ok: false, reason: 'locked', until };
    },
  };
}

/** Lifts a lockout early (an admin action). */
export function unlockAccount(db: Db, staffId: number): void {
  db.prepare('UPDATE staff SET failed_logins = 0, locked_until = NULL WHERE id = ?').run(staffId);
}
