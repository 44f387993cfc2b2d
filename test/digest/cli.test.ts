/** `sapa digest`: the logic behind the command (src/cli-digest.ts) on a temp-file database. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli-errors.js';
import { digestCommand, digestDate } from '../../src/cli-digest.js';
import { createFakeClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/store/db.js';
import { buildFixture, NIK, PASSPORT, PHONE, TZ, wita } from './fixture.js';

let dir: string;
let env: Record<string, string>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sapa-digest-cli-'));
  const path = join(dir, 'sapa.db');
  const f = await buildFixture({ db: openDatabase(path) });
  f.t.close();
  env = { SAPA_DB: path, LOG_LEVEL: 'silent' };
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const monday = (): ReturnType<typeof createFakeClock> => createFakeClock(wita(30, '12:00'));

describe('sapa digest', () => {
  it('--json prints one object with the documented fields', async () => {
    const out = await digestCommand(loadConfig(env), { date: '2026-11-27', json: true, send: false }, monday());
    expect(out.endsWith('\n')).toBe(true);
    expect(out.trim().split('\n')).toHaveLength(1);
    const json = JSON.parse(out) as Record<string, unknown>;
    for (const field of ['date', 'messagesIn', 'byChannel', 'botOnlyShare', 'tickets', 'firstResponse', 'breaches', 'topIntents', 'unanswered', 'csat', 'servqual']) {
      expect(json).toHaveProperty(field);
    }
    expect(json).toMatchObject({
      date: '2026-11-27',
      messagesIn: 8,
      botOnlyShare: 0.3333,
      tickets: { opened: 4, resolved: 2, backlog: 2 },
      firstResponse: { count: 3, medianMinutes: 120, p90Minutes: 160, withinSlaShare: 0.5 },
      csat: { count: 2, average: 3.5 },
    });
    for (const secret of [NIK, PASSPORT, PHONE]) expect(out).not.toContain(secret);
  });

  it('prints the phone text by default, for yesterday in office time', async () => {
    const clock = createFakeClock(wita(28, '07:00'));
    expect(digestDate(undefined, clock.now(), TZ)).toBe('2026-11-27');
    // 00:30 WITA on the 28th is still the 27th in UTC: yesterday is the office's.
    expect(digestDate(undefined, new Date(wita(28, '00:30')), TZ)).toBe('2026-11-27');
    const out = await digestCommand(loadConfig(env), { json: false, send: false }, clock);
    expect(out).toMatch(/^📊 Ringkasan SAPA · Jumat, 27 Nov 2026\n/);
    for (const secret of [NIK, PASSPORT, PHONE]) expect(out).not.toContain(secret);
  });

  it('rejects invalid dates with a UsageError before opening anything', async () => {
    const now = new Date(wita(30, '12:00'));
    for (const bad of ['2026-02-30', '27-11-2026', 'yesterday', '2026-11-7', '2026-13-01']) {
      expect(() => digestDate(bad, now, TZ)).toThrow(UsageError);
    }
    expect(() => digestDate('2026-12-25', now, TZ)).toThrow(/in the future/);
    await expect(digestCommand(loadConfig({ SAPA_DB: join(dir, 'never', 'x.db') }), { date: '2026-02-30', json: false, send: false }, monday())).rejects.toThrow(
      /--date must be a real date written YYYY-MM-DD/,
    );
  });

  it('--send queues once per date and recipient; a second --send queues nothing', async () => {
    const sendEnv = { ...env, TELEGRAM_BOT_TOKEN: '123456:TEST-token_for-fake-api', TELEGRAM_SUPERVISOR_CHAT_IDS: '-1005550001,-1005550002' };
    const first = JSON.parse(await digestCommand(loadConfig(sendEnv), { date: '2026-11-27', json: true, send: true }, monday())) as {
      delivery: { queued: unknown[]; alreadySent: unknown[] };
    };
    expect(first.delivery).toEqual({
      queued: [
        { channel: 'telegram', target: '1005****01' },
        { channel: 'telegram', target: '1005****02' },
      ],
      alreadySent: [],
    });
    const second = await digestCommand(loadConfig(sendEnv), { date: '2026-11-27', json: false, send: true }, monday());
    expect(second).toContain('digest 2026-11-27 queued to 0 supervisor target(s) (2 already had it); the running bot delivers it');
    const db = openDatabase(env['SAPA_DB']!);
    try {
      expect(db.prepare("SELECT COUNT(*) AS n FROM digest_deliveries WHERE date = '2026-11-27'").get()).toEqual({ n: 2 });
    } finally {
      db.close();
    }
  });

  it('--send without supervisor targets says which variables to set', async () => {
    await expect(digestCommand(loadConfig(env), { date: '2026-11-27', json: false, send: true }, monday())).rejects.toThrow(
      /TELEGRAM_SUPERVISOR_CHAT_IDS and\/or WHATSAPP_SUPERVISOR_NUMBERS/,
    );
  });
});
