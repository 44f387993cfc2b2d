/**
 * `sapa staff ...`: manage staff accounts from the terminal. Every change goes to the
 * audit log (actor "cli:<OS user>", since the terminal has no dashboard session), and a
 * new password or a disabled account ends that account's dashboard sessions at once.
 */
import { userInfo } from 'node:os';
import { systemClock } from './clock.js';
import type { Config } from './config.js';
import type { StaffRole } from './domain.js';
import { UsageError } from './cli-errors.js';
import { maskIdentifier } from './privacy.js';
import { createStaffService, STAFF_ROLES, StaffError, type StaffAccount } from './staff.js';
import { createAuditLog, type AuditAction } from './server/dashboard/audit.js';
import { createSessionStore } from './server/dashboard/sessions.js';
import { openDatabase } from './store/db.js';

export interface StaffCommandInput {
  readonly sub: string | undefined;
  readonly args: readonly string[];
  readonly role: string | undefined;
  readonly displayName: string | undefined;
  readonly readPassword: () => Promise<string>;
  /** Who ran the command, for the audit log (default: the OS user). */
  readonly osUser?: string;
}

export function currentOsUser(): string {
  try {
    return userInfo().username;
  } catch (err) {
    // No passwd entry for this uid (some containers): the uid still identifies the operator.
    return process.env['USER'] ?? `uid ${process.getuid?.() ?? '?'} (${err instanceof Error ? err.message : 'unknown user'})`;
  }
}

function describe(account: StaffAccount): string {
  const links = [
    account.telegramUserId ? `telegram:${account.telegramUserId}` : null,
    account.whatsappNumber ? `whatsapp:${account.whatsappNumber}` : null,
  ].filter(Boolean);
  return `${account.username} (${account.role}${account.disabled ? ', disabled' : ''}${links.length ? `, ${links.join(', ')}` : ''})`;
}

export async function staffCommand(config: Config, input: StaffCommandInput): Promise<string> {
  const db = openDatabase(config.dbPath);
  try {
    const staff = createStaffService(db);
    const audit = createAuditLog(db, systemClock);
    const actor = `cli:${input.osUser ?? currentOsUser()}`;
    const record = (action: AuditAction, account: StaffAccount, data?: Record<string, unknown>): void =>
      audit.record({ staffId: null, username: actor, action, target: account.username, ...(data ? { data } : {}) });
    const endSessions = (account: StaffAccount): number => {
      const before = db.prepare<[number], { n: number }>('SELECT count(*) AS n FROM sessions WHERE staff_id = ?').get(account.id)?.n ?? 0;
      createSessionStore(db, systemClock).revokeAllOf(account.id);
      return before;
    };
    const ended = (n: number): string => (n > 0 ? `; ${n} dashboard session${n === 1 ? '' : 's'} ended` : '');
    const [first, second] = input.args;
    const need = (value: string | undefined, what: string): string => {
      if (!value) throw new UsageError(`staff ${input.sub ?? ''} needs ${what}`);
      return value;
    };
    try {
      switch (input.sub) {
        case 'add': {
          const username = need(first, '<username>');
          const role = input.role ?? 'staff';
          if (!STAFF_ROLES.includes(role as StaffRole)) throw new UsageError(`--role must be one of ${STAFF_ROLES.join(', ')}; got "${role}"`);
          const password = await input.readPassword();
          const account = staff.add({ username, role: role as StaffRole, password, ...(input.displayName ? { displayName: input.displayName } : {}) });
          record('staff_added', account, { role: account.role });
          return `added ${describe(account)}\n`;
        }
        case 'list': {
          const accounts = staff.list();
          return accounts.length === 0 ? 'no staff accounts; add one with: sapa staff add <username> --role admin --password-stdin\n' : `${accounts.map(describe).join('\n')}\n`;
        }
        case 'disable': {
          const account = staff.disable(need(first, '<username>'));
          const n = endSessions(account);
          record('staff_disabled', account, { sessionsEnded: n });
          return `disabled ${describe(account)}${ended(n)}\n`;
        }
        case 'passwd': {
          const account = staff.setPassword(need(first, '<username>'), await input.readPassword());
          // A new password ends the old sessions: a leaked cookie stops working too.
          const n = endSessions(account);
          record('staff_password_set', account, { sessionsEnded: n });
          return `password changed for ${describe(account)}${ended(n)}\n`;
        }
        case 'link-telegram': {
          const account = staff.linkTelegram(need(first, '<username>'), need(second, '<telegram-user-id>'));
          record('staff_linked', account, { telegramUserId: account.telegramUserId });
          return `linked ${describe(account)}\n`;
        }
        case 'link-whatsapp': {
          const account = staff.linkWhatsapp(need(first, '<username>'), need(second, '<number>'));
          record('staff_linked', account, { whatsapp: maskIdentifier(account.whatsappNumber ?? '') });
          return `linked ${describe(account)}\n`;
        }
        default:
          throw new UsageError(`unknown staff command "${input.sub ?? ''}"`);
      }
    } catch (err) {
      // Expected account problems are the user's to fix: show them as usage errors.
      if (err instanceof StaffError) throw new UsageError(err.message);
      throw err;
    }
  } finally {
    db.close();
  }
}
