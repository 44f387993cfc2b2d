/**
 * What a WhatsApp message carries, in the channel contract's terms: its text
 * (text, extended text, or the caption of an image/document/video) and at
 * most one attachment. Pure: downloading is media.ts's job. Protocol
 * messages (reactions, revokes, key distribution, poll votes) carry nothing
 * for the applicant and map to undefined.
 */
import { normalizeMessageContent } from '@whiskeysockets/baileys';
import type { proto } from '@whiskeysockets/baileys';
import type { AttachmentKind } from '../channel.js';

/** Attachment metadata; `download` says whether media.ts should fetch the bytes (images, documents and recordings, for tickets). */
export interface ContentAttachment {
  readonly kind: AttachmentKind;
  readonly mimeType?: string;
  readonly fileName?: string;
  readonly sizeBytes?: number;
  /** A recording's length (audioMessage.seconds). */
  readonly durationSeconds?: number;
  readonly download: 'image' | 'document' | 'audio' | null;
}

export interface MessageContent {
  readonly text: string;
  readonly attachment?: ContentAttachment;
  /** Id of the message this one quotes (a reply), e.g. a ticket post in the staff group. */
  readonly quotedId?: string;
}

type LongLike = { toNumber(): number };

/** protobuf's uint64 fields arrive as number or Long. */
export function toNumber(value: number | LongLike | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  const n = typeof value === 'number' ? value : value.toNumber();
  return Number.isFinite(n) ? n : undefined;
}

function str(value: string | null | undefined): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function media(
  kind: AttachmentKind,
  node: { mimetype?: string | null; fileLength?: number | LongLike | null; fileName?: string | null; seconds?: number | null },
  download: ContentAttachment['download'],
): ContentAttachment {
  const mimeType = str(node.mimetype)?.split(';')[0]?.trim().toLowerCase();
  const sizeBytes = toNumber(node.fileLength);
  const fileName = str(node.fileName);
  const durationSeconds = typeof node.seconds === 'number' && Number.isFinite(node.seconds) ? node.seconds : undefined;
  return {
    kind,
    download,
    ...(mimeType !== undefined ? { mimeType } : {}),
    ...(sizeBytes !== undefined ? { sizeBytes } : {}),
    ...(fileName !== undefined ? { fileName } : {}),
    ...(durationSeconds !== undefined ? { durationSeconds } : {}),
  };
}

function withQuote(content: MessageContent, context: proto.IContextInfo | null | undefined): MessageContent {
  const quotedId = str(context?.stanzaId);
  return quotedId === undefined ? content : { ...content, quotedId };
}

export function readContent(raw: proto.IMessage | null | undefined): MessageContent | undefined {
  // Unwraps ephemeral, view-once, edited and document-with-caption envelopes.
  const m = normalizeMessageContent(raw);
  if (m === undefined) return undefined;
  if (str(m.conversation) !== undefined) return { text: m.conversation ?? '' };
  if (m.extendedTextMessage) {
    return withQuote({ text: m.extendedTextMessage.text ?? '' }, m.extendedTextMessage.contextInfo);
  }
  if (m.imageMessage) {
    return withQuote({ text: m.imageMessage.caption ?? '', attachment: media('image', m.imageMessage, 'image') }, m.imageMessage.contextInfo);
  }
  if (m.documentMessage) {
    const doc = m.documentMessage;
    return withQuote({ text: doc.caption ?? '', attachment: media('document', doc, 'document') }, doc.contextInfo);
  }
  // A voice note (ptt) or audio file goes to an officer (#22): downloaded within the audio limits.
  if (m.audioMessage) return { text: '', attachment: media(m.audioMessage.ptt === true ? 'voice' : 'audio', m.audioMessage, 'audio') };
  // Below: media we do not download. Empty text for stickers: the core asks the applicant to write.
  if (m.stickerMessage) return { text: '', attachment: media('sticker', m.stickerMessage, null) };
  if (m.videoMessage) return { text: m.videoMessage.caption ?? '', attachment: media('video', m.videoMessage, null) };
  if (m.ptvMessage) return { text: '', attachment: media('video', m.ptvMessage, null) };
  if (m.locationMessage || m.liveLocationMessage) return { text: '', attachment: { kind: 'location', download: null } };
  if (m.contactMessage || m.contactsArrayMessage) return { text: '', attachment: { kind: 'contact', download: null } };
  if (m.pollCreationMessage || m.pollCreationMessageV2 || m.pollCreationMessageV3 || m.eventMessage) {
    return { text: '', attachment: { kind: 'other', download: null } };
  }
  // Reactions, protocol messages (revoke, ephemeral settings), sender-key distribution, poll votes, ...
  return undefined;
}
