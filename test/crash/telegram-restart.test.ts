/**
 * A restart in the middle of a batch loses nothing: the real `sapa start` process
 * against the fake Bot API, killed with SIGKILL while it works through a burst,
 * then started again on the same database.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../src/paths.js';
import { createFakeBotApi, type FakeBotApi } from '../fakes/telegram-bot-api.js';

const dir = mkdtempSync(join(tmpdir(), 'sapa-crash-'));
const children: ChildProcess[] = [];
let api: FakeBotApi | null = null;
afterAll(async () => {
  for (const child of children) child.kill('SIGKILL');
  await api?.close();
  rmSync(dir, { recursive: true, force: true });
});

function startProcess(fake: FakeBotApi): ChildProcess {
  const child = spawn(process.execPath, [join(REPO_ROOT, 'bin', 'sapa.js'), 'start'], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env['PATH'] ?? '',
      SAPA_DB: join(dir, 'sapa.db'),
      PORT: '0',
      LOG_LEVEL: 'warn',
      TELEGRAM_BOT_TOKEN: fake.token,
      TELEGRAM_API_ROOT: fake.apiRoot,
      TELEGRAM_SENDS_PER_SECOND: '0',
    },
    stdio: 'ignore',
  });
  children.push(child);
  return child;
}

async function until(probe: () => boolean, what: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('crash in the middle of a batch', () => {
  it('answers every applicant of a 1,000-message burst through three SIGKILLs, storing each update once', async () => {
    api = await createFakeBotApi({ maxPollWaitMs: 100 });
    const applicants = 1000;
    const texts = ['berapa biaya paspor', 'antrian lama sekali, saya kecewa', 'syarat paspor anak', 'halo kak'];
    for (let i = 0; i < applicants; i += 1) api.enqueue(api.build.text(10_000 + i, texts[i % texts.length] ?? 'halo'));

    // Three kills at random moments of the burst, each followed by a restart.
    const answered = (): number => new Set(api!.sent.map((m) => m.chatId)).size;
    const killPoints = [0.1, 0.4, 0.7].map((base) => Math.floor(applicants * (base + Math.random() * 0.2)));
    for (const point of killPoints) {
      const child = startProcess(api);
      await until(() => answered() >= point, `${point} applicants answered`, 60_000);
      // Kill at a random instant inside the work, not at a quiet moment.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 50));
      child.kill('SIGKILL');
      await new Promise((resolve) => child.once('exit', resolve));
    }
    expect(answered()).toBeLessThan(applicants);

    startProcess(api);
    await until(() => answered() === applicants, 'every applicant answered', 60_000);

    const db = new Database(join(dir, 'sapa.db'), { readonly: true });
    try {
      const inbound = db.prepare("SELECT COUNT(*) AS n, COUNT(DISTINCT external_id) AS d FROM messages WHERE direction = 'in'").get() as { n: number; d: number };
      expect(inbound).toEqual({ n: applicants, d: applicants });
      const unprocessed = db.prepare("SELECT COUNT(*) AS n FROM messages WHERE direction = 'in' AND processed_at IS NULL").get() as { n: number };
      expect(unprocessed.n).toBe(0);
      // One ticket per complaining applicant, numbers unique.
      const tickets = db.prepare('SELECT COUNT(*) AS n, COUNT(DISTINCT conversation_id) AS c FROM tickets').get() as { n: number; c: number };
      expect(tickets.n).toBe(applicants / texts.length);
      expect(tickets.c).toBe(tickets.n);
    } finally {
      db.close();
    }
  }, 180_000);
});
