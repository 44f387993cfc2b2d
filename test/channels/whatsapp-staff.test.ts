/**
 * The WhatsApp staff group end to end on the real core (createTestCore): an
 * applicant on the web channel complains, the ticket alert reaches the
 * WhatsApp group (a recording 'whatsapp' channel stands in for delivery),
 * and group messages (real proto contents, through the upsert intake) drive
 * the staff desk: /ambil, /balas, /selesai, /catatan, a quoted reply to the
 * ticket post; refusals for numbers not linked to staff; replays do nothing.
 */
import { makeEventBuffer, proto } from '@whiskeysockets/baileys';
import type { WAMessage, WAMessageKey } from '@whiskeysockets/baileys';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createAuthStore } from '../../channels/whatsapp/auth-state.js';
import { createIdentityResolver } from '../../channels/whatsapp/identity.js';
import { createUpsertIntake } from '../../channels/whatsapp/intake.js';
import { createMediaDownloader } from '../../channels/whatsapp/media.js';
import { createQuickReplyMemory } from '../../channels/whatsapp/quick-replies.js';
import { createWhatsappStaffGroup } from '../../channels/whatsapp/staff-group.js';
import { createStateStore } from '../../channels/whatsapp/state-store.js';
import { createStaffService, type StaffAccount } from '../../src/staff.js';
import { getTicket, listTicketEvents } from '../../src/store/tickets.js';
import { createRecordingChannel } from '../fakes/recording-channel.js';
import { createRecordingSink } from '../fakes/recording-sink.js';
import { createTestCore } from '../helpers/core.js';

const silent = pino({ level: 'silent' });
const GROUP = '120363000000000001@g.us';
const BUDI_PN = '6281300000001@s.whatsapp.net';
const BUDI_LID = '555000111222333@lid';
const STRANGER_PN = '6281399999999@s.whatsapp.net';
const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length > 0) cleanups.pop()?.();
});

let counter = 0;
function groupMessage(from: Partial<WAMessageKey>, content: Record<string, unknown>): WAMessage {
  counter += 1;
  return {
    key: { remoteJid: GROUP, fromMe: false, id: `GRP${String(counter).padStart(10, '0')}`, ...from },
    message: proto.Message.fromObject(content),
    messageTimestamp: 1_795_000_000 + counter,
  };
}

async function setup() {
  const web = createRecordingChannel('web');
  const t = createTestCore({ channel: web, alertTargets: [{ channel: 'whatsapp', externalId: GROUP, audience: 'staff' }] });
  cleanups.push(() => t.close());
  const wa = createRecordingChannel('whatsapp');
  t.core.addChannel(wa);
  const staff = createStaffService(t.db, () => t.clock.now());
  const budi: StaffAccount = staff.linkWhatsapp(staff.add({ username: 'budi', role: 'staff', password: 'kata-sandi-panjang', displayName: 'Budi' }).username, '081300000001');
  const group = createWhatsappStaffGroup({ db: t.db, tickets: t.core.tickets, staff, clock: t.clock, logger: silent, groupJid: GROUP, timeZone: 'Asia/Makassar' });
  const feedback: string[] = [];
  const auth = createAuthStore(createStateStore(t.db, t.clock));
  const intake = createUpsertIntake({
    sink: () => createRecordingSink(),
    identity: createIdentityResolver(auth.state.keys),
    media: createMediaDownloader({ media: { maxBytes: 1, allowedMimeTypes: [] }, requestTimeoutMs: 1_000, log: silent, reupload: () => undefined }),
    quickReplies: createQuickReplyMemory(t.clock),
    clock: t.clock,
    log: silent,
    staffGroupJid: GROUP,
    onGroupMessage: (m) =>
      group.handle(m, async (text) => {
        feedback.push(text);
      }),
  });
  const ev = makeEventBuffer(silent);
  intake.attach(ev);
  const post = async (...messages: WAMessage[]): Promise<void> => {
    ev.emit('messages.upsert', { messages, type: 'notify' });
    await intake.idle();
    await t.settle();
  };
  const complain = async (from: string): Promise<number> => {
    await t.say('Saya mau komplain, petugas loket tidak melayani dan minta uang tambahan', { from });
    const row = t.db.prepare<[], { id: number }>('SELECT id FROM tickets ORDER BY id DESC LIMIT 1').get();
    if (row === undefined) throw new Error('no ticket was opened');
    return row.id;
  };
  return { t, web, wa, budi, feedback, post, complain };
}

describe('whatsapp staff group', () => {
  it('gets the new-ticket alert queued to the WhatsApp group, with claim/resolve options', async () => {
    const h = await setup();
    const ticketId = await h.complain('pemohon-1');
    const alert = h.wa.sent.find((m) => m.conversationExternalId === GROUP);
    expect(alert?.quickReplies.map((q) => q.payload)).toEqual([`staff:claim:${ticketId}`, `staff:resolve:${ticketId}`]);
  });

  it('runs /ambil, /balas, /catatan, /selesai from a linked staff number (LID with participantAlt)', async () => {
    const h = await setup();
    const ticketId = await h.complain('pemohon-1');
    const budi = { participant: BUDI_LID, participantAlt: BUDI_PN, addressingMode: 'lid' };
    await h.post(groupMessage(budi, { conversation: `/ambil ${ticketId}` }));
    expect(getTicket(h.t.db, ticketId)?.assigneeId).toBe(h.budi.id);

    await h.post(groupMessage(budi, { extendedTextMessage: { text: `/balas ${ticketId} Mohon maaf, kami tindak lanjuti hari ini.` } }));
    expect(h.web.textsTo('pemohon-1')).toContain('Mohon maaf, kami tindak lanjuti hari ini.');

    await h.post(groupMessage(budi, { conversation: `/catatan ${ticketId} sudah telepon kepala seksi` }));
    expect(h.web.textsTo('pemohon-1').join('\n')).not.toContain('kepala seksi');

    await h.post(groupMessage(budi, { conversation: `/selesai ${ticketId}` }));
    expect(getTicket(h.t.db, ticketId)?.status).toBe('resolved');
    const types = listTicketEvents(h.t.db, ticketId).filter((e) => e.staffId === h.budi.id).map((e) => e.type);
    expect(types.length).toBeGreaterThanOrEqual(4);
    expect(h.feedback).toHaveLength(4);
    expect(h.feedback[0]).toContain(`#${ticketId}`);
  });

  it('takes a quoted reply to the ticket post as a reply to the applicant', async () => {
    const h = await setup();
    const ticketId = await h.complain('pemohon-2');
    const postId = h.t.db
      .prepare<[number], { external_id: string }>("SELECT external_id FROM messages WHERE ticket_id = ? AND channel = 'whatsapp' AND direction = 'out'")
      .get(ticketId)?.external_id;
    expect(postId).toBeDefined();
    await h.post(groupMessage({ participant: BUDI_PN }, { extendedTextMessage: { text: 'Silakan datang ke loket 3 besok.', contextInfo: { stanzaId: postId } } }));
    expect(h.web.textsTo('pemohon-2')).toContain('Silakan datang ke loket 3 besok.');
  });

  it('refuses numbers not linked to a staff account, and changes nothing', async () => {
    const h = await setup();
    const ticketId = await h.complain('pemohon-3');
    const before = h.web.sent.length;
    await h.post(
      groupMessage({ participant: STRANGER_PN }, { conversation: `/balas ${ticketId} saya bisa bantu urus, transfer saja` }),
      groupMessage({ participant: '777666555444333@lid' }, { conversation: `/ambil ${ticketId}` }),
    );
    expect(h.feedback).toHaveLength(2);
    for (const text of h.feedback) expect(text).toMatch(/hanya petugas terdaftar/i);
    expect(getTicket(h.t.db, ticketId)?.assigneeId).toBeNull();
    expect(h.web.sent.length).toBe(before);
  });

  it('ignores chat among staff, and a replayed command does nothing the second time', async () => {
    const h = await setup();
    const ticketId = await h.complain('pemohon-4');
    const reply = groupMessage({ participant: BUDI_PN }, { conversation: `/balas ${ticketId} Berkas sudah lengkap.` });
    await h.post(groupMessage({ participant: BUDI_PN }, { conversation: 'siapa yang piket hari ini?' }), reply);
    await h.post(reply);
    expect(h.web.textsTo('pemohon-4').filter((t) => t === 'Berkas sudah lengkap.')).toHaveLength(1);
    expect(h.feedback).toHaveLength(1);
  });
});
