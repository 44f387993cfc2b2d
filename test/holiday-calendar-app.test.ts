/**
 * The composed application (startApp) with a fake clock and a holidays file that ends
 * with 2026: the health report (admins: GET /api/health) shows the calendar warning from
 * 1 November 00:00 WITA while /healthz stays 200 / ok, and the weekly staff reminder survives restarts on the same database file.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createFakeClock, type FakeClock } from '../src/clock.js';
import { loadConfig, type Config } from '../src/config.js';
import { startApp, type RunningApp } from '../src/main.js';
import { repoPath } from '../src/paths.js';
import { openDatabase } from '../src/store/db.js';

const dir = mkdtempSync(join(tmpdir(), 'sapa-holiday-app-'));
let app: RunningApp | null = null;
afterEach(async () => {
  await app?.stop();
  app = null;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The shipped sla.yaml, pointed at a holidays file that has only an official 2026. */
function configFor(dbName: string): Config {
  const holidaysFile = join(dir, 'holidays.json');
  writeFileSync(
    holidaysFile,
    JSON.stringify({
      years: [{ year: 2026, status: 'official', decree: 'SKB 2026 (test)', holidays: [{ date: '2026-12-25', name: 'Hari Raya Natal', kind: 'holiday' }] }],
    }),
  );
  const slaFile = join(dir, 'sla.yaml');
  writeFileSync(slaFile, readFileSync(repoPath('data', 'sla.yaml'), 'utf8').replace(/^holidays_file: .*$/m, `holidays_file: ${holidaysFile}`));
  return loadConfig({ SAPA_DB: join(dir, dbName), PORT: '0', SAPA_SLA_FILE: slaFile, LOG_LEVEL: 'silent' });
}

/** The public /healthz status with the admin's report (GET /api/health), where the warnings are. */
async function health(running: RunningApp): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await running.server.inject({ method: 'GET', url: '/healthz' });
  expect(response.json()).not.toHaveProperty('warnings');
  return { status: response.statusCode, body: { ...running.server.healthReport() } };
}

async function start(config: Config, clock: FakeClock): Promise<RunningApp> {
  app = await startApp(config, pino({ level: 'silent' }), { clock });
  return app;
}

function reminderCount(config: Config): number {
  const db = openDatabase(config.dbPath);
  try {
    return (db.prepare("SELECT COUNT(*) AS n FROM staff_alerts WHERE kind = 'holiday_calendar'").get() as { n: number }).n;
  } finally {
    db.close();
  }
}

// Each start trains the classifier (about a second, far more on a loaded machine).
const SLOW = 180_000;

describe('the calendar after 2026, in the running app', () => {
  it(
    'the health report warns from 1 November 00:00 WITA, /healthz stays 200 with ok true; the staff reminder goes once across restarts',
    async () => {
      const config = configFor('app.db');
      const clock = createFakeClock('2026-10-31T23:59:00+08:00');
      let running = await start(config, clock);
      const before = await health(running);
      expect(before.status).toBe(200);
      expect(before.body).toMatchObject({ ok: true, problems: [], warnings: [] });
      expect(before.body).toHaveProperty('channels.web');

      clock.set('2026-11-01T00:00:00+08:00');
      const after = await health(running);
      expect(after.status).toBe(200);
      expect(after.body).toMatchObject({ ok: true, problems: [], channels: { web: 'connected' } });
      expect(after.body['warnings']).toEqual([
        expect.stringMatching(/^calendar: no official holidays for 2027 in .*holidays\.json \(2027 is not in the file\)/),
      ]);
      // Started before the warning began: no reminder yet (the next one comes from the daily check or a start).
      await running.stop();
      app = null;
      expect(reminderCount(config)).toBe(0);

      // A new process on the same database file sends the reminder when it starts...
      clock.set('2026-11-02T09:00:00+08:00');
      running = await start(config, clock);
      await running.stop();
      app = null;
      expect(reminderCount(config)).toBe(1);

      // ...and the next one, started within the week, does not repeat it.
      clock.set('2026-11-05T09:00:00+08:00');
      running = await start(config, clock);
      expect((await health(running)).body['warnings']).toHaveLength(1);
      expect(reminderCount(config)).toBe(1);
    },
    SLOW,
  );
});
