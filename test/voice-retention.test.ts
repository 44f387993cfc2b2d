/**
 * #22 retention and backups: `sapa purge` removes the bytes of voice notes (the applicant's
 * and the copy sent with the staff post) like other attachment bytes, and keeps the ticket
 * and the attachment's row (kind, length); a ticket still open keeps its recording. A
 * backup holds the recordings byte for byte.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import Database from 'better-sqlite3';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { runCli } from '../src/cli.js';
import { backupDatabase, purgeOlderThan } from '../src/maintenance.js';
import { openDatabase } from '../src/store/db.js';
import { makeWav } from './helpers/audio.js';
import { createTestCore, type TestCore } from './helpers/core.js';

const dir = mkdtempSync(join(tmpdir(), 'sapa-voice-retention-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let t: TestCore | undefined;
afterEach(() => {
  t?.close();
  t = undefined;
});

const WAV = makeWav(0.5);
const STAFF_GROUP = '-100555';
const voice = () => ({ kind: 'voice', mimeType: 'audio/wav', durationSeconds: 1, data: WAV }) as const;
const audioRows = (db: { prepare: TestCore['db']['prepare'] }, from: string) =>
  db
    .prepare(
      `SELECT a.kind, a.duration_seconds, a.data, m.direction FROM attachments a JOIN messages m ON m.id = a.message_id
        JOIN tickets t ON t.id = m.ticket_id JOIN conversations c ON c.id = t.conversation_id
        WHERE c.external_id = ? ORDER BY a.id`,
    )
    .all(from) as { kind: string; duration_seconds: number | null; data: Buffer | null; direction: string }[];

describe('voice notes and retention', () => {
  it('purge removes the recordings of a finished ticket (the staff post copy too) and keeps the ticket; an open ticket keeps its recording', async () => {
    t = createTestCore({ alertTargets: [{ channel: 'telegram', externalId: STAFF_GROUP, audience: 'staff' }] });
    await t.say('', { from: 'opa', attachments: [voice()] });
    await t.say('', { from: 'oma', attachments: [voice()] });
    // The applicant's recording, and its copy on the staff group's post.
    expect(audioRows(t.db, 'opa').map((r) => [r.direction, r.data?.equals(Buffer.from(WAV))])).toEqual([
      ['in', true],
      ['out', true],
    ]);
    t.core.tickets.setStatus(1, 'resolved', { type: 'staff' });
    t.clock.advance(400 * 86_400_000);

    const result = purgeOlderThan(t.db, new Date(t.clock.now().getTime() - 365 * 86_400_000));
    expect(result.attachments).toBe(2);
    // The rows stay (a voice note was sent, and how long it was); the bytes are gone.
    expect(audioRows(t.db, 'opa')).toEqual([
      { kind: 'voice', duration_seconds: 1, data: null, direction: 'in' },
      { kind: 'voice', duration_seconds: null, data: null, direction: 'out' },
    ]);
    expect(t.db.prepare('SELECT id, kind, status FROM tickets WHERE id = 1').get()).toEqual({ id: 1, kind: 'handoff', status: 'resolved' });
    // Ticket 2 is still open: staff may still need to listen.
    expect(audioRows(t.db, 'oma').every((r) => r.data?.equals(Buffer.from(WAV)))).toBe(true);
  });

  it('sapa purge from the CLI clears recording bytes', async () => {
    const file = join(dir, 'cli-purge.db');
    // Long before any date this test may run on (the CLI's cutoff is the real now).
    t = createTestCore({ db: openDatabase(file), start: '2020-01-06T01:00:00Z' });
    await t.say('', { from: 'opa', attachments: [voice()] });
    t.core.tickets.setStatus(1, 'resolved', { type: 'staff' });
    t.close();
    t = undefined;
    const out = new PassThrough();
    let text = '';
    out.on('data', (c: Buffer) => (text += c.toString()));
    const code = await runCli(['purge', '--older-than', '365d'], { stdin: new PassThrough(), stdout: out, stderr: new PassThrough(), env: { SAPA_DB: file } });
    expect(code).toBe(0);
    expect(text).toMatch(/1 attachments/);
    const db = new Database(file, { readonly: true });
    expect(db.prepare("SELECT kind, data FROM attachments WHERE kind = 'voice'").all()).toEqual([{ kind: 'voice', data: null }]);
    expect(db.prepare('SELECT COUNT(*) AS n FROM tickets').get()).toEqual({ n: 1 });
    db.close();
  });

  it('a backup holds the recordings byte for byte', async () => {
    t = createTestCore({ db: openDatabase(join(dir, 'live.db')) });
    await t.say('', { from: 'opa', attachments: [voice()] });
    await backupDatabase(t.db, join(dir, 'backup.db'));
    const copy = new Database(join(dir, 'backup.db'), { readonly: true });
    const row = copy.prepare("SELECT a.mime_type, a.duration_seconds, a.data FROM attachments a JOIN messages m ON m.id = a.message_id WHERE m.direction = 'in'").get() as {
      mime_type: string;
      duration_seconds: number;
      data: Buffer;
    };
    expect(row.mime_type).toBe('audio/wav');
    expect(row.duration_seconds).toBe(1);
    expect(row.data.equals(Buffer.from(WAV))).toBe(true);
    copy.close();
  });
});
