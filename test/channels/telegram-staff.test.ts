/**
 * The staff group on Telegram, end to end: the real core (createTestCore), the
 * real telegraf against the fake Bot API, applicants on another channel (a
 * recording channel of kind 'web'). No sleeps as assertions: conditions are
 * polled with a bounded waitFor.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { Update } from 'telegraf/types';
import { createTelegramChannel } from '../../channels/telegram.js';
import type { TelegramChannel } from '../../channels/telegram.js';
import { createTelegramStaffGroup } from '../../channels/telegram/staff-group.js';
import type { TelegramStaffGroup } from '../../channels/telegram/staff-group.js';
import { parseStaffButton, parseStaffCommand } from '../../src/staff-desk/index.js';
import { createStaffService, type StaffAccount } from '../../src/staff.js';
import { listTicketEvents } from '../../src/store/tickets.js';
import { createRecordingChannel, type RecordingChannel } from '../fakes/recording-channel.js';
import { createFakeBotApi, type FakeBotApi, type SentMessage } from '../fakes/telegram-bot-api.js';
import { createTestCore, type TestCore } from '../helpers/core.js';

const STAFF_CHAT = -100777;
const BUDI_TG = 4242;
const STRANGER_TG = 9999;
const silent = pino({ level: 'silent' });

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
  web: RecordingChannel;
  budi: StaffAccount;
  group: TelegramStaffGroup;
  telegram: TelegramChannel;
  /** Update ids the channel handed to the staff-group handler, in order. */
  groupCalls: number[];
  /** Replaces the Telegram channel with a fresh one (a restart: in-memory dedupe gone, database kept). */
  restartTelegram(): Promise<void>;
  /** Queues updates and resolves once the channel confirmed them (so they were fully handled). */
  deliver(...updates: Update[]): Promise<void>;
  /** An applicant on the web channel complains; resolves with the ticket's post in the staff group. */
  complain(from: string, text: string): Promise<SentMessage>;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

async function setup(): Promise<Harness> {
  const fake = await createFakeBotApi({ maxPollWaitMs: 200 });
  cleanups.push(() => fake.close());
  const web = createRecordingChannel('web');
  const t = createTestCore({ channel: web, alertTargets: [{ channel: 'telegram', externalId: String(STAFF_CHAT), audience: 'staff' }] });
  cleanups.push(() => t.close());
  const staff = createStaffService(t.db, () => t.clock.now());
  const budi = staff.linkTelegram(staff.add({ username: 'budi', role: 'staff', password: 'kata-sandi-panjang', displayName: 'Budi' }).username, String(BUDI_TG));
  const group = createTelegramStaffGroup({
    db: t.db,
    tickets: t.core.tickets,
    staff,
    clock: t.clock,
    logger: silent,
    staffChatId: String(STAFF_CHAT),
    timeZone: 'Asia/Makassar',
  });

  const groupCalls: number[] = [];
  const startTelegram = async (): Promise<TelegramChannel> => {
    const channel = createTelegramChannel({
      token: fake.token,
      apiRoot: fake.apiRoot,
      sendsPerSecond: 0,
      logger: silent,
      media: { maxBytes: 1_000, allowedMimeTypes: [] },
      retryBackoff: { initialMs: 10, maxMs: 40 },
      pollTimeoutSeconds: 1,
      clock: t.clock,
      staffChatId: String(STAFF_CHAT),
      onGroupUpdate: async (update, api) => {
        groupCalls.push(update.update_id);
        await group.onGroupUpdate(update, api);
      },
    });
    t.core.addChannel(channel);
    await channel.start(t.core.intake.sink);
    return channel;
  };

  const harness: Harness = {
    fake,
    t,
    web,
    budi,
    group,
    groupCalls,
    telegram: await startTelegram(),
    async restartTelegram() {
      await harness.telegram.stop();
      t.core.removeChannel(harness.telegram);
      harness.telegram = await startTelegram();
    },
    async deliver(...updates) {
      fake.enqueue(...updates);
      const ids = new Set(updates.map((u) => u.update_id));
      // Gone from the queue = fetched, handled and confirmed by a later offset (also for redeliveries of old ids).
      await waitFor(() => !fake.pending().some((u) => ids.has(u.update_id)), `updates ${[...ids].join(', ')} handled`);
    },
    async complain(from, text) {
      const before = fake.sentTo(STAFF_CHAT).length;
      await t.say(text, { from, channel: 'web' });
      const posts = fake.sentTo(STAFF_CHAT).slice(before);
      const post = posts.find((m) => /^🆕 Tiket #\d+/.test(m.text));
      if (post === undefined) throw new Error('no ticket post reached the staff group');
      return post;
    },
  };
  cleanups.push(() => harness.telegram.stop());
  return harness;
}

const ticketNumber = (post: SentMessage): number => Number(/Tiket #(\d+)/.exec(post.text)?.[1]);
const answersOf = (fake: FakeBotApi): { text?: unknown; show_alert?: unknown }[] =>
  fake.callsOf('answerCallbackQuery').map((c) => c.params as { text?: unknown; show_alert?: unknown });
const feedback = (fake: FakeBotApi): SentMessage[] => fake.sentTo(STAFF_CHAT).filter((m) => m.replyToMessageId !== undefined);

const COMPLAINT = 'saya kecewa, NIK saya 5371012345678901 tidak bisa daftar antrean, pelayanan buruk';

describe('telegram staff group', () => {
  it('posts a web-chat complaint to the group; Ambil claims it, a reply reaches the applicant, Selesai resolves it', async () => {
    const h = await setup();
    const post = await h.complain('visitor-1', COMPLAINT);
    const ticketId = ticketNumber(post);
    expect(post.text).not.toContain('5371012345678901');
    const keyboard = post.replyMarkup as { inline_keyboard: { text: string; callback_data: string }[][] };
    expect(keyboard.inline_keyboard.flat().map((b) => [b.text, b.callback_data])).toEqual([
      ['Ambil', `staff:claim:${ticketId}`],
      ['Selesai', `staff:resolve:${ticketId}`],
    ]);

    // "Ambil" by the linked officer.
    await h.deliver(h.fake.build.groupCallback(STAFF_CHAT, `staff:claim:${ticketId}`, post, { userId: BUDI_TG }));
    expect(h.t.core.tickets.get(ticketId).assigneeId).toBe(h.budi.id);
    expect(listTicketEvents(h.t.db, ticketId).filter((e) => e.type === 'claimed')).toMatchObject([{ actor: 'staff', staffId: h.budi.id }]);
    expect(answersOf(h.fake).at(-1)).toMatchObject({ text: `Tiket #${ticketId} sekarang Anda pegang.`, show_alert: false });
    // The post now says who holds it and keeps its buttons.
    await waitFor(() => h.fake.edits.length === 1, 'post edited');
    expect(h.fake.current(post.messageId)?.text).toBe(`${post.text}\n\n📌 Dipegang Budi · terbuka`);
    expect(h.fake.current(post.messageId)?.replyMarkup).toEqual(post.replyMarkup);

    // A reply to the post goes to the applicant on the web channel and is the first response.
    const reply = h.fake.build.groupText(STAFF_CHAT, 'Mohon maaf, Bapak. Antrean akan kami bantu hari ini.', { userId: BUDI_TG, replyTo: post });
    await h.deliver(reply);
    await h.t.settle();
    expect(h.web.textsTo('visitor-1')).toContain('Mohon maaf, Bapak. Antrean akan kami bantu hari ini.');
    const delivered = h.web.sent.find((m) => m.text.startsWith('Mohon maaf, Bapak.'));
    expect(delivered?.author).toBe('staff');
    const ticket = h.t.core.tickets.get(ticketId);
    expect(ticket.firstResponseAt).toEqual(h.t.clock.now());
    expect(listTicketEvents(h.t.db, ticketId).filter((e) => e.type === 'staff_reply')).toMatchObject([{ actor: 'staff', staffId: h.budi.id }]);
    const confirmation = feedback(h.fake).at(-1);
    expect(confirmation?.text).toBe(`Balasan untuk #${ticketId} dikirim ke pemohon lewat Web chat.`);
    expect(confirmation?.replyToMessageId).toBe('message' in reply ? reply.message.message_id : -1);
    // Nothing the officer wrote went to the Telegram side of the applicant or back to the group as a post.
    expect(h.fake.sent.filter((m) => m.text.startsWith('Mohon maaf, Bapak.'))).toEqual([]);

    // "Selesai": resolved, with the officer on the event; the post loses its buttons.
    await h.deliver(h.fake.build.groupCallback(STAFF_CHAT, `staff:resolve:${ticketId}`, post, { userId: BUDI_TG }));
    expect(h.t.core.tickets.get(ticketId).status).toBe('resolved');
    expect(listTicketEvents(h.t.db, ticketId).filter((e) => e.type === 'status').at(-1)).toMatchObject({
      actor: 'staff',
      staffId: h.budi.id,
      data: { to: 'resolved' },
    });
    expect(answersOf(h.fake).at(-1)).toMatchObject({ text: `Tiket #${ticketId} ditandai selesai.` });
    await waitFor(() => h.fake.current(post.messageId)?.text.endsWith('✅ Selesai · Budi') === true, 'post shows resolved');
    expect(h.fake.current(post.messageId)?.replyMarkup).toBeUndefined();
  });

  it('shows a ticket with /tiket (masked) and adds an internal note with /catatan', async () => {
    const h = await setup();
    const post = await h.complain('visitor-2', COMPLAINT);
    const ticketId = ticketNumber(post);

    await h.deliver(h.fake.build.groupText(STAFF_CHAT, `/tiket@sapa_test_bot ${ticketId}`, { userId: BUDI_TG }));
    const view = feedback(h.fake).at(-1)?.text ?? '';
    expect(view).toContain(`Tiket #${ticketId}`);
    expect(view).toContain('Web chat');
    expect(view).toMatch(/Status: terbuka · Dipegang: —/);
    expect(view).toMatch(/Batas respons pertama: pukul \d\d\.\d\d WITA/);
    expect(view).toContain('Pemohon: saya kecewa, NIK saya 5371************');
    expect(view).not.toContain('5371012345678901');

    await h.deliver(h.fake.build.groupText(STAFF_CHAT, `/catatan #${ticketId} pemohon sudah ditelepon, tunggu berkas`, { userId: BUDI_TG }));
    expect(feedback(h.fake).at(-1)?.text).toBe(`Catatan internal ditambahkan ke #${ticketId}.`);
    const note = h.t.db
      .prepare("SELECT text, staff_id, visibility FROM messages WHERE ticket_id = ? AND visibility = 'internal'")
      .get(ticketId) as { text: string; staff_id: number; visibility: string };
    expect(note).toEqual({ text: 'pemohon sudah ditelepon, tunggu berkas', staff_id: h.budi.id, visibility: 'internal' });
    expect(listTicketEvents(h.t.db, ticketId).filter((e) => e.type === 'note')).toMatchObject([{ staffId: h.budi.id }]);
    // A note is never delivered to the applicant.
    await h.t.settle();
    expect(h.web.textsTo('visitor-2').some((text) => text.includes('ditelepon'))).toBe(false);

    // The note shows up in /tiket; unknown tickets and a missing text get a short answer.
    await h.deliver(h.fake.build.groupText(STAFF_CHAT, `/tiket ${ticketId}`, { userId: BUDI_TG }));
    expect(feedback(h.fake).at(-1)?.text).toContain('Catatan Budi: pemohon sudah ditelepon, tunggu berkas');
    await h.deliver(h.fake.build.groupText(STAFF_CHAT, '/tiket 999', { userId: BUDI_TG }));
    expect(feedback(h.fake).at(-1)?.text).toBe('Tiket #999 tidak ditemukan.');
    await h.deliver(h.fake.build.groupText(STAFF_CHAT, `/catatan ${ticketId}`, { userId: BUDI_TG }));
    expect(feedback(h.fake).at(-1)?.text).toBe('Format: /catatan <nomor> <catatan internal>');
  });

  it('refuses Telegram users not linked to a staff account, and changes nothing', async () => {
    const h = await setup();
    const post = await h.complain('visitor-3', COMPLAINT);
    const ticketId = ticketNumber(post);
    const eventsBefore = listTicketEvents(h.t.db, ticketId).length;
    const webBefore = h.web.sent.length;

    await h.deliver(h.fake.build.groupCallback(STAFF_CHAT, `staff:claim:${ticketId}`, post, { userId: STRANGER_TG }));
    expect(answersOf(h.fake).at(-1)).toMatchObject({ show_alert: true, text: expect.stringMatching(/^Maaf, hanya petugas terdaftar/) });
    expect(String(answersOf(h.fake).at(-1)?.text)).toContain(`link-telegram <username> ${STRANGER_TG}`);

    await h.deliver(
      h.fake.build.groupText(STAFF_CHAT, 'Ini jawaban dari orang lain', { userId: STRANGER_TG, replyTo: post }),
      h.fake.build.groupText(STAFF_CHAT, `/catatan ${ticketId} catatan liar`, { userId: STRANGER_TG }),
      h.fake.build.groupText(STAFF_CHAT, `/tiket ${ticketId}`, { userId: STRANGER_TG }),
    );
    await h.t.settle();
    expect(feedback(h.fake).map((m) => m.text.split('\n')[0])).toEqual(Array(3).fill('Maaf, hanya petugas terdaftar yang dapat memakai fitur ini.'));
    const ticket = h.t.core.tickets.get(ticketId);
    expect(ticket.assigneeId).toBeNull();
    expect(ticket.firstResponseAt).toBeNull();
    expect(listTicketEvents(h.t.db, ticketId)).toHaveLength(eventsBefore);
    expect(h.web.sent.length).toBe(webBefore);
    expect(h.fake.edits).toEqual([]);
    // /tiket shows nothing of the ticket to them.
    expect(feedback(h.fake).some((m) => m.text.includes('5371'))).toBe(false);
  });

  it('ignores chat among staff, never forwards commands, and asks for text when a sticker answers a post', async () => {
    const h = await setup();
    const post = await h.complain('visitor-4', COMPLAINT);
    const ticketId = ticketNumber(post);
    await h.deliver(
      h.fake.build.groupText(STAFF_CHAT, 'siapa yang piket hari ini?', { userId: BUDI_TG }),
      h.fake.build.groupText(STAFF_CHAT, '/start', { userId: BUDI_TG, replyTo: post }),
      h.fake.build.groupSticker(STAFF_CHAT, { userId: BUDI_TG, replyTo: post }),
    );
    await h.t.settle();
    expect(feedback(h.fake).map((m) => m.text)).toEqual(['Hanya balasan teks yang dapat diteruskan ke pemohon.']);
    expect(h.t.core.tickets.get(ticketId).firstResponseAt).toBeNull();
    expect(h.web.textsTo('visitor-4').some((text) => text.includes('/start'))).toBe(false);
  });

  it('does not take over a ticket another officer holds by button, but does with /ambil', async () => {
    const h = await setup();
    const staff = createStaffService(h.t.db, () => h.t.clock.now());
    const sari = staff.linkTelegram(staff.add({ username: 'sari', role: 'supervisor', password: 'kata-sandi-panjang' }).username, '5151');
    const post = await h.complain('visitor-5', COMPLAINT);
    const ticketId = ticketNumber(post);
    await h.deliver(h.fake.build.groupCallback(STAFF_CHAT, `staff:claim:${ticketId}`, post, { userId: BUDI_TG }));
    await h.deliver(h.fake.build.groupCallback(STAFF_CHAT, `staff:claim:${ticketId}`, post, { userId: 5151 }));
    expect(answersOf(h.fake).at(-1)?.text).toBe(`Tiket #${ticketId} sedang dipegang Budi. Ketik /ambil ${ticketId} untuk mengambil alih.`);
    expect(h.t.core.tickets.get(ticketId).assigneeId).toBe(h.budi.id);

    await h.deliver(h.fake.build.groupText(STAFF_CHAT, `/ambil ${ticketId}`, { userId: 5151 }));
    expect(h.t.core.tickets.get(ticketId).assigneeId).toBe(sari.id);
    await waitFor(() => h.fake.current(post.messageId)?.text.endsWith('📌 Dipegang sari · terbuka') === true, 'post shows the new holder');

    await h.deliver(h.fake.build.groupText(STAFF_CHAT, `/selesai ${ticketId}`, { userId: 5151 }));
    expect(h.t.core.tickets.get(ticketId).status).toBe('resolved');
    await h.deliver(h.fake.build.groupText(STAFF_CHAT, `/balas ${ticketId} Sudah kami proses, terima kasih.`, { userId: 5151 }));
    await h.t.settle();
    expect(h.web.textsTo('visitor-5')).toContain('Sudah kami proses, terima kasih.');
  });

  it('handles a redelivered group update once, also after a restart', async () => {
    const h = await setup();
    const post = await h.complain('visitor-6', COMPLAINT);
    const ticketId = ticketNumber(post);
    const reply = h.fake.build.groupText(STAFF_CHAT, 'Baik, kami cek dulu ya.', { userId: BUDI_TG, replyTo: post });
    const press = h.fake.build.groupCallback(STAFF_CHAT, `staff:resolve:${ticketId}`, post, { userId: BUDI_TG });
    await h.deliver(reply, press);
    await h.t.settle();
    const staffReplies = (): number => listTicketEvents(h.t.db, ticketId).filter((e) => e.type === 'staff_reply').length;
    expect(staffReplies()).toBe(1);
    const feedbackBefore = feedback(h.fake).length;
    const answersBefore = answersOf(h.fake).length;
    const eventsBefore = listTicketEvents(h.t.db, ticketId).length;

    // A restart forgets the in-memory update ids; Telegram delivers both updates again.
    await h.restartTelegram();
    const callsBefore = h.groupCalls.length;
    await h.deliver(reply, press);
    expect(h.groupCalls.slice(callsBefore)).toEqual([reply.update_id, press.update_id]);
    // And a webhook-style retry straight into the handler.
    await h.group.onGroupUpdate(reply, h.telegram.telegram);
    await h.t.settle();

    expect(staffReplies()).toBe(1);
    expect(h.web.textsTo('visitor-6').filter((text) => text === 'Baik, kami cek dulu ya.')).toHaveLength(1);
    expect(listTicketEvents(h.t.db, ticketId)).toHaveLength(eventsBefore);
    expect(feedback(h.fake)).toHaveLength(feedbackBefore);
    expect(answersOf(h.fake)).toHaveLength(answersBefore);
  });
});

describe('staff desk commands', () => {
  it('parses the shared command set and the button payloads', () => {
    expect(parseStaffCommand('/tiket 12')).toEqual({ type: 'show', ticketId: 12 });
    expect(parseStaffCommand('/TIKET@sapa_bot #12')).toEqual({ type: 'show', ticketId: 12 });
    expect(parseStaffCommand('/ambil 3')).toEqual({ type: 'claim', ticketId: 3, takeover: true });
    expect(parseStaffCommand('/selesai 3')).toEqual({ type: 'resolve', ticketId: 3 });
    expect(parseStaffCommand('/balas 3 Halo,\nberkas sudah lengkap.')).toEqual({ type: 'reply', ticketId: 3, text: 'Halo,\nberkas sudah lengkap.' });
    expect(parseStaffCommand('/catatan 3 cek ulang')).toEqual({ type: 'note', ticketId: 3, text: 'cek ulang' });
    expect(parseStaffCommand('/bantuan')).toEqual({ type: 'help' });
    expect(parseStaffCommand('/balas 3')).toMatchObject({ type: 'malformed' });
    expect(parseStaffCommand('/tiket abc')).toMatchObject({ type: 'malformed' });
    expect(parseStaffCommand('/tiket 0')).toMatchObject({ type: 'malformed' });
    expect(parseStaffCommand('/start')).toBeUndefined();
    expect(parseStaffCommand('tiket 12')).toBeUndefined();
    expect(parseStaffButton('staff:claim:7')).toEqual({ type: 'claim', ticketId: 7, takeover: false });
    expect(parseStaffButton('staff:resolve:7')).toEqual({ type: 'resolve', ticketId: 7 });
    expect(parseStaffButton('topic:biaya')).toBeUndefined();
  });
});
