/**
 * One fetched mail, read with mailparser into what the adapter decides on: who wrote, which
 * Message-IDs it answers, the new part of its text, its files, and whether it is automatic
 * mail that must never be answered (see noise.ts).
 */
import { simpleParser, type AddressObject, type Attachment as MailAttachment, type ParsedMail } from 'mailparser';
import { audioRefusal, type Attachment, type AttachmentKind } from '../channel.js';
import { normalizeMessageId, splitMessageIds } from './ids.js';
import { newPartOfText, textOfHtml } from './new-part.js';

export interface MailAddress {
  /** Lower-cased. */
  readonly address: string;
  readonly name?: string;
}

export interface MediaLimits {
  readonly maxBytes: number;
  /**
   * MIME types kept with their bytes (images and PDFs); other files are recorded without them.
   * Audio (#22) follows the limits every channel uses instead (audioRefusal: AUDIO_MIME_TYPES, AUDIO_MAX_BYTES).
   */
  readonly allowedMimeTypes: readonly string[];
}

export interface ParsedEmail {
  readonly messageId: string | undefined;
  readonly inReplyTo: readonly string[];
  readonly references: readonly string[];
  readonly subject: string;
  readonly from: MailAddress | undefined;
  readonly replyTo: MailAddress | undefined;
  /** Header values by lower-case name (first value only), for the loop and noise checks. */
  readonly headers: ReadonlyMap<string, string>;
  /** The full Content-Type of the top part, e.g. `multipart/report; report-type=delivery-status`. */
  readonly contentType: string;
  /** What the sender wrote this time (quoted history and signature removed). */
  readonly text: string;
  /** True when the text came from the HTML part (no plain-text part). */
  readonly fromHtml: boolean;
  readonly attachments: readonly Attachment[];
}

export async function parseEmail(raw: Buffer, media: MediaLimits): Promise<ParsedEmail> {
  const mail = await simpleParser(raw, { skipHtmlToText: true, skipTextToHtml: true, skipImageLinks: true, keepDeliveryStatus: true });
  const plain = typeof mail.text === 'string' ? mail.text.trim() : '';
  const html = typeof mail.html === 'string' ? mail.html : '';
  const fromHtml = plain === '' && html !== '';
  const whole = fromHtml ? textOfHtml(html) : plain;
  const fresh = fromHtml ? newPartOfText(whole) : newPartOfText(plain);
  return {
    messageId: normalizeMessageId(mail.messageId),
    inReplyTo: splitMessageIds(mail.inReplyTo),
    references: splitMessageIds(mail.references),
    subject: (mail.subject ?? '').trim(),
    from: firstAddress(mail.from),
    replyTo: firstAddress(mail.replyTo),
    headers: headerMap(mail),
    contentType: headerText(mail.headers.get('content-type')),
    // A forward or a mail that is only a quote: its whole text is what the sender sends us.
    text: fresh !== '' ? fresh : whole.replace(/^\s*>\s?/gm, '').trim(),
    fromHtml,
    attachments: mail.attachments.filter(isFile).map((file) => toAttachment(file, media)),
  };
}

function firstAddress(value: AddressObject | AddressObject[] | undefined): MailAddress | undefined {
  const objects = value === undefined ? [] : Array.isArray(value) ? value : [value];
  for (const object of objects) {
    for (const entry of object.value) {
      const address = entry.address?.trim().toLowerCase();
      if (address !== undefined && address.includes('@')) return { address, ...(entry.name ? { name: entry.name.trim() } : {}) };
    }
  }
  return undefined;
}

function headerText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && 'value' in value) {
    const v = value as { value: unknown; params?: Record<string, string> };
    const params = Object.entries(v.params ?? {}).map(([k, p]) => `; ${k}=${p}`).join('');
    return `${String(v.value)}${params}`;
  }
  if (Array.isArray(value)) return value.map(headerText).join(', ');
  return value === undefined || value === null ? '' : String(value);
}

function headerMap(mail: ParsedMail): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of mail.headerLines) {
    const key = line.key.toLowerCase();
    if (map.has(key)) continue;
    const colon = line.line.indexOf(':');
    map.set(key, (colon >= 0 ? line.line.slice(colon + 1) : line.line).replace(/\r?\n[ \t]+/g, ' ').trim());
  }
  return map;
}

/** Real files: not the images an HTML body shows inline (logos), not report parts. */
function isFile(file: MailAttachment): boolean {
  if (file.related) return false;
  const type = file.contentType.toLowerCase();
  return !(type === 'message/delivery-status' || type === 'text/rfc822-headers' || type === 'message/disposition-notification');
}

function kindOf(mimeType: string): AttachmentKind {
  if (mimeType.startsWith('image/')) return 'image';
  if (mimeType.startsWith('audio/')) return 'audio';
  if (mimeType.startsWith('video/')) return 'video';
  return 'document';
}

/**
 * Mail programs and phones often send a recording as application/octet-stream; its name says
 * what it is. Only audio is guessed this way (a voice note is what people cannot type).
 */
const AUDIO_BY_EXTENSION: Readonly<Record<string, string>> = {
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  opus: 'audio/opus',
  m4a: 'audio/mp4',
  mp3: 'audio/mpeg',
  aac: 'audio/aac',
  amr: 'audio/amr',
  wav: 'audio/wav',
};
/** Other names mail programs use for the same audio types. */
const AUDIO_ALIASES: Readonly<Record<string, string>> = {
  'audio/wave': 'audio/wav',
  'audio/vnd.wave': 'audio/wav',
  'audio/x-mp3': 'audio/mpeg',
  'audio/x-mpeg': 'audio/mpeg',
  'audio/x-aac': 'audio/aac',
  'audio/x-amr': 'audio/amr',
  'audio/x-ogg': 'audio/ogg',
};

function mimeTypeOf(file: MailAttachment): string {
  const declared = file.contentType.toLowerCase();
  if (declared === 'application/octet-stream' && file.filename) {
    const extension = /\.([a-z0-9]{2,5})$/i.exec(file.filename)?.[1]?.toLowerCase();
    const guessed = extension === undefined ? undefined : AUDIO_BY_EXTENSION[extension];
    if (guessed !== undefined) return guessed;
  }
  return AUDIO_ALIASES[declared] ?? declared;
}

function toAttachment(file: MailAttachment, media: MediaLimits): Attachment {
  const mimeType = mimeTypeOf(file);
  // A recording too big or of a type we cannot play is recorded without its bytes; the core says why.
  const keep = mimeType.startsWith('audio/')
    ? audioRefusal({ mimeType, sizeBytes: file.size }) === null
    : media.allowedMimeTypes.includes(mimeType) && file.size <= media.maxBytes;
  const content = file.content as Buffer;
  return {
    kind: kindOf(mimeType),
    mimeType,
    sizeBytes: file.size,
    ...(file.filename ? { fileName: file.filename } : {}),
    ...(keep ? { data: new Uint8Array(content.buffer, content.byteOffset, content.byteLength).slice() } : {}),
  };
}
