/**
 * Disk full: SQLite's max_page_count makes every write fail with SQLITE_FULL, exactly
 * as a full disk does. Nothing is lost, /healthz says what is wrong, and the bot
 * recovers by itself when space returns.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createWebChannel } from '../channels/web.js';
import { StorageUnavailableError } from '../src/intake.js';
import { buildServer } from '../src/server/app.js';
import { openDatabase, type Db } from '../src/store/db.js';
import { storeInbound } from '../src/store/inbox.js';
import { createTestCore, type TestCore } from './helpers/core.js';

let t: TestCore | undefined;
const dirs: string[] = [];
afterEach(() => {
  t?.close();
  t = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function fileDb(): Db {
  const dir = mkdtempSync(join(tmpdir(), 'sapa-full-'));
  dirs.push(dir);
  return openDatabase(join(dir, 'sapa.db'));
}

function fillDisk(db: Db): void {
  // Freeze the file at its current size: the next page it needs is "disk full".
  const pages = (db.pragma('page_count', { simple: true }) as number);
  db.pragma(`max_page_count = ${pages}`);
}

function freeDisk(db: Db): void {
  db.pragma('max_page_count = 1073741823');
}

const message = (id: string, text = 'berapa biaya paspor') => ({
  channel: 'telegram' as const,
  externalId: id,
  conversationExternalId: 'applicant',
  sender: { externalId: 'applicant' },
  text: `${text} ${'x'.repeat(3000)}`,
  attachments: [],
  receivedAt: new Date(),
});

describe('disk full and read-only database', () => {
  it('refuses to acknowledge what it cannot store, reports it, and recovers', async () => {
    t = createTestCore({ db: fileDb() });
    await t.say('halo');
    fillDisk(t.db);
    let failure: unknown = null;
    // Enough text to need new pages.
    for (let i = 0; i < 20 && failure === null; i += 1) {
      await t.core.intake.sink.accept(message(`full-${i}`)).catch((err: unknown) => {
        failure = err;
      });
    }
    expect(failure).toBeInstanceOf(StorageUnavailableError);
    expect((failure as Error).message).toMatch(/disk is full/);
    expect(t.core.health.problems().join('\n')).toMatch(/intake: the disk is full/);

    freeDisk(t.db);
    // The provider delivers the refused message again; now it is stored and answered.
    await t.core.intake.sink.accept(message('redelivered'));
    await t.settle();
    expect(t.core.health.problems()).toEqual([]);
    const stored = t.db.prepare("SELECT COUNT(*) AS n FROM messages WHERE external_id = 'redelivered' AND processed_at IS NOT NULL").get() as { n: number };
    expect(stored.n).toBe(1);
  });

  it('a read-only database is reported as such and recovers when writable again', async () => {
    t = createTestCore({ db: fileDb() });
    await t.say('halo');
    // query_only makes every write fail with SQLITE_READONLY, as a read-only file or mount does.
    t.db.pragma('query_only = ON');
    await expect(t.core.intake.sink.accept(message('ro-1'))).rejects.toThrow(/read-only/);
    expect(t.core.health.problems().join('\n')).toMatch(/intake: the database is read-only/);
    t.db.pragma('query_only = OFF');
    await t.core.intake.sink.accept(message('ro-1'));
    await t.settle();
    expect(t.core.health.problems()).toEqual([]);
    expect(t.db.prepare("SELECT COUNT(*) AS n FROM messages WHERE external_id = 'ro-1' AND processed_at IS NOT NULL").get()).toEqual({ n: 1 });
  });

  it('keeps stored messages whose routing failed and routes them once space returns', async () => {
    t = createTestCore({ db: fileDb() });
    await t.say('halo');
    // Messages already committed (as after a crash), then the disk fills before routing.
    for (let i = 0; i < 30; i += 1) storeInbound(t.db, message(`burst-${i}`, 'antrian lama sekali, saya kecewa'), new Date());
    fillDisk(t.db);
    await t.core.intake.drain();
    const unprocessed = (): number => (t!.db.prepare("SELECT COUNT(*) AS n FROM messages WHERE direction = 'in' AND processed_at IS NULL").get() as { n: number }).n;
    expect(unprocessed()).toBe(30);
    expect(t.core.health.problems().join('\n')).toMatch(/routing: the disk is full/);
    freeDisk(t.db);
    await t.core.intake.drain();
    await t.settle();
    expect(unprocessed()).toBe(0);
    expect(t.core.health.problems()).toEqual([]);
    expect(t.db.prepare('SELECT COUNT(*) AS n FROM tickets').get()).toEqual({ n: 1 });
  });

  it('answers the web chat with 503 (the browser retries) and shows the problem on /healthz', async () => {
    t = createTestCore({ db: fileDb() });
    const web = createWebChannel();
    t.core.addChannel(web);
    await web.start(t.core.intake.sink);
    const app = await buildServer({
      db: t.db,
      logger: pino({ level: 'silent' }),
      web,
      channels: () => t!.core.channels(),
      problems: () => t!.core.health.problems(),
      webChatPerMinute: 1000,
    });
    try {
      const visitorId = ((await app.inject({ method: 'POST', url: '/chat/visitors' })).json() as { visitorId: string }).visitorId;
      fillDisk(t.db);
      let status = 202;
      for (let i = 0; i < 20 && status === 202; i += 1) {
        status = (
          await app.inject({
            method: 'POST',
            url: '/chat/messages',
            payload: { visitorId, clientMessageId: `full-msg-${i}0000`, text: `halo ${'y'.repeat(3000)}` },
          })
        ).statusCode;
      }
      expect(status).toBe(503);
      const health = await app.inject({ method: 'GET', url: '/healthz' });
      expect(health.statusCode).toBe(503);
      // The public answer says that, not what (the reason is for admins: GET /api/health).
      expect(health.json()).toMatchObject({ ok: false });
      expect(health.body).not.toMatch(/disk/);
      expect(JSON.stringify(app.healthReport().problems)).toMatch(/disk is full/);
      freeDisk(t.db);
      const again = await app.inject({
        method: 'POST',
        url: '/chat/messages',
        payload: { visitorId, clientMessageId: 'full-msg-retry0', text: 'halo' },
      });
      expect(again.statusCode).toBe(202);
      expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
