import { afterEach, describe, expect, it } from 'vitest';
import { MAX_STORED_TEXT_CHARS } from '../src/text-limits.js';
import { createTestCore, type TestCore } from './helpers/core.js';

let t: TestCore;
afterEach(() => t?.close());

const storedInbound = (): { text: string; text_truncated: number; processed_at: number | null }[] =>
  t.db.prepare("SELECT text, text_truncated, processed_at FROM messages WHERE direction = 'in' ORDER BY id").all() as never;

describe('bad input gets a clear reply and loses nothing', () => {
  it.each([
    ['empty', ''],
    ['whitespace only', '   \n\t  '],
  ])('%s text: a polite prompt to write the question', async (_name, text) => {
    t = createTestCore();
    const [reply] = await t.say(text);
    expect(reply).toMatch(/kosong/);
    expect(storedInbound()).toHaveLength(1);
    expect(storedInbound()[0]?.processed_at).not.toBeNull();
  });

  it('a 1 MB message is stored up to the limit, flagged, and answered', async () => {
    t = createTestCore();
    const huge = `berapa biaya paspor ${'a'.repeat(1024 * 1024)}`;
    const replies = await t.say(huge);
    const [row] = storedInbound();
    expect(row?.text.length).toBe(MAX_STORED_TEXT_CHARS);
    expect(row?.text_truncated).toBe(1);
    expect(replies.join('\n')).toMatch(/sangat panjang/);
    expect(replies.length).toBeGreaterThanOrEqual(2);
  });

  it('control characters are removed before storing', async () => {
    t = createTestCore();
    await t.say('berapa\u0000 biaya\u0007 paspor\u001b[31m?');
    expect(storedInbound()[0]?.text).toBe('berapa biaya paspor[31m?');
  });

  it('invalid UTF-16 (lone surrogates) is stored well-formed', async () => {
    t = createTestCore();
    const replies = await t.say('halo \uD800 kak \uDFFF');
    expect(replies.length).toBeGreaterThan(0);
    const text = storedInbound()[0]!.text;
    expect(text.isWellFormed()).toBe(true);
    expect(text).toContain('\uFFFD');
  });

  it('emoji only: answered without a crash', async () => {
    t = createTestCore();
    const replies = await t.say('🙏🙏😭');
    expect(replies).toHaveLength(1);
  });

  it('a sticker gets the "text only" reply; a voice note that did not arrive is asked for again', async () => {
    t = createTestCore();
    const [sticker] = await t.say('', { attachments: [{ kind: 'sticker' }] });
    expect(sticker).toMatch(/hanya dapat membaca pesan teks/);
    // A voice note is a handoff (#22, test/router/voice-notes.test.ts); without its bytes there is nothing to hear.
    const [voice] = await t.say('', { attachments: [{ kind: 'voice', mimeType: 'audio/ogg' }] });
    expect(voice).toMatch(/pesan suara Bapak\/Ibu tidak berhasil kami terima/);
  });

  it('a photo sent while a ticket is open is attached to the ticket', async () => {
    t = createTestCore();
    await t.say('upload foto ktp gagal terus sudah 3 hari, kecewa');
    const [reply] = await t.say('', { attachments: [{ kind: 'image', mimeType: 'image/jpeg', data: new Uint8Array([0xff, 0xd8, 0xff]) }] });
    expect(reply).toMatch(/Lampiran/);
    const row = t.db.prepare("SELECT m.ticket_id, a.data FROM attachments a JOIN messages m ON m.id = a.message_id").get() as { ticket_id: number; data: Buffer };
    expect(row.ticket_id).toBe(1);
    expect([...row.data]).toEqual([0xff, 0xd8, 0xff]);
  });

  it('a redelivered message is stored once and answered once', async () => {
    t = createTestCore();
    await t.say('berapa biaya paspor', { id: 'same-id' });
    const again = await t.say('berapa biaya paspor', { id: 'same-id' });
    expect(again).toHaveLength(0);
    expect(storedInbound()).toHaveLength(1);
    expect(t.channel.sent).toHaveLength(1);
  });

  it('malformed provider ids are refused with a clear error, nothing stored', async () => {
    t = createTestCore();
    await expect(t.say('halo', { id: '' })).rejects.toThrow(/externalId must be 1-256 characters/);
    await expect(t.say('halo', { from: 'x'.repeat(300) })).rejects.toThrow(/must be 1-256 characters/);
    expect(storedInbound()).toHaveLength(0);
  });
});
