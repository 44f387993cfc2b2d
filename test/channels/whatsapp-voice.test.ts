/**
 * #22 on WhatsApp, end to end on the real core: a voice note (ptt), encrypted as WhatsApp
 * stores media and downloaded + decrypted by Baileys from a loopback server, arrives through
 * the upsert intake; it opens a handoff ticket (or joins the open one) with the audio kept,
 * the applicant is told, and the staff group's post carries the voice note: the real
 * WhatsApp sender on a recording socket sends the audio message (ptt) and then the post's
 * text, whose id is kept, so a quoted reply to the post reaches the applicant as today.
 * Recordings over the limits are not downloaded and get a clear reply.
 */
import { generateWAMessageFromContent, makeEventBuffer, proto } from '@whiskeysockets/baileys';
import type { WAMessage, WAMessageKey } from '@whiskeysockets/baileys';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { AUDIO_MAX_BYTES, AUDIO_MAX_SECONDS, type Channel } from '../../channels/channel.js';
import { createAuthStore } from '../../channels/whatsapp/auth-state.js';
import { createIdentityResolver } from '../../channels/whatsapp/identity.js';
import { createUpsertIntake } from '../../channels/whatsapp/intake.js';
import { createSendLimiter } from '../../channels/whatsapp/limiter.js';
import { createMediaDownloader } from '../../channels/whatsapp/media.js';
import { createQuickReplyMemory } from '../../channels/whatsapp/quick-replies.js';
import { createWhatsappSender, type SendSocket } from '../../channels/whatsapp/send.js';
import { createSentMessageStore } from '../../channels/whatsapp/sent-messages.js';
import { createWhatsappStaffGroup } from '../../channels/whatsapp/staff-group.js';
import { createStateStore } from '../../channels/whatsapp/state-store.js';
import { createStaffService } from '../../src/staff.js';
import { createRecordingChannel } from '../fakes/recording-channel.js';
import { createFakeMediaServer, type FakeMediaServer } from '../fakes/whatsapp-media-server.js';
import { createTestCore, type TestCore } from '../helpers/core.js';

const silent = pino({ level: 'silent' });
const PN = '6281234567890@s.whatsapp.net';
const GROUP = '120363000000000001@g.us';
const BUDI_PN = '6281300000001@s.whatsapp.net';
const OPUS = Buffer.from([0x4f, 0x67, 0x67, 0x53, 0x00, 0x02, 7, 7, 7, 7, 1, 2, 3]);
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

let counter = 0;
function waMessage(key: Partial<WAMessageKey> & { remoteJid: string }, content: Record<string, unknown>): WAMessage {
  counter += 1;
  return {
    key: { fromMe: false, id: `3EB0VOICE${String(counter).padStart(8, '0')}`, ...key },
    message: proto.Message.fromObject(content),
    messageTimestamp: 1_795_000_000 + counter,
    pushName: 'Opa Yohanis',
  };
}

interface SocketCall {
  readonly jid: string;
  readonly content: Record<string, unknown>;
  readonly id: string;
}

/** The two socket methods sending uses; the proto it returns is built by Baileys. */
function recordingSocket(): SendSocket & { calls: SocketCall[] } {
  const calls: SocketCall[] = [];
  return {
    calls,
    async sendPresenceUpdate() {},
    async sendMessage(jid, content) {
      const id = `SENT${calls.length + 1}`;
      calls.push({ jid, content: content as Record<string, unknown>, id });
      const text = 'text' in content && typeof content.text === 'string' ? content.text : 'file';
      return generateWAMessageFromContent(jid, proto.Message.fromObject({ conversation: text }), { userJid: '6280000000000@s.whatsapp.net', messageId: id });
    },
  };
}

interface Harness {
  t: TestCore;
  media: FakeMediaServer;
  socket: ReturnType<typeof recordingSocket>;
  /** An applicant's (or a group member's) messages through the upsert intake; routed and sent. */
  emit(...messages: WAMessage[]): Promise<void>;
  textsTo(jid: string): string[];
}

async function setup(): Promise<Harness> {
  const socket = recordingSocket();
  // The real WhatsApp sender as the channel's send; it needs the core's clock and database.
  let send: Channel['send'] | null = null;
  const channel: Channel = {
    name: 'whatsapp',
    capabilities: { quickReplies: false, inboundMedia: true, outboundMedia: true, maxTextLength: 4096 },
    status: () => ({ state: 'connected' }),
    start: async () => {},
    stop: async () => {},
    send: (message) => send!(message),
  };
  const t = createTestCore({ channel: createRecordingChannel('web'), alertTargets: [{ channel: 'whatsapp', externalId: GROUP, audience: 'staff' }] });
  cleanups.push(() => t.close());
  t.core.addChannel(channel);
  send = createWhatsappSender({
    socket: () => socket,
    limiter: createSendLimiter({ sendsPerMinute: 0, perChatIntervalMs: 0 }),
    quickReplies: createQuickReplyMemory(t.clock),
    sent: createSentMessageStore(createStateStore(t.db, t.clock), t.clock),
    typing: null,
    sleep: async () => {},
    isStopping: () => false,
    log: silent,
  });
  const media = await createFakeMediaServer();
  cleanups.push(() => media.close());
  const staff = createStaffService(t.db, () => t.clock.now());
  staff.linkWhatsapp(staff.add({ username: 'budi', role: 'staff', password: 'kata-sandi-panjang', displayName: 'Budi' }).username, '081300000001');
  const group = createWhatsappStaffGroup({ db: t.db, tickets: t.core.tickets, staff, clock: t.clock, logger: silent, groupJid: GROUP, timeZone: 'Asia/Makassar' });
  const intake = createUpsertIntake({
    sink: () => t.core.intake.sink,
    identity: createIdentityResolver(createAuthStore(createStateStore(t.db, t.clock)).state.keys),
    // Images and documents keep their own (configured) limit; recordings use the core's.
    media: createMediaDownloader({ media: { maxBytes: 4, allowedMimeTypes: ['image/jpeg'] }, requestTimeoutMs: 5_000, log: silent, reupload: () => undefined }),
    quickReplies: createQuickReplyMemory(t.clock),
    clock: t.clock,
    log: silent,
    staffGroupJid: GROUP,
    onGroupMessage: (m) => group.handle(m, async () => {}),
  });
  const ev = makeEventBuffer(silent);
  intake.attach(ev);
  return {
    t,
    media,
    socket,
    async emit(...messages) {
      ev.emit('messages.upsert', { messages, type: 'notify' });
      await intake.idle();
      await t.settle();
    },
    textsTo: (jid) => socket.calls.filter((c) => c.jid === jid && typeof c.content['text'] === 'string').map((c) => c.content['text'] as string),
  };
}

const storedAudio = (t: TestCore) =>
  t.db
    .prepare("SELECT m.ticket_id, a.kind, a.mime_type, a.duration_seconds, a.data FROM attachments a JOIN messages m ON m.id = a.message_id WHERE m.direction = 'in' ORDER BY a.id")
    .all() as { ticket_id: number | null; kind: string; mime_type: string; duration_seconds: number | null; data: Buffer | null }[];

describe('whatsapp voice notes (#22)', () => {
  it('a voice note opens a handoff ticket with the audio; the group gets the voice note with the post; a quoted reply answers', async () => {
    const h = await setup();
    const enc = await h.media.add(OPUS, 'audio');
    await h.emit(waMessage({ remoteJid: PN }, { audioMessage: { ...enc, ptt: true, mimetype: 'audio/ogg; codecs=opus', seconds: 37 } }));

    // Downloaded and decrypted by Baileys, kept on the ticket.
    expect(h.media.fetched).toHaveLength(1);
    const [audio] = storedAudio(h.t);
    expect(audio).toMatchObject({ ticket_id: 1, kind: 'voice', mime_type: 'audio/ogg', duration_seconds: 37 });
    expect(audio?.data?.equals(OPUS)).toBe(true);
    expect(h.t.core.tickets.get(1)).toMatchObject({ kind: 'handoff', summary: '[Pesan suara 0:37]' });

    // The applicant is told.
    const told = h.textsTo(PN);
    expect(told).toHaveLength(1);
    expect(told[0]).toMatch(/pesan suara Bapak\/Ibu sudah kami terima dan kami catat sebagai tiket #1\. Petugas akan mendengarkannya lalu membalas/);

    // The group: the voice note (ptt, the applicant's bytes), then the post's text.
    const toGroup = h.socket.calls.filter((c) => c.jid === GROUP);
    expect(toGroup).toHaveLength(2);
    expect(toGroup[0]?.content).toMatchObject({ ptt: true, mimetype: 'audio/ogg; codecs=opus' });
    expect(Buffer.isBuffer(toGroup[0]?.content['audio']) && (toGroup[0]?.content['audio'] as Buffer).equals(OPUS)).toBe(true);
    expect(toGroup[1]?.content['text']).toMatch(/Tiket #1/);
    expect(toGroup[1]?.content['text']).toContain('[Pesan suara 0:37]');

    // The post's id is the text's: quoting it answers the applicant.
    const postId = h.t.db
      .prepare<[], { external_id: string }>("SELECT external_id FROM messages WHERE ticket_id = 1 AND channel = 'whatsapp' AND direction = 'out' AND conversation_id != (SELECT conversation_id FROM tickets WHERE id = 1)")
      .get()?.external_id;
    expect(postId).toBe(toGroup[1]?.id);
    await h.emit(
      waMessage({ remoteJid: GROUP, participant: BUDI_PN }, { extendedTextMessage: { text: 'Sudah kami dengar, Opa. Besok datang ke loket prioritas.', contextInfo: { stanzaId: postId } } }),
    );
    expect(h.textsTo(PN)).toContain('Sudah kami dengar, Opa. Besok datang ke loket prioritas.');
    expect(h.t.core.tickets.get(1).firstResponseAt).not.toBeNull();

    // A second voice note joins the ticket.
    const enc2 = await h.media.add(OPUS, 'audio');
    await h.emit(waMessage({ remoteJid: PN }, { audioMessage: { ...enc2, ptt: true, mimetype: 'audio/ogg; codecs=opus', seconds: 8 } }));
    expect(h.textsTo(PN).at(-1)).toMatch(/sudah kami tambahkan ke tiket #1/);
    expect(storedAudio(h.t).map((a) => a.ticket_id)).toEqual([1, 1]);
    // The group hears it too: the voice note, then a line naming the ticket.
    const more = h.socket.calls.filter((c) => c.jid === GROUP).slice(2);
    expect(more.map((c) => (typeof c.content['text'] === 'string' ? 'text' : c.content['ptt'] === true ? 'ptt' : 'other'))).toEqual(['ptt', 'text']);
    expect(more[1]?.content['text']).toMatch(/^🎤 Pesan suara baru \(0:08\) dari pemohon untuk Tiket #1/);
  });

  it.each([
    ['too long', { seconds: AUDIO_MAX_SECONDS + 1 }, /terlalu panjang/],
    ['too large', { seconds: 100, fileLength: AUDIO_MAX_BYTES + 1 }, /terlalu besar/],
    ['of a type we cannot play', { seconds: 10, mimetype: 'audio/x-ms-wma' }, /tidak dapat kami putar/],
  ])('a recording %s is not downloaded and gets a clear reply; the message is kept', async (_name, extra, expected) => {
    const h = await setup();
    const enc = await h.media.add(OPUS, 'audio');
    await h.emit(waMessage({ remoteJid: PN }, { audioMessage: { ...enc, ptt: true, mimetype: 'audio/ogg; codecs=opus', ...extra } }));
    expect(h.media.fetched).toEqual([]);
    expect(h.textsTo(PN)).toHaveLength(1);
    expect(h.textsTo(PN)[0]).toMatch(expected);
    expect(storedAudio(h.t)).toMatchObject([{ ticket_id: null, kind: 'voice', data: null }]);
    expect(h.socket.calls.filter((c) => c.jid === GROUP)).toEqual([]);
  });
});
