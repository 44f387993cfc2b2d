/**
 * #22: voice notes and photos from people who cannot type. A voice note opens a handoff
 * ticket (or joins the open one) with the audio kept; a photo without an open ticket
 * likewise; recordings over the limits are refused with the reason, and nothing is lost.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { AUDIO_MAX_BYTES, AUDIO_MAX_SECONDS, audioRefusal } from '../../channels/channel.js';
import { voiceRefusal } from '../../src/router/steps/media.js';
import { createTestCore, type TestCore } from '../helpers/core.js';

let t: TestCore;
afterEach(() => t?.close());

const OPUS = new Uint8Array([0x4f, 0x67, 0x67, 0x53, 0, 2, 0, 0]);
const voice = (extra: Record<string, unknown> = {}) =>
  ({ kind: 'voice', mimeType: 'audio/ogg', durationSeconds: 42, sizeBytes: OPUS.byteLength, data: OPUS, ...extra }) as const;

interface TicketRow {
  id: number;
  kind: string;
  priority: string;
  status: string;
  summary: string;
}
const tickets = (): TicketRow[] => t.db.prepare('SELECT id, kind, priority, status, summary FROM tickets ORDER BY id').all() as TicketRow[];
const audioRows = (): { ticket_id: number | null; kind: string; data: Buffer | null; duration_seconds: number | null }[] =>
  t.db
    .prepare("SELECT m.ticket_id, a.kind, a.data, a.duration_seconds FROM attachments a JOIN messages m ON m.id = a.message_id WHERE a.kind IN ('voice', 'audio') ORDER BY a.id")
    .all() as never;

describe('a voice note is a handoff to an officer', () => {
  it('without a ticket: a handoff ticket is opened with the audio, and the applicant is told the ticket and by when', async () => {
    t = createTestCore();
    const replies = await t.say('', { attachments: [voice()] });
    expect(replies).toHaveLength(1);
    expect(replies[0]).toMatch(/pesan suara Bapak\/Ibu sudah kami terima dan kami catat sebagai tiket #1/);
    expect(replies[0]).toMatch(/Petugas akan mendengarkannya lalu membalas di percakapan ini/);
    // Monday morning, office open, hours confirmed: a clock time in WITA.
    expect(replies[0]).toMatch(/paling lambat pukul \d{2}\.\d{2} WITA/);
    expect(replies[0]).not.toMatch(/hanya dapat membaca/);
    expect(tickets()).toEqual([{ id: 1, kind: 'handoff', priority: 'normal', status: 'open', summary: '[Pesan suara 0:42]' }]);
    const [row] = audioRows();
    expect(row?.ticket_id).toBe(1);
    expect([...(row?.data ?? [])]).toEqual([...OPUS]);
    expect(row?.duration_seconds).toBe(42);
  });

  it('with an open complaint: the voice note joins it, no second ticket', async () => {
    t = createTestCore();
    await t.say('upload foto ktp gagal terus sudah 3 hari, kecewa');
    expect(tickets()).toHaveLength(1);
    const [reply] = await t.say('', { attachments: [voice({ kind: 'audio', mimeType: 'audio/mpeg' })] });
    expect(reply).toMatch(/pesan suara Bapak\/Ibu sudah kami tambahkan ke tiket #1/);
    expect(tickets()).toHaveLength(1);
    expect(tickets()[0]?.kind).toBe('complaint');
    expect(audioRows()[0]?.ticket_id).toBe(1);
  });

  it('after hours the applicant hears when the office opens', async () => {
    // Saturday noon in Kupang: closed.
    t = createTestCore({ start: '2026-12-05T04:00:00Z' });
    const [reply] = await t.say('', { attachments: [voice()] });
    expect(reply).toMatch(/tiket #1/);
    expect(reply).toMatch(/Kantor sedang tutup dan buka kembali/);
  });

  it('a priority group known from the conversation keeps the ticket high', async () => {
    t = createTestCore();
    await t.say('nenek saya umur 70 mau bikin paspor');
    await t.say('', { attachments: [voice()] });
    expect(tickets()[0]).toMatchObject({ kind: 'handoff', priority: 'high' });
  });

  it('an English conversation is answered in English', async () => {
    t = createTestCore();
    await t.say('hello, how much is the passport fee?');
    const [reply] = await t.say('', { attachments: [voice()] });
    expect(reply).toMatch(/received your voice message and recorded it as ticket #1\. An officer will listen to it/);
  });

  it.each([
    ['too long', { durationSeconds: AUDIO_MAX_SECONDS + 1, data: undefined }, /terlalu panjang .*paling lama 5 menit/],
    ['too big', { sizeBytes: AUDIO_MAX_BYTES + 1, durationSeconds: 60, data: undefined }, /terlalu besar .*paling besar 6 MB/],
    ['of a type we cannot play', { mimeType: 'audio/x-ms-wma', data: undefined }, /tidak dapat kami putar/],
    ['not downloaded', { data: undefined }, /tidak berhasil kami terima\. Silakan kirim ulang/],
  ] as [string, Record<string, unknown>, RegExp][])('a recording %s is refused with the reason; the message is kept, no ticket', async (_name, extra, expected) => {
    t = createTestCore();
    const [reply] = await t.say('', { attachments: [voice(extra)] });
    expect(reply).toMatch(expected);
    expect(tickets()).toHaveLength(0);
    const stored = t.db.prepare("SELECT a.kind, a.mime_type FROM attachments a JOIN messages m ON m.id = a.message_id WHERE m.direction = 'in'").all();
    expect(stored).toEqual([{ kind: 'voice', mime_type: extra.mimeType ?? 'audio/ogg' }]);
  });

  it('a refused recording on an open ticket still joins it, so staff see it was sent', async () => {
    t = createTestCore();
    await t.say('upload foto ktp gagal terus sudah 3 hari, kecewa');
    const [reply] = await t.say('', { attachments: [voice({ durationSeconds: 900, data: undefined })] });
    expect(reply).toMatch(/terlalu panjang/);
    expect(audioRows()[0]?.ticket_id).toBe(1);
  });
});

describe('a photo without an open ticket', () => {
  it('becomes a handoff ticket with the image', async () => {
    t = createTestCore();
    const [reply] = await t.say('', { attachments: [{ kind: 'image', mimeType: 'image/jpeg', data: new Uint8Array([0xff, 0xd8, 0xff]) }] });
    expect(reply).toMatch(/foto Bapak\/Ibu sudah kami terima dan kami catat sebagai tiket #1\. Petugas akan melihatnya/);
    expect(tickets()).toEqual([{ id: 1, kind: 'handoff', priority: 'normal', status: 'open', summary: '[Foto]' }]);
    const row = t.db.prepare('SELECT m.ticket_id FROM attachments a JOIN messages m ON m.id = a.message_id').get() as { ticket_id: number };
    expect(row.ticket_id).toBe(1);
  });

  it('with words: the words are answered and the photo still reaches an officer on a handoff ticket', async () => {
    t = createTestCore();
    const replies = await t.say('ini error apa ya kak, muncul terus waktu mau bayar', {
      attachments: [{ kind: 'image', mimeType: 'image/jpeg', data: new Uint8Array([0xff, 0xd8, 0xff]) }],
    });
    expect(replies).toHaveLength(2);
    // The question's own answer first (not the photo reply), then the ticket for the photo.
    expect(replies[0]).not.toMatch(/tiket #1/);
    expect(replies[1]).toMatch(/foto Bapak\/Ibu sudah kami terima dan kami catat sebagai tiket #1\. Petugas akan melihatnya/);
    expect(replies[1]).not.toMatch(/tuliskan juga keperluannya/);
    expect(tickets()).toEqual([{ id: 1, kind: 'handoff', priority: 'normal', status: 'open', summary: 'ini error apa ya kak, muncul terus waktu mau bayar' }]);
    const row = t.db.prepare('SELECT m.ticket_id FROM attachments a JOIN messages m ON m.id = a.message_id').get() as { ticket_id: number };
    expect(row.ticket_id).toBe(1);
  });

  it('with words that opened a ticket already (a complaint): one ticket, no second reply about the photo', async () => {
    t = createTestCore();
    const replies = await t.say('petugas loket kasar sekali, ini fotonya, saya kecewa', {
      attachments: [{ kind: 'image', mimeType: 'image/jpeg', data: new Uint8Array([0xff, 0xd8, 0xff]) }],
    });
    expect(tickets()).toHaveLength(1);
    expect(tickets()[0]?.kind).not.toBe('handoff');
    expect(replies.join(' ')).not.toMatch(/Petugas akan melihatnya/);
  });

  it('that could not be received gets a clear reply and opens nothing', async () => {
    t = createTestCore();
    const [reply] = await t.say('', { attachments: [{ kind: 'image', mimeType: 'image/gif', sizeBytes: 50_000_000 }] });
    expect(reply).toMatch(/berkas Bapak\/Ibu tidak berhasil kami terima/);
    expect(tickets()).toHaveLength(0);
  });

  it('a sticker still gets the "text only" reply', async () => {
    t = createTestCore();
    const [reply] = await t.say('', { attachments: [{ kind: 'sticker' }] });
    expect(reply).toMatch(/hanya dapat membaca pesan teks/);
  });
});

describe('the audio limits', () => {
  it('accept the usual voice note and audio types, with codec parameters', () => {
    for (const mimeType of ['audio/ogg; codecs=opus', 'audio/mp4', 'audio/x-m4a', 'audio/mpeg', 'audio/amr', 'audio/webm;codecs=opus']) {
      expect(audioRefusal({ mimeType, sizeBytes: 1000, durationSeconds: 10 }), mimeType).toBeNull();
    }
  });

  it('refuse other types, long and large recordings', () => {
    expect(audioRefusal({ mimeType: 'video/mp4' })).toBe('wrong_type');
    expect(audioRefusal({})).toBe('wrong_type');
    expect(audioRefusal({ mimeType: 'audio/ogg', durationSeconds: AUDIO_MAX_SECONDS })).toBeNull();
    expect(audioRefusal({ mimeType: 'audio/ogg', durationSeconds: AUDIO_MAX_SECONDS + 1 })).toBe('too_long');
    expect(audioRefusal({ mimeType: 'audio/ogg', sizeBytes: AUDIO_MAX_BYTES + 1 })).toBe('too_big');
  });

  it('a message is kept when one of its recordings arrived', () => {
    const base = { id: 1, messageId: 1, kind: 'voice', mimeType: 'audio/ogg', fileName: null, sizeBytes: 10, durationSeconds: 3 };
    expect(voiceRefusal([{ ...base, hasData: false }, { ...base, hasData: true }])).toBeNull();
    expect(voiceRefusal([{ ...base, hasData: false }])).toBe('not_received');
    // A download that failed before the provider named the type was not received either.
    expect(voiceRefusal([{ ...base, mimeType: null, sizeBytes: null, hasData: false }])).toBe('not_received');
    expect(voiceRefusal([{ ...base, mimeType: 'audio/flac', hasData: false }])).toBe('wrong_type');
    expect(voiceRefusal([{ ...base, hasData: true, durationSeconds: 1000 }])).toBe('too_long');
  });
});
