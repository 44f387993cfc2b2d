/** The Instagram adapter's pure parts: pacing, backoff, response parsing, error classes. */
import { describe, expect, it } from 'vitest';
import { IgResponseError } from 'instagram-private-api';
import { classifyIgError, classifySendError, needsPerson } from '../../channels/instagram/errors.js';
import { createSendPacer } from '../../channels/instagram/pacer.js';
import { backoffDelayMs, DEFAULT_BACKOFF, jitteredIntervalMs } from '../../channels/instagram/timers.js';
import { compareItems, IgWireError, parseInboxPage, parseSentItemId } from '../../channels/instagram/wire.js';
import { itemContent } from '../../channels/instagram/items.js';
import type { PhotoDownloader } from '../../channels/instagram/media.js';
import { AUDIO_MAX_BYTES, AUDIO_MAX_SECONDS } from '../../channels/channel.js';
import { createFakePacerTimers } from '../fakes/instagram-timers.js';

/**
 * A response with the fields IgResponseError's constructor reads. Test-only
 * cast: the library types it as request's full Response. (The subclasses,
 * challenge, login_required and so on, are exercised through nock in
 * instagram.test.ts with responses the library builds itself.)
 */
function response(statusCode: number, body: Record<string, unknown>): ConstructorParameters<typeof IgResponseError>[0] {
  const raw: unknown = { statusCode, statusMessage: 'x', body, request: { method: 'GET', uri: { path: '/api/v1/x/' } }, headers: {} };
  return raw as ConstructorParameters<typeof IgResponseError>[0];
}

describe('send pacer', () => {
  it('spaces sends evenly for the whole account, in call order', async () => {
    const timers = createFakePacerTimers();
    const pacer = createSendPacer(20, timers);
    await Promise.all([pacer.acquire(), pacer.acquire(), pacer.acquire()]);
    // 20 a minute: one every 3 s; the third goes out 6 s after the first.
    expect(timers.slept).toEqual([3_000, 3_000]);
    expect(timers.now()).toBe(6_000);
  });

  it('is off at 0 sends per minute', async () => {
    const timers = createFakePacerTimers();
    const pacer = createSendPacer(0, timers);
    await Promise.all([pacer.acquire(), pacer.acquire()]);
    expect(timers.slept).toEqual([]);
  });
});

describe('poll timing', () => {
  it('jitters the interval within the range', () => {
    expect(jitteredIntervalMs({ minMs: 20_000, maxMs: 40_000 }, () => 0)).toBe(20_000);
    expect(jitteredIntervalMs({ minMs: 20_000, maxMs: 40_000 }, () => 0.999)).toBeLessThanOrEqual(40_000);
  });

  it('doubles the backoff up to the maximum', () => {
    const delays = [1, 2, 3, 4, 5, 6, 7, 8].map((attempt) => backoffDelayMs(attempt, DEFAULT_BACKOFF, () => 0.5));
    expect(delays).toEqual([30_000, 60_000, 120_000, 240_000, 480_000, 900_000, 900_000, 900_000]);
    expect(backoffDelayMs(30, DEFAULT_BACKOFF, () => 0.999)).toBeLessThanOrEqual(DEFAULT_BACKOFF.maxMs);
  });
});

describe('wire parsing', () => {
  it('reads ids given as numbers or as strings beyond Number range, and orders items by time then id', () => {
    const page = parseInboxPage({
      inbox: {
        has_older: true,
        threads: [
          {
            thread_id: '340282366841710300949128171234567890',
            users: [{ pk: '17841400000000000001', username: 'ani' }],
            items: [
              { item_id: '31000000000000000000000000000000002', user_id: '17841400000000000001', timestamp: '1795806000000002', item_type: 'text', text: 'b' },
              { item_id: '31000000000000000000000000000000001', user_id: 5, timestamp: '1795806000000001', item_type: 'text', text: 'a' },
              { item_type: 'text', text: 'no id: skipped' },
            ],
          },
          { no_thread_id: true },
        ],
      },
    });
    expect(page.hasOlder).toBe(true);
    expect(page.threads).toHaveLength(1);
    expect(page.threads[0]?.users).toEqual([{ pk: '17841400000000000001', username: 'ani' }]);
    expect(page.threads[0]?.items.map((i) => [i.userId, i.payload])).toEqual([
      ['5', { type: 'text', text: 'a' }],
      ['17841400000000000001', { type: 'text', text: 'b' }],
    ]);
    expect(compareItems({ timestampUs: '10', itemId: '9' }, { timestampUs: '10', itemId: '10' })).toBe(-1);
  });

  it('refuses an inbox without threads rather than reading it as empty', () => {
    expect(() => parseInboxPage({ status: 'ok' })).toThrow(IgWireError);
  });

  it('finds the sent item id in the payload or the message metadata', () => {
    expect(parseSentItemId({ item_id: '1', thread_id: 't' })).toBe('1');
    expect(parseSentItemId({ message_metadata: [{ item_id: '2' }] })).toBe('2');
    expect(parseSentItemId({})).toBeUndefined();
  });
});

describe('voice notes (#22)', () => {
  const M4A = new Uint8Array([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70]);
  const downloads: string[] = [];
  const cdn = (answer: Awaited<ReturnType<PhotoDownloader>>): PhotoDownloader => async (url, what) => {
    downloads.push(`${what}:${url}`);
    return answer;
  };

  it('downloads a voice note as audio, with its length; a refused one keeps what the core needs to say why', async () => {
    const url = 'https://cdn.example/v.m4a';
    downloads.length = 0;
    const ok = await itemContent({ type: 'voice', durationMs: 61_400, url }, 'i1', cdn({ ok: true, data: M4A, mimeType: 'audio/mp4' }));
    expect(ok?.attachments[0]).toMatchObject({ kind: 'voice', mimeType: 'audio/mp4', durationSeconds: 61, sizeBytes: M4A.byteLength, data: M4A });
    expect(downloads).toEqual([`audio:${url}`]);
    // Longer than the limit: not fetched at all.
    const long = await itemContent({ type: 'voice', durationMs: (AUDIO_MAX_SECONDS + 5) * 1000, url }, 'i2', cdn({ ok: false, reason: 'failed' }));
    expect(long?.attachments[0]).toEqual({ kind: 'voice', mimeType: 'audio/mp4', providerRef: 'i2', durationSeconds: AUDIO_MAX_SECONDS + 5 });
    expect(downloads).toHaveLength(1);
    const big = await itemContent({ type: 'voice', durationMs: 5_000, url }, 'i3', cdn({ ok: false, reason: 'too_big' }));
    expect(big?.attachments[0]?.sizeBytes).toBe(AUDIO_MAX_BYTES + 1);
    const odd = await itemContent({ type: 'voice', durationMs: 5_000, url }, 'i4', cdn({ ok: false, reason: 'wrong_type', mimeType: 'text/html' }));
    expect(odd?.attachments[0]).toMatchObject({ mimeType: 'text/html' });
    expect(odd?.attachments[0]?.data).toBeUndefined();
  });
});

describe('error classes', () => {
  it('tells account problems from passing trouble', () => {
    expect(classifyIgError(new IgResponseError(response(429, {})))).toBe('rate_limited');
    expect(classifyIgError(new IgResponseError(response(502, {})))).toBe('server');
    expect(needsPerson('challenge')).toBe(true);
    expect(needsPerson('server')).toBe(false);
  });

  it('maps send failures for the outbox', () => {
    expect(classifySendError(new IgResponseError(response(400, { message: 'bad' })))).toMatchObject({ kind: 'permanent', error: 'Instagram answered 400: bad' });
    expect(classifySendError(new Error('socket hang up'))).toMatchObject({ kind: 'retryable' });
  });
});
