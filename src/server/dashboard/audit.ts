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
  | 'staff_enabled'
  | 'staff_role_changed'
  | 'staff_unlocked'
  | 'staff_password_set'
  | 'staff_linked'
  | 'ticket_viewed'
  /** #21: the tickets CSV (who, which range, masked or not). */
  | 'tickets_exported'
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

/** Every action, for the filter of the audit page (old rows may hold `login_locked`). */
export const AUDIT_ACTIONS: readonly AuditAction[] = [
  'login',
  'login_failed',
  'login_locked',
  'login_throttled',
  'logout',
  'staff_added',
  'staff_disabled',
  'staff_enabled',
  'staff_role_changed',
  'staff_unlocked',
  'staff_password_set',
  'staff_linked',
  'ticket_viewed',
  'tickets_exported',
  'channel_action',
];

/** What the audit page asks for: newest first, `before` an id for the next page. */
export interface AuditQuery {
  readonly limit: number;
  /** Only entries with an id below this (keyset paging: stable while new entries arrive). */
  readonly before?: number;
  readonly action?: AuditAction;
  /** The actor's username (exact, case-insensitive; "cli:" names included). */
  readonly username?: string;
  /** The target (an account name, "ticket:12", a channel), exact. */
  readonly target?: string;
  /** Epoch ms, inclusive / exclusive. */
  readonly fromMs?: number;
  readonly toMs?: number;
}

export interface AuditPage {
  readonly entries: StoredAuditEntry[];
  /** The `before` of the next (older) page, or null when this was the last. */
  readonly nextBefore: number | null;
}

export interface AuditLog {
  record(entry: AuditEntry): void;
  recent(limit: number): StoredAuditEntry[];
  query(query: AuditQuery): AuditPage;
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

function toEntry(row: Row): StoredAuditEntry {
  return {
    id: row.id,
    staffId: row.staff_id,
    username: row.username,
    action: row.action as AuditAction,
    ...(row.target !== null ? { target: row.target } : {}),
    ...(row.data !== null ? { data: JSON.parse(row.data) as Record<string, unknown> } : {}),
    ...(row.ip !== null ? { ip: row.ip } : {}),
    createdAt: new Date(row.created_at),
  };
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
        .map(toEntry);
    },
    query(query) {
      const where: string[] = [];
      const params: (string | number)[] = [];
      const add = (condition: string, value: string | number | undefined): void => {
        if (value === undefined) return;
        where.push(condition);
        params.push(value);
      };
      add('id < ?', query.before);
      add('action = ?', query.action);
      add('lower(username) = lower(?)', query.username);
      add('target = ?', query.target);
      add('created_at >= ?', query.fromMs);
      add('created_at < ?', query.toMs);
      // One more than asked tells whether an older page exists.
      const rows = db
        .prepare<(string | number)[], Row>(
          `SELECT * FROM audit_log ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
        )
        .all(...params, query.limit + 1);
      const page = rows.slice(0, query.limit).map(toEntry);
      return { entries: page, nextBefore: rows.length > query.limit ? (page[page.length - 1]?.id ?? null) : null };
    },
  };
}
