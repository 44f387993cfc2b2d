import { describe, expect, it } from 'vitest';
import { openDatabase } from '../src/store/db.js';
import { MIGRATIONS, runMigrations } from '../src/store/migrate.js';
import { storeInbound, storeInboundForRouting } from '../src/store/inbox.js';

describe('migrations', () => {
  it('create every table and record the version once', () => {
    const db = openDatabase(':memory:');
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
    for (const table of ['contacts', 'identities', 'conversations', 'messages', 'attachments', 'tickets', 'ticket_events', 'staff', 'channel_state', 'schema_migrations']) {
      expect(tables).toContain(table);
    }
    // The delivery queue lives in `messages` since migration 009; `outbox` is its view.
    expect(db.prepare("SELECT type FROM sqlite_master WHERE name = 'outbox'").get()).toEqual({ type: 'view' });
    const again = runMigrations(db);
    expect(again.applied).toEqual([]);
    expect(again.current).toBe(MIGRATIONS.at(-1)?.version);
    db.close();
  });

  it('use WAL on a file database and refuse a schema newer than the program', () => {
    const db = openDatabase(':memory:');
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, ?, 0)').run('future');
    expect(() => runMigrations(db)).toThrow(/newer than this program knows/);
    db.close();
  });

  it('roll back a failing migration completely', () => {
    const db = openDatabase(':memory:', { migrate: false });
    expect(() =>
      runMigrations(db, [{ version: 1, name: 'broken', sql: 'CREATE TABLE a (x INTEGER); CREATE TABLE a (y INTEGER);' }]),
    ).toThrow();
    expect(db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name = 'a'").get()).toEqual({ n: 0 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM schema_migrations').get()).toEqual({ n: 0 });
    db.close();
  });
});

describe('inbox', () => {
  const message = (externalId: string, sender = 'u1') => ({
    channel: 'telegram' as const,
    externalId,
    conversationExternalId: sender,
    sender: { externalId: sender, displayName: 'Yohanes' },
    text: 'halo',
    attachments: [],
    receivedAt: new Date('2026-11-30T01:00:00Z'),
  });

  it('stores the person, the conversation and the message, and drops redeliveries', () => {
    const db = openDatabase(':memory:');
    const now = new Date('2026-11-30T01:00:00Z');
    expect(storeInbound(db, message('m1'), now)).toEqual({ outcome: 'stored', messageId: 1 });
    expect(storeInbound(db, message('m1'), now)).toEqual({ outcome: 'duplicate', messageId: 1 });
    expect(storeInbound(db, message('m2'), now)).toEqual({ outcome: 'stored', messageId: 2 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM contacts').get()).toEqual({ n: 1 });
    expect(db.prepare('SELECT COUNT(*) AS n FROM conversations').get()).toEqual({ n: 1 });
    storeInbound(db, message('m3', 'u2'), now);
    expect(db.prepare('SELECT COUNT(*) AS n FROM contacts').get()).toEqual({ n: 2 });
    db.close();
  });

  it('stamps the conversation with the latest message, not with a redelivery, and returns it as stored', () => {
    const db = openDatabase(':memory:');
    const lastInbound = (): unknown => db.prepare('SELECT last_inbound_at AS at FROM conversations').get();
    const first = new Date('2026-11-30T01:00:00Z');
    const second = new Date('2026-11-30T01:05:00Z');
    storeInbound(db, message('m1'), first);
    expect(lastInbound()).toEqual({ at: first.getTime() });
    storeInbound(db, message('m1'), second); // redelivery
    expect(lastInbound()).toEqual({ at: first.getTime() });
    const routed = db
      .transaction(() => storeInboundForRouting(db, message('m2'), second, () => ({ intent: 'greeting', confidence: 0.9, complaint: false })))
      .immediate();
    expect(lastInbound()).toEqual({ at: second.getTime() });
    expect(routed.stored?.conversation).toMatchObject({ id: 1, externalId: 'u1', lastInboundAt: second });
    expect(routed.stored?.message).toMatchObject({ id: 2, intent: 'greeting', processedAt: second });
    expect(db.prepare('SELECT COUNT(*) AS n FROM conversations').get()).toEqual({ n: 1 });
    db.close();
  });

  it('the same provider id on another channel is another message', () => {
    const db = openDatabase(':memory:');
    const now = new Date();
    storeInbound(db, message('m1'), now);
    expect(storeInbound(db, { ...message('m1'), channel: 'whatsapp' }, now).outcome).toBe('stored');
    db.close();
  });
});
