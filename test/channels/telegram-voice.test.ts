/**
 * #22 on Telegram, end to end: the real core, the real telegraf against the fake Bot API
 * (getFile and the file download path). A voice note is downloaded and kept on a handoff
 * ticket, the applicant is told the ticket and by when, and the staff group's ticket post
 * is the voice note itself (sendVoice, the post's text as its caption, the buttons under
 * it), so an officer answers by replying to it; an mp3 goes as sendAudio. Recordings over
 * the limits are not downloaded and get a clear reply.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { Update } from 'telegraf/types';
import { AUDIO_MAX_BYTES, AUDIO_MAX_SECONDS } from '../../channels/channel.js';
import { createTelegramChannel, type TelegramChannel } from '../../channels/telegram.js';
import { createTelegramStaffGroup } from '../../channels/telegram/staff-group.js';
import { createStaffService, type StaffAccount } from '../../src/staff.js';
import { createRecordingChannel } from '../fakes/recording-channel.js';
import { createFakeBotApi, type FakeBotApi, type SentFile, type SentMessage } from '../fakes/telegram-bot-api.js';
import { createTestCore, type TestCore } from '../helpers/core.js';

const STAFF_CHAT = -100777;
const BUDI_TG = 4242;
const APPLICANT = 5001;
const silent = pino({ level: 'silent' });
/** Bytes that start like an Ogg page; the core keeps whatever the provider gives. */
const OGG = new Uint8Array([0x4f, 0x67, 0x67, 0x53, 0x00, 0x02, 1, 2, 3, 4, 5, 6, 7, 8]);
const MP3 = new Uint8Array([0x49, 0x44, 0x33, 0x04, 0, 0, 9, 9, 9]);

async function waitFor(condition: () => boolean, what: string, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

interface Harness {
  fake: FakeBotApi;
  t: TestCore;
  budi: StaffAccount;
  telegram: TelegramChannel;
  deliver(...updates: Update[]): Promise<void>;
  /** Delivers, routes, sends; returns what the applicant's chat received meanwhile. */
  applicantSends(update: Update, chatId?: number): Promise<string[]>;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function setup(): Promise<Harness> {
  const fake = await createFakeBotApi({ maxPollWaitMs: 200 });
  cleanups.push(() => fake.close());
  const t = createTestCore({ channel: createRecordingChannel('web'), alertTargets: [{ channel: 'telegram', externalId: String(STAFF_CHAT), audience: 'staff' }] });
  cleanups.push(() => t.close());
  const staff = createStaffService(t.db, () => t.clock.now());
  const budi = staff.linkTelegram(staff.add({ username: 'budi', role: 'staff', password: 'kata-sandi-panjang', displayName: 'Budi' }).username, String(BUDI_TG));
  const group = createTelegramStaffGroup({ db: t.db, tickets: t.core.tickets, staff, clock: t.clock, logger: silent, staffChatId: String(STAFF_CHAT), timeZone: 'Asia/Makassar' });
  const telegram = createTelegramChannel({
    token: fake.token,
    apiRoot: fake.apiRoot,
    sendsPerSecond: 0,
    logger: silent,
    // The photo/document limit is tiny on purpose: recordings have their own (AUDIO_MAX_BYTES).
    media: { maxBytes: 4, allowedMimeTypes: ['image/jpeg'] },
    retryBackoff: { initialMs: 10, maxMs: 40 },
    pollTimeoutSeconds: 1,
    clock: t.clock,
    staffChatId: String(STAFF_CHAT),
    onGroupUpdate: (update, api) => group.onGroupUpdate(update, api),
  });
  t.core.addChannel(telegram);
  await telegram.start(t.core.intake.sink);
  cleanups.push(() => telegram.stop());
  const deliver = async (...updates: Update[]): Promise<void> => {
    fake.enqueue(...updates);
    const ids = new Set(updates.map((u) => u.update_id));
    await waitFor(() => !fake.pending().some((u) => ids.has(u.update_id)), `updates ${[...ids].join(', ')} handled`);
  };
  return {
    fake,
    t,
    budi,
    telegram,
    deliver,
    async applicantSends(update, chatId = APPLICANT) {
      const before = fake.sentTo(chatId).length;
      await deliver(update);
      await t.settle();
      return fake.sentTo(chatId).slice(before).map((m) => m.text);
    },
  };
}

const staffFiles = (fake: FakeBotApi): SentFile[] => fake.files.filter((f) => f.chatId === String(STAFF_CHAT));
/** A file post as the reply builder wants it (the caption is its text). */
const asPost = (file: SentFile): SentMessage => ({ messageId: file.messageId, chatId: file.chatId, text: file.caption ?? '', at: file.at });
const storedAudio = (t: TestCore) =>
  t.db
    .prepare("SELECT m.ticket_id, a.kind, a.mime_type, a.duration_seconds, a.data FROM attachments a JOIN messages m ON m.id = a.message_id WHERE m.direction = 'in' ORDER BY a.id")
    .all() as { ticket_id: number | null; kind: string; mime_type: string; duration_seconds: number | null; data: Buffer | null }[];

describe('telegram voice notes (#22)', () => {
  it('a voice note opens a handoff ticket with the audio; the staff group gets it as a voice post an officer answers by replying', async () => {
    const h = await setup();
    const replies = await h.applicantSends(h.fake.build.voice(APPLICANT, { fileId: 'vn-1', content: OGG, duration: 42 }));

    // Downloaded through getFile and the file path, and kept on the ticket.
    expect(h.fake.callsOf('getFile').map((c) => c.params['file_id'])).toEqual(['vn-1']);
    expect(h.fake.downloads).toEqual(['voice/vn-1.oga']);
    const [audio] = storedAudio(h.t);
    expect(audio).toMatchObject({ ticket_id: 1, kind: 'voice', mime_type: 'audio/ogg', duration_seconds: 42 });
    expect([...(audio?.data ?? [])]).toEqual([...OGG]);
    expect(h.t.core.tickets.get(1)).toMatchObject({ kind: 'handoff', status: 'open', summary: '[Pesan suara 0:42]' });

    // The applicant is told at once: the ticket, that an officer listens, by when.
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatch(/pesan suara Bapak\/Ibu sudah kami terima dan kami catat sebagai tiket #1\. Petugas akan mendengarkannya/);
    expect(replies[0]).toMatch(/paling lambat pukul \d\d\.\d\d WITA/);

    // The staff group: one voice post carrying the recording, the ticket text as caption, the buttons.
    await waitFor(() => staffFiles(h.fake).length === 1, 'voice post in the staff group');
    const [post] = staffFiles(h.fake);
    expect(post?.method).toBe('sendVoice');
    expect([...(post?.data ?? [])]).toEqual([...OGG]);
    expect(post?.caption).toMatch(/^🆕 Tiket #1/);
    expect(post?.caption).toContain('[Pesan suara 0:42]');
    const keyboard = post?.replyMarkup as { inline_keyboard: { callback_data: string }[][] };
    expect(keyboard.inline_keyboard.flat().map((b) => b.callback_data)).toEqual(['staff:claim:1', 'staff:resolve:1']);
    // No separate text post: the voice note is the post.
    expect(h.fake.sentTo(STAFF_CHAT).filter((m) => /Tiket #1/.test(m.text))).toEqual([]);

    // "Ambil" on the voice post: claimed, and the caption (not a text) shows who holds it.
    await h.deliver(h.fake.build.groupCallback(STAFF_CHAT, 'staff:claim:1', asPost(post!), { userId: BUDI_TG }));
    expect(h.t.core.tickets.get(1).assigneeId).toBe(h.budi.id);
    await waitFor(() => h.fake.captionEdits.length === 1, 'caption edited');
    expect(h.fake.captionEdits[0]).toMatchObject({ messageId: post!.messageId, text: `${post!.caption}\n\n📌 Dipegang Budi · terbuka` });

    // /tiket names the voice note among the last messages.
    await h.deliver(h.fake.build.groupText(STAFF_CHAT, '/tiket 1', { userId: BUDI_TG }));
    await waitFor(() => h.fake.sentTo(STAFF_CHAT).some((m) => m.text.includes('Pesan terakhir:')), '/tiket answered');
    expect(h.fake.sentTo(STAFF_CHAT).find((m) => m.text.includes('Pesan terakhir:'))?.text).toContain('• Pemohon: (pesan suara 0:42)');

    // A reply to the voice post reaches the applicant and is the first response.
    await h.deliver(h.fake.build.groupText(STAFF_CHAT, 'Baik Bapak, sudah kami dengar. Besok silakan datang jam 8.', { userId: BUDI_TG, replyTo: asPost(post!) }));
    await h.t.settle();
    expect(h.fake.sentTo(APPLICANT).map((m) => m.text)).toContain('Baik Bapak, sudah kami dengar. Besok silakan datang jam 8.');
    expect(h.t.core.tickets.get(1).firstResponseAt).toEqual(h.t.clock.now());

    // A second voice note joins the same ticket; the group hears it as a voice post of its own.
    const SECOND = new Uint8Array([0x4f, 0x67, 0x67, 0x53, 9, 9, 9]);
    const more = await h.applicantSends(h.fake.build.voice(APPLICANT, { fileId: 'vn-2', content: SECOND, duration: 5 }));
    expect(more[0]).toMatch(/pesan suara Bapak\/Ibu sudah kami tambahkan ke tiket #1/);
    expect(storedAudio(h.t).map((a) => a.ticket_id)).toEqual([1, 1]);
    await waitFor(() => staffFiles(h.fake).length === 2, 'second voice post');
    const second = staffFiles(h.fake)[1]!;
    expect(second.method).toBe('sendVoice');
    expect([...second.data]).toEqual([...SECOND]);
    expect(second.caption).toMatch(/^🎤 Pesan suara baru \(0:05\) dari pemohon untuk Tiket #1/);
    expect(h.t.db.prepare('SELECT COUNT(*) AS n FROM tickets').get()).toEqual({ n: 1 });
    // Replying to that post answers the same applicant.
    await h.deliver(h.fake.build.groupText(STAFF_CHAT, 'Terima kasih, Opa. Berkasnya kami siapkan.', { userId: BUDI_TG, replyTo: asPost(second) }));
    await h.t.settle();
    expect(h.fake.sentTo(APPLICANT).map((m) => m.text)).toContain('Terima kasih, Opa. Berkasnya kami siapkan.');
  });

  it('an mp3 audio file goes to the staff group as sendAudio', async () => {
    const h = await setup();
    const replies = await h.applicantSends(h.fake.build.audio(APPLICANT, { fileId: 'au-1', content: MP3, duration: 75, mimeType: 'audio/mpeg', fileName: 'rekaman.mp3' }));
    expect(replies[0]).toMatch(/tiket #1/);
    await waitFor(() => staffFiles(h.fake).length === 1, 'audio post');
    expect(staffFiles(h.fake)[0]).toMatchObject({ method: 'sendAudio', fileName: 'rekaman.mp3' });
    expect([...staffFiles(h.fake)[0]!.data]).toEqual([...MP3]);
  });

  it.each([
    ['too long', { duration: AUDIO_MAX_SECONDS + 60 }, /terlalu panjang .*paling lama 5 menit/],
    ['too large', { duration: 200, bytes: AUDIO_MAX_BYTES + 1 }, /terlalu besar .*paling besar 6 MB/],
    ['of a type we cannot play', { duration: 10, mimeType: 'audio/x-ms-wma' }, /tidak dapat kami putar/],
  ])('a recording %s is not downloaded and gets a clear reply; the message is kept', async (_name, extra, expected) => {
    const h = await setup();
    const replies = await h.applicantSends(h.fake.build.voice(APPLICANT, { fileId: 'vn-x', content: OGG, ...extra }));
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatch(expected);
    expect(h.fake.callsOf('getFile')).toEqual([]);
    expect(h.fake.downloads).toEqual([]);
    expect(storedAudio(h.t)).toMatchObject([{ ticket_id: null, kind: 'voice', data: null }]);
    expect(h.t.db.prepare('SELECT count(*) AS n FROM tickets').get()).toEqual({ n: 0 });
  });

  it('a download that fails is not lost: the applicant is asked to send it again', async () => {
    const h = await setup();
    // No file registered under this id: getFile answers "invalid file_id".
    const replies = await h.applicantSends(h.fake.build.voice(APPLICANT, { fileId: 'vn-missing', duration: 9, bytes: 100 }));
    expect(replies[0]).toMatch(/tidak berhasil kami terima\. Silakan kirim ulang/);
    expect(storedAudio(h.t)).toMatchObject([{ kind: 'voice', data: null, duration_seconds: 9 }]);
  });
});
