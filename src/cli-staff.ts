/** `sapa staff ...`: manage staff accounts from the terminal. */
import type { Config } from './config.js';
import type { StaffRole } from './domain.js';
import { UsageError } from './cli-errors.js';
import { createStaffService, STAFF_ROLES, StaffError, type StaffAccount } from './staff.js';
import { openDatabase } from './store/db.js';

export interface StaffCommandInput {
  readonly sub: string | undefined;
  readonly args: readonly string[];
  readonly role: string | undefined;
  readonly displayName: string | undefined;
  readonly readPassword: () => Promise<string>;
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
          return `added ${describe(account)}\n`;
        }
        case 'list': {
          const accounts = staff.list();
          return accounts.length === 0 ? 'no staff accounts; add one with: sapa staff add <username> --role admin --password-stdin\n' : `${accounts.map(describe).join('\n')}\n`;
        }
        case 'disable':
          return `disabled ${describe(staff.disable(need(first, '<username>')))}\n`;
        case 'passwd':
          return `password changed for ${describe(staff.setPassword(need(first, '<username>'), await input.readPassword()))}\n`;
        case 'link-telegram':
          return `linked ${describe(staff.linkTelegram(need(first, '<username>'), need(second, '<telegram-user-id>')))}\n`;
        case 'link-whatsapp':
          return `linked ${describe(staff.linkWhatsapp(need(first, '<username>'), need(second, '<number>')))}\n`;
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
