/**
 * The SQLite auth store round trip with Baileys' own initAuthCreds and
 * BufferJSON: creds, pre-keys, sessions, lid-mapping and app-state keys
 * survive closing and reopening the database file; deletes and batches are
 * transactional; reset() clears everything after a logout.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { proto } from '@whiskeysockets/baileys';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuthStore } from '../../channels/whatsapp/auth-state.js';
import { createStateStore } from '../../channels/whatsapp/state-store.js';
import { createFakeClock } from '../../src/clock.js';
import { openDatabase, type Db } from '../../src/store/db.js';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

function tempDbPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sapa-wa-auth-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'sapa.db');
}

function open(path: string): Db {
  const db = openDatabase(path);
  cleanups.push(() => {
    if (db.open) db.close();
  });
  return db;
}

const clock = createFakeClock('2026-11-30T01:00:00Z');

describe('whatsapp auth state in SQLite', () => {
  it('round-trips creds and every kind of key through a restart', async () => {
    const path = tempDbPath();
    const db1 = open(path);
    const first = createAuthStore(createStateStore(db1, clock));
    const creds = first.state.creds;
    creds.me = { id: '6281111111111:3@s.whatsapp.net', lid: '111222333444555:3@lid', name: 'Kantor Imigrasi Kupang' };
    creds.account = proto.ADVSignedDeviceIdentity.fromObject({ details: Buffer.from([1, 2, 3]), accountSignature: Buffer.from([4, 5]) });
    first.saveCreds();
    await first.state.keys.set({
      'pre-key': { '1': { public: Buffer.alloc(32, 1), private: Buffer.alloc(32, 2) }, '2': { public: Buffer.alloc(32, 3), private: Buffer.alloc(32, 4) } },
      session: { '6289999999999.0': Buffer.from('session-bytes') },
      'lid-mapping': { '6289999999999': '999888777666555', '999888777666555_reverse': '6289999999999' },
      'app-state-sync-key': { AAAA: proto.Message.AppStateSyncKeyData.fromObject({ keyData: Buffer.from([9, 9]), timestamp: 1_700_000_000 }) },
    });
    db1.close();

    const second = createAuthStore(createStateStore(open(path), clock));
    const loaded = second.state.creds;
    expect(second.isRegistered()).toBe(true);
    expect(loaded.me).toEqual(creds.me);
    expect(Buffer.isBuffer(loaded.noiseKey.private)).toBe(true);
    expect(Buffer.from(loaded.noiseKey.private).equals(Buffer.from(creds.noiseKey.private))).toBe(true);
    expect(Buffer.from(loaded.signedIdentityKey.public).equals(Buffer.from(creds.signedIdentityKey.public))).toBe(true);
    expect(loaded.signedPreKey.keyId).toBe(creds.signedPreKey.keyId);
    expect(Buffer.from(loaded.signedPreKey.signature).equals(Buffer.from(creds.signedPreKey.signature))).toBe(true);
    expect(loaded.registrationId).toBe(creds.registrationId);
    expect(loaded.advSecretKey).toBe(creds.advSecretKey);

    const preKeys = await second.state.keys.get('pre-key', ['1', '2', '3']);
    expect(Object.keys(preKeys).sort()).toEqual(['1', '2']);
    expect(Buffer.from(preKeys['2']?.private ?? []).equals(Buffer.alloc(32, 4))).toBe(true);
    const sessions = await second.state.keys.get('session', ['6289999999999.0']);
    expect(Buffer.from(sessions['6289999999999.0'] ?? []).toString()).toBe('session-bytes');
    expect(await second.state.keys.get('lid-mapping', ['6289999999999', '999888777666555_reverse'])).toEqual({
      '6289999999999': '999888777666555',
      '999888777666555_reverse': '6289999999999',
    });
    const appKey = (await second.state.keys.get('app-state-sync-key', ['AAAA'])).AAAA;
    expect(appKey).toBeInstanceOf(proto.Message.AppStateSyncKeyData);
    expect(Buffer.from(appKey?.keyData ?? []).equals(Buffer.from([9, 9]))).toBe(true);
  });

  it('deletes keys set to null, in the same batch as other writes', async () => {
    const db = open(':memory:');
    const auth = createAuthStore(createStateStore(db, clock));
    await auth.state.keys.set({ 'pre-key': { '1': { public: Buffer.alloc(32), private: Buffer.alloc(32) } } });
    await auth.state.keys.set({ 'pre-key': { '1': null, '2': { public: Buffer.alloc(32), private: Buffer.alloc(32) } } });
    expect(Object.keys(await auth.state.keys.get('pre-key', ['1', '2']))).toEqual(['2']);
  });

  it('writes a batch in one transaction: a failure leaves none of it', async () => {
    const db = open(':memory:');
    const auth = createAuthStore(createStateStore(db, clock));
    // The write of the second key fails (as a full disk would), after the first was written.
    db.exec(`CREATE TRIGGER fail_one BEFORE INSERT ON channel_state WHEN NEW.key = 'auth:key:session:b'
             BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END`);
    await expect(async () => auth.state.keys.set({ session: { a: Buffer.from('1'), b: Buffer.from('2') } })).rejects.toThrow(/disk I\/O/);
    expect(await auth.state.keys.get('session', ['a', 'b'])).toEqual({});
  });

  it('reset() after a logout deletes creds and keys and starts fresh creds', async () => {
    const db = open(':memory:');
    const auth = createAuthStore(createStateStore(db, clock));
    const oldNoise = Buffer.from(auth.state.creds.noiseKey.public);
    auth.saveCreds();
    await auth.state.keys.set({ session: { x: Buffer.from('s') } });
    db.prepare("INSERT INTO channel_state (channel, key, value, updated_at) VALUES ('whatsapp', 'sent:ABC', '{}', 0)").run();
    auth.reset();
    const left = db.prepare<[], { key: string }>("SELECT key FROM channel_state WHERE channel = 'whatsapp' ORDER BY key").all();
    expect(left.map((r) => r.key)).toEqual(['sent:ABC']);
    expect(Buffer.from(auth.state.creds.noiseKey.public).equals(oldNoise)).toBe(false);
    expect(auth.isRegistered()).toBe(false);
  });
});
