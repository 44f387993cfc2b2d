import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { backupDatabase, parseRetention, purgeOlderThan, PURGED_TEXT } from '../src/maintenance.js';
import { openDatabase } from '../src/store/db.js';
import { runCli } from '../src/cli.js';
import { PassThrough } from 'node:stream';
import { createTestCore, type TestCore } from './helpers/core.js';

const dir = mkdtempSync(join(tmpdir(), 'sapa-maint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let t: TestCore | undefined;
afterEach(() => {
  t?.close();
  t = undefined;
});

describe('backup', () => {
  it('copies a consistent snapshot while the database is in use, and refuses to overwrite', async () => {
    t = createTestCore({ db: openDatabase(join(dir, 'live.db')) });
    await t.say('antrian lama sekali, saya kecewa');
    const writing = (async () => {
      for (let i = 0; i < 50; i += 1) await t!.say(`berapa biaya paspor ${i}`, { from: `u${i}` });
    })();
    const result = await backupDatabase(t.db, join(dir, 'copy.db'));
    await writing;
    expect(result.pages).toBeGreaterThan(0);
    const copy = new Database(join(dir, 'copy.db'), { readonly: true });
    expect(copy.pragma('integrity_check', { simple: true })).toBe('ok');
    expect((copy.prepare('SELECT COUNT(*) AS n FROM tickets').get() as { n: number }).n).toBe(1);
    copy.close();
    await expect(backupDatabase(t.db, join(dir, 'copy.db'))).rejects.toThrow(/already exists/);
  });

  it('works from the CLI', async () => {
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => (text += c.toString()));
    const code = await runCli(['backup', join(dir, 'cli-copy.db')], { stdin: new PassThrough(), stdout: out, stderr: new PassThrough(), env: { SAPA_DB: join(dir, 'cli.db') } });
    expect(code).toBe(0);
    expect(text).toMatch(/backed up .*cli\.db to .*cli-copy\.db/);
  });
});

describe('purge', () => {
  it('removes old bodies but keeps rows, times, intents and ratings; open tickets stay whole', async () => {
    t = createTestCore();
    await t.say('antrian lama sekali, HP saya 081234567890, saya kecewa', { from: 'old' });
    t.core.tickets.setStatus(1, 'resolved', { type: 'staff' });
    await t.settle();
    await t.say('5', { from: 'old' });
    await t.say('pelayanannya bagus', { from: 'old' });
    await t.say('petugas tidak sopan, saya kecewa', { from: 'still-open' });
    t.clock.advance(400 * 86_400_000);
    await t.say('berapa biaya paspor', { from: 'new' });
    const before = t.db.prepare("SELECT COUNT(*) AS n FROM messages").get() as { n: number };

    const result = purgeOlderThan(t.db, new Date(t.clock.now().getTime() - 365 * 86_400_000));
    expect(result.messages).toBeGreaterThan(0);
    expect(result.tickets).toBe(1);
    expect(result.comments).toBe(1);
    expect(t.db.prepare('SELECT COUNT(*) AS n FROM messages').get()).toEqual(before);
    const old = t.db.prepare("SELECT m.text, m.intent FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.external_id = 'old' AND m.direction = 'in' ORDER BY m.id LIMIT 1").get() as { text: string; intent: string };
    expect(old.text).toBe(PURGED_TEXT);
    expect(old.intent).toBeTruthy();
    expect(JSON.stringify(t.db.prepare('SELECT * FROM messages').all())).not.toContain('081234567890');
    expect(t.db.prepare('SELECT rating, comment FROM csat_ratings').get()).toEqual({ rating: 5, comment: null });
    const open = t.db.prepare("SELECT m.text FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.external_id = 'still-open' AND m.direction = 'in'").get() as { text: string };
    expect(open.text).toBe('petugas tidak sopan, saya kecewa');
    const fresh = t.db.prepare("SELECT m.text FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE c.external_id = 'new' AND m.direction = 'in'").get() as { text: string };
    expect(fresh.text).toBe('berapa biaya paspor');
    const ticket = t.db.prepare('SELECT created_at, resolved_at, intent FROM tickets WHERE id = 1').get() as { created_at: number; resolved_at: number; intent: string };
    expect(ticket.resolved_at).toBeGreaterThanOrEqual(ticket.created_at);
    expect(ticket.intent).toBe("complaint");
  });

  it('reads retention ages', () => {
    expect(parseRetention('365d')).toBe(365 * 86_400_000);
    expect(parseRetention('52w')).toBe(364 * 86_400_000);
    expect(parseRetention('0d')).toBeNull();
    expect(parseRetention('1y')).toBeNull();
  });
});
