/**
 * The e-mail channel's parts on their own: configuration, the new part of a mail, subjects,
 * loop and noise checks, bounce reasons, our Message-IDs, and the reply we compose. Real
 * mailparser and html-to-text; no servers (email.test.ts runs the whole channel).
 */
import { describe, expect, it } from 'vitest';
import { composeReply, officeSignature, replySubject } from '../../channels/email/compose.js';
import { findOurIds, mailKey, parseOurId, splitMessageIds } from '../../channels/email/ids.js';
import { baseSubject, newPartOfText, ticketInSubject } from '../../channels/email/new-part.js';
import { bounceReason, judgeMail } from '../../channels/email/noise.js';
import { parseEmail } from '../../channels/email/parse.js';
import { classifySmtpError } from '../../channels/email/smtp.js';
import { ConfigError, loadConfig } from '../../src/config.js';

const MEDIA = { maxBytes: 1024, allowedMimeTypes: ['image/png', 'application/pdf'] };
const OFFICE = 'pengaduan@kanim.go.id';

function raw(headers: Record<string, string>, body: string): Buffer {
  const all = { From: 'Budi <budi@pemohon.test>', To: OFFICE, Subject: 'Tanya', 'Message-ID': '<a1@pemohon.test>', 'Content-Type': 'text/plain; charset=utf-8', ...headers };
  return Buffer.from(`${Object.entries(all).map(([k, v]) => `${k}: ${v}`).join('\r\n')}\r\n\r\n${body.replace(/\n/g, '\r\n')}\r\n`);
}

async function judge(headers: Record<string, string>, body = 'berapa biaya paspor?') {
  const source = raw(headers, body);
  return judgeMail(await parseEmail(source, MEDIA), source.toString('latin1'), OFFICE);
}

describe('e-mail configuration', () => {
  const base = { SAPA_DB: ':memory:' };
  const full = {
    EMAIL_IMAP_URL: 'imaps://pengaduan%40kanim.go.id:s3cr%2Ft@mail.kanim.go.id/Pengaduan',
    EMAIL_SMTP_URL: 'smtp://pengaduan%40kanim.go.id:s3cr%2Ft@mail.kanim.go.id',
    EMAIL_FROM: '"Kantor Imigrasi Kupang" <pengaduan@kanim.go.id>',
  };

  it('reads the URLs (percent-encoded user and password, mailbox, default ports, STARTTLS required off loopback) and the sender', () => {
    const config = loadConfig({ ...base, ...full, EMAIL_POLL_SECONDS: '30' });
    expect(config.email).toEqual({
      imap: { host: 'mail.kanim.go.id', port: 993, secure: true, requireTls: false, user: 'pengaduan@kanim.go.id', pass: 's3cr/t', mailbox: 'Pengaduan' },
      smtp: { host: 'mail.kanim.go.id', port: 587, secure: false, requireTls: true, user: 'pengaduan@kanim.go.id', pass: 's3cr/t' },
      from: { address: 'pengaduan@kanim.go.id', name: 'Kantor Imigrasi Kupang' },
      pollSeconds: 30,
    });
    expect(loadConfig({ ...base, ...full, EMAIL_IMAP_URL: 'imap://u:p@127.0.0.1:1143' }).email?.imap).toMatchObject({ port: 1143, secure: false, requireTls: false, mailbox: 'INBOX' });
    expect(loadConfig(base).email).toBeNull();
  });

  it.each([
    [{ EMAIL_IMAP_URL: 'https://mail.kanim.go.id' }, 'EMAIL_IMAP_URL'],
    [{ EMAIL_IMAP_URL: 'imaps://mail.kanim.go.id/INBOX' }, 'EMAIL_IMAP_URL'],
    [{ EMAIL_SMTP_URL: 'ftp://u:p@mail.kanim.go.id' }, 'EMAIL_SMTP_URL'],
    [{ EMAIL_SMTP_URL: undefined }, 'EMAIL_SMTP_URL'],
    [{ EMAIL_FROM: 'Kantor Imigrasi' }, 'EMAIL_FROM'],
    [{ EMAIL_POLL_SECONDS: '1' }, 'EMAIL_POLL_SECONDS'],
    [{ EMAIL_IMAP_URL: undefined }, 'EMAIL_SMTP_URL'],
  ])('refuses %j, naming %s and never printing the password', (change, variable) => {
    let error: unknown;
    try {
      loadConfig({ ...base, ...full, ...change });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).variable).toBe(variable);
    expect((error as Error).message).not.toContain('s3cr');
  });
});

describe('the new part of a mail', () => {
  it('cuts the quoted history (English, Indonesian, Outlook) and the signature', () => {
    expect(newPartOfText('Terima kasih, sudah jelas.\n\nOn Mon, 30 Nov 2026 at 09:00, Kantor <a@b.c> wrote:\n> lama')).toBe('Terima kasih, sudah jelas.');
    expect(newPartOfText('Baik pak.\n\nPada Sen, 30 Nov 2026 pukul 09.00 Kantor Imigrasi <a@b.c>\nmenulis:\n> lama')).toBe('Baik pak.');
    expect(newPartOfText('Masih belum bisa.\n\n________________________________\nFrom: Kantor Imigrasi <a@b.c>\nSent: Monday\nTo: Budi\nSubject: Re: Tanya\n\nlama')).toBe('Masih belum bisa.');
    expect(newPartOfText('Sudah saya coba.\n-----Pesan Asli-----\nDari: x')).toBe('Sudah saya coba.');
    expect(newPartOfText('Berapa biayanya?\n\n-- \nBudi\n0812')).toBe('Berapa biayanya?');
    expect(newPartOfText('Berapa biayanya?\n\nSent from my iPhone')).toBe('Berapa biayanya?');
    expect(newPartOfText('> kutipan\njawaban saya\n> kutipan lagi')).toBe('jawaban saya');
  });

  it('keeps a forwarded mail whole when nothing was written above it', async () => {
    const mail = await parseEmail(raw({}, '---------- Forwarded message ---------\nFrom: calo@penipu.test\nBayar Rp2.000.000 lewat saya, pasti dapat antrian.'), MEDIA);
    expect(mail.text).toContain('Bayar Rp2.000.000 lewat saya');
  });

  it('reads HTML without quotes, signature blocks, images or link targets', async () => {
    const mail = await parseEmail(
      raw({ 'Content-Type': 'text/html; charset=utf-8' }, '<p>Kapan <a href="https://x.test/track?id=1">paspor</a> saya jadi?</p><img src="https://x.test/p.gif"><div class="gmail_signature">Budi</div><blockquote>lama</blockquote>'),
      MEDIA,
    );
    expect(mail.fromHtml).toBe(true);
    expect(mail.text).toBe('Kapan paspor saya jadi?');
  });

  it('keeps images and PDFs within the limits with their bytes, other files and big ones without', async () => {
    const boundary = 'b1';
    const part = (type: string, name: string, bytes: number) =>
      `--${boundary}\nContent-Type: ${type}; name="${name}"\nContent-Disposition: attachment; filename="${name}"\nContent-Transfer-Encoding: base64\n\n${Buffer.alloc(bytes, 7).toString('base64')}\n`;
    const body = `--${boundary}\nContent-Type: text/plain\n\nlampiran\n${part('application/pdf', 'ktp.pdf', 100)}${part('image/png', 'besar.png', 5000)}${part('application/msword', 'surat.doc', 10)}--${boundary}--`;
    const mail = await parseEmail(raw({ 'Content-Type': `multipart/mixed; boundary="${boundary}"` }, body), MEDIA);
    expect(mail.attachments.map((a) => [a.fileName, a.kind, a.data?.byteLength ?? null])).toEqual([
      ['ktp.pdf', 'document', 100],
      ['besar.png', 'image', null],
      ['surat.doc', 'document', null],
    ]);
  });

  it('keeps recordings (ogg, m4a, mp3, amr, wav) up to the audio limit with their bytes, by type or by name when sent as octet-stream (#22)', async () => {
    const boundary = 'b2';
    const part = (type: string, name: string, bytes: number) =>
      `--${boundary}\nContent-Type: ${type}; name="${name}"\nContent-Disposition: attachment; filename="${name}"\nContent-Transfer-Encoding: base64\n\n${Buffer.alloc(bytes, 7).toString('base64')}\n`;
    const body =
      `--${boundary}\nContent-Type: text/plain\n\n\n` +
      part('audio/ogg', 'PTT-20261130.ogg', 300) +
      part('audio/x-m4a', 'rekaman.m4a', 200) +
      part('audio/mpeg', 'suara.mp3', 100) +
      part('application/octet-stream', 'voice.amr', 50) +
      part('audio/wave', 'memo.wav', 40) +
      part('audio/flac', 'lagu.flac', 30) +
      part('audio/mpeg', 'panjang.mp3', 6 * 1024 * 1024 + 1) +
      part('application/octet-stream', 'data.bin', 20) +
      `--${boundary}--`;
    const mail = await parseEmail(raw({ 'Content-Type': `multipart/mixed; boundary="${boundary}"` }, body), MEDIA);
    expect(mail.attachments.map((a) => [a.fileName, a.kind, a.mimeType, a.data?.byteLength ?? null])).toEqual([
      ['PTT-20261130.ogg', 'audio', 'audio/ogg', 300],
      ['rekaman.m4a', 'audio', 'audio/x-m4a', 200],
      ['suara.mp3', 'audio', 'audio/mpeg', 100],
      ['voice.amr', 'audio', 'audio/amr', 50],
      ['memo.wav', 'audio', 'audio/wav', 40],
      // Not a type we can play, and over 6 MB: recorded without bytes (the core says why).
      ['lagu.flac', 'audio', 'audio/flac', null],
      ['panjang.mp3', 'audio', 'audio/mpeg', null],
      ['data.bin', 'document', 'application/octet-stream', null],
    ]);
    expect(mail.attachments[6]!.sizeBytes).toBe(6 * 1024 * 1024 + 1);
  });

  it('subjects: prefixes and our tag removed, the ticket number read', () => {
    expect(baseSubject('Re: RE: Fwd: Paspor hilang [#12]')).toBe('Paspor hilang');
    expect(baseSubject('Bls: Balas: Antrian')).toBe('Antrian');
    expect(ticketInSubject('Re: Paspor hilang [#12]')).toBe(12);
    expect(ticketInSubject('Nomor #12')).toBeUndefined();
    expect(replySubject('Re: Paspor hilang [#12]', 12)).toBe('Re: Paspor hilang [#12]');
    expect(replySubject('', undefined)).toBe('Re: Pertanyaan Anda');
  });
});

describe('loops and noise', () => {
  it.each([
    [{ 'Auto-Submitted': 'auto-replied' }],
    [{ 'Auto-Submitted': 'auto-generated' }],
    [{ Precedence: 'bulk' }],
    [{ Precedence: 'junk' }],
    [{ 'List-Id': '<x.lists.test>' }],
    [{ 'List-Unsubscribe': '<mailto:u@x.test>' }],
    [{ 'X-Autorespond': 'yes' }],
    [{ From: 'noreply@bank.test' }],
    [{ From: 'Postmaster <postmaster@mx.test>' }],
    [{ From: OFFICE }],
    [{ 'Content-Type': 'multipart/report; report-type=disposition-notification; boundary=x' }],
  ])('does not answer %j', async (headers) => {
    expect((await judge(headers)).kind).toBe('automatic');
  });

  it('answers a person (Auto-Submitted: no is a person too)', async () => {
    expect((await judge({})).kind).toBe('answer');
    expect((await judge({ 'Auto-Submitted': 'no' })).kind).toBe('answer');
  });

  it('recognises a bounce of our reply, but not a delay notice or a bounce of mail that is not ours', async () => {
    const ours = '<sapa.42.0123456789abcdef@kanim.go.id>';
    const dsn = (action: string, id: string) =>
      judge(
        { From: 'MAILER-DAEMON@mx.test', 'Content-Type': 'multipart/report; report-type=delivery-status; boundary="b"' },
        `--b\nContent-Type: message/delivery-status\n\nFinal-Recipient: rfc822; x@y.test\nAction: ${action}\nStatus: 5.2.2\nDiagnostic-Code: smtp; 552 5.2.2 mailbox full\n--b\nContent-Type: text/rfc822-headers\n\nMessage-ID: ${id}\n--b--`,
      );
    const bounce = await dsn('failed', ours);
    expect(bounce).toEqual({ kind: 'bounce', reply: { messageId: 42, full: ours }, reason: 'bounced: 552 5.2.2 mailbox full; recipient x@y.test' });
    expect((await dsn('delayed', ours)).kind).toBe('automatic');
    expect((await dsn('failed', '<other@x.test>')).kind).toBe('automatic');
    expect(bounceReason('Status: 5.1.1\n')).toBe('bounced: status 5.1.1');
  });
});

describe('Message-IDs and replies', () => {
  it('finds our ids and keeps long ids storable', () => {
    expect(parseOurId('<sapa.7.00112233aabbccdd@kanim.go.id>')).toEqual({ messageId: 7, full: '<sapa.7.00112233aabbccdd@kanim.go.id>' });
    expect(parseOurId('<sapa.7.xyz@kanim.go.id>')).toBeUndefined();
    expect(findOurIds('x <sapa.1.00112233aabbccdd@a.b> y <sapa.2.00112233aabbccdd@a.b>').map((id) => id.messageId)).toEqual([1, 2]);
    expect(splitMessageIds('<a@b> <c@d>')).toEqual(['<a@b>', '<c@d>']);
    expect(mailKey(`<${'x'.repeat(300)}@b>`)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('composes a plain-text reply in the thread with numbered options and the signature; staff replies are not marked automatic', () => {
    const thread = { to: 'budi@pemohon.test', name: 'Budi', subject: 'Paspor hilang', lastMessageId: '<b2@p.test>', references: ['<b1@p.test>', '<b2@p.test>'] };
    const message = { conversationExternalId: '<b1@p.test>', author: 'bot' as const, text: 'Jawaban.', quickReplies: [{ label: 'Selengkapnya', payload: 'more' }], messageId: 9 };
    const signature = officeSignature({ name: 'Kantor Imigrasi Kelas I TPI Kupang', address: '', phone: '(0380) 123', website: '' });
    const reply = composeReply({ message, thread, from: { address: OFFICE }, messageId: '<sapa.9.00112233aabbccdd@kanim.go.id>', ticketNumber: 3, signature });
    expect(reply.subject).toBe('Re: Paspor hilang [#3]');
    expect(reply.inReplyTo).toBe('<b2@p.test>');
    expect(reply.references).toEqual(['<b1@p.test>', '<b2@p.test>']);
    expect(reply.text).toBe(
      'Jawaban.\n\nBalas e-mail ini dengan angka pilihan Anda / Reply with the number of your choice:\n1. Selengkapnya\n\n-- \nKantor Imigrasi Kelas I TPI Kupang\nTelp. (0380) 123\n',
    );
    expect(reply.headers['Auto-Submitted']).toBe('auto-replied');
    expect(composeReply({ message: { ...message, author: 'staff' }, thread, from: { address: OFFICE }, messageId: '<x@y>', ticketNumber: undefined, signature }).headers).toEqual({});
  });

  it('treats SMTP 5xx as permanent and the rest as retryable', () => {
    expect(classifySmtpError(Object.assign(new Error('x'), { responseCode: 550, response: '550 5.1.1 unknown' }))).toMatchObject({ kind: 'permanent', error: expect.stringContaining('550 5.1.1') });
    expect(classifySmtpError(Object.assign(new Error('x'), { responseCode: 451 })).kind).toBe('retryable');
    expect(classifySmtpError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET' })).kind).toBe('retryable');
    expect(classifySmtpError(Object.assign(new Error('auth'), { code: 'EAUTH', responseCode: 535 })).kind).toBe('retryable');
  });
});
