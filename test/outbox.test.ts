import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createConsoleChannel } from '../channels/console.js';
import { backoffDelayMs, DEFAULT_BACKOFF } from '../src/outbox.js';
import { openDatabase } from '../src/store/db.js';
import { createRecordingChannel } from './fakes/recording-channel.js';
import { createTestCore, type TestCore } from './helpers/core.js';

let t: TestCore | undefined;
const dirs: string[] = [];
afterEach(() => {
  t?.close();
  t = undefined;
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const outboxRows = (tc: TestCore): { status: string; attempts: number; last_error: string | null; next_attempt_at: number }[] =>
  tc.db.prepare('SELECT status, attempts, last_error, next_attempt_at FROM outbox ORDER BY id').all() as never;

const FAIL_500 = { ok: false, kind: 'retryable', error: 'HTTP 500' } as const;

describe('backoff', () => {
  it('grows exponentially with full jitter and is capped', () => {
    expect(backoffDelayMs(0, DEFAULT_BACKOFF, () => 0)).toBe(1_000);
    expect(backoffDelayMs(3, DEFAULT_BACKOFF, () => 1)).toBe(8_000);
    expect(backoffDelayMs(40, DEFAULT_BACKOFF, () => 1)).toBe(DEFAULT_BACKOFF.maxMs);
    const spread = new Set(Array.from({ length: 50 }, (_, i) => backoffDelayMs(5, DEFAULT_BACKOFF, () => i / 50)));
    expect(spread.size).toBeGreaterThan(40);
  });
});

describe('outbox dispatcher', () => {
  it('retries a failing send with backoff until it goes through', async () => {
    t = createTestCore();
    t.channel.script(FAIL_500, FAIL_500);
    await t.say('berapa biaya paspor');
    expect(t.channel.sent).toHaveLength(0);
    let [row] = outboxRows(t);
    expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error: 'HTTP 500' });
    // Not due yet: nothing is sent.
    expect(await t.core.outbox.runOnce()).toBe(0);
    t.clock.advance(row!.next_attempt_at - t.clock.now().getTime());
    await t.core.outbox.runOnce();
    [row] = outboxRows(t);
    expect(row).toMatchObject({ status: 'pending', attempts: 2 });
    t.clock.advance(10 * 60_000);
    await t.core.outbox.runOnce();
    expect(outboxRows(t)[0]).toMatchObject({ status: 'sent', attempts: 3, last_error: null });
    expect(t.channel.sent).toHaveLength(1);
    const message = t.db.prepare("SELECT delivery_status, external_id FROM messages WHERE direction = 'out'").get() as { delivery_status: string; external_id: string };
    expect(message).toEqual({ delivery_status: 'sent', external_id: 'telegram-1' });
  });

  it('honours the provider’s retry_after', async () => {
    t = createTestCore();
    t.channel.script({ ok: false, kind: 'retryable', error: '429 Too Many Requests', retryAfterMs: 42_000 });
    await t.say('berapa biaya paspor');
    const [row] = outboxRows(t);
    expect(row!.next_attempt_at - t.clock.now().getTime()).toBeGreaterThanOrEqual(42_000);
  });

  it('keeps order within a conversation while an earlier message retries', async () => {
    t = createTestCore();
    t.channel.script(FAIL_500);
    await t.say('berapa biaya paspor');
    await t.say('syarat paspor anak apa saja');
    await t.say('halo', { from: 'someone-else' });
    // The other conversation is not held up.
    expect(t.channel.textsTo('someone-else')).toHaveLength(1);
    expect(t.channel.textsTo('applicant-1')).toHaveLength(0);
    t.clock.advance(10 * 60_000);
    await t.settle();
    const texts = t.channel.textsTo('applicant-1');
    expect(texts).toHaveLength(2);
    expect(texts[0]).toContain('Rp950.000');
  });

  it('marks a permanent failure on the message and moves on', async () => {
    t = createTestCore();
    t.channel.script({ ok: false, kind: 'permanent', error: '403 Forbidden: bot was blocked by the user' });
    await t.say('berapa biaya paspor');
    await t.say('syarat paspor anak apa saja');
    const rows = outboxRows(t);
    expect(rows[0]).toMatchObject({ status: 'failed', last_error: '403 Forbidden: bot was blocked by the user' });
    expect(rows[1]).toMatchObject({ status: 'sent' });
    const failed = t.db.prepare("SELECT delivery_status, delivery_error FROM messages WHERE direction = 'out' ORDER BY id LIMIT 1").get();
    expect(failed).toEqual({ delivery_status: 'failed', delivery_error: '403 Forbidden: bot was blocked by the user' });
  });

  it('gives up after the retry horizon and records why', async () => {
    t = createTestCore();
    t.channel.failAll(FAIL_500);
    await t.say('berapa biaya paspor');
    t.clock.advance(DEFAULT_BACKOFF.giveUpAfterMs + 1);
    await t.core.outbox.runOnce();
    expect(outboxRows(t)[0]).toMatchObject({ status: 'failed' });
    expect(outboxRows(t)[0]?.last_error).toMatch(/gave up after retrying: HTTP 500/);
  });

  it('treats a throwing adapter as a retryable failure', async () => {
    t = createTestCore();
    t.channel.script(() => {
      throw new Error('socket hang up');
    });
    await t.say('berapa biaya paspor');
    expect(outboxRows(t)[0]).toMatchObject({ status: 'pending', last_error: 'socket hang up' });
  });

  it('never sends a row twice, even with overlapping passes', async () => {
    t = createTestCore();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    t.channel.script(async () => {
      await gate;
      return { ok: true, providerMessageId: 'slow-1' };
    });
    const accepted = t.core.intake.sink.accept({
      channel: 'telegram',
      externalId: 'x1',
      conversationExternalId: 'c1',
      sender: { externalId: 'c1' },
      text: 'berapa biaya paspor',
      attachments: [],
      receivedAt: t.clock.now(),
    });
    await accepted;
    await t.core.intake.idle();
    const first = t.core.outbox.runOnce();
    const second = t.core.outbox.runOnce();
    release();
    await Promise.all([first, second]);
    await t.core.outbox.runOnce();
    expect(t.channel.attempts).toHaveLength(1);
  });

  it('stop waits for the pass under way: nothing touches the database once it returns', async () => {
    t = createTestCore();
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    try {
      // A terminal (piped input, as `sapa chat < file`): its replies are written at once.
      const input = new PassThrough();
      const output = new PassThrough();
      output.resume();
      let closed!: () => void;
      const ended = new Promise<void>((resolve) => {
        closed = resolve;
      });
      const terminal = createConsoleChannel({ input, output, userId: 'piped', onClose: () => closed() });
      t.core.addChannel(terminal);
      await terminal.start(t.core.intake.sink);
      t.core.outbox.start();
      input.end('halo\nberapa biaya paspor\nterima kasih\n');
      await ended;
      // Finish routing, one last pass, stop, close: the dispatcher's own pass may still be
      // between two steps when stop is called.
      await t.core.intake.idle();
      await t.core.outbox.runOnce();
      await t.core.outbox.stop();
      t.db.close();
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('leaves rows of channels this process does not run untouched', async () => {
    t = createTestCore();
    await t.say('berapa biaya paspor', { channel: 'whatsapp', from: '628123' });
    expect(outboxRows(t)[0]).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('resumes unsent rows after a restart, and does not resend sent ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sapa-outbox-'));
    dirs.push(dir);
    const file = join(dir, 'sapa.db');
    const first = createTestCore({ db: openDatabase(file) });
    first.channel.failAll(FAIL_500);
    await first.say('berapa biaya paspor', { from: 'a' });
    first.channel.failAll(null);
    await first.say('halo', { from: 'b' });
    expect(first.channel.sent).toHaveLength(1);
    first.close();

    const restarted = createRecordingChannel('telegram');
    t = createTestCore({ db: openDatabase(file), channel: restarted });
    t.clock.advance(10 * 60_000);
    await t.settle();
    expect(restarted.sent.map((m) => m.conversationExternalId)).toEqual(['a']);
    expect(outboxRows(t).every((row) => row.status === 'sent')).toBe(true);
  });
});
