/**
 * Opening the SQLite database. One connection per process: better-sqlite3 is
 * synchronous, so every transaction is atomic with respect to our own event loop.
 */
import Database from 'better-sqlite3';
import { existsSync, mkdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { makePrivateDir, makePrivateFile, narrow, PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../file-modes.js';
import { runMigrations } from './migrate.js';

export type Db = Database.Database;

export interface OpenOptions {
  /** Run pending migrations (start-up does; `sapa migrate` does it explicitly). */
  readonly migrate?: boolean;
  readonly readonly?: boolean;
}

/**
 * The database holds NIKs, password hashes, WhatsApp keys and the Instagram session: the
 * file is created 0600 before SQLite opens it (SQLite gives the WAL and shared-memory
 * files the database file's mode), older files are narrowed to 0600, and the folder is
 * 0700 when SAPA created it or it is the default `data/` (file-modes.ts).
 */
function secureLocation(path: string): void {
  const dir = dirname(path);
  const created = !existsSync(dir);
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (created || basename(dir) === 'data') makePrivateDir(dir);
  makePrivateFile(path);
  for (const suffix of ['-wal', '-shm', '-journal']) narrow(`${path}${suffix}`, PRIVATE_FILE_MODE);
}

export function openDatabase(path: string, options: OpenOptions = {}): Db {
  if (path !== ':memory:' && path !== '' && !options.readonly) secureLocation(path);
  const db = new Database(path, { readonly: options.readonly ?? false });
  if (!options.readonly) {
    // WAL lets the dashboard read while the router writes; NORMAL sync is durable
    // across process crashes (only an OS crash can lose the last transactions).
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    // Statement and savepoint journals (the router routes each message in a savepoint of
    // the intake's batch transaction) stay in memory instead of spilling to temp files.
    db.pragma('temp_store = MEMORY');
  }
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  if (options.migrate ?? true) runMigrations(db);
  return db;
}

const statements = new WeakMap<Db, Map<string, Database.Statement>>();

/**
 * A prepared statement, compiled once per connection and reused: preparing is the
 * most expensive part of a small query, and the router runs dozens per message.
 */
export function prepared<P extends unknown[] | {} = unknown[], R = unknown>(db: Db, source: string): Database.Statement<P, R> {
  let cache = statements.get(db);
  if (!cache) {
    cache = new Map();
    statements.set(db, cache);
  }
  let statement = cache.get(source);
  if (!statement) {
    statement = db.prepare(source);
    cache.set(source, statement);
  }
  return statement as unknown as Database.Statement<P, R>;
}

/** Runs `work` in an IMMEDIATE transaction (takes the write lock up front, so no upgrade deadlocks). */
export function inTransaction<T>(db: Db, work: () => T): T {
  return db.transaction(work).immediate();
}
