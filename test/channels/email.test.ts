/**
 * The e-mail channel against real servers on loopback: Debian's dovecot (IMAP, IDLE) and
 * `smtp-server` recording what we send, with the real core (SQLite, router, outbox) and a
 * fake clock for the core. Nothing of our own is replaced.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImapFlow } from 'imapflow';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { abortableSleep, type InboundSink } from '../../channels/channel.js';
import { createEmailChannel, type EmailChannel } from '../../channels/email.js';
import { createFakeClock } from '../../src/clock.js';
import { loadConfig } from '../../src/config.js';
import { startApp } from '../../src/main.js';
import { createStaffService } from '../../src/staff.js';
import { createEmailStore } from '../../src/store/email-threads.js';
import { openDatabase } from '../../src/store/db.js';
import { MAX_ATTACHMENT_BYTES } from '../../src/text-limits.js';
import { createTelegramChannel } from '../../channels/telegram.js';
import { createTelegramStaffGroup } from '../../channels/telegram/staff-group.js';
import { createRecordingChannel } from '../fakes/recording-channel.js';
import { createFakeBotApi } from '../fakes/telegram-bot-api.js';
import { dovecotAvailable, PASSWORD, startDovecot, type Dovecot } from '../fakes/dovecot.js';
import { startSmtpRecorder, type ReceivedMail, type SmtpRecorder } from '../fakes/smtp-recorder.js';
import { createTestCore, MONDAY_MORNING, type TestCore } from '../helpers/core.js';

const OFFICE = 'pengaduan@kanim-kupang.test';

let dovecot: Dovecot;
let smtp: SmtpRecorder;
let userCounter = 0;
const cleanups: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  // Never a silent skip: without dovecot (or root to start it) every test here fails with the
  // reason and the fix. .ci/run installs dovecot-imapd and runs as root.
  const unavailable = dovecotAvailable();
  if (unavailable !== null) throw new Error(`the e-mail channel's IMAP tests need Debian's dovecot on loopback: ${unavailable}`);
  dovecot = await startDovecot();
  smtp = await startSmtpRecorder();
});

afterAll(async () => {
  await smtp?.close();
  await dovecot?.close();
});

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function until<T>(probe: () => T | undefined | Promise<T | undefined>, what: string, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}\n${dovecot.log().slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

interface Rig {
  readonly t: TestCore;
  readonly channel: EmailChannel;
  readonly user: string;
  readonly sleeps: number[];
  /** What the channel raised for staff (onProblem). */
  readonly problems: string[];
  /** Mails our SMTP server received for `to`. */
  sentTo(to: string): ReceivedMail[];
  deliver(raw: string): Promise<number>;
}

interface RigOptions {
  readonly user?: string;
  readonly dbFile?: string;
  /** A sink in front of the core's (the crash test). */
  readonly sink?: (core: InboundSink) => InboundSink;
  readonly outbox?: boolean;
  /** The IMAP password (default the right one). */
  readonly pass?: string;
  /** Another IMAP server than the shared dovecot. */
  readonly server?: Dovecot;
  /** The UID search besides IDLE (default 500 ms). */
  readonly pollMs?: number;
  /** Options for the core (a staff group's chat, the channel it records). */
  readonly core?: Omit<NonNullable<Parameters<typeof createTestCore>[0]>, 'db'>;
}

async function rig(options: RigOptions = {}): Promise<Rig> {
  userCounter += 1;
  const user = options.user ?? `kanim${userCounter}-${process.pid}`;
  const t = createTestCore({ ...options.core, ...(options.dbFile !== undefined ? { db: openDatabase(options.dbFile) } : {}) });
  const sleeps: number[] = [];
  const problems: string[] = [];
  const server = options.server ?? dovecot;
  const channel = createEmailChannel({
    imap: { host: '127.0.0.1', port: server.port, secure: false, requireTls: false, user, pass: options.pass ?? PASSWORD, mailbox: 'INBOX' },
    smtp: { host: '127.0.0.1', port: smtp.port, secure: false, requireTls: false, user: null, pass: null },
    from: { name: 'Kantor Imigrasi Kupang', address: OFFICE },
    pollMs: options.pollMs ?? 500,
    directory: createEmailStore(t.db, {
      onDeliveryFailed: ({ conversationId, messageId }) => t.core.bus.publish({ type: 'message.delivery', conversationId, messageId, status: 'failed' }),
    }),
    media: { maxBytes: MAX_ATTACHMENT_BYTES, allowedMimeTypes: ['image/jpeg', 'image/png', 'application/pdf'] },
    office: () => t.core.knowledge().office,
    logger: pino({ level: 'silent' }),
    clock: t.clock,
    backoff: { baseMs: 50, maxMs: 400, authFailureMs: 1_000 },
    random: () => 1,
    sleep: (ms, signal) => {
      sleeps.push(ms);
      return abortableSleep(ms, signal);
    },
    timeoutMs: 5_000,
    stopGraceMs: 200,
    onProblem: (text) => problems.push(text),
  });
  t.core.addChannel(channel);
  await channel.start(options.sink ? options.sink(t.core.intake.sink) : t.core.intake.sink);
  if (options.outbox !== false) t.core.outbox.start();
  cleanups.push(async () => {
    await t.core.outbox.stop();
    await channel.stop();
    t.close();
  });
  return {
    t,
    channel,
    user,
    sleeps,
    problems,
    sentTo: (to) => smtp.received.filter((mail) => mail.envelopeTo.includes(to)),
    deliver: (raw) => server.deliver(user, raw, t.clock.now()),
  };
}

let mailCounter = 0;

function mail(input: { from: string; subject: string; body: string; id?: string; headers?: Record<string, string>; contentType?: string }): { raw: string; id: string } {
  mailCounter += 1;
  const id = input.id ?? `<m${mailCounter}.${process.pid}@pemohon.test>`;
  const headers = {
    From: input.from,
    To: `Kantor Imigrasi Kupang <${OFFICE}>`,
    Subject: input.subject,
    'Message-ID': id,
    Date: new Date(MONDAY_MORNING).toUTCString(),
    'MIME-Version': '1.0',
    'Content-Type': input.contentType ?? 'text/plain; charset=utf-8',
    ...input.headers,
  };
  const raw = `${Object.entries(headers)
    .map(([k, v]) => `${k}: ${v}`)
    .join('\r\n')}\r\n\r\n${input.body.replace(/\r?\n/g, '\r\n')}\r\n`;
  return { raw, id };
}

function inbound(t: TestCore, externalId: string): { text: string; conversation: string; ticketId: number | null } | undefined {
  return t.db
    .prepare<[string], { text: string; conversation: string; ticketId: number | null }>(
      `SELECT m.text, c.external_id AS conversation, m.ticket_id AS ticketId FROM messages m JOIN conversations c ON c.id = m.conversation_id
       WHERE m.channel = 'email' AND m.direction = 'in' AND m.external_id = ?`,
    )
    .get(externalId);
}

function countInbound(t: TestCore): number {
  return t.db.prepare<[], { n: number }>("SELECT COUNT(*) AS n FROM messages WHERE channel = 'email' AND direction = 'in'").get()?.n ?? 0;
}

describe('e-mail channel (dovecot + smtp-server on loopback)', () => {
  it('answers a question in the thread: In-Reply-To, References, Re: subject, plain text with the office signature, auto-replied', async () => {
    const r = await rig();
    expect(r.channel.status().state).toBe('connected');
    const question = mail({ from: 'Budi Santoso <budi@pemohon.test>', subject: 'Biaya paspor', body: 'Selamat pagi, berapa biaya paspor?\n\n-- \nBudi Santoso\nKupang' });
    const uid = await r.deliver(question.raw);

    const [reply] = await until(() => (r.sentTo('budi@pemohon.test').length > 0 ? r.sentTo('budi@pemohon.test') : undefined), 'the answer');
    expect(reply!.parsed.subject).toBe('Re: Biaya paspor');
    expect(reply!.parsed.inReplyTo).toBe(question.id);
    expect(reply!.header('references')).toContain(question.id);
    expect(reply!.header('auto-submitted')).toBe('auto-replied');
    expect(reply!.parsed.from?.value[0]?.address).toBe(OFFICE);
    expect(reply!.parsed.text).toContain('Rp950.000');
    expect(reply!.parsed.text).toContain('-- \nKantor Imigrasi Kelas I TPI Kupang');
    expect(reply!.parsed.html).toBe(false);
    expect(reply!.raw).not.toMatch(/<img|https?:\/\/\S+\.(gif|png)/i);
    // Stored with the new part only (the signature is gone; the subject adds nothing the text
    // does not say), and flagged \Seen after that.
    expect(inbound(r.t, question.id)?.text).toBe('Selamat pagi, berapa biaya paspor?');
    // The sender's name and address are the contact.
    const contact = r.t.db
      .prepare<[], { name: string | null; address: string; username: string | null }>(
        "SELECT c.display_name AS name, i.external_id AS address, i.username FROM identities i JOIN contacts c ON c.id = i.contact_id WHERE i.channel = 'email'",
      )
      .all();
    expect(contact).toEqual([{ name: 'Budi Santoso', address: 'budi@pemohon.test', username: 'budi@pemohon.test' }]);
    await until(async () => ((await dovecot.flags(r.user, uid)).includes('\\Seen') ? true : undefined), 'the \\Seen flag');
    // The reply's Message-ID is what the outbox recorded as the provider id.
    const sent = r.t.db.prepare<[], { external_id: string }>("SELECT external_id FROM messages WHERE channel = 'email' AND direction = 'out'").get();
    expect(sent?.external_id).toBe(reply!.parsed.messageId);
  });

  it('puts a complaint ticket ref in the subject; a reply joins the ticket by its headers (another address too) and by [#n] in the subject, quotes stripped', async () => {
    const r = await rig();
    const complaint = mail({ from: 'Siti <siti@pemohon.test>', subject: 'Pelayanan', body: 'Antrian lama sekali dan petugas tidak ramah, saya kecewa.' });
    await r.deliver(complaint.raw);
    const [ack] = await until(() => (r.sentTo('siti@pemohon.test').length > 0 ? r.sentTo('siti@pemohon.test') : undefined), 'the complaint reply');
    expect(ack!.parsed.subject).toBe('Re: Pelayanan [#1]');
    expect(r.t.core.tickets.get(1).channel).toBe('email');
    const conversation = inbound(r.t, complaint.id)!.conversation;

    // Her husband answers from his own address, replying to our mail: the headers place it.
    const byHeaders = mail({
      from: 'Yosef <yosef@keluarga.test>',
      subject: 'Re: Pelayanan [#1]',
      body: 'Kami sudah menunggu dari jam 7 pagi.\n\nOn Mon, 30 Nov 2026 at 09:01, Kantor Imigrasi Kupang <pengaduan@kanim-kupang.test> wrote:\n> Laporan Anda tercatat\n> dengan nomor #1',
      headers: { 'In-Reply-To': ack!.parsed.messageId!, References: `${complaint.id} ${ack!.parsed.messageId!}` },
    });
    await r.deliver(byHeaders.raw);
    const joined = await until(() => inbound(r.t, byHeaders.id), 'the reply stored');
    expect(joined.text).toBe('Kami sudah menunggu dari jam 7 pagi.');
    expect(joined.conversation).toBe(conversation);
    await until(() => (inbound(r.t, byHeaders.id)?.ticketId === 1 ? true : undefined), 'the reply joining ticket #1');
    // The answer goes to whoever wrote last, in the same thread with the ticket ref.
    const [toYosef] = await until(() => (r.sentTo('yosef@keluarga.test').length > 0 ? r.sentTo('yosef@keluarga.test') : undefined), 'the reply to Yosef');
    expect(toYosef!.parsed.subject).toBe('Re: Pelayanan [#1]');
    expect(toYosef!.parsed.inReplyTo).toBe(byHeaders.id);

    // A new mail (no In-Reply-To) from Siti with [#1] in the subject joins the ticket's thread.
    const bySubject = mail({ from: 'Siti <siti@pemohon.test>', subject: 'Tambahan untuk laporan [#1]', body: 'Foto antrian saya kirim besok.' });
    await r.deliver(bySubject.raw);
    const viaSubject = await until(() => inbound(r.t, bySubject.id), 'the subject reply stored');
    expect(viaSubject.conversation).toBe(conversation);
    await until(() => (inbound(r.t, bySubject.id)?.ticketId === 1 ? true : undefined), 'joining ticket #1 by subject');

    // A stranger naming [#1] does not get into Siti's thread.
    const stranger = mail({ from: 'orang@lain.test', subject: 'Soal [#1]', body: 'Berapa biaya paspor?' });
    await r.deliver(stranger.raw);
    const apart = await until(() => inbound(r.t, stranger.id), 'the stranger stored');
    expect(apart.conversation).not.toBe(conversation);
    expect(apart.conversation).toBe(stranger.id);
  });

  it('puts a PDF sent while a ticket is open on that ticket, with its bytes, and answers a mail that is only a photo', async () => {
    const r = await rig();
    const complaint = mail({ from: 'lina@pemohon.test', subject: 'Keluhan', body: 'Petugas loket kasar sekali, saya sangat kecewa.' });
    await r.deliver(complaint.raw);
    await until(() => (r.sentTo('lina@pemohon.test').length > 0 ? true : undefined), 'the complaint reply');
    const boundary = 'att-1';
    const pdf = Buffer.from('%PDF-1.4\n% bukti pembayaran\n%%EOF\n');
    const withFile = (from: string, type: string, name: string, data: Buffer) =>
      mail({
        from,
        subject: '',
        contentType: `multipart/mixed; boundary="${boundary}"`,
        body: [`--${boundary}`, `Content-Type: ${type}; name="${name}"`, `Content-Disposition: attachment; filename="${name}"`, 'Content-Transfer-Encoding: base64', '', data.toString('base64'), `--${boundary}--`].join('\n'),
      });
    const onlyPdf = withFile('lina@pemohon.test', 'application/pdf', 'bukti.pdf', pdf);
    await r.deliver(onlyPdf.raw);
    const file = await until(
      () =>
        r.t.db
          .prepare<[string], { ticket_id: number | null; file_name: string; data: Buffer | null }>(
            "SELECT m.ticket_id, a.file_name, a.data FROM attachments a JOIN messages m ON m.id = a.message_id WHERE m.external_id = ? AND m.direction = 'in'",
          )
          .get(onlyPdf.id) ?? undefined,
      'the PDF stored',
    );
    expect(file.file_name).toBe('bukti.pdf');
    expect(Buffer.compare(file.data!, pdf)).toBe(0);
    await until(() => (inbound(r.t, onlyPdf.id)?.ticketId === 1 ? true : undefined), 'the PDF on ticket #1');

    // A photo with nothing open (a letter, an error screen) becomes a handoff ticket (#22).
    const photo = withFile('dodi@pemohon.test', 'image/png', 'foto.png', Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'));
    await r.deliver(photo.raw);
    const [reply] = await until(() => (r.sentTo('dodi@pemohon.test').length > 0 ? r.sentTo('dodi@pemohon.test') : undefined), 'the reply to a photo');
    expect(reply!.parsed.inReplyTo).toBe(photo.id);
    const photoTicket = await until(() => inbound(r.t, photo.id)?.ticketId ?? undefined, 'the photo on a ticket');
    expect(reply!.parsed.text).toContain(`foto Bapak/Ibu sudah kami terima dan kami catat sebagai tiket #${photoTicket}`);
  });

  it('keeps a voice recording (m4a, or amr sent as octet-stream) on a handoff ticket with its bytes and says an officer will listen; refuses a too-big or unplayable one with the reason (#22)', async () => {
    const r = await rig();
    const boundary = 'voice-1';
    const withFile = (from: string, type: string, name: string, data: Buffer, subject = '') =>
      mail({
        from,
        subject,
        contentType: `multipart/mixed; boundary="${boundary}"`,
        body: [`--${boundary}`, `Content-Type: ${type}; name="${name}"`, `Content-Disposition: attachment; filename="${name}"`, 'Content-Transfer-Encoding: base64', '', data.toString('base64'), `--${boundary}--`].join('\n'),
      });
    const stored = (id: string) =>
      r.t.db
        .prepare<[string], { ticket_id: number | null; mime_type: string; size_bytes: number; data: Buffer | null }>(
          "SELECT m.ticket_id, a.mime_type, a.size_bytes, a.data FROM attachments a JOIN messages m ON m.id = a.message_id WHERE m.external_id = ? AND m.direction = 'in'",
        )
        .get(id);
    const replyTo = async (address: string, count: number, what: string) =>
      (await until(() => (r.sentTo(address).length >= count ? r.sentTo(address) : undefined), what))[count - 1]!.parsed;

    // An iPhone voice memo: a handoff ticket with the recording; the subject joins the message.
    const m4a = Buffer.concat([Buffer.from([0, 0, 0, 0x1c, 0x66, 0x74, 0x79, 0x70, 0x4d, 0x34, 0x41, 0x20]), Buffer.alloc(4_000, 3)]);
    const memo = withFile('oma.ina@pemohon.test', 'audio/x-m4a', 'Rekaman Baru.m4a', m4a, 'Tolong dengar');
    await r.deliver(memo.raw);
    const memoReply = await replyTo('oma.ina@pemohon.test', 1, 'the reply to the voice memo');
    const kept = await until(() => stored(memo.id), 'the recording stored');
    expect(kept.mime_type).toBe('audio/x-m4a');
    expect(Buffer.compare(kept.data!, m4a)).toBe(0);
    expect(kept.ticket_id).not.toBeNull();
    const ticket = r.t.db.prepare<[number], { kind: string }>('SELECT kind FROM tickets WHERE id = ?').get(kept.ticket_id!);
    expect(ticket?.kind).toBe('handoff');
    expect(memoReply.text).toContain(`pesan suara Bapak/Ibu sudah kami terima dan kami catat sebagai tiket #${kept.ticket_id}`);
    expect(memoReply.text).toContain('Petugas akan mendengarkannya');
    expect(memoReply.subject).toContain(`[#${kept.ticket_id}]`);

    // An old Android phone's AMR, labelled application/octet-stream: known by its name, joins the open ticket.
    const amr = Buffer.concat([Buffer.from('#!AMR\n'), Buffer.alloc(600, 9)]);
    const voiceAmr = withFile('oma.ina@pemohon.test', 'application/octet-stream', 'voice-0001.amr', amr);
    await r.deliver(voiceAmr.raw);
    await replyTo('oma.ina@pemohon.test', 2, 'the reply to the AMR');
    const amrKept = await until(() => stored(voiceAmr.id), 'the AMR stored');
    expect(amrKept).toMatchObject({ mime_type: 'audio/amr', size_bytes: amr.byteLength, ticket_id: kept.ticket_id });
    expect(Buffer.compare(amrKept.data!, amr)).toBe(0);

    // Over 6 MB, and a type no officer's browser plays: kept as messages without bytes, the reason told.
    const big = withFile('budi.k@pemohon.test', 'audio/mpeg', 'wawancara.mp3', Buffer.alloc(6 * 1024 * 1024 + 10, 1));
    await r.deliver(big.raw);
    const bigReply = await replyTo('budi.k@pemohon.test', 1, 'the reply to the big recording');
    expect(bigReply.text).toContain('terlalu besar untuk kami terima (paling besar 6 MB');
    expect(stored(big.id)).toMatchObject({ mime_type: 'audio/mpeg', size_bytes: 6 * 1024 * 1024 + 10, data: null, ticket_id: null });
    const flac = withFile('budi.k@pemohon.test', 'audio/flac', 'suara.flac', Buffer.from('fLaC\0\0\0\x22'));
    await r.deliver(flac.raw);
    const flacReply = await replyTo('budi.k@pemohon.test', 2, 'the reply to the flac file');
    expect(flacReply.text).toContain('jenis rekaman ini tidak dapat kami putar');
    expect(stored(flac.id)).toMatchObject({ mime_type: 'audio/flac', data: null });
  }, 60_000);

  it('never answers an auto-reply, a mailing list or a no-reply sender, and leaves them unread; the next real mail is answered', async () => {
    const r = await rig();
    const ooo = mail({ from: 'andi@pemohon.test', subject: 'Out of office', body: 'Saya sedang cuti.', headers: { 'Auto-Submitted': 'auto-replied' } });
    const list = mail({ from: 'berita@milis.test', subject: '[Milis] Berita', body: 'Berapa biaya paspor? Baca selengkapnya.', headers: { 'List-Id': '<berita.milis.test>', Precedence: 'list' } });
    const xauto = mail({ from: 'cuti@pemohon.test', subject: 'Re: Biaya', body: 'Terima kasih, email Anda sudah kami terima.', headers: { 'X-Autoreply': 'yes' } });
    const noreply = mail({ from: 'no-reply@bank.test', subject: 'Notifikasi', body: 'Berapa biaya paspor?' });
    const uids = [await r.deliver(ooo.raw), await r.deliver(list.raw), await r.deliver(xauto.raw), await r.deliver(noreply.raw)];
    const real = mail({ from: 'nita@pemohon.test', subject: 'Tanya', body: 'berapa biaya paspor?' });
    await r.deliver(real.raw);
    await until(() => (r.sentTo('nita@pemohon.test').length > 0 ? true : undefined), 'the answer to the real mail');
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const to of ['andi@pemohon.test', 'berita@milis.test', 'cuti@pemohon.test', 'no-reply@bank.test']) expect(r.sentTo(to)).toEqual([]);
    expect(countInbound(r.t)).toBe(1);
    for (const uid of uids) expect(await dovecot.flags(r.user, uid)).not.toContain('\\Seen');
  });

  it('records a bounce: the reply it reports is marked failed with the reason, and nobody is answered', async () => {
    const r = await rig();
    const question = mail({ from: 'salah@pemohon.test', subject: 'Biaya', body: 'berapa biaya paspor?' });
    await r.deliver(question.raw);
    const [reply] = await until(() => (r.sentTo('salah@pemohon.test').length > 0 ? r.sentTo('salah@pemohon.test') : undefined), 'the answer');
    const ourId = reply!.parsed.messageId!;
    const boundary = 'dsn-boundary-1';
    const dsn = mail({
      from: 'Mail Delivery System <MAILER-DAEMON@mx.pemohon.test>',
      subject: 'Undelivered Mail Returned to Sender',
      contentType: `multipart/report; report-type=delivery-status; boundary="${boundary}"`,
      body: [
        `--${boundary}`,
        'Content-Type: text/plain; charset=us-ascii',
        '',
        'This is the mail system at host mx.pemohon.test. Your message could not be delivered.',
        `--${boundary}`,
        'Content-Type: message/delivery-status',
        '',
        'Reporting-MTA: dns; mx.pemohon.test',
        '',
        'Final-Recipient: rfc822; salah@pemohon.test',
        'Action: failed',
        'Status: 5.1.1',
        'Diagnostic-Code: smtp; 550 5.1.1 <salah@pemohon.test>: Recipient address rejected: User unknown',
        `--${boundary}`,
        'Content-Type: text/rfc822-headers',
        '',
        `From: Kantor Imigrasi Kupang <${OFFICE}>`,
        'To: salah@pemohon.test',
        `Message-ID: ${ourId}`,
        'Subject: Re: Biaya',
        `--${boundary}--`,
      ].join('\n'),
    });
    const uid = await r.deliver(dsn.raw);
    const failed = await until(
      () =>
        r.t.db
          .prepare<[string], { delivery_status: string; delivery_error: string }>("SELECT delivery_status, delivery_error FROM messages WHERE external_id = ? AND direction = 'out'")
          .get(ourId) ?? undefined,
      'the reply row',
    );
    await until(() => (r.t.db.prepare<[string], { s: string }>("SELECT delivery_status AS s FROM messages WHERE external_id = ? AND direction = 'out'").get(ourId)?.s === 'failed' ? true : undefined), 'the bounce recorded');
    const row = r.t.db.prepare<[string], { delivery_error: string }>("SELECT delivery_error FROM messages WHERE external_id = ? AND direction = 'out'").get(ourId);
    expect(failed).toBeDefined();
    expect(row?.delivery_error).toContain('550 5.1.1');
    expect(row?.delivery_error).toContain('salah@pemohon.test');
    await until(async () => ((await dovecot.flags(r.user, uid)).includes('\\Seen') ? true : undefined), 'the bounce flagged read');
    expect(smtp.received.filter((m) => m.envelopeTo.some((to) => /mailer-daemon/i.test(to)))).toEqual([]);
    expect(countInbound(r.t)).toBe(1);
  });

  it('reads an HTML-only mail as text, without the quoted history, the signature block or images', async () => {
    const r = await rig();
    const html = mail({
      from: 'rina@pemohon.test',
      subject: 'Pertanyaan',
      contentType: 'text/html; charset=utf-8',
      body: '<html><body><div dir="ltr"><p>Halo,</p><p>berapa <b>biaya</b> paspor?</p><img src="https://pelacak.test/p.gif" width="1" height="1"><div class="gmail_signature">Rina<br>Kupang</div></div><div class="gmail_quote"><blockquote>pesan lama yang dikutip</blockquote></div></body></html>',
    });
    await r.deliver(html.raw);
    const stored = await until(() => inbound(r.t, html.id), 'the HTML mail stored');
    expect(stored.text).toBe('Pertanyaan\n\nHalo,\n\nberapa biaya paspor?');
    const [reply] = await until(() => (r.sentTo('rina@pemohon.test').length > 0 ? r.sentTo('rina@pemohon.test') : undefined), 'the answer');
    expect(reply!.parsed.text).toContain('Rp950.000');
  });

  it('reads a new mail as soon as the server announces it (IMAP IDLE), long before the next search', async () => {
    // The search runs every 10 minutes here: only the server's EXISTS during IDLE can wake the channel.
    const r = await rig({ pollMs: 10 * 60_000 });
    // imapflow enters IDLE a second after the mailbox's first search.
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const question = mail({ from: 'idle@pemohon.test', subject: 'Biaya', body: 'berapa biaya paspor?' });
    await r.deliver(question.raw);
    await until(() => (r.sentTo('idle@pemohon.test').length > 0 ? true : undefined), 'the answer woken by IDLE', 8_000);
  });

  it('polls a server that offers no IDLE: a new mail is read at the next search', async () => {
    const polling = await startDovecot({ withoutIdle: true });
    cleanups.push(() => polling.close());
    const r = await rig({ server: polling, pollMs: 300 });
    const probe = new ImapFlow({ host: '127.0.0.1', port: polling.port, secure: false, auth: { user: r.user, pass: PASSWORD }, logger: false });
    await probe.connect();
    const offersIdle = probe.capabilities.has('IDLE');
    await probe.logout();
    expect(offersIdle).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const question = mail({ from: 'poll@pemohon.test', subject: 'Biaya', body: 'berapa biaya paspor?' });
    const uid = await r.deliver(question.raw);
    // imapflow's own fallback (NOOP) comes only every 2 minutes: this is our search.
    await until(() => (r.sentTo('poll@pemohon.test').length > 0 ? true : undefined), 'the answer found by polling', 8_000);
    await until(async () => ((await polling.flags(r.user, uid)).includes('\\Seen') ? true : undefined), 'the \\Seen flag');
  });

  it('answers a mail that is only a file it cannot use (no words, no subject) politely, naming the files it takes and asking for words', async () => {
    const r = await rig();
    const boundary = 'doc-1';
    const onlyDoc = mail({
      from: 'ferry@pemohon.test',
      subject: '',
      contentType: `multipart/mixed; boundary="${boundary}"`,
      body: [
        `--${boundary}`,
        'Content-Type: application/msword; name="surat.doc"',
        'Content-Disposition: attachment; filename="surat.doc"',
        'Content-Transfer-Encoding: base64',
        '',
        Buffer.from('surat permohonan').toString('base64'),
        `--${boundary}--`,
      ].join('\n'),
    });
    await r.deliver(onlyDoc.raw);
    const [reply] = await until(() => (r.sentTo('ferry@pemohon.test').length > 0 ? r.sentTo('ferry@pemohon.test') : undefined), 'the polite reply');
    // Which files are taken, and to write the message instead.
    expect(reply!.parsed.text).toContain('jenisnya tidak kami terima (foto JPG/PNG atau PDF). Silakan kirim ulang, atau tuliskan pesannya');
    expect(reply!.parsed.inReplyTo).toBe(onlyDoc.id);
    expect(reply!.header('auto-submitted')).toBe('auto-replied');
    // The file is recorded (name, type, size) without its bytes.
    const file = r.t.db
      .prepare<[string], { file_name: string; mime_type: string; data: Buffer | null }>(
        "SELECT a.file_name, a.mime_type, a.data FROM attachments a JOIN messages m ON m.id = a.message_id WHERE m.external_id = ? AND m.direction = 'in'",
      )
      .get(onlyDoc.id);
    expect(file).toEqual({ file_name: 'surat.doc', mime_type: 'application/msword', data: null });
  });

  it("sends an officer's reply from the Telegram staff group as a personal mail in the ticket's thread", async () => {
    const STAFF_CHAT = -100888;
    const OFFICER_TG = 5151;
    const fake = await createFakeBotApi({ maxPollWaitMs: 200 });
    cleanups.push(() => fake.close());
    // The applicants' channels here: e-mail (and a recording web channel the test core needs).
    const r = await rig({
      core: { channel: createRecordingChannel('web'), alertTargets: [{ channel: 'telegram', externalId: String(STAFF_CHAT), audience: 'staff' }] },
    });
    const staff = createStaffService(r.t.db, () => r.t.clock.now());
    staff.linkTelegram(staff.add({ username: 'yanto', role: 'staff', password: 'perahu-layar-oesapa', displayName: 'Yanto' }).username, String(OFFICER_TG));
    const group = createTelegramStaffGroup({
      db: r.t.db,
      tickets: r.t.core.tickets,
      staff,
      clock: r.t.clock,
      logger: pino({ level: 'silent' }),
      staffChatId: String(STAFF_CHAT),
      timeZone: 'Asia/Makassar',
    });
    const telegram = createTelegramChannel({
      token: fake.token,
      apiRoot: fake.apiRoot,
      sendsPerSecond: 0,
      logger: pino({ level: 'silent' }),
      media: { maxBytes: 1_000, allowedMimeTypes: [] },
      retryBackoff: { initialMs: 10, maxMs: 40 },
      pollTimeoutSeconds: 1,
      clock: r.t.clock,
      staffChatId: String(STAFF_CHAT),
      onGroupUpdate: (update, api) => group.onGroupUpdate(update, api),
    });
    r.t.core.addChannel(telegram);
    await telegram.start(r.t.core.intake.sink);
    cleanups.push(() => telegram.stop());

    const complaint = mail({ from: 'Siti <siti.a@pemohon.test>', subject: 'Pelayanan loket', body: 'Antrian lama sekali dan petugas tidak ramah, saya kecewa.' });
    await r.deliver(complaint.raw);
    const [ack] = await until(() => (r.sentTo('siti.a@pemohon.test').length > 0 ? r.sentTo('siti.a@pemohon.test') : undefined), 'the complaint reply');
    expect(ack!.parsed.subject).toBe('Re: Pelayanan loket [#1]');
    const post = await until(() => fake.sentTo(STAFF_CHAT).find((m) => /^🆕 Tiket #1\b/.test(m.text)), 'the ticket post in the staff group');
    expect(post.text).toMatch(/^🆕 Tiket #1 · Keluhan · .* · E-mail\n/);
    expect(post.text).not.toContain('siti.a@pemohon.test');

    fake.enqueue(fake.build.groupText(STAFF_CHAT, 'Ibu Siti, mohon maaf atas pelayanan kami. Besok Ibu kami layani di loket prioritas.', { userId: OFFICER_TG, replyTo: post }));
    const staffMail = await until(() => r.sentTo('siti.a@pemohon.test').find((m) => m.parsed.text?.startsWith('Ibu Siti, mohon maaf')), 'the officer reply by mail');
    expect(staffMail.parsed.subject).toBe('Re: Pelayanan loket [#1]');
    expect(staffMail.parsed.inReplyTo).toBe(complaint.id);
    expect(staffMail.header('references')).toContain(complaint.id);
    expect(staffMail.header('auto-submitted')).toBeUndefined();
    expect(staffMail.parsed.text).toContain('-- \nKantor Imigrasi Kelas I TPI Kupang');
    expect(staffMail.parsed.html).toBe(false);
    await until(() => fake.sentTo(STAFF_CHAT).find((m) => m.text === 'Balasan untuk #1 dikirim ke pemohon lewat E-mail.'), 'the confirmation in the group');
  });

  it('loses nothing when the process dies between storing a mail and flagging it: the restart re-reads it, stores it once, answers once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sapa-email-crash-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const dbFile = join(dir, 'sapa.db');
    const user = `crash-${process.pid}`;
    let stored = false;
    // The first process stores the mail, then dies: nothing after the commit happens (no flag, no send).
    const first = await rig({
      user,
      dbFile,
      outbox: false,
      sink: (core) => ({
        async accept(message) {
          await core.accept(message);
          stored = true;
          return new Promise(() => {});
        },
      }),
    });
    const question = mail({ from: 'yanti@pemohon.test', subject: 'Biaya', body: 'berapa biaya paspor?' });
    const uid = await first.deliver(question.raw);
    await until(() => (stored ? true : undefined), 'the first process storing the mail');
    expect(await dovecot.flags(user, uid)).not.toContain('\\Seen');
    await first.channel.stop();
    await first.t.core.outbox.stop();

    const second = await rig({ user, dbFile });
    await until(async () => ((await dovecot.flags(user, uid)).includes('\\Seen') ? true : undefined), 'the restart flagging the mail');
    await until(() => (second.sentTo('yanti@pemohon.test').length > 0 ? true : undefined), 'the answer');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(second.sentTo('yanti@pemohon.test')).toHaveLength(1);
    expect(countInbound(second.t)).toBe(1);
  });

  it('reconnects with growing backoff while the IMAP server is away, and reads what arrived when it is back', async () => {
    const r = await rig();
    await dovecot.stop();
    await until(() => (r.channel.status().state === 'reconnecting' ? true : undefined), 'the channel to notice');
    await until(() => (r.sleeps.length >= 4 ? true : undefined), 'a few reconnect attempts');
    // random() = 1: each wait is the full ceiling, doubling from 50 ms up to the 400 ms cap.
    expect(r.sleeps.slice(0, 4)).toEqual([50, 100, 200, 400]);
    const status = r.channel.status();
    expect(status.state === 'reconnecting' && status.retryAt instanceof Date).toBe(true);
    await dovecot.start();
    await until(() => (r.channel.status().state === 'connected' ? true : undefined), 'the channel to reconnect');
    const question = mail({ from: 'tono@pemohon.test', subject: 'Biaya', body: 'berapa biaya paspor?' });
    await r.deliver(question.raw);
    await until(() => (r.sentTo('tono@pemohon.test').length > 0 ? true : undefined), 'the answer after the reconnect');
  });

  it('shows a refused login as needing attention, tells staff once, and tries again only after the long wait', async () => {
    const r = await rig({ pass: 'kata-sandi-lama' });
    const status = r.channel.status();
    expect(status.state).toBe('needs_attention');
    expect(status.state === 'needs_attention' ? status.reason : '').toContain('EMAIL_IMAP_URL');
    expect(JSON.stringify(status)).not.toContain('kata-sandi-lama');
    await until(() => (r.sleeps.length >= 2 ? true : undefined), 'a second refused login');
    // authFailureMs (1 s here; 15 minutes by default), not the short backoff.
    expect(r.sleeps.slice(0, 2)).toEqual([1_000, 1_000]);
    expect(r.problems).toEqual(['E-mail: server IMAP menolak login. Periksa nama pengguna dan kata sandi (sandi aplikasi) di EMAIL_IMAP_URL, lalu mulai ulang SAPA.']);
  });

  it('runs from the environment in sapa start, and an officer reply from the dashboard goes out as a personal mail in the ticket thread', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sapa-email-app-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const user = `app-${process.pid}`;
    const config = loadConfig({
      SAPA_DB: join(dir, 'sapa.db'),
      PORT: '0',
      EMAIL_IMAP_URL: `imap://${user}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${dovecot.port}/INBOX`,
      EMAIL_SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
      EMAIL_FROM: `"Kantor Imigrasi Kupang" <${OFFICE}>`,
      EMAIL_POLL_SECONDS: '5',
      // The trained model the other tests share (training takes seconds).
      ...(process.env['SAPA_MODEL_CACHE'] !== undefined ? { SAPA_MODEL_CACHE: process.env['SAPA_MODEL_CACHE'] } : {}),
    });
    const clock = createFakeClock(MONDAY_MORNING);
    const app = await startApp(config, pino({ level: 'silent' }), { clock });
    cleanups.push(() => app.stop());
    const health = (await (await fetch(`${app.url}/healthz`)).json()) as { channels: Record<string, string> };
    expect(health.channels['email']).toBe('connected');

    const complaint = mail({ from: 'Maria <maria@pemohon.test>', subject: 'Paspor belum jadi', body: 'Sudah dua minggu paspor saya belum jadi, saya sangat kecewa.' });
    await dovecot.deliver(user, complaint.raw, clock.now());
    const sentTo = () => smtp.received.filter((m) => m.envelopeTo.includes('maria@pemohon.test'));
    await until(() => (sentTo().length > 0 ? true : undefined), 'the complaint reply');
    // The officer answers on the dashboard (POST /api/tickets/1/messages), logged in as in the browser.
    createStaffService(app.core.db).add({ username: 'ani', role: 'staff', password: 'sepeda-biru-lasiana', displayName: 'Ani' });
    const login = await app.server.inject({ method: 'POST', url: '/api/session', payload: { username: 'ani', password: 'sepeda-biru-lasiana' } });
    expect(login.statusCode).toBe(200);
    const cookie = login.cookies.map((c) => `${c.name}=${c.value}`).join('; ');
    const csrf = ((await app.server.inject({ method: 'GET', url: '/api/session', headers: { cookie } })).json() as { csrfToken: string }).csrfToken;
    const posted = await app.server.inject({
      method: 'POST',
      url: '/api/tickets/1/messages',
      headers: { cookie, 'x-csrf-token': csrf },
      payload: { text: 'Ibu Maria, paspor Ibu sudah selesai dicetak dan bisa diambil besok pagi.' },
    });
    expect(posted.statusCode).toBe(201);
    const staffMail = await until(() => sentTo().find((m) => m.parsed.text?.startsWith('Ibu Maria, paspor Ibu sudah selesai')), 'the officer reply');
    expect(staffMail.parsed.subject).toBe('Re: Paspor belum jadi [#1]');
    expect(staffMail.parsed.inReplyTo).toBe(complaint.id);
    expect(staffMail.header('auto-submitted')).toBeUndefined();
    expect(staffMail.parsed.text).toContain('-- \nKantor Imigrasi Kelas I TPI Kupang');
  }, 60_000);
});
