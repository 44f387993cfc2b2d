/**
 * The composed application (startApp) with Telegram configured from environment
 * variables, against the fake Bot API: polling intake, the staff group, and the
 * webhook route on our own HTTP server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { startApp, type RunningApp } from '../src/main.js';
import { createStaffService } from '../src/staff.js';
import { createFakeBotApi, type FakeBotApi } from './fakes/telegram-bot-api.js';

const STAFF_CHAT = -100555;
let api: FakeBotApi | null = null;
let app: RunningApp | null = null;
const dirs: string[] = [];

afterEach(async () => {
  await app?.stop();
  await api?.close();
  app = null;
  api = null;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function until<T>(probe: () => T | undefined, what: string, ms = 10_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function start(extra: Record<string, string>): Promise<RunningApp> {
  api = await createFakeBotApi({ maxPollWaitMs: 100 });
  const dir = mkdtempSync(join(tmpdir(), 'sapa-e2e-tg-'));
  dirs.push(dir);
  const config = loadConfig({
    SAPA_DB: join(dir, 'sapa.db'),
    PORT: '0',
    TELEGRAM_BOT_TOKEN: api.token,
    TELEGRAM_API_ROOT: api.apiRoot,
    TELEGRAM_SENDS_PER_SECOND: '0',
    TELEGRAM_STAFF_CHAT_ID: String(STAFF_CHAT),
    ...extra,
  });
  app = await startApp(config, pino({ level: 'silent' }));
  return app;
}

describe('Telegram, configured by environment', () => {
  it('answers applicants by long polling and posts complaints to the staff group, where a linked officer replies', async () => {
    const running = await start({});
    const health = (await (await fetch(`${running.url}/healthz`)).json()) as { channels: Record<string, string> };
    expect(health.channels).toMatchObject({ telegram: 'connected', web: 'connected' });
    createStaffService(running.core.db).add({ username: 'budi', role: 'staff', password: 'rahasia-sekali-1', displayName: 'Budi' });
    createStaffService(running.core.db).linkTelegram('budi', '9001');

    api!.enqueue(api!.build.text(777, 'berapa biaya paspor?'));
    const answer = await until(() => api!.sentTo(777)[0], 'the FAQ answer');
    expect(answer.text).toContain('Rp950.000');

    api!.enqueue(api!.build.text(777, 'antrian lama sekali dan petugas tidak ramah, saya kecewa'));
    const post = await until(() => api!.sentTo(STAFF_CHAT).find((m) => m.text.includes('#1')), 'the staff-group post');
    expect(JSON.stringify(post.replyMarkup)).toContain('Ambil');

    api!.enqueue(api!.build.groupText(STAFF_CHAT, 'Mohon maaf Bapak, kami cek antriannya sekarang.', { userId: 9001, replyTo: post }));
    const delivered = await until(() => api!.sentTo(777).find((m) => m.text.startsWith('Mohon maaf Bapak, kami cek')), 'the staff reply');
    expect(delivered).toBeDefined();
    expect(running.core.tickets.get(1).firstResponseAt).not.toBeNull();
  });

  it('serves the webhook on our own server: wrong secret 401, right secret stored and answered', async () => {
    const running = await start({ TELEGRAM_WEBHOOK_URL: 'https://sapa.example/telegram/hook', TELEGRAM_WEBHOOK_SECRET: 'rahasia_webhook_123' });
    expect(api!.webhook()).toEqual({ url: 'https://sapa.example/telegram/hook', secretToken: 'rahasia_webhook_123' });
    const update = api!.build.text(888, 'syarat paspor anak apa saja');
    const wrong = await fetch(`${running.url}/telegram/hook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'nope' },
      body: JSON.stringify(update),
    });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${running.url}/telegram/hook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'rahasia_webhook_123' },
      body: JSON.stringify(update),
    });
    expect(right.status).toBe(200);
    const reply = await until(() => api!.sentTo(888)[0], 'the webhook reply');
    expect(reply.text).toMatch(/anak/i);
    // Telegram retries a webhook delivery: answered once.
    await fetch(`${running.url}/telegram/hook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': 'rahasia_webhook_123' },
      body: JSON.stringify(update),
    });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(api!.sentTo(888)).toHaveLength(1);
  });
});
