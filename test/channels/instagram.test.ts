/**
 * The Instagram adapter with the real instagram-private-api, its HTTP
 * intercepted by nock@14 on https://i.instagram.com (no real network), a real
 * SQLite database with the real migrations, a recording sink, and poll timers
 * driven by the test (no sleeps: waits are recorded and ended by hand).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import nock from 'nock';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createInstagramChannel, verifyInstagramLogin } from '../../channels/instagram.js';
import type { InstagramChannel, InstagramChannelOptions } from '../../channels/instagram.js';
import type { OutboundMessage } from '../../channels/channel.js';
import { createFakeClock } from '../../src/clock.js';
import { instagramVerifyCommand } from '../../src/cli-instagram.js';
import { openDatabase, type Db } from '../../src/store/db.js';
import { createRecordingSink, type RecordingSink, type RecordingSinkOptions } from '../fakes/recording-sink.js';
import {
  authorizationFor,
  challengeRequired,
  expectChallengeAnswer,
  expectChallengeCodeRequest,
  expectLogin,
  expectLoginFailure,
  expectPoll,
  expectTwoFactorLogin,
  ig,
  item,
  OFFICE,
  thread,
  twoFactorRequired,
} from '../fakes/instagram-api.js';
import { createFakePollTimers, type FakePollTimers } from '../fakes/instagram-timers.js';

const T0 = '2026-11-27T01:00:00Z';
const PASSWORD = 'Rahasia-Kantor-2026!';
const ANI = { pk: '5001', username: 'ani.kupang', fullName: 'Ani Lado' };
const BUDI = { pk: '5002', username: 'budi_ntt' };
const QUESTION = 'Halo, syarat paspor anak apa saja?';

const at = (seconds: number): string => new Date(Date.parse(T0) + seconds * 1000).toISOString();

function capturedLogger(): { logger: pino.Logger; text: () => string } {
  const raw: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      raw.push(chunk.toString('utf8'));
      callback();
    },
  });
  return { logger: pino({ level: 'trace' }, stream), text: () => raw.join('') };
}

interface Harness {
  db: Db;
  dbPath: string;
  channel: InstagramChannel;
  sink: RecordingSink;
  timers: FakePollTimers;
  problems: string[];
  logs: () => string;
  /** A new channel on the same database (a restart). */
  restart(): Promise<Harness>;
}

const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(() => {
  nock.disableNetConnect();
  nock.enableNetConnect(/^(127\.0\.0\.1|localhost)(:\d+)?$/);
});

afterAll(() => {
  nock.enableNetConnect();
});

afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
  nock.cleanAll();
});

async function setup(options: { sinkOptions?: RecordingSinkOptions; overrides?: Partial<InstagramChannelOptions>; dbPath?: string } = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'sapa-ig-'));
  const dbPath = options.dbPath ?? join(dir, 'sapa.db');
  const db = openDatabase(dbPath);
  const timers = createFakePollTimers();
  const sink = createRecordingSink(options.sinkOptions);
  const problems: string[] = [];
  const logs = capturedLogger();
  const channel = createInstagramChannel({
    username: OFFICE.username,
    password: PASSWORD,
    db,
    logger: logs.logger,
    clock: createFakeClock(T0),
    timers,
    sendsPerMinute: 0,
    onProblem: (text) => problems.push(text),
    ...options.overrides,
  });
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await channel.stop();
    db.close();
    if (options.dbPath === undefined) rmSync(dir, { recursive: true, force: true });
  };
  cleanups.push(stop);
  return {
    db,
    dbPath,
    channel,
    sink,
    timers,
    problems,
    logs: logs.text,
    async restart() {
      await channel.stop();
      const next = await setup({ ...options, dbPath });
      return next;
    },
  };
}

function stateValue(db: Db, key: string): string | undefined {
  return db.prepare<[string], { value: string }>("SELECT value FROM channel_state WHERE channel = 'instagram' AND key = ?").get(key)?.value;
}

function outbound(text: string, overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return { conversationExternalId: 't1', author: 'bot', text, quickReplies: [], messageId: 1, ...overrides };
}

/** Starts the channel and lets its first poll finish (the first interval wait begins). */
async function startAndPoll(h: Harness): Promise<void> {
  await h.channel.start(h.sink);
  await h.timers.nextSleep();
}

/** Ends the current wait and returns the next one's duration (the next poll has finished by then). */
async function nextPoll(h: Harness): Promise<number> {
  const next = h.timers.nextSleep();
  h.timers.wake();
  return next;
}

describe('instagram channel: inbox polling', () => {
  it('logs in once, reads only items newer than the start, skips our own, then only what is new per thread', async () => {
    const h = await setup();
    const first = thread({
      id: 't1',
      users: [ANI],
      items: [
        item.text({ id: '100', user: ANI.pk, at: at(-3600), text: 'old history, before SAPA' }),
        item.text({ id: '101', user: ANI.pk, at: at(5), text: QUESTION }),
        item.text({ id: '102', user: OFFICE.pk, at: at(6), text: 'reply typed in the app' }),
        item.text({ id: '103', user: ANI.pk, at: at(7), text: 'terima kasih' }),
      ],
    });
    const login = expectLogin();
    const poll1 = expectPoll({ inbox: [first] });
    await startAndPoll(h);
    expect(login.isDone()).toBe(true);
    expect(poll1.isDone()).toBe(true);
    expect(h.channel.status()).toEqual({ state: 'connected', detail: 'polling' });
    expect(h.sink.stored.map((m) => m.externalId)).toEqual(['101', '103']);
    expect(h.sink.stored[0]).toEqual({
      channel: 'instagram',
      externalId: '101',
      conversationExternalId: 't1',
      sender: { externalId: ANI.pk, displayName: ANI.fullName, username: ANI.username },
      text: QUESTION,
      attachments: [],
      receivedAt: new Date(at(5)),
    });
    // The default interval is 20-40 s; the fake random() is 0.5.
    expect(h.timers.requested).toEqual([30_000]);

    // Next poll: the same thread again with one new item; a second thread appears.
    const again = thread({ id: 't1', users: [ANI], items: [...(first['items'] as Record<string, unknown>[]), item.text({ id: '104', user: ANI.pk, at: at(60), text: 'satu lagi' })] });
    const second = thread({ id: 't2', users: [BUDI], items: [item.text({ id: '200', user: BUDI.pk, at: at(61), text: 'jam buka?' })] });
    const poll2 = expectPoll({ inbox: [second, again] });
    await nextPoll(h);
    expect(poll2.isDone()).toBe(true);
    expect(h.sink.stored.map((m) => m.externalId)).toEqual(['101', '103', '200', '104']);
    // Already-seen items were not even offered again.
    expect(h.sink.attempts).toHaveLength(4);
    expect(JSON.parse(stateValue(h.db, 'cursor:t1') ?? '{}')).toMatchObject({ itemId: '104' });
  });

  it('moves a cursor only after the sink stored the item: a failed store is read again after backoff', async () => {
    const h = await setup();
    const t1 = thread({ id: 't1', users: [ANI], items: [item.text({ id: '101', user: ANI.pk, at: at(5), text: QUESTION })] });
    h.sink.failNext(1);
    expectLogin();
    expectPoll({ inbox: [t1] });
    await h.channel.start(h.sink);
    expect(await h.timers.nextSleep()).toBe(30_000); // backoff, not the interval
    expect(h.channel.status()).toMatchObject({ state: 'reconnecting', reason: expect.stringContaining('storing an item') });
    expect(stateValue(h.db, 'cursor:t1')).toBeUndefined();
    expectPoll({ inbox: [t1] });
    await nextPoll(h);
    expect(h.sink.stored.map((m) => m.externalId)).toEqual(['101']);
    expect(h.channel.status().state).toBe('connected');
  });

  it('fetches older pages of a thread when more items are new than the inbox shows', async () => {
    const h = await setup();
    const recent = Array.from({ length: 10 }, (_, i) => item.text({ id: String(310 + i), user: ANI.pk, at: at(20 + i), text: `bagian ${i + 3}` }));
    const t1 = thread({ id: 't1', users: [ANI], items: recent, hasOlder: true, oldestCursor: 'c-310' });
    expectLogin();
    expectPoll({ inbox: [t1] });
    const older = ig()
      .get('/api/v1/direct_v2/threads/t1/')
      .query((q) => q['cursor'] === 'c-310')
      .reply(200, {
        status: 'ok',
        thread: {
          thread_id: 't1',
          has_older: true,
          oldest_cursor: 'c-299',
          items: [
            item.text({ id: '302', user: ANI.pk, at: at(11), text: 'bagian 2' }),
            item.text({ id: '301', user: ANI.pk, at: at(10), text: 'bagian 1' }),
            item.text({ id: '299', user: ANI.pk, at: at(-60), text: 'before SAPA' }),
          ],
        },
      });
    await startAndPoll(h);
    expect(older.isDone()).toBe(true);
    expect(h.sink.stored.map((m) => m.externalId)).toEqual(['301', '302', ...recent.map((r) => String(r['item_id']))]);
  });

  it('maps links, shares, reels and voice to empty text with an attachment; photos and voice notes carry their bytes', async () => {
    const h = await setup();
    const photoBytes = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4]);
    const cdn = nock('https://scontent.cdninstagram.com').get('/v/t51/photo-1.jpg').query(true).reply(200, photoBytes, { 'content-type': 'image/jpeg' });
    // The voice note's m4a (#22): downloaded now, the CDN link expires.
    const voiceBytes = Buffer.from([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x4d, 0x34, 0x41, 0x20]);
    const voiceCdn = nock('https://cdn.example').get('/a.m4a').reply(200, voiceBytes, { 'content-type': 'audio/mp4' });
    const t1 = thread({
      id: 't1',
      users: [ANI],
      items: [
        item.link({ id: '401', user: ANI.pk, at: at(1), url: 'https://example.org/berita' }),
        item.mediaShare({ id: '402', user: ANI.pk, at: at(2), code: 'Cpost1' }),
        item.reel({ id: '403', user: ANI.pk, at: at(3), code: 'Creel1' }),
        item.voice({ id: '404', user: ANI.pk, at: at(4) }),
        item.photo({ id: '405', user: ANI.pk, at: at(5), url: 'https://scontent.cdninstagram.com/v/t51/photo-1.jpg?sig=abc' }),
        item.viewOncePhoto({ id: '406', user: ANI.pk, at: at(6) }),
        item.storyReply({ id: '407', user: ANI.pk, at: at(7), text: 'kantor buka sabtu?' }),
        item.actionLog({ id: '408', user: ANI.pk, at: at(8) }),
      ],
    });
    expectLogin();
    expectPoll({ inbox: [t1] });
    await startAndPoll(h);
    expect(cdn.isDone()).toBe(true);
    const byId = new Map(h.sink.stored.map((m) => [m.externalId, m]));
    expect(byId.get('401')).toMatchObject({ text: '', attachments: [{ kind: 'link', providerRef: 'https://example.org/berita' }] });
    expect(byId.get('402')).toMatchObject({ text: '', attachments: [{ kind: 'link', providerRef: 'https://www.instagram.com/p/Cpost1/' }] });
    expect(byId.get('403')).toMatchObject({ text: '', attachments: [{ kind: 'video', providerRef: 'https://www.instagram.com/reel/Creel1/' }] });
    expect(voiceCdn.isDone()).toBe(true);
    expect(byId.get('404')).toMatchObject({ text: '', attachments: [{ kind: 'voice', mimeType: 'audio/mp4', durationSeconds: 4, sizeBytes: voiceBytes.length }] });
    expect(Buffer.from(byId.get('404')?.attachments[0]?.data ?? new Uint8Array())).toEqual(voiceBytes);
    const photo = byId.get('405')?.attachments[0];
    expect(photo).toMatchObject({ kind: 'image', mimeType: 'image/jpeg', sizeBytes: photoBytes.length, providerRef: 'm405' });
    expect(Buffer.from(photo?.data ?? new Uint8Array())).toEqual(photoBytes);
    // View-once: metadata only, never stored.
    expect(byId.get('406')?.attachments[0]).toEqual({ kind: 'image', mimeType: 'image/jpeg', providerRef: 'r406' });
    expect(byId.get('407')).toMatchObject({ text: 'kantor buka sabtu?', attachments: [] });
    // Service items are not messages, but the cursor moves past them.
    expect(byId.has('408')).toBe(false);
    expect(JSON.parse(stateValue(h.db, 'cursor:t1') ?? '{}')).toMatchObject({ itemId: '408' });
  });

  it('keeps a photo that cannot be downloaded as metadata', async () => {
    const h = await setup();
    nock('https://scontent.cdninstagram.com').get('/v/gone.jpg').reply(403, 'expired');
    expectLogin();
    expectPoll({ inbox: [thread({ id: 't1', users: [ANI], items: [item.photo({ id: '405', user: ANI.pk, at: at(5), url: 'https://scontent.cdninstagram.com/v/gone.jpg' })] })] });
    await startAndPoll(h);
    expect(h.sink.stored[0]?.attachments).toEqual([{ kind: 'image', mimeType: 'image/jpeg', providerRef: 'm405' }]);
  });

  it('does not read group threads', async () => {
    const h = await setup();
    expectLogin();
    expectPoll({ inbox: [thread({ id: 'g1', isGroup: true, users: [ANI, BUDI], items: [item.text({ id: '501', user: ANI.pk, at: at(5), text: 'halo grup' })] })] });
    await startAndPoll(h);
    expect(h.sink.attempts).toHaveLength(0);
  });
});

describe('instagram channel: message requests', () => {
  it('accepts a message request before storing its items, so the reply can be delivered', async () => {
    let approvedWhenStored: boolean | undefined;
    const approve = ig().post('/api/v1/direct_v2/threads/t9/approve/').reply(200, { status: 'ok' });
    const h = await setup({
      sinkOptions: {
        onAttempt: () => {
          approvedWhenStored ??= approve.isDone();
        },
      },
    });
    const request = thread({ id: 't9', users: [BUDI], items: [item.text({ id: '901', user: BUDI.pk, at: at(3), text: 'permisi, mau tanya' })] });
    expectLogin();
    expectPoll({ pending: [request] });
    await startAndPoll(h);
    expect(approve.isDone()).toBe(true);
    expect(approvedWhenStored).toBe(true);
    expect(h.sink.stored.map((m) => [m.externalId, m.conversationExternalId])).toEqual([['901', 't9']]);
    // Next poll: the thread is in the inbox now; nothing is read or approved twice.
    expectPoll({ inbox: [request] });
    await nextPoll(h);
    expect(h.sink.attempts).toHaveLength(1);
  });
});

describe('instagram channel: sending', () => {
  async function connected(): Promise<Harness> {
    const h = await setup();
    expectLogin();
    expectPoll();
    await startAndPoll(h);
    return h;
  }

  it('sends text with broadcastText and returns the item id', async () => {
    const h = await connected();
    const broadcast = ig()
      .post('/api/v1/direct_v2/threads/broadcast/text/', (body: Record<string, string>) => body['thread_ids'] === '["t1"]' && body['text'] === 'Syaratnya: KTP, KK, akta.')
      .reply(200, { status: 'ok', action: 'item_ack', payload: { item_id: 'out-1', thread_id: 't1', client_context: 'c', timestamp: '1' } });
    expect(await h.channel.send(outbound('Syaratnya: KTP, KK, akta.'))).toEqual({ ok: true, providerMessageId: 'out-1' });
    expect(broadcast.isDone()).toBe(true);
  });

  it('splits long texts at 1,000 characters and sends texts with links as link items', async () => {
    const h = await connected();
    const long = `${'a'.repeat(900)}\n\n${'b'.repeat(300)}`;
    const parts: string[] = [];
    ig()
      .post('/api/v1/direct_v2/threads/broadcast/text/', (body: Record<string, string>) => {
        parts.push(body['text'] ?? '');
        return true;
      })
      .times(2)
      .reply(200, (_uri, _body) => ({ status: 'ok', payload: { item_id: `out-${parts.length}`, thread_id: 't1' } }));
    expect(await h.channel.send(outbound(long))).toEqual({ ok: true, providerMessageId: 'out-2' });
    expect(parts.map((p) => p.length)).toEqual([900, 300]);

    const link = ig()
      .post('/api/v1/direct_v2/threads/broadcast/link/', (body: Record<string, string>) => body['link_urls'] === '["https://antrian.imigrasi.go.id"]')
      .reply(200, { status: 'ok', payload: { item_id: 'out-link', thread_id: 't1' } });
    expect(await h.channel.send(outbound('Daftar di https://antrian.imigrasi.go.id', { messageId: 2 }))).toEqual({ ok: true, providerMessageId: 'out-link' });
    expect(link.isDone()).toBe(true);
  });

  it('classifies failures for the outbox: a missing thread is permanent, a server error is retried', async () => {
    const h = await connected();
    ig().post('/api/v1/direct_v2/threads/broadcast/text/').reply(404, { status: 'fail', message: 'Thread not found' });
    expect(await h.channel.send(outbound('halo'))).toMatchObject({ ok: false, kind: 'permanent' });
    ig().post('/api/v1/direct_v2/threads/broadcast/text/').reply(500, { status: 'fail', message: 'server error' });
    expect(await h.channel.send(outbound('halo', { messageId: 2 }))).toMatchObject({ ok: false, kind: 'retryable' });
    ig().post('/api/v1/direct_v2/threads/broadcast/text/').reply(429, { status: 'fail', message: 'Please wait a few minutes' });
    expect(await h.channel.send(outbound('halo', { messageId: 3 }))).toMatchObject({ ok: false, kind: 'retryable', retryAfterMs: 300_000 });
    expect(h.channel.status().state).toBe('connected');
  });

  it('does not send before start or after stop', async () => {
    const h = await setup();
    expect(await h.channel.send(outbound('halo'))).toMatchObject({ ok: false, kind: 'retryable' });
    await h.channel.stop();
    expect(await h.channel.send(outbound('halo'))).toMatchObject({ ok: false, kind: 'retryable' });
    expect(h.channel.status()).toEqual({ state: 'stopped' });
  });
});

describe('instagram channel: session', () => {
  it('saves the session after requests and restores it on restart without logging in again', async () => {
    const h = await setup();
    expectLogin({ sessionId: 'sess-first' });
    expectPoll();
    await startAndPoll(h);
    const saved = stateValue(h.db, 'session');
    expect(saved).toBeDefined();
    const session = JSON.parse(saved ?? '{}') as Record<string, unknown>;
    expect(session['authorization']).toBe(authorizationFor(OFFICE.pk, 'sess-first'));
    expect(session).not.toHaveProperty('constants');
    expect(JSON.parse(stateValue(h.db, 'account') ?? '{}')).toEqual({ pk: OFFICE.pk, username: OFFICE.username });

    // Restart: only inbox requests are intercepted, and they must carry the saved authorization.
    const restarted = await h.restart();
    const poll = expectPoll({ authorization: authorizationFor(OFFICE.pk, 'sess-first'), inbox: [thread({ id: 't1', users: [ANI], items: [item.text({ id: '101', user: ANI.pk, at: at(5), text: QUESTION })] })] });
    await startAndPoll(restarted);
    expect(poll.isDone()).toBe(true);
    expect(restarted.channel.status().state).toBe('connected');
    expect(restarted.sink.stored.map((m) => m.externalId)).toEqual(['101']);
  });

  it('logs in once when the saved session expired, and asks for a person if it expires again at once', async () => {
    const h = await setup();
    expectLogin();
    expectPoll();
    await startAndPoll(h);
    ig().get('/api/v1/direct_v2/pending_inbox/').query(true).reply(403, { status: 'fail', message: 'login_required' });
    const relogin = expectLogin({ sessionId: 'sess-2' });
    expectPoll({ authorization: authorizationFor(OFFICE.pk, 'sess-2') });
    await nextPoll(h);
    expect(relogin.isDone()).toBe(true);
    expect(h.channel.status().state).toBe('connected');

    ig().get('/api/v1/direct_v2/pending_inbox/').query(true).reply(403, { status: 'fail', message: 'login_required' });
    h.timers.wake();
    await vi_waitFor(() => h.channel.status().state === 'needs_attention');
    expect(h.channel.status()).toMatchObject({ state: 'needs_attention', reason: expect.stringContaining('session ended again') });
    expect(h.problems).toHaveLength(1);
    expect(nock.pendingMocks()).toEqual([]);
  });
});

describe('instagram channel: checkpoint and two-factor', () => {
  it('stops polling on challenge_required, asks for the code once, alerts staff, and resumes after verify', async () => {
    const h = await setup();
    expectLogin();
    ig().get('/api/v1/direct_v2/pending_inbox/').query(true).reply(400, challengeRequired());
    const codeRequest = expectChallengeCodeRequest();
    await h.channel.start(h.sink);
    expect(codeRequest.isDone()).toBe(true);
    expect(h.channel.status()).toEqual({
      state: 'needs_attention',
      reason: expect.stringContaining('challenge_required'),
      action: 'run: npx sapa instagram verify <code>',
    });
    expect(h.problems).toEqual([expect.stringContaining('npx sapa instagram verify <code>')]);
    expect(JSON.parse(stateValue(h.db, 'pending_auth') ?? '{}')).toMatchObject({ kind: 'challenge', apiPath: `/challenge/${OFFICE.pk}/Abc123/`, codeRequested: true });

    // Waiting for the code: only database checks, no Instagram requests (nothing is intercepted).
    expect(await h.timers.nextSleep()).toBe(15_000);
    expect(await nextPoll(h)).toBe(15_000);
    expect(h.channel.status().state).toBe('needs_attention');

    // A wrong code keeps the challenge pending.
    expectChallengeAnswer({ code: '111111', accept: false });
    expect(await verifyInstagramLogin({ db: h.db, username: OFFICE.username, code: '111111', logger: pino({ level: 'silent' }) })).toMatchObject({ outcome: 'rejected' });
    expect(stateValue(h.db, 'pending_auth')).toBeDefined();

    expectChallengeAnswer({ code: '246810', accept: true });
    expect(await verifyInstagramLogin({ db: h.db, username: OFFICE.username, code: '246810', logger: pino({ level: 'silent' }) })).toEqual({ outcome: 'verified', kind: 'challenge' });
    expect(stateValue(h.db, 'pending_auth')).toBeUndefined();

    // The running channel notices, restores the verified session and polls again.
    const poll = expectPoll({ authorization: authorizationFor(OFFICE.pk, 'sess-after-challenge'), inbox: [thread({ id: 't1', users: [ANI], items: [item.text({ id: '101', user: ANI.pk, at: at(5), text: QUESTION })] })] });
    expect(await nextPoll(h)).toBe(30_000);
    expect(poll.isDone()).toBe(true);
    expect(h.channel.status().state).toBe('connected');
    expect(h.sink.stored.map((m) => m.externalId)).toEqual(['101']);
    expect(h.problems).toHaveLength(1);
  });

  it('stops on a two-factor login; `sapa instagram verify` rejects a wrong code, completes with the right one', async () => {
    const h = await setup();
    const login = expectLoginFailure(400, twoFactorRequired());
    await h.channel.start(h.sink);
    expect(login.isDone()).toBe(true);
    expect(h.channel.status()).toMatchObject({ state: 'needs_attention', reason: expect.stringContaining('two-factor'), action: 'run: npx sapa instagram verify <code>' });
    expect(h.problems).toHaveLength(1);
    await h.timers.nextSleep();

    const config = { dbPath: h.dbPath, logLevel: 'silent' as const, instagram: { username: OFFICE.username } };
    await expect(instagramVerifyCommand(config, 'abc')).rejects.toThrow(/4 to 8 digits/);
    expectTwoFactorLogin({ code: '000000', accept: false });
    await expect(instagramVerifyCommand(config, '000000')).rejects.toThrow(/did not accept the code/);
    expect(stateValue(h.db, 'pending_auth')).toBeDefined();

    expectTwoFactorLogin({ code: '123456', accept: true });
    expect(await instagramVerifyCommand(config, '123 456')).toMatch(/two-factor login completed; session saved/);
    await expect(instagramVerifyCommand(config, '123456')).rejects.toThrow(/no Instagram challenge or two-factor login is waiting/);

    const poll = expectPoll({ authorization: authorizationFor(OFFICE.pk, 'sess-after-2fa') });
    await nextPoll(h);
    expect(poll.isDone()).toBe(true);
    expect(h.channel.status().state).toBe('connected');
  });

  it('a refused password stops the channel for good: no second login, no polling', async () => {
    const h = await setup();
    expectLoginFailure(400, { message: 'The password you entered is incorrect.', error_type: 'bad_password' });
    await h.channel.start(h.sink);
    expect(h.channel.status()).toEqual({
      state: 'needs_attention',
      reason: 'Instagram rejected the username or password',
      action: 'check IG_USERNAME and IG_PASSWORD, then restart SAPA',
    });
    expect(h.problems).toHaveLength(1);
    expect(h.timers.requested).toEqual([]);
    expect(nock.pendingMocks()).toEqual([]);
  });

  it('a challenge while sending stops polling too, and the send is retried later', async () => {
    const h = await setup();
    expectLogin();
    expectPoll();
    await startAndPoll(h);
    ig().post('/api/v1/direct_v2/threads/broadcast/text/').reply(400, challengeRequired());
    const codeRequest = expectChallengeCodeRequest();
    expect(await h.channel.send(outbound('halo'))).toMatchObject({ ok: false, kind: 'retryable' });
    await vi_waitFor(() => h.channel.status().state === 'needs_attention');
    expect(codeRequest.isDone()).toBe(true);
    expect(await h.channel.send(outbound('halo', { messageId: 2 }))).toMatchObject({ ok: false, kind: 'retryable', error: expect.stringContaining('needs attention') });
  });
});

describe('instagram channel: backoff', () => {
  it('backs off exponentially after failed polls and returns to the jittered interval', async () => {
    const h = await setup();
    expectLogin();
    ig().get('/api/v1/direct_v2/pending_inbox/').query(true).times(3).reply(500, { status: 'fail', message: 'Oops' });
    await h.channel.start(h.sink);
    expect(await h.timers.nextSleep()).toBe(30_000);
    expect(h.channel.status()).toEqual({
      state: 'reconnecting',
      reason: 'polling: Instagram answered 500: Oops',
      retryAt: new Date(Date.parse(T0) + 30_000),
    });
    expect(await nextPoll(h)).toBe(60_000);
    expect(await nextPoll(h)).toBe(120_000);
    expectPoll();
    expect(await nextPoll(h)).toBe(30_000);
    expect(h.channel.status().state).toBe('connected');
    // The next failure starts from the beginning again.
    ig().get('/api/v1/direct_v2/pending_inbox/').query(true).reply(500, { status: 'fail' });
    expect(await nextPoll(h)).toBe(30_000);
    expect(h.problems).toEqual([]);
  });

  it('waits at least five minutes when Instagram says to slow down (429)', async () => {
    const h = await setup();
    expectLogin();
    ig().get('/api/v1/direct_v2/pending_inbox/').query(true).reply(429, { status: 'fail', message: 'Please wait a few minutes before you try again.' });
    await h.channel.start(h.sink);
    expect(await h.timers.nextSleep()).toBe(300_000);
  });

  it('retries a login that never reached Instagram (network error) with backoff', async () => {
    const h = await setup();
    // Nothing intercepted: nock refuses the connection, as a network outage would.
    await h.channel.start(h.sink);
    expect(await h.timers.nextSleep()).toBe(30_000);
    expect(h.channel.status()).toMatchObject({ state: 'reconnecting', reason: expect.stringContaining('logging in: network error') });
    expectLogin();
    expectPoll();
    expect(await nextPoll(h)).toBe(30_000);
    expect(h.channel.status().state).toBe('connected');
  });
});

describe('instagram channel: privacy', () => {
  it('never logs message text, the password or the session', async () => {
    const h = await setup();
    expectLogin({ sessionId: 'sess-secret' });
    expectPoll({ inbox: [thread({ id: 't1', users: [ANI], items: [item.text({ id: '101', user: ANI.pk, at: at(5), text: QUESTION })] })] });
    await startAndPoll(h);
    ig().post('/api/v1/direct_v2/threads/broadcast/text/').reply(400, { status: 'fail', message: 'rejected' });
    await h.channel.send(outbound('Balasan rahasia untuk Ani'));
    ig().get('/api/v1/direct_v2/pending_inbox/').query(true).reply(500, { status: 'fail' });
    await nextPoll(h);
    const logs = h.logs();
    expect(logs).toContain('instagram send failed');
    for (const secret of [QUESTION, 'Balasan rahasia', PASSWORD, 'sess-secret', authorizationFor(OFFICE.pk, 'sess-secret')]) {
      expect(logs).not.toContain(secret);
    }
  });
});

async function vi_waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
