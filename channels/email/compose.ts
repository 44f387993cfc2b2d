/**
 * Our outgoing mail: a reply in the applicant's thread (In-Reply-To, References, the
 * subject `Re: <subject> [#<n>]` once a ticket exists), plain text with the numbered
 * options and the office's signature, no HTML, no images, no tracking. Replies the bot
 * writes carry `Auto-Submitted: auto-replied` (RFC 3834), so well-behaved auto-responders
 * do not answer them; an officer's reply is a personal mail and does not.
 */
import type { OutboundAttachment, OutboundMessage, QuickReply } from '../channel.js';
import type { ThreadState } from './directory.js';
import { baseSubject } from './new-part.js';

export interface MailAddressee {
  readonly address: string;
  readonly name?: string;
}

export interface ComposedMail {
  readonly from: MailAddressee;
  readonly to: MailAddressee;
  readonly subject: string;
  readonly text: string;
  readonly messageId: string;
  readonly inReplyTo: string;
  readonly references: readonly string[];
  readonly headers: Readonly<Record<string, string>>;
  readonly attachments: readonly OutboundAttachment[];
}

/** The fixed lines of our mail (the office works in Indonesian; the options line is bilingual). */
export const EMAIL_TEXTS = {
  optionsIntro: 'Balas e-mail ini dengan angka pilihan Anda / Reply with the number of your choice:',
  noSubject: 'Pertanyaan Anda',
} as const;

/** References kept: the first (the thread's root) and the latest ones (RFC 5322 suggests trimming). */
const MAX_REFERENCES = 12;

export function replySubject(threadSubject: string, ticketNumber: number | undefined): string {
  const base = baseSubject(threadSubject) || EMAIL_TEXTS.noSubject;
  return ticketNumber === undefined ? `Re: ${base}` : `Re: ${base} [#${ticketNumber}]`;
}

export function trimReferences(references: readonly string[]): string[] {
  const unique = references.filter((id, index) => references.indexOf(id) === index);
  if (unique.length <= MAX_REFERENCES) return unique;
  return [unique[0] ?? '', ...unique.slice(unique.length - (MAX_REFERENCES - 1))].filter((id) => id !== '');
}

export function renderOptions(replies: readonly QuickReply[]): string {
  if (replies.length === 0) return '';
  return `\n\n${EMAIL_TEXTS.optionsIntro}\n${replies.map((reply, index) => `${index + 1}. ${reply.label}`).join('\n')}`;
}

export function composeReply(input: {
  readonly message: OutboundMessage;
  readonly thread: ThreadState;
  readonly from: MailAddressee;
  readonly messageId: string;
  readonly ticketNumber: number | undefined;
  readonly signature: string;
}): ComposedMail {
  const { message, thread } = input;
  const signature = input.signature.trim();
  const text = `${message.text.trim()}${renderOptions(message.quickReplies)}${signature === '' ? '' : `\n\n-- \n${signature}`}\n`;
  const headers: Record<string, string> = {};
  if (message.author !== 'staff') {
    headers['Auto-Submitted'] = 'auto-replied';
    // Exchange and Outlook: no out-of-office or other automatic answer to this one.
    headers['X-Auto-Response-Suppress'] = 'All';
  }
  return {
    from: input.from,
    to: { address: thread.to, ...(thread.name !== undefined ? { name: thread.name } : {}) },
    subject: replySubject(thread.subject, input.ticketNumber),
    text,
    messageId: input.messageId,
    inReplyTo: thread.lastMessageId,
    references: trimReferences(thread.references.length > 0 ? thread.references : [thread.lastMessageId]),
    headers,
    attachments: message.attachments ?? [],
  };
}

/** The office's signature from the office profile: its name and the confirmed contact fields. */
export function officeSignature(office: Readonly<Record<string, string>>): string {
  const field = (key: string): string => (office[key] ?? '').trim();
  const lines = [field('name')];
  if (field('address') !== '') lines.push(field('address'));
  const contacts = [
    field('phone') !== '' ? `Telp. ${field('phone')}` : '',
    field('whatsapp') !== '' ? `WhatsApp ${field('whatsapp')}` : '',
  ].filter((part) => part !== '');
  if (contacts.length > 0) lines.push(contacts.join(' · '));
  if (field('opening_hours') !== '') lines.push(`Layanan: ${field('opening_hours')}`);
  if (field('website') !== '') lines.push(field('website'));
  return lines.filter((line) => line !== '').join('\n');
}
