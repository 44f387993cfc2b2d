/** The web chat identity and flood-control settings: defaults, and a clear refusal of wrong values. */
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

describe('flood-control configuration', () => {
  it('has safe defaults', () => {
    expect(loadConfig({}).abuse).toEqual({
      webChatSecret: null,
      webChatVisitorsPerHour: 30,
      webChatTicketsPerHour: 10,
      alertBatchThreshold: 10,
      alertBatchWindowMs: 10 * 60_000,
    });
  });

  it('reads the variables and names the one that is wrong', () => {
    const config = loadConfig({
      WEB_CHAT_SECRET: 'f'.repeat(64),
      WEB_CHAT_VISITORS_PER_HOUR: '100',
      WEB_CHAT_TICKETS_PER_HOUR: '3',
      STAFF_ALERT_BATCH_THRESHOLD: '0',
      STAFF_ALERT_BATCH_MINUTES: '5',
    });
    expect(config.abuse).toEqual({ webChatSecret: 'f'.repeat(64), webChatVisitorsPerHour: 100, webChatTicketsPerHour: 3, alertBatchThreshold: 0, alertBatchWindowMs: 5 * 60_000 });
    expect(() => loadConfig({ WEB_CHAT_SECRET: 'short' })).toThrow(/^WEB_CHAT_SECRET: must be at least 32 printable characters/);
    expect(() => loadConfig({ WEB_CHAT_TICKETS_PER_HOUR: '0' })).toThrow('WEB_CHAT_TICKETS_PER_HOUR: must be a whole number from 1 to 100000, got "0"');
    expect(() => loadConfig({ STAFF_ALERT_BATCH_MINUTES: 'ten' })).toThrow(/^STAFF_ALERT_BATCH_MINUTES: must be a whole number/);
  });
});
