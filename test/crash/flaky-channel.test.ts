/**
 * A channel failing 30% of sends (HTTP 500 and 429) for a minute while applicants keep
 * writing: afterwards every reply is delivered, each exactly once, in order within
 * each conversation. Runs on the fake clock, with a seeded random source.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { OutboundMessage, SendResult } from '../../channels/channel.js';
import { createRecordingChannel } from '../fakes/recording-channel.js';
import { createTestCore, type TestCore } from '../helpers/core.js';

let t: TestCore | undefined;
afterEach(() => {
  t?.close();
  t = undefined;
});

/** Deterministic pseudo-random numbers (mulberry32). */
function seeded(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let x = Math.imul(a ^ (a >>> 15), 1 | a);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

describe('a flaky channel', () => {
  it('delivers every reply once, in order per conversation, after a minute of 30% failures', async () => {
    const random = seeded(7);
    let flaky = true;
    const failures = { http500: 0, http429: 0 };
    const channel = createRecordingChannel('telegram');
    t = createTestCore({ channel });
    const decide = (_message: OutboundMessage): SendResult | null => {
      if (!flaky || random() >= 0.3) return null;
      if (random() < 0.5) {
        failures.http500 += 1;
        return { ok: false, kind: 'retryable', error: 'HTTP 500 Internal Server Error' };
      }
      failures.http429 += 1;
      return { ok: false, kind: 'retryable', error: '429 Too Many Requests', retryAfterMs: 3_000 };
    };
    // Every send asks the flaky decision first.
    const originalSend = channel.send.bind(channel);
    channel.send = async (message) => decide(message) ?? originalSend(message);

    const applicants = 20;
    const texts = ['halo', 'berapa biaya paspor', 'syarat paspor anak apa saja', 'cara daftar m-paspor', 'terima kasih'];
    const started = t.clock.now().getTime();
    let n = 0;
    // One minute of traffic while the channel fails 30% of sends.
    while (t.clock.now().getTime() - started < 60_000) {
      const who = `a-${n % applicants}`;
      await t.core.intake.sink.accept({
        channel: 'telegram',
        externalId: `m-${n}`,
        conversationExternalId: who,
        sender: { externalId: who },
        text: texts[Math.floor(n / applicants) % texts.length] ?? 'halo',
        attachments: [],
        receivedAt: t.clock.now(),
      });
      n += 1;
      await t.core.intake.idle();
      await t.core.outbox.runOnce();
      t.clock.advance(600);
    }
    expect(failures.http500 + failures.http429).toBeGreaterThan(10);
    // The channel recovers; retries drain the backlog.
    flaky = false;
    for (let i = 0; i < 200; i += 1) {
      t.clock.advance(10_000);
      await t.core.outbox.runOnce();
    }
    const pending = t.db.prepare("SELECT COUNT(*) AS n FROM outbox WHERE status != 'sent'").get() as { n: number };
    expect(pending.n).toBe(0);
    // Each queued reply was delivered exactly once, in the order it was queued per conversation.
    const queued = t.db
      .prepare("SELECT m.id, c.external_id AS chat FROM messages m JOIN conversations c ON c.id = m.conversation_id WHERE m.direction = 'out' AND m.visibility = 'public' ORDER BY m.id")
      .all() as { id: number; chat: string }[];
    expect(channel.sent.map((m) => m.messageId).sort((a, b) => a - b)).toEqual(queued.map((q) => q.id));
    for (let a = 0; a < applicants; a += 1) {
      const chat = `a-${a}`;
      const deliveredOrder = channel.sent.filter((m) => m.conversationExternalId === chat).map((m) => m.messageId);
      expect(deliveredOrder).toEqual(queued.filter((q) => q.chat === chat).map((q) => q.id));
    }
  });
});
