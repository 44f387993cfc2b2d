/**
 * Staff accounts: officers (staff), supervisors and admins. Passwords are hashed with
 * scrypt from node:crypto (a well-kept primitive with no native add-on to build);
 * the stored form is `scrypt$N$r$p$salt$hash` so parameters can be raised later.
 * Checking a password at login uses the asynchronous scrypt (libuv's thread pool), so
 * the event loop keeps serving while it runs; the dashboard's login bounds how many run
 * at once. Account changes (CLI, one-off) may hash synchronously.
 */
import { randomBytes, scrypt, scryptSync, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import type { StaffRole } from './domain.js';
import { MIN_PASSWORD_LENGTH, passwordProblem } from './password-strength.js';
import { prepared, type Db } from './store/db.js';

export { MIN_PASSWORD_LENGTH };
export const STAFF_ROLES: readonly StaffRole[] = ['staff', 'supervisor', 'admin'];
const USERNAME = /^[a-z0-9][a-z0-9._-]{1,31}$/;
const SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 32 } as const;

export interface StaffAccount {
  readonly id: number;
  readonly username: string;
  readonly displayName: string | null;
  readonly role: StaffRole;
  readonly disabled: boolean;
  readonly telegramUserId: string | null;
  readonly whatsappNumber: string | null;
  readonly failedLogins: number;
  readonly lockedUntil: Date | null;
  readonly createdAt: Date;
}

export class StaffError extends Error {
  constructor(
    readonly code: 'STAFF_INVALID_USERNAME' | 'STAFF_EXISTS' | 'STAFF_NOT_FOUND' | 'STAFF_WEAK_PASSWORD' | 'STAFF_INVALID_ROLE' | 'STAFF_INVALID_LINK' | 'STAFF_LINK_TAKEN',
    message: string,
  ) {
    super(message);
    this.name = 'StaffError';
  }
}

interface StaffRow {
  id: number;
  username: string;
  display_name: string | null;
  role: string;
  password_hash: string | null;
  disabled: number;
  telegram_user_id: string | null;
  whatsapp_number: string | null;
  failed_logins: number;
  locked_until: number | null;
  created_at: number;
}

function toAccount(row: StaffRow): StaffAccount {
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role as StaffRole,
    disabled: row.disabled === 1,
    telegramUserId: row.telegram_user_id,
    whatsappNumber: row.whatsapp_number,
    failedLogins: row.failed_logins,
    lockedUntil: row.locked_until === null ? null : new Date(row.locked_until),
    createdAt: new Date(row.created_at),
  };
}

export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

const scryptAsync = (password: string, salt: Buffer, keyLength: number, options: ScryptOptions): Promise<Buffer> =>
  new Promise((resolve, reject) => scrypt(password, salt, keyLength, options, (err, key) => (err ? reject(err) : resolve(key))));

/** Password checks run so far (each one scrypt): what a login costs, counted rather than timed. */
let passwordChecks = 0;
export function passwordCheckCount(): number {
  return passwordChecks;
}

/** Checks a password against a stored hash off the event loop (libuv's thread pool). */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
  passwordChecks += 1;
  const expected = Buffer.from(hash, 'base64');
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64'), expected.length, { N: Number(n), r: Number(r), p: Number(p), maxmem: 64 * 1024 * 1024 });
  return timingSafeEqual(actual, expected);
}

/**
 * A hash of a random password with the current parameters: checking an unknown username
 * against it costs exactly what checking a real account costs (one scrypt), so neither
 * the time nor the answer tells which usernames exist.
 */
let dummyHash: Promise<string> | null = null;
/** Computed once, off the event loop, on first use. */
export function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPasswordAsync(randomBytes(24).toString('base64url'));
  return dummyHash;
}

async function hashPasswordAsync(password: string): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p });
  return `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${salt.toString('base64')}$${hash.toString('base64')}`;
}

function checkPassword(password: string, personalWords: readonly string[]): void {
  const problem = passwordProblem(password, personalWords);
  if (problem) throw new StaffError('STAFF_WEAK_PASSWORD', problem);
}

/** Normalizes an Indonesian phone number to digits with the 62 country code (0812... -> 62812...). */
export function normalizePhone(input: string): string | null {
  const digits = input.replace(/[\s().+-]/g, '');
  if (!/^\d{8,15}$/.test(digits)) return null;
  if (digits.startsWith('0')) return `62${digits.slice(1)}`;
  return digits;
}

export interface StaffService {
  add(input: { username: string; role: StaffRole; password: string; displayName?: string }): StaffAccount;
  list(): StaffAccount[];
  get(id: number): StaffAccount | null;
  findByUsername(username: string): StaffAccount | null;
  findByTelegramUserId(telegramUserId: string): StaffAccount | null;
  findByWhatsappNumber(number: string): StaffAccount | null;
  disable(username: string): StaffAccount;
  /** Lets a disabled account log in again (with its old password; an admin usually sets a new one). */
  enable(username: string): StaffAccount;
  setRole(username: string, role: StaffRole): StaffAccount;
  setPassword(username: string, password: string): StaffAccount;
  linkTelegram(username: string, telegramUserId: string): StaffAccount;
  linkWhatsapp(username: string, number: string): StaffAccount;
  /**
   * Checks a password; returns the account only when it is active and the password matches.
   * Unknown, disabled and password-less accounts cost one scrypt too and answer the same null.
   */
  authenticate(username: string, password: string): Promise<StaffAccount | null>;
}

export function createStaffService(db: Db, now: () => Date = () => new Date()): StaffService {
  const byUsername = (username: string): StaffRow | undefined =>
    prepared<[string], StaffRow>(db, 'SELECT * FROM staff WHERE username = ?').get(username.toLowerCase());
  const must = (username: string): StaffRow => {
    const row = byUsername(username);
    if (!row) throw new StaffError('STAFF_NOT_FOUND', `no staff account "${username}"`);
    return row;
  };
  const reload = (id: number): StaffAccount => toAccount(prepared<[number], StaffRow>(db, 'SELECT * FROM staff WHERE id = ?').get(id)!);

  return {
    add({ username, role, password, displayName }) {
      const name = username.toLowerCase();
      if (!USERNAME.test(name)) {
        throw new StaffError('STAFF_INVALID_USERNAME', 'a username has 2-32 characters: a-z, 0-9, dot, underscore or dash, starting with a letter or digit');
      }
      if (!STAFF_ROLES.includes(role)) throw new StaffError('STAFF_INVALID_ROLE', `the role must be one of ${STAFF_ROLES.join(', ')}`);
      checkPassword(password, [name, displayName ?? '']);
      if (byUsername(name)) throw new StaffError('STAFF_EXISTS', `a staff account "${name}" already exists`);
      const id = Number(
        prepared(db, 'INSERT INTO staff (username, display_name, role, password_hash, created_at) VALUES (?, ?, ?, ?, ?)')
          .run(name, displayName ?? null, role, hashPassword(password), now().getTime()).lastInsertRowid,
      );
      return reload(id);
    },
    list() {
      return prepared<[], StaffRow>(db, 'SELECT * FROM staff ORDER BY username').all().map(toAccount);
    },
    get(id) {
      const row = prepared<[number], StaffRow>(db, 'SELECT * FROM staff WHERE id = ?').get(id);
      return row ? toAccount(row) : null;
    },
    findByUsername(username) {
      const row = byUsername(username);
      return row ? toAccount(row) : null;
    },
    findByTelegramUserId(telegramUserId) {
      const row = prepared<[string], StaffRow>(db, 'SELECT * FROM staff WHERE telegram_user_id = ? AND disabled = 0').get(telegramUserId);
      return row ? toAccount(row) : null;
    },
    findByWhatsappNumber(number) {
      const normalized = normalizePhone(number);
      if (!normalized) return null;
      const row = prepared<[string], StaffRow>(db, 'SELECT * FROM staff WHERE whatsapp_number = ? AND disabled = 0').get(normalized);
      return row ? toAccount(row) : null;
    },
    disable(username) {
      const row = must(username);
      prepared(db, 'UPDATE staff SET disabled = 1 WHERE id = ?').run(row.id);
      return reload(row.id);
    },
    enable(username) {
      const row = must(username);
      prepared(db, 'UPDATE staff SET disabled = 0 WHERE id = ?').run(row.id);
      return reload(row.id);
    },
    setRole(username, role) {
      const row = must(username);
      if (!STAFF_ROLES.includes(role)) throw new StaffError('STAFF_INVALID_ROLE', `the role must be one of ${STAFF_ROLES.join(', ')}`);
      prepared(db, 'UPDATE staff SET role = ? WHERE id = ?').run(role, row.id);
      return reload(row.id);
    },
    setPassword(username, password) {
      const row = must(username);
      checkPassword(password, [row.username, row.display_name ?? '']);
      prepared(db, 'UPDATE staff SET password_hash = ?, failed_logins = 0, locked_until = NULL WHERE id = ?').run(hashPassword(password), row.id);
      return reload(row.id);
    },
    linkTelegram(username, telegramUserId) {
      const row = must(username);
      if (!/^\d{1,20}$/.test(telegramUserId)) throw new StaffError('STAFF_INVALID_LINK', 'a Telegram user id is a number, such as 123456789');
      const other = prepared<[string, number], { username: string }>(db, 'SELECT username FROM staff WHERE telegram_user_id = ? AND id != ?').get(telegramUserId, row.id);
      if (other) throw new StaffError('STAFF_LINK_TAKEN', `Telegram user ${telegramUserId} is already linked to "${other.username}"`);
      prepared(db, 'UPDATE staff SET telegram_user_id = ? WHERE id = ?').run(telegramUserId, row.id);
      return reload(row.id);
    },
    linkWhatsapp(username, number) {
      const row = must(username);
      const normalized = normalizePhone(number);
      if (!normalized) throw new StaffError('STAFF_INVALID_LINK', 'a WhatsApp number has 8-15 digits, such as 081234567890 or +6281234567890');
      const other = prepared<[string, number], { username: string }>(db, 'SELECT username FROM staff WHERE whatsapp_number = ? AND id != ?').get(normalized, row.id);
      if (other) throw new StaffError('STAFF_LINK_TAKEN', `WhatsApp number ${normalized} is already linked to "${other.username}"`);
      prepared(db, 'UPDATE staff SET whatsapp_number = ? WHERE id = ?').run(normalized, row.id);
      return reload(row.id);
    },
    async authenticate(username, password) {
      const row = byUsername(username);
      const usable = row !== undefined && row.password_hash !== null && row.disabled === 0;
      // One scrypt whatever the case, so timing does not reveal which usernames exist.
      const matches = await verifyPassword(password, usable ? row.password_hash! : await dummyPasswordHash());
      if (!usable || !matches) return null;
      // Re-read: the account may have been disabled or changed while scrypt ran.
      const current = byUsername(username);
      return current && current.disabled === 0 && current.password_hash === row.password_hash ? toAccount(current) : null;
    },
  };
}
