/**
 * messages.upsert -> InboundMessage with real Baileys objects: message
 * contents built with proto.Message.fromObject, events through Baileys' own
 * event emitter (makeEventBuffer, what `sock.ev` is), the identity resolver on
 * the SQLite auth store, and media encrypted like WhatsApp does and
 * downloaded + decrypted by Baileys from a loopback server.
 */
import { makeEventBuffer, proto } from '@whiskeysockets/baileys';
import type { WAMessage, WAMessageKey } from '@whiskeysockets/baileys';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuthStore } from '../../channels/whatsapp/auth-state.js';
import { createIdentityResolver } from '../../channels/whatsapp/identity.js';
import { createUpsertIntake, type UpsertEvent, type WhatsappGroupMessage } from '../../channels/whatsapp/intake.js';
import { createMediaDownloader } from '../../channels/whatsapp/media.js';
import { createQuickReplyMemory } from '../../channels/whatsapp/quick-replies.js';
import { createStateStore } from '../../channels/whatsapp/state-store.js';
import { createFakeClock } from '../../src/clock.js';
import { openDatabase } from '../../src/store/db.js';
import { createRecordingChannel } from '../fakes/recording-channel.js';
import { createRecordingSink } from '../fakes/recording-sink.js';
import { createTestCore } from '../helpers/core.js';
import { createFakeMediaServer, type FakeMediaServer } from '../fakes/whatsapp-media-server.js';

const silent = pino({ level: 'silent' });
const PN = '6281234567890@s.whatsapp.net';
const LID = '123456789012345@lid';
const STAFF_GROUP = '120363000000000001@g.us';
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()?.();
});

let counter = 0;
function waMessage(key: Partial<WAMessageKey> & { remoteJid: string }, content: Record<string, unknown>, extra: Partial<WAMessage> = {}): WAMessage {
  counter += 1;
  return {
    key: { fromMe: false, id: `3EB0${String(counter).padStart(12, '0')}`, ...key },
    message: proto.Message.fromObject(content),
    messageTimestamp: 1_795_000_000 + counter,
    pushName: 'Maria',
    ...extra,
  };
}

async function setup(options: { maxBytes?: number } = {}) {
  const db = openDatabase(':memory:');
  cleanups.push(() => {
    db.close();
  });
  const clock = createFakeClock('2026-11-30T01:00:00Z');
  const auth = createAuthStore(createStateStore(db, clock));
  const media: FakeMediaServer = await createFakeMediaServer();
  cleanups.push(() => media.close());
  const sink = createRecordingSink();
  const group: WhatsappGroupMessage[] = [];
  const read: WAMessageKey[] = [];
  const quickReplies = createQuickReplyMemory(clock);
  const intake = createUpsertIntake({
    sink: () => sink,
    identity: createIdentityResolver(auth.state.keys),
    media: createMediaDownloader({
      media: { maxBytes: options.maxBytes ?? 100_000, allowedMimeTypes: ['image/jpeg', 'application/pdf'] },
      requestTimeoutMs: 5_000,
      log: silent,
      reupload: () => undefined,
    }),
    quickReplies,
    clock,
    log: silent,
    staffGroupJid: STAFF_GROUP,
    onGroupMessage: async (m) => {
      group.push(m);
    },
    onStored: (key) => read.push(key),
    storeRetry: { attempts: 3, initialMs: 5 },
  });
  let ev = makeEventBuffer(silent);
  let detach = intake.attach(ev);
  const emit = async (messages: WAMessage[], type: UpsertEvent['type'] = 'notify'): Promise<void> => {
    ev.emit('messages.upsert', { messages, type });
    await intake.idle();
  };
  /** A new socket after a reconnect: a new emitter, the same intake. */
  const reconnect = (): void => {
    detach();
    ev = makeEventBuffer(silent);
    detach = intake.attach(ev);
  };
  return { db, auth, media, sink, group, read, emit, reconnect, quickReplies };
}

describe('whatsapp intake (messages.upsert)', () => {
  it('turns a phone-addressed text into an InboundMessage and marks it read after storing', async () => {
    const h = await setup();
    const msg = waMessage({ remoteJid: PN }, { conversation: 'berapa biaya paspor?' });
    await h.emit([msg]);
    expect(h.sink.stored).toHaveLength(1);
    expect(h.sink.stored[0]).toMatchObject({
      channel: 'whatsapp',
      externalId: msg.key.id,
      conversationExternalId: PN,
      sender: { externalId: PN, displayName: 'Maria', phone: '6281234567890' },
      text: 'berapa biaya paspor?',
      attachments: [],
    });
    expect(h.sink.stored[0]?.receivedAt.getTime()).toBe(Number(msg.messageTimestamp) * 1000);
    expect(h.read.map((k) => k.id)).toEqual([msg.key.id]);
  });

  it('resolves a LID sender to the phone identity (remoteJidAlt), and remembers it for LID-only messages', async () => {
    const h = await setup();
    await h.emit([waMessage({ remoteJid: LID, remoteJidAlt: PN, addressingMode: 'lid' }, { extendedTextMessage: { text: 'halo' } })]);
    await h.emit([waMessage({ remoteJid: `123456789012345:7@lid`, addressingMode: 'lid' }, { conversation: 'masih saya' })]);
    expect(h.sink.stored.map((m) => m.sender.externalId)).toEqual([PN, PN]);
    expect(h.sink.stored.map((m) => m.conversationExternalId)).toEqual([PN, PN]);
    // Stored in Baileys' own lid-mapping format with the signal keys.
    const mapping = await h.auth.state.keys.get('lid-mapping', ['6281234567890', '123456789012345_reverse']);
    expect(mapping).toEqual({ '6281234567890': '123456789012345', '123456789012345_reverse': '6281234567890' });
  });

  it('keeps an unmapped LID as the identity, without a phone', async () => {
    const h = await setup();
    await h.emit([waMessage({ remoteJid: '999888777666555@lid', addressingMode: 'lid' }, { conversation: 'halo' })]);
    expect(h.sink.stored[0]?.sender).toEqual({ externalId: '999888777666555@lid', displayName: 'Maria' });
  });

  it('ignores own messages, status broadcasts, broadcast lists, newsletters, other groups and protocol messages', async () => {
    const h = await setup();
    await h.emit([
      waMessage({ remoteJid: PN, fromMe: true }, { conversation: 'jawaban bot' }),
      waMessage({ remoteJid: 'status@broadcast', participant: PN }, { conversation: 'status' }),
      waMessage({ remoteJid: '1234567890@broadcast', participant: PN }, { conversation: 'siaran' }),
      waMessage({ remoteJid: '120363111111111111@newsletter' }, { conversation: 'kanal' }),
      waMessage({ remoteJid: '120363999999999999@g.us', participant: PN }, { conversation: '/ambil 1' }),
      waMessage({ remoteJid: PN }, { reactionMessage: { text: '👍', key: { id: 'X' } } }),
      waMessage({ remoteJid: PN }, { protocolMessage: { type: 0, key: { id: 'X' } } }),
    ]);
    expect(h.sink.attempts).toEqual([]);
    expect(h.group).toEqual([]);
  });

  it('dedupes on the key id: replays after a reconnect are stored once', async () => {
    const h = await setup();
    const first = waMessage({ remoteJid: PN }, { conversation: 'satu' });
    const second = waMessage({ remoteJid: PN }, { conversation: 'dua' });
    await h.emit([first, second]);
    h.reconnect();
    await h.emit([first, second], 'notify');
    await h.emit([first], 'append');
    expect(h.sink.stored.map((m) => m.text)).toEqual(['satu', 'dua']);
    expect(h.sink.attempts).toHaveLength(2);
  });

  it('accepts messages WhatsApp queued while offline (type append), ignores other types', async () => {
    const h = await setup();
    await h.emit([waMessage({ remoteJid: PN }, { conversation: 'dikirim saat bot mati' })], 'append');
    expect(h.sink.stored.map((m) => m.text)).toEqual(['dikirim saat bot mati']);
  });

  it('downloads and decrypts an image with its caption, and a document with caption', async () => {
    const h = await setup();
    const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff]), Buffer.alloc(3_000, 7)]);
    const pdf = Buffer.from('%PDF-1.4 surat keterangan');
    const img = await h.media.add(jpeg, 'image');
    const doc = await h.media.add(pdf, 'document');
    await h.emit([
      waMessage({ remoteJid: PN }, { imageMessage: { ...img, mimetype: 'image/jpeg', caption: 'foto KTP saya' } }),
      waMessage({ remoteJid: PN }, {
        documentWithCaptionMessage: {
          message: { documentMessage: { ...doc, mimetype: 'application/pdf', fileName: 'surat.pdf', caption: 'surat rekomendasi' } },
        },
      }),
    ]);
    const [image, document] = h.sink.stored;
    expect(image?.text).toBe('foto KTP saya');
    expect(image?.attachments[0]).toMatchObject({ kind: 'image', mimeType: 'image/jpeg', sizeBytes: jpeg.length });
    expect(Buffer.from(image?.attachments[0]?.data ?? []).equals(jpeg)).toBe(true);
    expect(document?.text).toBe('surat rekomendasi');
    expect(document?.attachments[0]).toMatchObject({ kind: 'document', mimeType: 'application/pdf', fileName: 'surat.pdf' });
    expect(Buffer.from(document?.attachments[0]?.data ?? []).toString()).toBe(pdf.toString());
  });

  it('attaches too-big or disallowed files without bytes (the core tells the applicant)', async () => {
    const h = await setup({ maxBytes: 1_000 });
    const big = await h.media.add(Buffer.alloc(5_000, 1), 'image');
    const zip = await h.media.add(Buffer.alloc(100, 1), 'document');
    // Declared size within the limit but the file is bigger: the stream is cut at the limit.
    const lying = await h.media.add(Buffer.alloc(5_000, 2), 'image');
    await h.emit([
      waMessage({ remoteJid: PN }, { imageMessage: { ...big, mimetype: 'image/jpeg' } }),
      waMessage({ remoteJid: PN }, { documentMessage: { ...zip, mimetype: 'application/zip', fileName: 'a.zip' } }),
      waMessage({ remoteJid: PN }, { imageMessage: { ...lying, fileLength: 10, mimetype: 'image/jpeg' } }),
    ]);
    expect(h.sink.stored).toHaveLength(3);
    for (const m of h.sink.stored) expect(m.attachments[0]?.data).toBeUndefined();
    expect(h.media.fetched).toHaveLength(1);
  });

  it('voice notes and stickers arrive with empty text and a typed attachment', async () => {
    const h = await setup();
    await h.emit([
      waMessage({ remoteJid: PN }, { audioMessage: { ptt: true, mimetype: 'audio/ogg; codecs=opus', seconds: 4 } }),
      waMessage({ remoteJid: PN }, { stickerMessage: { mimetype: 'image/webp' } }),
      waMessage({ remoteJid: PN }, { audioMessage: { ptt: false, mimetype: 'audio/mpeg' } }),
    ]);
    expect(h.sink.stored[0]?.attachments[0]?.durationSeconds).toBe(4);
    expect(h.sink.stored.map((m) => [m.text, m.attachments[0]?.kind, m.attachments[0]?.mimeType])).toEqual([
      ['', 'voice', 'audio/ogg'],
      ['', 'sticker', 'image/webp'],
      ['', 'audio', 'audio/mpeg'],
    ]);
    expect(h.media.fetched).toEqual([]);
  });

  it('maps a numbered answer back to the quick reply last offered in that chat', async () => {
    const h = await setup();
    h.quickReplies.render(PN, 'Pilih topik:', [
      { label: 'Paspor baru', payload: 'intent:new_passport' },
      { label: 'Biaya', payload: 'intent:fees' },
    ]);
    await h.emit([waMessage({ remoteJid: PN }, { conversation: '2' }), waMessage({ remoteJid: '6289999999999@s.whatsapp.net' }, { conversation: '2' })]);
    expect(h.sink.stored[0]).toMatchObject({ text: 'Biaya', quickReplyPayload: 'intent:fees' });
    expect(h.sink.stored[1]?.text).toBe('2');
    expect(h.sink.stored[1]?.quickReplyPayload).toBeUndefined();
  });

  it('hands staff-group text (LID participant with participantAlt) to the group handler, not the sink', async () => {
    const h = await setup();
    await h.emit([
      waMessage(
        { remoteJid: STAFF_GROUP, participant: '555000111222333@lid', participantAlt: '6281300000001@s.whatsapp.net', addressingMode: 'lid' },
        { extendedTextMessage: { text: '/balas 3 Sudah kami cek', contextInfo: { stanzaId: 'POST1' } } },
      ),
      waMessage({ remoteJid: STAFF_GROUP, participant: '6281300000001@s.whatsapp.net' }, { imageMessage: { mimetype: 'image/jpeg' } }),
    ]);
    expect(h.sink.attempts).toEqual([]);
    expect(h.group).toHaveLength(1);
    expect(h.group[0]).toMatchObject({
      groupJid: STAFF_GROUP,
      author: { jid: '6281300000001@s.whatsapp.net', phone: '6281300000001' },
      text: '/balas 3 Sudah kami cek',
      quotedId: 'POST1',
    });
  });

  it('retries a failing store, and keeps going with the next message when it keeps failing', async () => {
    const h = await setup();
    h.sink.failNext(10);
    const lost = waMessage({ remoteJid: PN }, { conversation: 'gagal' });
    await h.emit([lost]);
    h.sink.clearFailures();
    await h.emit([waMessage({ remoteJid: PN }, { conversation: 'berhasil' })]);
    expect(h.sink.stored.map((m) => m.text)).toEqual(['berhasil']);
    // Not marked seen: a replay of the failed one is still taken.
    await h.emit([lost]);
    expect(h.sink.stored.map((m) => m.text)).toEqual(['berhasil', 'gagal']);
  });
});

describe('whatsapp intake into the real core', () => {
  it('a voice note that could not be downloaded is asked for again (voice notes: whatsapp-voice.test.ts); a text gets an answer', async () => {
    const wa = createRecordingChannel('whatsapp');
    const t = createTestCore({ channel: wa });
    cleanups.push(() => t.close());
    const auth = createAuthStore(createStateStore(t.db, t.clock));
    const intake = createUpsertIntake({
      sink: () => t.core.intake.sink,
      identity: createIdentityResolver(auth.state.keys),
      media: createMediaDownloader({ media: { maxBytes: 1, allowedMimeTypes: [] }, requestTimeoutMs: 1_000, log: silent, reupload: () => undefined }),
      quickReplies: createQuickReplyMemory(t.clock),
      clock: t.clock,
      log: silent,
    });
    await intake.handle({ type: 'notify', messages: [waMessage({ remoteJid: LID, remoteJidAlt: PN }, { audioMessage: { ptt: true, mimetype: 'audio/ogg' } })] });
    await t.settle();
    const replies = wa.textsTo(PN);
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatch(/pesan suara Bapak\/Ibu tidak berhasil kami terima\. Silakan kirim ulang/);
    await intake.handle({ type: 'notify', messages: [waMessage({ remoteJid: PN }, { conversation: 'berapa biaya paspor?' })] });
    await t.settle();
    expect(wa.textsTo(PN).length).toBeGreaterThan(1);
    // One contact for both addressings.
    expect(t.db.prepare<[], { n: number }>("SELECT count(*) AS n FROM identities WHERE channel = 'whatsapp'").get()?.n).toBe(1);
  });
});
