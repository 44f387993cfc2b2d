/**
 * Versioned schema migrations, applied in order at start-up (and by `sapa migrate`).
 * A migration, once released, is never edited: add a new one.
 * Times are INTEGER milliseconds since the epoch (UTC); columns end in `_at`.
 */
import type { Db } from './db.js';

import { MIGRATIONS, type Migration } from './migrations/index.js';

export { MIGRATIONS, type Migration };

export interface MigrationReport {
  readonly applied: readonly number[];
  readonly current: number;
}

export function runMigrations(db: Db, migrations: readonly Migration[] = MIGRATIONS): MigrationReport {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  )`);
  const done = new Set(
    db
      .prepare<[], { version: number }>('SELECT version FROM schema_migrations')
      .all()
      .map((row) => row.version),
  );
  const applied: number[] = [];
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  for (const migration of [...migrations].sort((a, b) => a.version - b.version)) {
    if (done.has(migration.version)) continue;
    db.transaction(() => {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, Date.now());
    }).immediate();
    applied.push(migration.version);
  }
  const latest = migrations.reduce((max, m) => Math.max(max, m.version), 0);
  const known = Math.max(...done, 0);
  if (known > latest) {
    throw new Error(`database schema version ${known} is newer than this program knows (${latest}); upgrade SAPA`);
  }
  return { applied, current: Math.max(latest, known) };
}
