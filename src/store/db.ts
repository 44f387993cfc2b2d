/**
 * Opening the SQLite database. One connection per process: better-sqlite3 is
 * synchronous, so every transaction is atomic with respect to our own event loop.
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { runMigrations } from './migrate.js';

export type Db = Database.Database;

export interface OpenOptions {
  /** Run pending migrations (start-up does; `sapa migrate` does it explicitly). */
  readonly migrate?: boolean;
  readonly readonly?: boolean;
}

export function openDatabase(path: string, options: OpenOptions = {}): Db {
  if (path !== ':memory:' && !options.readonly) mkdirSync(dirname(path), { recursive: true });
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
