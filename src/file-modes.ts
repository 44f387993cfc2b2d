/**
 * Files that hold personal data, password hashes, WhatsApp keys and the Instagram session
 * (the database, its WAL and shared-memory files, backups) are readable by the service's
 * own user only: files 0600, their directory 0700. `sapa` sets the umask to 077 at start,
 * so anything else it creates is private too; the functions here also repair files and
 * folders made earlier with looser modes.
 */
import { chmodSync, closeSync, existsSync, openSync, statSync } from 'node:fs';

export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** New files 0600 and folders 0700 for the rest of this process. */
export function restrictUmask(): void {
  process.umask(0o077);
}

const ownedByUs = (uid: number): boolean => process.getuid === undefined || process.getuid() === uid;

/** Creates the file empty with mode 0600 if missing; narrows it to 0600 if it exists and is ours. */
export function makePrivateFile(path: string): void {
  if (!existsSync(path)) {
    closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  }
  narrow(path, PRIVATE_FILE_MODE);
}

/** Narrows an existing file or folder of ours to `mode`; missing paths are left alone. */
export function narrow(path: string, mode: number): void {
  if (!existsSync(path)) return;
  const stat = statSync(path);
  if (ownedByUs(stat.uid) && (stat.mode & 0o777) !== mode) chmodSync(path, mode);
}

/**
 * Narrows the database's folder to 0700, unless it is shared by design: a sticky folder
 * such as /tmp, or one owned by someone else.
 */
export function makePrivateDir(path: string): void {
  if (!existsSync(path)) return;
  const stat = statSync(path);
  if (!stat.isDirectory() || (stat.mode & 0o1000) !== 0) return;
  narrow(path, PRIVATE_DIR_MODE);
}
