/**
 * The audit trail of account, login and channel actions, and of who opened which ticket
 * (UU PDP 27/2022: access to personal data must be accountable). Ticket changes are
 * recorded, with the officer, in ticket_events by TicketService. Account changes made
 * with `sapa staff` are recorded with `staffId` null and `username` "cli:<OS user>".
 */
import type { Clock } from '../../clock.js';
import type { Db } from '../../store/db.js';

export type AuditAction =
  | 'login'
  | 'login_failed'
  /** Before throttling replaced the lock; kept for old rows. */
  | 'login_locked'
  | 'login_throttled'
  | 'logout'
  | 'staff_added'
  | 'staff_disabled'
  | 'staff_unlocked'
  | 'staff_password_set'
  | 'staff_linked'
  | 'ticket_viewed'
  | 'channel_action';

export interface AuditEntry {
  readonly staffId: number | null;
  readonly username: string | null;
  readonly action: AuditAction;
  readonly target?: string;
  readonly data?: Readonly<Record<string, unknown>>;
  readonly ip?: string;
}

export interface StoredAuditEntry extends AuditEntry {
  readonly id: number;
  readonly createdAt: Date;
}

export interface AuditLog {
  record(entry: AuditEntry): void;
  recent(limit: number): StoredAuditEntry[];
}

interface Row {
  id: number;
  staff_id: number | null;
  username: string | null;
  action: string;
  target: string | null;
  data: string | null;
  ip: string | null;
  created_at: number;
}

export function createAuditLog(db: Db, clock: Clock): AuditLog {
  return {
    record(entry) {
      db.prepare('INSERT INTO audit_log (staff_id, username, action, target, data, ip, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
        entry.staffId,
        entry.username,
        entry.action,
        entry.target ?? null,
        entry.data ? JSON.stringify(entry.data) : null,
        entry.ip ?? null,
        clock.now().getTime(),
      );
    },
    recent(limit) {
      return db
        .prepare<[number], Row>('SELECT * FROM audit_log ORDER BY id DESC LIMIT ?')
        .all(limit)
        .map((row) => ({
          id: row.id,
          staffId: row.staff_id,
          username: row.username,
          action: row.action as AuditAction,
          ...(row.target !== null ? { target: row.target } : {}),
          ...(row.data !== null ? { data: JSON.parse(row.data) as Record<string, unknown> } : {}),
          ...(row.ip !== null ? { ip: row.ip } : {}),
          createdAt: new Date(row.created_at),
        }));
    },
  };
}
