/**
 * What Meta reports besides applicants' messages, in the composed application against the
 * fake Graph API on loopback with signed webhook posts: replies officers type in Meta's own
 * inbox (foreign echoes) stored as staff messages on the ticket, delivery and read receipts
 * on our messages, people's names fetched without holding up intake, the reply window on
 * the ticket page's API, and the channel page's Meta setup.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { getContactSummary, findConversation } from '../../src/store/conversations.js';
import { listTicketEvents } from '../../src/store/tickets.js';
import {
  DAY,
  HOUR,
  IG_ID,
  PAGE_ID,
  callsTo,
  complain,
  dashboardLogin,
  envelope,
  inbound,
  instagramMessage,
  messagesOf,
  messengerMessage,
  newMid,
  post,
  settle,
  startMetaHarness,
  stopMetaHarness,
  waitFor,
  type MetaHarness,
} from '../helpers/meta-harness.js';

/** Meta Business Suite's app id on echoes of messages typed in its inbox. */
const BUSINESS_SUITE_APP = 263902037430900;

const echo = (psid: string, time: number, message: Record<string, unknown>) =>
  envelope('page', PAGE_ID, time, [{ sender: { id: PAGE_ID }, recipient: { id: psid }, timestamp: time, message: { is_echo: true, ...message } }]);

describe("Meta's echoes and receipts", () => {
  let h: MetaHarness;
  beforeAll(async () => {
    h = await startMetaHarness();
  });
  afterAll(async () => {
    await stopMetaHarness(h);
  });

  it("stores an officer's reply from Meta's inbox once, on the open ticket, as its first response", async () => {
    const psid = '7300000000000001';
    const ticketId = await complain(h, psid);
    await waitFor(() => messagesOf(h, 'messenger', psid).find((m) => m.direction === 'out' && m.deliveryStatus === 'sent'), 'the bot answer sent');
    expect(h.app.core.tickets.get(ticketId).firstResponseAt).toBeNull();
    h.clock.advance(20 * 60_000);
    const mid = newMid();
    const payload = echo(psid, h.clock.now().getTime(), { app_id: BUSINESS_SUITE_APP, mid, text: 'Mohon maaf, Bapak. Kami cek antreannya sekarang.' });
    const callsBefore = callsTo(h.messenger, psid).length;
    expect(await post(h, payload)).toBe(200);
    // Stored when the 200 came back.
    const stored = messagesOf(h, 'messenger', psid).filter((m) => m.author === 'staff');
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({
      direction: 'out',
      visibility: 'public',
      staffId: null,
      ticketId,
      externalId: mid,
      deliveryStatus: 'sent',
      text: 'Mohon maaf, Bapak. Kami cek antreannya sekarang.',
    });
    // Meta delivers it again (no 200 reached it, or it just does): still one.
    expect(await post(h, payload)).toBe(200);
    expect(await post(h, payload)).toBe(200);
    await settle(h);
    expect(messagesOf(h, 'messenger', psid).filter((m) => m.author === 'staff')).toHaveLength(1);
    // The first response is met (SLA), recorded as a staff reply from Meta's inbox; nothing is sent to Meta.
    const ticket = h.app.core.tickets.get(ticketId);
    expect(ticket.firstResponseAt?.toISOString()).toBe(h.clock.now().toISOString());
    expect(listTicketEvents(h.app.core.db, ticketId).filter((e) => e.type === 'staff_reply').map((e) => e.data)).toEqual([
      { messageId: stored[0]!.id, via: 'messenger_inbox' },
    ]);
    expect(callsTo(h.messenger, psid)).toHaveLength(callsBefore);
  });

  it('drops echoes of its own messages, by mid and then by the app id it learnt from them', async () => {
    const psid = '7300000000000002';
    const now = h.clock.now().getTime();
    expect(await post(h, messengerMessage(psid, now, { mid: newMid(), text: 'halo' }))).toBe(200);
    const ours = await waitFor(() => messagesOf(h, 'messenger', psid).find((m) => m.direction === 'out' && m.externalId !== null), 'our reply id');
    const before = messagesOf(h, 'messenger', psid).length;
    const ourApp = 1517776481860111;
    expect(await post(h, echo(psid, now + 1, { app_id: ourApp, mid: ours.externalId, text: ours.text }))).toBe(200);
    // A part of our message SAPA has no id for (say, after a restart), from our app: ours too.
    expect(await post(h, echo(psid, now + 2, { app_id: ourApp, mid: newMid(), text: 'bagian kedua' }))).toBe(200);
    await settle(h);
    expect(messagesOf(h, 'messenger', psid)).toHaveLength(before);
    // The same app id never makes Meta's inbox replies ours.
    expect(await post(h, echo(psid, now + 3, { app_id: BUSINESS_SUITE_APP, mid: newMid(), text: 'balasan dari inbox' }))).toBe(200);
    expect(messagesOf(h, 'messenger', psid).map((m) => m.text).at(-1)).toBe('balasan dari inbox');
  });

  it("records a photo sent from Meta's inbox, and an Instagram echo to someone SAPA never heard from", async () => {
    const psid = '7300000000000003';
    await complain(h, psid);
    const now = h.clock.now().getTime();
    expect(await post(h, echo(psid, now, { app_id: BUSINESS_SUITE_APP, mid: newMid(), attachments: [{ type: 'image', payload: { url: 'https://example.invalid/x.jpg' } }] }))).toBe(200);
    expect(messagesOf(h, 'messenger', psid).at(-1)).toMatchObject({ author: 'staff', text: '[lampiran dikirim dari kotak masuk penyedia]' });
    const igsid = '5900000000000001';
    const igEcho = envelope('instagram', IG_ID, now, [{ sender: { id: IG_ID }, recipient: { id: igsid }, timestamp: now, message: { mid: newMid('aWdf'), text: 'Halo kak, ada yang bisa dibantu?', is_echo: true } }]);
    expect(await post(h, igEcho)).toBe(200);
    expect(messagesOf(h, 'instagram', igsid).map((m) => [m.author, m.direction, m.ticketId, m.text])).toEqual([['staff', 'out', null, 'Halo kak, ada yang bisa dibantu?']]);
    // No window is opened by it: the applicant never wrote.
    expect(findConversation(h.app.core.db, 'instagram', igsid)?.lastInboundAt).toBeNull();
  });

  it('marks our Messenger messages delivered (by mid) and read (by watermark), the later one not', async () => {
    const psid = '7300000000000004';
    const ticketId = await complain(h, psid);
    const first = await waitFor(() => messagesOf(h, 'messenger', psid).find((m) => m.direction === 'out' && m.deliveryStatus === 'sent'), 'the bot answer sent');
    h.clock.advance(HOUR);
    const { messageId } = h.app.core.tickets.staffReply(ticketId, null, 'Baik, kami proses.');
    await settle(h);
    const second = await waitFor(() => messagesOf(h, 'messenger', psid).find((m) => m.id === messageId && m.deliveryStatus === 'sent'), 'the staff reply sent');
    const firstSentAt = h.clock.now().getTime() - HOUR;
    // Delivered: the first by its mid only.
    expect(await post(h, envelope('page', PAGE_ID, firstSentAt + 500, [{ sender: { id: psid }, recipient: { id: PAGE_ID }, delivery: { mids: [first.externalId] } }]))).toBe(200);
    let now = messagesOf(h, 'messenger', psid);
    expect(now.find((m) => m.id === first.id)?.deliveredAt).toBeInstanceOf(Date);
    expect(now.find((m) => m.id === second.id)?.deliveredAt).toBeNull();
    // Read up to a watermark between the two: the first is read, the second is not (nor delivered).
    const readAt = firstSentAt + 10 * 60_000;
    expect(await post(h, envelope('page', PAGE_ID, readAt, [{ sender: { id: psid }, recipient: { id: PAGE_ID }, timestamp: readAt, read: { watermark: readAt } }]))).toBe(200);
    now = messagesOf(h, 'messenger', psid);
    expect(now.find((m) => m.id === first.id)?.readAt?.getTime()).toBe(readAt);
    expect(now.find((m) => m.id === second.id)).toMatchObject({ deliveredAt: null, readAt: null });
    // Applicant messages never carry receipts.
    expect(inbound(now).every((m) => m.deliveredAt === null && m.readAt === null)).toBe(true);
    // A delivery watermark after the second: delivered now; a repeated receipt keeps the first moment.
    const later = h.clock.now().getTime() + 1000;
    expect(await post(h, envelope('page', PAGE_ID, later, [{ sender: { id: psid }, recipient: { id: PAGE_ID }, delivery: { watermark: later } }]))).toBe(200);
    expect(await post(h, envelope('page', PAGE_ID, later + 5000, [{ sender: { id: psid }, recipient: { id: PAGE_ID }, delivery: { watermark: later + 5000 } }]))).toBe(200);
    now = messagesOf(h, 'messenger', psid);
    expect(now.find((m) => m.id === second.id)?.deliveredAt?.getTime()).toBe(later);
    expect(now.find((m) => m.id === first.id)?.deliveredAt?.getTime()).toBe(firstSentAt + 500);
    // The ticket page's API shows them.
    const officer = await dashboardLogin(h, 'sari', 'staff');
    const detail = (await officer.call('GET', `/api/tickets/${ticketId}`)).json() as { messages: { id: number; deliveredAt: string | null; readAt: string | null }[] };
    expect(detail.messages.find((m) => m.id === first.id)).toMatchObject({ deliveredAt: new Date(firstSentAt + 500).toISOString(), readAt: new Date(readAt).toISOString() });
    expect(detail.messages.find((m) => m.id === second.id)).toMatchObject({ deliveredAt: new Date(later).toISOString(), readAt: null });
  });

  it("marks Instagram messages read through messaging_seen's mid, earlier ones with it", async () => {
    const igsid = '5900000000000002';
    expect(await post(h, instagramMessage(igsid, h.clock.now().getTime(), { mid: newMid('aWdf'), text: 'halo' }))).toBe(200);
    await waitFor(() => messagesOf(h, 'instagram', igsid).find((m) => m.direction === 'out' && m.deliveryStatus === 'sent'), 'the first answer');
    h.clock.advance(60_000);
    expect(await post(h, instagramMessage(igsid, h.clock.now().getTime(), { mid: newMid('aWdf'), text: 'syarat paspor anak apa saja?' }))).toBe(200);
    await settle(h);
    const outs = await waitFor(() => {
      const sent = messagesOf(h, 'instagram', igsid).filter((m) => m.direction === 'out' && m.deliveryStatus === 'sent');
      return sent.length >= 2 ? sent : undefined;
    }, 'both answers sent');
    const middle = outs[0]!;
    const seenAt = h.clock.now().getTime();
    const seen = envelope('instagram', IG_ID, seenAt, [{ sender: { id: igsid }, recipient: { id: IG_ID }, timestamp: seenAt, read: { mid: middle.externalId } }]);
    expect(await post(h, seen)).toBe(200);
    const after = messagesOf(h, 'instagram', igsid).filter((m) => m.direction === 'out');
    expect(after.filter((m) => m.id <= middle.id).every((m) => m.readAt?.getTime() === seenAt && m.deliveredAt?.getTime() === seenAt)).toBe(true);
    expect(after.filter((m) => m.id > middle.id).every((m) => m.readAt === null)).toBe(true);
    // A receipt for a conversation SAPA does not know, or a mid it never sent: acknowledged, nothing changes.
    const stray = envelope('instagram', IG_ID, seenAt, [{ sender: { id: '5900000000009999' }, recipient: { id: IG_ID }, timestamp: seenAt, read: { mid: 'aWdfunknown' } }]);
    expect(await post(h, stray)).toBe(200);
    expect(findConversation(h.app.core.db, 'instagram', '5900000000009999')).toBeNull();
  });
});

describe("people's names from Meta's profile APIs", () => {
  let h: MetaHarness;
  beforeAll(async () => {
    h = await startMetaHarness();
  });
  afterAll(async () => {
    await stopMetaHarness(h);
  });
  afterEach(() => {
    h.messenger.releaseProfiles();
    h.instagram.releaseProfiles();
  });

  const nameOf = (channel: 'messenger' | 'instagram', id: string): string | null => {
    const conversation = findConversation(h.app.core.db, channel, id);
    return conversation === null ? null : getContactSummary(h.app.core.db, conversation.contactId).displayName;
  };

  it('answers the webhook before the name arrives, then stores it once on the contact (Messenger)', async () => {
    const psid = '7400000000000001';
    h.messenger.addProfile(psid, { first_name: 'Yohanes', last_name: 'Ndun' });
    h.messenger.holdProfiles();
    const mid = newMid();
    // The profile lookup is held by Meta: the message is still stored and answered 200.
    expect(await post(h, messengerMessage(psid, h.clock.now().getTime(), { mid, text: 'berapa biaya paspor?' }))).toBe(200);
    expect(inbound(messagesOf(h, 'messenger', psid)).map((m) => m.externalId)).toEqual([mid]);
    await waitFor(() => h.messenger.profileLookups.includes(psid), 'the profile lookup');
    expect(nameOf('messenger', psid)).toBeNull();
    // And the applicant is answered meanwhile.
    await waitFor(() => callsTo(h.messenger, psid).length > 0, 'the answer while the lookup waits');
    h.messenger.releaseProfiles();
    await waitFor(() => nameOf('messenger', psid) === 'Yohanes Ndun', 'the name stored');
    // Known now: later messages do not ask again.
    expect(await post(h, messengerMessage(psid, h.clock.now().getTime(), { mid: newMid(), text: 'terima kasih' }))).toBe(200);
    await settle(h);
    expect(h.messenger.profileLookups.filter((id) => id === psid)).toHaveLength(1);
  });

  it('stores the Instagram name and username', async () => {
    const igsid = '5900000000000101';
    h.instagram.addProfile(igsid, { name: 'Maria Seran', username: 'maria.seran' });
    expect(await post(h, instagramMessage(igsid, h.clock.now().getTime(), { mid: newMid('aWdf'), text: 'halo' }))).toBe(200);
    await waitFor(() => nameOf('instagram', igsid) === 'Maria Seran', 'the Instagram name');
    const conversation = findConversation(h.app.core.db, 'instagram', igsid)!;
    const identity = h.app.core.db
      .prepare<[string], { username: string | null }>("SELECT username FROM identities WHERE channel = 'instagram' AND external_id = ?")
      .get(igsid);
    expect(identity?.username).toBe('maria.seran');
    expect(conversation.contactId).toBeGreaterThan(0);
  });

  it('a failed lookup is tried once more at a later message, 10 minutes on, then no more', async () => {
    const psid = '7400000000000002';
    const send = async (): Promise<void> => {
      expect(await post(h, messengerMessage(psid, h.clock.now().getTime(), { mid: newMid(), text: 'halo' }))).toBe(200);
      await settle(h);
    };
    const lookups = (): number => h.messenger.profileLookups.filter((id) => id === psid).length;
    await send();
    await waitFor(() => lookups() === 1, 'the first lookup');
    h.clock.advance(5 * 60_000);
    await send();
    h.clock.advance(6 * 60_000);
    // The profile exists by now (a permission granted meanwhile): the second try finds it.
    h.messenger.addProfile(psid, { first_name: 'Dominggus' });
    await send();
    await waitFor(() => nameOf('messenger', psid) === 'Dominggus', 'the name on the retry');
    expect(lookups()).toBe(2);

    const other = '7400000000000003';
    const sendOther = async (): Promise<void> => {
      expect(await post(h, messengerMessage(other, h.clock.now().getTime(), { mid: newMid(), text: 'halo' }))).toBe(200);
      await settle(h);
    };
    await sendOther();
    await waitFor(() => h.messenger.profileLookups.filter((id) => id === other).length === 1, 'the first lookup');
    for (let i = 0; i < 3; i += 1) {
      h.clock.advance(11 * 60_000);
      await sendOther();
    }
    await waitFor(() => h.messenger.profileLookups.filter((id) => id === other).length === 2, 'the one retry');
    await settle(h);
    expect(h.messenger.profileLookups.filter((id) => id === other)).toHaveLength(2);
    expect(nameOf('messenger', other)).toBeNull();
  });
});

describe('the reply window on the ticket and the channel page', () => {
  it('GET /api/tickets/:id shows when the 24-hour window closes, and the 7-day tag window when it is on', async () => {
    const plain = await startMetaHarness();
    try {
      const psid = '7500000000000001';
      const ticketId = await complain(plain, psid);
      const lastInboundAt = findConversation(plain.app.core.db, 'messenger', psid)!.lastInboundAt!;
      plain.clock.advance(3 * HOUR);
      const officer = await dashboardLogin(plain, 'sari', 'staff');
      const body = (await officer.call('GET', `/api/tickets/${ticketId}`)).json() as { channelWindow: Record<string, string | null> | null };
      expect(body.channelWindow).toEqual({
        lastInboundAt: lastInboundAt.toISOString(),
        closesAt: new Date(lastInboundAt.getTime() + DAY).toISOString(),
        tagClosesAt: null,
        now: plain.clock.now().toISOString(),
      });
    } finally {
      await stopMetaHarness(plain);
    }
    const tagged = await startMetaHarness({ env: { META_HUMAN_AGENT_TAG: 'true' } });
    try {
      const psid = '7500000000000002';
      const ticketId = await complain(tagged, psid);
      const lastInboundAt = findConversation(tagged.app.core.db, 'messenger', psid)!.lastInboundAt!;
      const officer = await dashboardLogin(tagged, 'sari', 'staff');
      const body = (await officer.call('GET', `/api/tickets/${ticketId}`)).json() as { channelWindow: Record<string, string | null> | null };
      expect(body.channelWindow).toMatchObject({
        closesAt: new Date(lastInboundAt.getTime() + DAY).toISOString(),
        tagClosesAt: new Date(lastInboundAt.getTime() + 7 * DAY).toISOString(),
      });
    } finally {
      await stopMetaHarness(tagged);
    }
  });

  it('GET /api/channels gives both channels, the webhook address from PUBLIC_URL and what is missing', async () => {
    const h = await startMetaHarness({ env: { PUBLIC_URL: 'https://sapa.kanimkupang.go.id', INSTAGRAM_ACCOUNT_ID: null, INSTAGRAM_ACCESS_TOKEN: null } });
    try {
      const admin = await dashboardLogin(h, 'admin1', 'admin');
      const response = await admin.call('GET', '/api/channels');
      expect(response.statusCode).toBe(200);
      const body = response.json() as { channels: { name: string; status: { state: string } }[]; meta: Record<string, unknown> & { channels: Record<string, unknown>[] } };
      expect(body.channels.find((c) => c.name === 'messenger')?.status.state).toBe('connected');
      expect(body.channels.find((c) => c.name === 'instagram')).toBeUndefined();
      expect(body.meta).toMatchObject({ webhookUrl: 'https://sapa.kanimkupang.go.id/webhooks/meta', webhookNote: null, humanAgentTag: false, privateInstagram: false });
      expect(body.meta.channels).toEqual([
        expect.objectContaining({ name: 'messenger', configured: true, missing: [], subscriptionFields: expect.arrayContaining(['messages', 'message_echoes', 'message_reads']) }),
        expect.objectContaining({ name: 'instagram', configured: false, missing: ['INSTAGRAM_ACCOUNT_ID', 'INSTAGRAM_ACCESS_TOKEN'], token: null }),
      ]);
      // Not for officers.
      expect((await (await dashboardLogin(h, 'sari', 'staff')).call('GET', '/api/channels')).statusCode).toBe(403);
      // Nothing secret in it.
      expect(JSON.stringify(body)).not.toMatch(/EAAGm0|d41d8cd9|sapa-kupang-verify/);
    } finally {
      await stopMetaHarness(h);
    }
  });

  it('says PUBLIC_URL is unset, names every missing variable without Meta configured, and shows the Instagram token', async () => {
    const h = await startMetaHarness();
    try {
      const instagram = h.app.core.channels().find((c) => c.name === 'instagram') as unknown as { tokenStatus(): { source: string } | null };
      await waitFor(() => instagram.tokenStatus()?.source === 'refreshed', 'the token refreshed at start');
      const admin = await dashboardLogin(h, 'admin1', 'admin');
      const meta = ((await admin.call('GET', '/api/channels')).json() as { meta: { webhookUrl: string | null; webhookNote: string; channels: { name: string; token: Record<string, unknown> | null }[] } }).meta;
      expect(meta.webhookUrl).toBeNull();
      expect(meta.webhookNote).toMatch(/PUBLIC_URL belum diisi/);
      expect(meta.channels.find((c) => c.name === 'instagram')?.token).toEqual({
        source: 'refreshed',
        expiresAt: new Date(h.clock.now().getTime() + 60 * DAY).toISOString(),
        expiryEstimated: false,
        refreshedAt: h.clock.now().toISOString(),
        lastError: null,
      });
      expect(JSON.stringify(meta)).not.toContain('IGAA');
    } finally {
      await stopMetaHarness(h);
    }
    const bare = await startMetaHarness({
      env: {
        META_APP_SECRET: null,
        META_VERIFY_TOKEN: null,
        MESSENGER_PAGE_ID: null,
        MESSENGER_PAGE_ACCESS_TOKEN: null,
        INSTAGRAM_ACCOUNT_ID: null,
        INSTAGRAM_ACCESS_TOKEN: null,
        PUBLIC_URL: 'http://sapa.local',
      },
    });
    try {
      const admin = await dashboardLogin(bare, 'admin1', 'admin');
      const meta = ((await admin.call('GET', '/api/channels')).json() as { meta: { webhookUrl: string; webhookNote: string; channels: { name: string; configured: boolean; missing: string[] }[] } }).meta;
      expect(meta.webhookUrl).toBe('http://sapa.local/webhooks/meta');
      expect(meta.webhookNote).toMatch(/HTTPS/);
      expect(meta.channels.map((c) => [c.name, c.configured, c.missing])).toEqual([
        ['messenger', false, ['META_APP_SECRET', 'META_VERIFY_TOKEN', 'MESSENGER_PAGE_ID', 'MESSENGER_PAGE_ACCESS_TOKEN']],
        ['instagram', false, ['META_APP_SECRET', 'META_VERIFY_TOKEN', 'INSTAGRAM_ACCOUNT_ID', 'INSTAGRAM_ACCESS_TOKEN']],
      ]);
    } finally {
      await stopMetaHarness(bare);
    }
  });
});
