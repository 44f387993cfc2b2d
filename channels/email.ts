/**
 * E-mail channel: IMAP for intake (imapflow), SMTP for replies (nodemailer), mailparser and
 * html-to-text to read mail. The parts live in channels/email/.
 *
 * Intake (mailbox.ts): each new mail in the mailbox is read, judged (noise.ts: automatic
 * mail is never answered; a bounce marks our reply failed), placed in its conversation
 * (threads: In-Reply-To/References, else `[#<n>]` in the subject, else a new thread keyed
 * by its Message-ID) and handed to the core's sink keyed by its Message-ID, before it is
 * flagged \Seen. Replies (compose.ts, smtp.ts) go out in the thread.
 *
 * The adapter reaches the core only through the sink and an EmailDirectory (directory.ts)
 * that src/main.ts builds from the store.
 */
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../src/clock.js';
import { raceTimeout, type Channel, type ChannelCapabilities, type ChannelStatus, type InboundMessage, type InboundSink, type QuickReply, type SendResult } from './channel.js';
import { composeReply, officeSignature, type MailAddressee } from './email/compose.js';
import { readThread, writeThread, type EmailDirectory, type ThreadState } from './email/directory.js';
import { mailKey, newMessageId, parseOurId, syntheticMessageId } from './email/ids.js';
import { createMailboxWatcher, DEFAULT_RECONNECT, describe, type FetchedMail, type ImapSettings, type MailOutcome, type ReconnectBackoff, type WatcherState } from './email/mailbox.js';
import { baseSubject, ticketInSubject } from './email/new-part.js';
import { judgeMail } from './email/noise.js';
import { parseEmail, type MediaLimits, type ParsedEmail } from './email/parse.js';
import { createSmtpSender, type SmtpSettings } from './email/smtp.js';

export type { EmailDirectory, ThreadState } from './email/directory.js';
export type { ImapSettings, ReconnectBackoff } from './email/mailbox.js';
export type { SmtpSettings } from './email/smtp.js';
export type { MediaLimits } from './email/parse.js';

export interface EmailChannelOptions {
  readonly imap: ImapSettings;
  readonly smtp: SmtpSettings;
  /** Our address (From of every reply; its domain names our Message-IDs). */
  readonly from: MailAddressee;
  /** How often the mailbox is searched besides IDLE. */
  readonly pollMs: number;
  readonly directory: EmailDirectory;
  readonly media: MediaLimits;
  /** The office profile (data/office.yaml) as it is now: the signature is built from it. */
  readonly office: () => Readonly<Record<string, string>>;
  readonly logger: Logger;
  readonly clock?: Clock;
  readonly backoff?: ReconnectBackoff;
  readonly sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  readonly random?: () => number;
  /** Network timeout of one IMAP or SMTP step. Default 30 s. */
  readonly timeoutMs?: number;
  /** Default 40 MB. */
  readonly maxMailBytes?: number;
  /** How long stop() waits for a mail being handled. Default 5 s. */
  readonly stopGraceMs?: number;
  /** Raised once when the channel needs a person (the login was refused); cleared when it works again. */
  readonly onProblem?: (text: string) => void;
}

export interface EmailChannel extends Channel {
  readonly name: 'email';
}

export const emailCapabilities: ChannelCapabilities = {
  quickReplies: false,
  inboundMedia: true,
  outboundMedia: true,
  // A mail carries the whole answer: no splitting.
  maxTextLength: 100_000,
  longAnswers: true,
};

/** Numbered options answered by "2": forgotten after a week (a mail reply can take days). */
const OPTIONS_TTL_MS = 7 * 24 * 60 * 60_000;
const NUMBER_ANSWER = /^\s*(\d{1,2})\s*[.)]?\s*$/;
/** A mail whose date the server puts in the future or long ago gets the time we read it. */
const MAX_MAIL_AGE_MS = 30 * 24 * 60 * 60_000;

export function createEmailChannel(options: EmailChannelOptions): EmailChannel {
  const log = options.logger.child({ module: 'channel.email' });
  const clock = options.clock ?? systemClock;
  const directory = options.directory;
  const domain = options.from.address.split('@')[1] ?? 'localhost';
  const smtp = createSmtpSender(options.smtp, options.timeoutMs ?? 30_000);
  let status: ChannelStatus = { state: 'stopped' };
  let sink: InboundSink | undefined;
  let started = false;
  let loop: Promise<void> | undefined;
  let problemRaised = false;
  const stopController = new AbortController();

  /** start() waits for the first connection attempt to end, either way. */
  let firstAttempt: (() => void) | undefined;

  function onState(state: WatcherState): void {
    if (state.state !== 'connecting') firstAttempt?.();
    if (state.state === 'connected') {
      status = { state: 'connected', detail: options.imap.mailbox };
      problemRaised = false;
    } else if (state.state === 'connecting') {
      if (status.state === 'stopped') status = { state: 'starting' };
    } else if (state.authFailed) {
      status = { state: 'needs_attention', reason: state.reason, action: 'Periksa nama pengguna dan kata sandi (sandi aplikasi) di EMAIL_IMAP_URL, lalu mulai ulang SAPA.' };
      if (!problemRaised) {
        problemRaised = true;
        options.onProblem?.(`E-mail: server IMAP menolak login. ${status.action}`);
      }
    } else {
      status = { state: 'reconnecting', reason: state.reason, retryAt: state.retryAt };
    }
  }

  function optionsKey(conversation: string): string {
    return `options:${conversation}`;
  }

  function pickOption(conversation: string, text: string): { text: string; payload: string } | undefined {
    const match = NUMBER_ANSWER.exec(text);
    if (match?.[1] === undefined) return undefined;
    const raw = directory.getState(optionsKey(conversation));
    if (raw === undefined) return undefined;
    const saved = JSON.parse(raw) as { at?: number; replies?: QuickReply[] };
    if (typeof saved.at !== 'number' || !Array.isArray(saved.replies) || clock.now().getTime() - saved.at > OPTIONS_TTL_MS) return undefined;
    const reply = saved.replies[Number(match[1]) - 1];
    return reply === undefined ? undefined : { text: reply.label, payload: reply.payload };
  }

  /** The conversation a mail belongs to: its own (re-read), the thread it answers, the ticket in its subject, or a new one. */
  function conversationOf(mail: ParsedEmail, key: string, sender: string): string {
    const stored = directory.conversationOfInbound(key);
    if (stored !== undefined) return stored;
    const answered = [...mail.inReplyTo, ...[...mail.references].reverse()];
    for (const id of answered) {
      const ours = parseOurId(id);
      const found = ours !== undefined ? directory.conversationOfReply(ours.messageId, ours.full) : directory.conversationOfInbound(mailKey(id));
      if (found !== undefined) return found;
    }
    const ticket = ticketInSubject(mail.subject);
    if (ticket !== undefined) {
      const found = directory.conversationOfTicket(ticket, sender);
      if (found !== undefined) return found;
    }
    return key;
  }

  function updateThread(conversation: string, mail: ParsedEmail, messageId: string): void {
    const previous = readThread(directory, conversation);
    const replyTo = mail.replyTo ?? mail.from;
    if (replyTo === undefined) return;
    const references = [...(previous?.references ?? []), ...mail.references, messageId].filter((id, index, all) => all.indexOf(id) === index);
    const thread: ThreadState = {
      to: replyTo.address,
      subject: baseSubject(mail.subject) || previous?.subject || '',
      lastMessageId: messageId,
      references: references.length > 12 ? [references[0] ?? messageId, ...references.slice(-11)] : references,
      ...(replyTo.name !== undefined ? { name: replyTo.name } : {}),
    };
    writeThread(directory, conversation, thread);
  }

  function receivedAt(mail: FetchedMail): Date {
    const now = clock.now();
    const at = mail.internalDate;
    if (at === undefined || Number.isNaN(at.getTime())) return now;
    return at.getTime() > now.getTime() || now.getTime() - at.getTime() > MAX_MAIL_AGE_MS ? now : at;
  }

  async function handle(fetched: FetchedMail): Promise<MailOutcome> {
    let mail: ParsedEmail;
    try {
      mail = await parseEmail(fetched.source, options.media);
    } catch (err) {
      // Reading it again would fail again: left unread for a person, and the next mail is read.
      log.warn({ uid: fetched.uid, err: describe(err) }, 'e-mail: a mail could not be read; left unread in the mailbox');
      return 'ignored';
    }
    const verdict = judgeMail(mail, fetched.source.toString('latin1'), options.from.address);
    if (verdict.kind === 'bounce') {
      const marked = directory.markReplyBounced(verdict.reply.messageId, verdict.reply.full, verdict.reason, clock.now());
      log.info({ uid: fetched.uid, reply: verdict.reply.messageId, marked }, 'e-mail: bounce of our reply recorded');
      return 'recorded';
    }
    if (verdict.kind === 'automatic') {
      log.info({ uid: fetched.uid, reason: verdict.reason }, 'e-mail: automatic mail not answered');
      return 'ignored';
    }
    const sender = mail.from;
    if (sender === undefined) return 'ignored';
    const messageId = mail.messageId ?? syntheticMessageId(fetched.source, domain);
    const key = mailKey(messageId);
    const conversation = conversationOf(mail, key, sender.address);
    const isReply = conversation !== key;
    updateThread(conversation, mail, messageId);
    // The subject says what a new mail is about ("Paspor hilang"); in a reply it is old news.
    const subject = baseSubject(mail.subject);
    const withSubject = !isReply && subject !== '' && !mail.text.toLowerCase().includes(subject.toLowerCase());
    const text = withSubject ? (mail.text === '' ? subject : `${subject}\n\n${mail.text}`) : mail.text;
    const picked = mail.attachments.length === 0 ? pickOption(conversation, mail.text) : undefined;
    const inbound: InboundMessage = {
      channel: 'email',
      externalId: key,
      conversationExternalId: conversation,
      sender: { externalId: sender.address, username: sender.address, ...(sender.name !== undefined && sender.name !== '' ? { displayName: sender.name } : {}) },
      text: picked?.text ?? text,
      attachments: mail.attachments,
      receivedAt: receivedAt(fetched),
      ...(picked !== undefined ? { quickReplyPayload: picked.payload } : {}),
    };
    if (sink === undefined) throw new Error('e-mail channel received mail before start()');
    let result;
    try {
      result = await sink.accept(inbound);
    } catch (err) {
      // A message the core refuses for good (not a storage failure, which is retried).
      if ((err as { code?: unknown }).code === 'SAPA_INBOUND_REJECTED') {
        log.warn({ uid: fetched.uid, err: describe(err) }, 'e-mail: the core refused a mail; left unread in the mailbox');
        return 'ignored';
      }
      throw err;
    }
    log.debug({ uid: fetched.uid, outcome: result.outcome, truncated: fetched.truncated, fromHtml: mail.fromHtml }, 'e-mail: inbound stored');
    return 'stored';
  }

  async function send(message: Parameters<Channel['send']>[0]): Promise<SendResult> {
    const thread = readThread(directory, message.conversationExternalId);
    if (thread === undefined) return { ok: false, kind: 'permanent', error: 'no e-mail address is known for this conversation' };
    const mail = composeReply({
      message,
      thread,
      from: options.from,
      messageId: newMessageId(message.messageId, domain),
      ticketNumber: directory.ticketOfReply(message.messageId),
      signature: officeSignature(options.office()),
    });
    const result = await smtp.send(mail);
    if (result.ok) {
      // Remember the options so "2" in the answer picks the second (a message without options ends the menu).
      directory.setState(optionsKey(message.conversationExternalId), JSON.stringify({ at: clock.now().getTime(), replies: message.quickReplies }));
    } else {
      log.warn({ kind: result.kind, error: result.error }, 'e-mail: send failed');
    }
    return result;
  }

  const watcher = createMailboxWatcher({
    imap: options.imap,
    directory,
    handle,
    onState,
    pollMs: options.pollMs,
    backoff: options.backoff ?? DEFAULT_RECONNECT,
    ...(options.sleep !== undefined ? { sleep: options.sleep } : {}),
    now: () => clock.now(),
    random: options.random ?? Math.random,
    maxMailBytes: options.maxMailBytes ?? 40 * 1024 * 1024,
    timeoutMs: options.timeoutMs ?? 30_000,
    log,
  });

  return {
    name: 'email',
    capabilities: emailCapabilities,
    status: () => status,
    async start(next) {
      if (started) throw new Error('e-mail channel already started; create a new one to restart');
      started = true;
      sink = next;
      status = { state: 'starting' };
      // Resolves once the mailbox is open or the first attempt failed; the loop keeps retrying.
      await new Promise<void>((resolve) => {
        firstAttempt = resolve;
        loop = watcher.run(stopController.signal).catch((err: unknown) => {
          log.error({ err }, 'e-mail intake loop ended unexpectedly');
          status = { state: 'reconnecting', reason: String(err) };
        });
        void loop.then(resolve);
      });
      firstAttempt = undefined;
    },
    async stop() {
      stopController.abort();
      if (loop !== undefined && !(await raceTimeout(loop, options.stopGraceMs ?? 5_000))) log.warn('stopping e-mail: a mail was still being handled; it will be read again');
      smtp.close();
      status = { state: 'stopped' };
    },
    send,
  };
}
