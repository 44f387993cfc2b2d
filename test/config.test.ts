import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('configuration', () => {
  it('has working defaults with no variables at all', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      dbPath: 'data/sapa.db',
      port: 3000,
      host: '127.0.0.1',
      timeZone: 'Asia/Makassar',
      logLevel: 'info',
      telegram: null,
    });
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT: must be a whole number from 0 to 65535, got "abc"'],
    [{ PORT: '70000' }, 'PORT: must be a whole number from 0 to 65535, got "70000"'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL: must be one of fatal, error, warn, info, debug, trace, silent, got "loud"'],
    [{ SAPA_TZ: 'Mars/Olympus' }, 'SAPA_TZ: must be an IANA time zone such as Asia/Makassar'],
    [{ TELEGRAM_BOT_TOKEN: 'nope' }, 'TELEGRAM_BOT_TOKEN: must look like 123456789:AA...'],
    [{ TELEGRAM_BOT_TOKEN: '123:ABCDEFGHIJKLMNOPQRSTUVWXYZ', TELEGRAM_API_ROOT: 'ftp://x' }, 'TELEGRAM_API_ROOT: must be an absolute http(s) URL'],
    [{ TELEGRAM_BOT_TOKEN: '123:ABCDEFGHIJKLMNOPQRSTUVWXYZ', TELEGRAM_WEBHOOK_URL: 'https://sapa.example/tg' }, 'TELEGRAM_WEBHOOK_SECRET: is required'],
    [{ TELEGRAM_BOT_TOKEN: '123:ABCDEFGHIJKLMNOPQRSTUVWXYZ', TELEGRAM_SUPERVISOR_CHAT_IDS: '1,abc' }, 'TELEGRAM_SUPERVISOR_CHAT_IDS: must be comma-separated numeric chat ids, got "abc"'],
    [{ SLA_SCAN_CRON: 'every minute' }, 'SLA_SCAN_CRON: must be a cron expression of 5 fields'],
    [{ WHATSAPP_STAFF_GROUP_JID: '120363012345678901@g.us' }, 'WHATSAPP_ENABLED: must be true when WHATSAPP_STAFF_GROUP_JID'],
    [{ WHATSAPP_ENABLED: 'yes' }, 'WHATSAPP_ENABLED: must be one of true, false, got "yes"'],
    [{ WHATSAPP_ENABLED: 'true', WHATSAPP_PAIRING_NUMBER: '+62 812' }, 'WHATSAPP_PAIRING_NUMBER: must be the office number in international form'],
    [{ IG_USERNAME: 'kanimkupang' }, 'IG_PASSWORD: is required when IG_USERNAME is set'],
    [{ IG_USERNAME: '@kanim kupang', IG_PASSWORD: 'x' }, 'IG_USERNAME: must be an Instagram username'],
    [{ IG_USERNAME: 'kanimkupang', IG_PASSWORD: 'x', IG_POLL_MIN_SECONDS: '60', IG_POLL_MAX_SECONDS: '30' }, 'IG_POLL_MAX_SECONDS: must be at least IG_POLL_MIN_SECONDS (60), got "30"'],
    [{ WEB_CHAT_PER_MINUTE: '0' }, 'WEB_CHAT_PER_MINUTE: must be a whole number from 1 to 10000, got "0"'],
  ])('%j is refused with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('reads Telegram settings', () => {
    const config = loadConfig({
      TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZ',
      TELEGRAM_SENDS_PER_SECOND: '0',
      TELEGRAM_SUPERVISOR_CHAT_IDS: '-100123, 456',
    });
    expect(config.telegram).toMatchObject({ sendsPerSecond: 0, supervisorChatIds: ['-100123', '456'], apiRoot: 'https://api.telegram.org' });
  });
});
