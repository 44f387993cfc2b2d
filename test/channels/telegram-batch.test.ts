/** A polled batch: each chat's updates in order, chats at once (so the core stores them in one commit). */
import type { Update } from 'telegraf/types';
import { describe, expect, it } from 'vitest';
import { processBatch } from '../../channels/telegram/polling.js';
import type { UpdateRunner } from '../../channels/telegram/update-runner.js';

const text = (updateId: number, chatId: number): Update =>
  ({ update_id: updateId, message: { message_id: updateId, date: 0, chat: { id: chatId, type: 'private', first_name: 'A' }, from: { id: chatId, is_bot: false, first_name: 'A' }, text: 'x' } }) as Update;

function runner(fail: ReadonlySet<number> = new Set()): UpdateRunner & { started: number[]; finished: number[]; release(): void } {
  const started: number[] = [];
  const finished: number[] = [];
  const waiting: (() => void)[] = [];
  return {
    started,
    finished,
    release: () => waiting.splice(0).forEach((go) => go()),
    process(update) {
      started.push(update.update_id);
      return new Promise<void>((resolve, reject) => {
        waiting.push(() => {
          finished.push(update.update_id);
          if (fail.has(update.update_id)) reject(new Error('database busy'));
          else resolve();
        });
      });
    },
    inFlight: () => [],
  };
}

describe('telegram batch processing', () => {
  it('starts every chat at once but a chat’s next update only after its previous one was stored', async () => {
    const r = runner();
    const done = processBatch(r, [text(1, 10), text(2, 20), text(3, 10), text(4, 30)]);
    await Promise.resolve();
    expect(r.started).toEqual([1, 2, 4]);
    r.release();
    await new Promise((resolve) => setImmediate(resolve));
    expect(r.started).toEqual([1, 2, 4, 3]);
    r.release();
    expect((await done).map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
  });

  it('does not store a chat’s later update when an earlier one failed (the offset stops there)', async () => {
    const r = runner(new Set([1]));
    const done = processBatch(r, [text(1, 10), text(2, 20), text(3, 10)]);
    await Promise.resolve();
    r.release();
    const outcomes = await done;
    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'fulfilled', 'rejected']);
    expect(r.started).not.toContain(3);
  });
});
