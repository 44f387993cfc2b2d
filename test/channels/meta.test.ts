/**
 * Messenger and the official Instagram API in the composed application (startApp,
 * configured from environment variables): Meta's webhook driven with correctly signed,
 * real-shaped payloads over HTTP on loopback, and replies going out to fake Graph API
 * servers (one for graph.facebook.com, one for graph.instagram.com) speaking Meta's JSON.
 * The clock is injected; waits poll a condition with a bounded deadline, never sleep.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredMessage } from '../../src/domain.js';
import { findConversation } from '../../src/store/conversations.js';
import { listAttachments } from '../../src/store/messages.js';
import { graphErrors } from '../fakes/meta-graph-api.js';
import {
  APP_SECRET,
  HOUR,
  IG_ID,
  PAGE_ID,
  VERIFY_TOKEN,
  callsTo,
  complain,
  envelope,
  inbound,
  instagramMessage,
  messagesOf,
  messengerMessage,
  newMid,
  post,
  postRaw,
  settle,
  startMetaHarness,
  stopMetaHarness,
  waitFor,
  type MetaHarness as Harness,
} from '../helpers/meta-harness.js';
import { signBody } from '../../channels/meta.js';

const startHarness = (env: Record<string, string> = {}): Promise<Harness> => startMetaHarness({ env });
const stopHarness = (h: Harness): Promise<void> => stopMetaHarness(h);

describe('Meta webhook and Send API (Messenger and Instagram)', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await stopHarness(h);
  });

  it('answers the subscription handshake with the challenge only for the right verify token', async () => {
    const url = (token: string): string =>
      `${h.app.url}/webhooks/meta?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=1158201444`;
    const ok = await fetch(url(VERIFY_TOKEN));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('1158201444');
    const wrong = await fetch(url('not-the-token'));
    expect(wrong.status).toBe(403);
    expect(await wrong.text()).not.toContain('1158201444');
    const health = (await (await fetch(`${h.app.url}/healthz`)).json()) as { channels: Record<string, string> };
    expect(health.channels).toMatchObject({ messenger: 'connected', instagram: 'connected' });
  });

  it('refuses a missing or wrong signature, or an altered body, with 401 before reading it, and stores nothing', async () => {
    const psid = '7000000000000001';
    const raw = JSON.stringify(messengerMessage(psid, h.clock.now().getTime(), { mid: newMid(), text: 'berapa biaya paspor?' }));
    expect((await postRaw(h, raw, null)).status).toBe(401);
    expect((await postRaw(h, raw, signBody('another-app-secret-0000000000000', raw))).status).toBe(401);
    expect((await postRaw(h, raw.replace('biaya', 'BIAYA'), signBody(APP_SECRET, raw))).status).toBe(401);
    expect((await postRaw(h, raw, 'sha1=0123456789abcdef0123456789abcdef01234567')).status).toBe(401);
    // Not JSON at all and unsigned: still 401 (the signature is checked before any parsing), not 400.
    expect((await postRaw(h, '{not json', null)).status).toBe(401);
    await settle(h);
    expect(findConversation(h.app.core.db, 'messenger', psid)).toBeNull();
    expect(callsTo(h.messenger, psid)).toEqual([]);
  });

  it('stores a Messenger message before answering 200, then replies through the Send API inside the 24-hour window', async () => {
    const psid = '7000000000000002';
    const mid = newMid();
    expect(await post(h, messengerMessage(psid, h.clock.now().getTime(), { mid, text: 'berapa biaya paspor?' }))).toBe(200);
    // Already stored when the 200 arrived.
    const stored = inbound(messagesOf(h, 'messenger', psid));
    expect(stored.map((m) => [m.externalId, m.text])).toEqual([[mid, 'berapa biaya paspor?']]);
    const call = await waitFor(() => callsTo(h.messenger, psid)[0], 'the reply to Messenger');
    expect(call.pathId).toBe(PAGE_ID);
    expect(call.body.messaging_type).toBe('RESPONSE');
    expect(call.body.tag).toBeUndefined();
    expect(call.body.message?.text).toMatch(/Rp|biaya/i);
    expect(call.body.message!.text!.length).toBeLessThanOrEqual(2000);
    for (const reply of call.body.message?.quick_replies ?? []) {
      expect(reply.content_type).toBe('text');
      expect(Array.from(reply.title).length).toBeLessThanOrEqual(20);
    }
    expect((call.body.message?.quick_replies ?? []).length).toBeLessThanOrEqual(13);
    // The provider's message id is recorded on our reply.
    await waitFor(() => messagesOf(h, 'messenger', psid).find((m) => m.direction === 'out' && m.deliveryStatus === 'sent'), 'the reply marked sent');
    expect(messagesOf(h, 'messenger', psid).find((m) => m.direction === 'out')?.externalId).toMatch(/^m_fake\d+$/);
  });

  it('answers a redelivered message (same mid) once', async () => {
    const psid = '7000000000000003';
    const payload = messengerMessage(psid, h.clock.now().getTime(), { mid: newMid(), text: 'halo' });
    expect(await post(h, payload)).toBe(200);
    await waitFor(() => callsTo(h.messenger, psid).length > 0, 'the first reply');
    await settle(h);
    const before = callsTo(h.messenger, psid).length;
    expect(await post(h, payload)).toBe(200);
    expect(await post(h, payload)).toBe(200);
    await settle(h);
    expect(inbound(messagesOf(h, 'messenger', psid))).toHaveLength(1);
    expect(callsTo(h.messenger, psid)).toHaveLength(before);
  });

  it('takes a quick-reply payload and a postback as the button pressed', async () => {
    const psid = '7000000000000004';
    const now = h.clock.now().getTime();
    expect(await post(h, messengerMessage(psid, now, { mid: newMid(), text: 'Biaya paspor', quick_reply: { payload: 'intent:fees' } }))).toBe(200);
    expect(
      await post(
        h,
        envelope('page', PAGE_ID, now + 1, [
          { sender: { id: psid }, recipient: { id: PAGE_ID }, timestamp: now + 1, postback: { mid: newMid(), title: 'Alamat kantor', payload: 'intent:office_info' } },
        ]),
      ),
    ).toBe(200);
    await settle(h);
    const [pressed, postback] = inbound(messagesOf(h, 'messenger', psid));
    expect(pressed).toMatchObject({ text: 'Biaya paspor', quickReplyPayload: 'intent:fees', intent: 'fees' });
    expect(postback).toMatchObject({ text: 'Alamat kantor', quickReplyPayload: 'intent:office_info', intent: 'office_info' });
    await waitFor(() => callsTo(h.messenger, psid).length >= 2, 'both answers');
  });

  it('answers an Instagram message through graph.instagram.com/{version}/{ig-id}/messages', async () => {
    const igsid = '5800000000000001';
    const mid = newMid('aWdfZAG1faXRlbToxOklHTWVzc2FnZAUlEOjE3ODQx');
    expect(await post(h, instagramMessage(igsid, h.clock.now().getTime(), { mid, text: 'syarat bikin paspor baru apa saja?' }))).toBe(200);
    expect(inbound(messagesOf(h, 'instagram', igsid)).map((m) => m.externalId)).toEqual([mid]);
    const call = await waitFor(() => callsTo(h.instagram, igsid)[0], 'the reply on Instagram');
    expect(call.pathId).toBe(IG_ID);
    expect(call.body.messaging_type).toBe('RESPONSE');
    expect(Buffer.byteLength(call.body.message?.text ?? '', 'utf8')).toBeLessThanOrEqual(1000);
    expect(callsTo(h.messenger, igsid)).toEqual([]);
  });

  it('drops the echo of its own reply, stores an echo written in Meta\'s inbox, and takes receipts, all with 200 and nothing sent', async () => {
    const psid = '7000000000000005';
    const igsid = '5800000000000002';
    const now = h.clock.now().getTime();
    expect(await post(h, messengerMessage(psid, now, { mid: newMid(), text: 'halo' }))).toBe(200);
    const reply = await waitFor(() => h.messenger.sent().find((c) => c.body.recipient?.id === psid), 'the reply');
    await waitFor(() => messagesOf(h, 'messenger', psid).find((m) => m.direction === 'out' && m.externalId !== null), 'the reply id');
    const ours = messagesOf(h, 'messenger', psid).find((m) => m.direction === 'out')!;
    const ourMid = ours.externalId!;
    const before = messagesOf(h, 'messenger', psid).length;
    const callsBefore = h.messenger.calls.length + h.instagram.calls.length;
    // Our own echo (Messenger message_echoes), one written in Meta's inbox, a delivery and a read receipt.
    const inboxMid = newMid();
    const pageEvents = [
      { sender: { id: PAGE_ID }, recipient: { id: psid }, timestamp: now + 1, message: { is_echo: true, app_id: 1517776481860111, mid: ourMid, text: reply.body.message?.text } },
      { sender: { id: PAGE_ID }, recipient: { id: psid }, timestamp: now + 2, message: { is_echo: true, app_id: 263902037430900, mid: inboxMid, text: 'dari inbox Meta' } },
      { sender: { id: psid }, recipient: { id: PAGE_ID }, delivery: { mids: [ourMid], watermark: now + 3 } },
      { sender: { id: psid }, recipient: { id: PAGE_ID }, timestamp: now + 4, read: { watermark: now + 3 } },
    ];
    expect(await post(h, envelope('page', PAGE_ID, now + 5, pageEvents))).toBe(200);
    // Instagram: an echo from the Instagram app and messaging_seen.
    const igEvents = [
      { sender: { id: IG_ID }, recipient: { id: igsid }, timestamp: now + 6, message: { mid: newMid('aWdf'), text: 'echo', is_echo: true } },
      { sender: { id: igsid }, recipient: { id: IG_ID }, timestamp: now + 7, read: { mid: newMid('aWdf') } },
    ];
    expect(await post(h, envelope('instagram', IG_ID, now + 8, igEvents))).toBe(200);
    await settle(h);
    const after = messagesOf(h, 'messenger', psid);
    expect(after).toHaveLength(before + 1);
    expect(after.at(-1)).toMatchObject({ direction: 'out', author: 'staff', staffId: null, text: 'dari inbox Meta', externalId: inboxMid, deliveryStatus: 'sent' });
    expect(after.find((m) => m.id === ours.id)).toMatchObject({ deliveredAt: expect.any(Date), readAt: expect.any(Date) });
    expect(messagesOf(h, 'instagram', igsid).map((m) => [m.author, m.text])).toEqual([['staff', 'echo']]);
    expect(h.messenger.calls.length + h.instagram.calls.length).toBe(callsBefore);
  });

  it('keeps an image and a voice note on the open ticket: both downloaded, the voice note answered as one an officer will hear', async () => {
    const psid = '7000000000000006';
    const now = h.clock.now().getTime();
    expect(await post(h, messengerMessage(psid, now, { mid: newMid(), text: 'antrian lama sekali, saya kecewa dengan pelayanannya' }))).toBe(200);
    await settle(h);
    const ticketId = await waitFor(() => inbound(messagesOf(h, 'messenger', psid))[0]?.ticketId ?? undefined, 'the complaint ticket');
    const jpeg = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 0xff, 0xd9]);
    const imageUrl = h.messenger.addFile('bukti.jpg', 'image/jpeg', jpeg);
    const callsBeforeImage = callsTo(h.messenger, psid).length;
    expect(await post(h, messengerMessage(psid, now + 1, { mid: newMid(), attachments: [{ type: 'image', payload: { url: imageUrl } }] }))).toBe(200);
    // The image's acknowledgement goes out first (the outbox sends it in its own time): counted
    // before the voice note, so the answer looked at next is the voice note's.
    await waitFor(() => {
      const calls = callsTo(h.messenger, psid).slice(callsBeforeImage);
      return calls.some((c) => /lampiran|attachment/i.test(c.body.message?.text ?? '')) ? true : undefined;
    }, "the image's acknowledgement");
    // Messenger's CDN serves a voice clip as an MP4 file (here as video/mp4): it is audio.
    const clip = new Uint8Array([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x6d, 0x70, 0x34, 0x32, 7, 7, 7, 7]);
    const audioUrl = h.messenger.addFile('audioclip-1.mp4', 'video/mp4', clip);
    const callsBefore = callsTo(h.messenger, psid).length;
    expect(await post(h, messengerMessage(psid, now + 2, { mid: newMid(), attachments: [{ type: 'audio', payload: { url: audioUrl } }] }))).toBe(200);
    await settle(h);
    const [, image, voice] = inbound(messagesOf(h, 'messenger', psid));
    expect(image?.ticketId).toBe(ticketId);
    const [kept] = listAttachments(h.app.core.db, image!.id);
    expect(kept).toMatchObject({ kind: 'image', mimeType: 'image/jpeg', sizeBytes: jpeg.byteLength });
    expect(voice?.ticketId).toBe(ticketId);
    const [audio] = listAttachments(h.app.core.db, voice!.id);
    expect(audio).toMatchObject({ kind: 'audio', mimeType: 'audio/mp4', sizeBytes: clip.byteLength, hasData: true });
    const bytes = h.app.core.db.prepare('SELECT data FROM attachments WHERE id = ?').get(audio!.id) as { data: Buffer };
    expect([...bytes.data]).toEqual([...clip]);
    const answers = await waitFor(() => {
      const calls = callsTo(h.messenger, psid);
      return calls.length > callsBefore ? calls.slice(callsBefore) : undefined;
    }, 'the answer to the voice note');
    expect(answers.map((c) => c.body.message?.text ?? '').join('\n')).toContain(`pesan suara Bapak/Ibu sudah kami tambahkan ke tiket #${ticketId}`);
  });

  it('keeps a PDF on the open ticket, and answers a video, a sticker and a shared post with the text-only reply', async () => {
    const psid = '7000000000000009';
    const ticketId = await complain(h, psid);
    const textOnly = 'saat ini kami hanya dapat membaca pesan teks';
    const textOnlyReplies = (fake: typeof h.messenger, id: string): number => callsTo(fake, id).filter((c) => (c.body.message?.text ?? '').includes(textOnly)).length;
    // A file (Messenger's `file` attachment) joins the open ticket with its bytes.
    const pdf = new Uint8Array([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x34, 0x0a, 0x25, 0x25, 0x45, 0x4f, 0x46]);
    const pdfUrl = h.messenger.addFile('surat-keterangan.pdf', 'application/pdf', pdf);
    const now = h.clock.now().getTime();
    expect(await post(h, messengerMessage(psid, now + 1, { mid: newMid(), attachments: [{ type: 'file', payload: { url: pdfUrl } }] }))).toBe(200);
    await settle(h);
    const file = inbound(messagesOf(h, 'messenger', psid))[1]!;
    expect(file.ticketId).toBe(ticketId);
    expect(listAttachments(h.app.core.db, file.id)).toMatchObject([{ kind: 'document', mimeType: 'application/pdf', sizeBytes: pdf.byteLength, hasData: true }]);
    expect(textOnlyReplies(h.messenger, psid)).toBe(0);
    // A video (not kept, not downloaded) and a sticker (Messenger sends it as an image with a sticker_id).
    const videoUrl = h.messenger.addFile('klip.mp4', 'video/mp4', new Uint8Array([0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70]));
    expect(await post(h, messengerMessage(psid, now + 2, { mid: newMid(), attachments: [{ type: 'video', payload: { url: videoUrl } }] }))).toBe(200);
    await waitFor(() => textOnlyReplies(h.messenger, psid) === 1, 'the text-only reply to the video');
    const stickerUrl = h.messenger.addFile('jempol.png', 'image/png', new Uint8Array([0x89, 0x50, 0x4e, 0x47]));
    expect(
      await post(h, messengerMessage(psid, now + 3, { mid: newMid(), sticker_id: 369239263222822, attachments: [{ type: 'image', payload: { url: stickerUrl, sticker_id: 369239263222822 } }] })),
    ).toBe(200);
    await waitFor(() => textOnlyReplies(h.messenger, psid) === 2, 'the text-only reply to the sticker');
    await settle(h);
    const [, , video, sticker] = inbound(messagesOf(h, 'messenger', psid));
    expect(listAttachments(h.app.core.db, video!.id)).toMatchObject([{ kind: 'video', hasData: false }]);
    expect(listAttachments(h.app.core.db, sticker!.id)).toMatchObject([{ kind: 'sticker', hasData: false }]);
    // Instagram: a shared post.
    const igsid = '5800000000000009';
    expect(await post(h, instagramMessage(igsid, now + 4, { mid: newMid('aWdf'), attachments: [{ type: 'share', payload: { url: 'https://www.instagram.com/p/C0ffee/' } }] }))).toBe(200);
    await waitFor(() => textOnlyReplies(h.instagram, igsid) === 1, 'the text-only reply on Instagram');
    expect(inbound(messagesOf(h, 'instagram', igsid))[0]?.ticketId ?? null).toBeNull();
  });

  it('answers 200 to signed events it does not act on, and stores and sends nothing for them', async () => {
    const psid = '7000000000000010';
    const igsid = '5800000000000010';
    const now = h.clock.now().getTime();
    const callsBefore = h.messenger.calls.length + h.instagram.calls.length;
    // A reaction and an edit (subscribed or not, Meta may send them), Messenger's standby, Instagram comments.
    expect(
      await post(
        h,
        envelope('page', PAGE_ID, now, [
          { sender: { id: psid }, recipient: { id: PAGE_ID }, timestamp: now, reaction: { mid: newMid(), action: 'react', reaction: 'love', emoji: '\u2764' } },
          { sender: { id: psid }, recipient: { id: PAGE_ID }, timestamp: now, message_edit: { mid: newMid(), text: 'diubah', num_edit: 1 } },
        ]),
      ),
    ).toBe(200);
    expect(
      await post(h, { object: 'page', entry: [{ id: PAGE_ID, time: now, standby: [{ sender: { id: psid }, recipient: { id: PAGE_ID }, timestamp: now, message: { mid: newMid(), text: 'halo' } }] }] }),
    ).toBe(200);
    expect(
      await post(h, { object: 'instagram', entry: [{ id: IG_ID, time: now, changes: [{ field: 'comments', value: { id: '17865799348089039', from: { id: igsid, username: 'budi' }, text: 'info paspor?' } }] }] }),
    ).toBe(200);
    // An object SAPA does not serve, and a signed body that is not JSON: acknowledged, or Meta would send them forever.
    expect(await post(h, { object: 'user', entry: [{ id: '1', time: now, changes: [{ field: 'feed' }] }] })).toBe(200);
    const notJson = 'this is not json';
    expect((await postRaw(h, notJson, signBody(APP_SECRET, notJson))).status).toBe(200);
    await settle(h);
    expect(findConversation(h.app.core.db, 'messenger', psid)).toBeNull();
    expect(findConversation(h.app.core.db, 'instagram', igsid)).toBeNull();
    expect(h.messenger.calls.length + h.instagram.calls.length).toBe(callsBefore);
  });

  it('takes an Instagram quick-reply payload and postback as the button pressed, answering on Instagram', async () => {
    const igsid = '5800000000000011';
    const now = h.clock.now().getTime();
    expect(await post(h, instagramMessage(igsid, now, { mid: newMid('aWdf'), text: 'Biaya paspor', quick_reply: { payload: 'intent:fees' } }))).toBe(200);
    expect(
      await post(
        h,
        envelope('instagram', IG_ID, now + 1, [
          { sender: { id: igsid }, recipient: { id: IG_ID }, timestamp: now + 1, postback: { mid: newMid('aWdf'), title: 'Alamat kantor', payload: 'intent:office_info' } },
        ]),
      ),
    ).toBe(200);
    await settle(h);
    const [pressed, postback] = inbound(messagesOf(h, 'instagram', igsid));
    expect(pressed).toMatchObject({ text: 'Biaya paspor', quickReplyPayload: 'intent:fees', intent: 'fees' });
    expect(postback).toMatchObject({ text: 'Alamat kantor', quickReplyPayload: 'intent:office_info', intent: 'office_info' });
    const answers = await waitFor(() => (callsTo(h.instagram, igsid).length >= 2 ? callsTo(h.instagram, igsid) : undefined), 'both answers on Instagram');
    expect(answers.every((c) => c.pathId === IG_ID && c.body.messaging_type === 'RESPONSE')).toBe(true);
    expect(callsTo(h.messenger, igsid)).toEqual([]);
  });

  it('opens a handoff ticket for an Instagram voice note with nothing open, keeping the audio; the applicant is told', async () => {
    const igsid = '7000000000000007';
    const ogg = new Uint8Array([0x4f, 0x67, 0x67, 0x53, 0, 2, 1, 2, 3, 4, 5, 6]);
    const url = h.instagram.addFile('voice-ig.ogg', 'audio/ogg', ogg);
    expect(await post(h, instagramMessage(igsid, h.clock.now().getTime(), { mid: newMid('ig_'), attachments: [{ type: 'audio', payload: { url } }] }))).toBe(200);
    await settle(h);
    const [voice] = inbound(messagesOf(h, 'instagram', igsid));
    const ticketId = await waitFor(() => inbound(messagesOf(h, 'instagram', igsid))[0]?.ticketId ?? undefined, 'the handoff ticket');
    const ticket = h.app.core.db.prepare('SELECT kind FROM tickets WHERE id = ?').get(ticketId) as { kind: string };
    expect(ticket.kind).toBe('handoff');
    expect(listAttachments(h.app.core.db, voice!.id)).toMatchObject([{ kind: 'audio', mimeType: 'audio/ogg', sizeBytes: ogg.byteLength, hasData: true }]);
    const told = await waitFor(() => callsTo(h.instagram, igsid).map((c) => c.body.message?.text ?? '').find((text) => text.includes(`#${ticketId}`)), 'the acknowledgement');
    expect(told).toContain('Petugas akan mendengarkannya lalu membalas di percakapan ini.');
  });

  it('refuses a voice note over the size limit or of a type it cannot play, with the reason, and keeps the message', async () => {
    const psid = '7000000000000008';
    const now = h.clock.now().getTime();
    // Over 6 MB (AUDIO_MAX_BYTES): the CDN's Content-Length says so; the bytes are not read.
    const big = h.messenger.addFile('long.m4a', 'audio/mp4', new Uint8Array(6 * 1024 * 1024 + 1));
    expect(await post(h, messengerMessage(psid, now, { mid: newMid(), attachments: [{ type: 'audio', payload: { url: big } }] }))).toBe(200);
    const tooBig = await waitFor(() => callsTo(h.messenger, psid).map((c) => c.body.message?.text ?? '').find((text) => text.includes('terlalu besar')), 'the too-big reply');
    expect(tooBig).toContain('paling besar 6 MB');
    const flac = h.messenger.addFile('voice.flac', 'audio/flac', new Uint8Array([0x66, 0x4c, 0x61, 0x43, 1, 2]));
    expect(await post(h, messengerMessage(psid, now + 1, { mid: newMid(), attachments: [{ type: 'audio', payload: { url: flac } }] }))).toBe(200);
    const wrongType = await waitFor(() => callsTo(h.messenger, psid).map((c) => c.body.message?.text ?? '').find((text) => text.includes('tidak dapat kami putar')), 'the wrong-type reply');
    expect(wrongType).toContain('Silakan kirim sebagai pesan suara biasa');
    await settle(h);
    const [first, second] = inbound(messagesOf(h, 'messenger', psid));
    expect(listAttachments(h.app.core.db, first!.id)).toMatchObject([{ kind: 'audio', mimeType: 'audio/mp4', sizeBytes: 6 * 1024 * 1024 + 1, hasData: false }]);
    expect(listAttachments(h.app.core.db, second!.id)).toMatchObject([{ kind: 'audio', mimeType: 'audio/flac', hasData: false }]);
    expect(first?.ticketId ?? null).toBeNull();
  });
});

const outboundById = (h: Harness, psid: string, id: number): StoredMessage | undefined => messagesOf(h, 'messenger', psid).find((m) => m.id === id);

describe('Meta sending: retries, rate limits, the token, the 24-hour window, staff replies', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await stopHarness(h);
  });

  it('retries a 5xx after the backoff on the injected clock, not before', async () => {
    const psid = '7100000000000001';
    h.messenger.script(graphErrors.serverError());
    expect(await post(h, messengerMessage(psid, h.clock.now().getTime(), { mid: newMid(), text: 'halo' }))).toBe(200);
    await waitFor(() => callsTo(h.messenger, psid).length === 1, 'the first attempt');
    // The failure is recorded once the answer reached SAPA (the fake records the call first).
    const queued = await waitFor(
      () => messagesOf(h, 'messenger', psid).find((m) => m.direction === 'out' && (m.deliveryError ?? '').includes('HTTP 503')),
      'the failed attempt recorded',
    );
    expect(queued).toMatchObject({ deliveryStatus: 'queued' });
    await settle(h);
    await settle(h);
    expect(callsTo(h.messenger, psid).map((c) => c.answered)).toEqual([503]);
    h.clock.advance(5 * 60_000);
    await settle(h);
    await waitFor(() => callsTo(h.messenger, psid).length === 2, 'the retry');
    expect(callsTo(h.messenger, psid).map((c) => c.answered)).toEqual([503, 200]);
    await waitFor(() => outboundById(h, psid, queued.id)?.deliveryStatus === 'sent', 'the reply marked sent');
  });

  it('honours a 429 Retry-After for the whole channel: nothing goes to Meta until it has passed', async () => {
    const first = '7100000000000002';
    const second = '7100000000000003';
    h.messenger.script(graphErrors.tooManyRequests(120));
    expect(await post(h, messengerMessage(first, h.clock.now().getTime(), { mid: newMid(), text: 'halo' }))).toBe(200);
    await waitFor(() => callsTo(h.messenger, first).length === 1, 'the rate-limited attempt');
    expect(await post(h, messengerMessage(second, h.clock.now().getTime(), { mid: newMid(), text: 'halo juga' }))).toBe(200);
    await settle(h);
    await waitFor(() => messagesOf(h, 'messenger', second).find((m) => m.direction === 'out' && (m.deliveryError ?? '').includes('rate limit')), 'the paused send');
    expect(callsTo(h.messenger, second)).toEqual([]);
    h.clock.advance(60_000);
    await settle(h);
    expect(callsTo(h.messenger, first)).toHaveLength(1);
    expect(callsTo(h.messenger, second)).toEqual([]);
    h.clock.advance(61_000);
    await settle(h);
    await waitFor(() => callsTo(h.messenger, first).length === 2 && callsTo(h.messenger, second).length === 1, 'both sends after the pause');
    expect(callsTo(h.messenger, first).map((c) => c.answered)).toEqual([429, 200]);
  });

  it('retries a Graph rate-limit error (613) after a pause', async () => {
    const psid = '7100000000000004';
    h.messenger.script(graphErrors.rateLimited());
    expect(await post(h, messengerMessage(psid, h.clock.now().getTime(), { mid: newMid(), text: 'halo' }))).toBe(200);
    await waitFor(() => callsTo(h.messenger, psid).length === 1, 'the rate-limited attempt');
    await settle(h);
    expect(callsTo(h.messenger, psid)).toHaveLength(1);
    h.clock.advance(61_000);
    await settle(h);
    await waitFor(() => callsTo(h.messenger, psid).map((c) => c.answered).join() === '400,200', 'the retry after the pause');
  });

  it('an expired token (190) sets needs_attention, alerts staff once and keeps the reply queued until a send works', async () => {
    const psid = '7100000000000005';
    h.messenger.script(graphErrors.invalidToken(), graphErrors.invalidToken());
    expect(await post(h, messengerMessage(psid, h.clock.now().getTime(), { mid: newMid(), text: 'halo' }))).toBe(200);
    await waitFor(() => callsTo(h.messenger, psid).length === 1, 'the refused attempt');
    const messenger = h.app.core.channels().find((c) => c.name === 'messenger')!;
    await waitFor(() => messenger.status().state === 'needs_attention', 'needs_attention');
    await waitFor(() => messagesOf(h, 'messenger', psid).find((m) => m.direction === 'out' && (m.deliveryError ?? '').includes('190')), 'the refusal recorded');
    expect(messagesOf(h, 'messenger', psid).find((m) => m.direction === 'out')).toMatchObject({ deliveryStatus: 'queued' });
    h.clock.advance(10 * 60_000);
    await settle(h);
    await waitFor(() => callsTo(h.messenger, psid).length === 2, 'the second refused attempt');
    const alerts = h.app.core.alerts.recent(20).filter((a) => a.kind === 'channel_problem' && a.text.includes('Messenger'));
    expect(alerts).toHaveLength(1);
    h.clock.advance(20 * 60_000);
    await settle(h);
    await waitFor(() => messagesOf(h, 'messenger', psid).find((m) => m.direction === 'out')?.deliveryStatus === 'sent', 'the reply sent with a working token');
    expect(messenger.status()).toMatchObject({ state: 'connected' });
  });

  it('delivers a staff reply to the applicant on Messenger, and refuses one after the 24-hour window with the reason on the message', async () => {
    const psid = '7100000000000006';
    const ticketId = await complain(h, psid);
    const { messageId } = h.app.core.tickets.staffReply(ticketId, null, 'Mohon maaf atas antreannya, Bapak/Ibu. Kami cek sekarang.');
    await settle(h);
    const staffCall = await waitFor(() => callsTo(h.messenger, psid).find((c) => c.body.message?.text?.startsWith('Mohon maaf atas antreannya')), 'the staff reply');
    expect(staffCall).toMatchObject({ pathId: PAGE_ID, answered: 200, body: { recipient: { id: psid }, messaging_type: 'RESPONSE' } });
    await waitFor(() => outboundById(h, psid, messageId)?.deliveryStatus === 'sent', 'the staff reply marked sent');

    h.clock.advance(25 * HOUR);
    const callsBefore = callsTo(h.messenger, psid).length;
    const late = h.app.core.tickets.staffReply(ticketId, null, 'Sudah kami tindak lanjuti.');
    await settle(h);
    const failed = await waitFor(() => {
      const m = outboundById(h, psid, late.messageId);
      return m?.deliveryStatus === 'failed' ? m : undefined;
    }, 'the late reply marked failed');
    expect(failed.deliveryError).toMatch(/24 jam/);
    expect(failed.deliveryError).toMatch(/25 jam/);
    expect(callsTo(h.messenger, psid)).toHaveLength(callsBefore);
  });

  it('records Meta refusing a message outside its window as a permanent failure', async () => {
    const psid = '7100000000000007';
    const ticketId = await complain(h, psid);
    await waitFor(() => callsTo(h.messenger, psid).length > 0, 'the bot answer');
    h.messenger.script(graphErrors.outsideWindow());
    const { messageId } = h.app.core.tickets.staffReply(ticketId, null, 'Halo, ada yang bisa kami bantu?');
    await settle(h);
    const failed = await waitFor(() => (outboundById(h, psid, messageId)?.deliveryStatus === 'failed' ? outboundById(h, psid, messageId) : undefined), 'the refusal');
    expect(failed.deliveryError).toMatch(/jendela/);
  });
});

describe('Meta sending with META_HUMAN_AGENT_TAG=true', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ META_HUMAN_AGENT_TAG: 'true' });
  });
  afterAll(async () => {
    await stopHarness(h);
  });

  it('tags an officer reply between 24 hours and 7 days with HUMAN_AGENT, never a bot reply, and refuses one after 7 days', async () => {
    const psid = '7200000000000001';
    const ticketId = await complain(h, psid);
    const botCall = await waitFor(() => callsTo(h.messenger, psid)[0], 'the bot answer');
    expect(botCall.body).toMatchObject({ messaging_type: 'RESPONSE' });
    h.clock.advance(30 * HOUR);
    const tagged = h.app.core.tickets.staffReply(ticketId, null, 'Laporan Bapak/Ibu sudah kami proses.');
    await settle(h);
    const call = await waitFor(() => callsTo(h.messenger, psid).find((c) => c.body.message?.text === 'Laporan Bapak/Ibu sudah kami proses.'), 'the tagged reply');
    expect(call.body).toMatchObject({ messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' });
    await waitFor(() => outboundById(h, psid, tagged.messageId)?.deliveryStatus === 'sent', 'the tagged reply sent');
    h.clock.advance(7 * 24 * HOUR);
    const late = h.app.core.tickets.staffReply(ticketId, null, 'Masih ada yang bisa dibantu?');
    await settle(h);
    const failed = await waitFor(() => (outboundById(h, psid, late.messageId)?.deliveryStatus === 'failed' ? outboundById(h, psid, late.messageId) : undefined), 'the reply past 7 days');
    expect(failed.deliveryError).toMatch(/7 hari/);
  });
});
