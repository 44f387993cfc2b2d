/**
 * Attachments on the ticket page (#22): photos are shown and voice notes played where
 * staff work. GET /api/tickets/:id/attachments/:attachmentId serves the bytes of an
 * applicant's attachment on that ticket (or of the same applicant outside any ticket) to
 * an officer who may act on the ticket (ticket-access.ts). A colleague who may only read
 * the ticket gets no bytes: a photo of an identity card or a voice saying a NIK cannot be
 * masked the way text is.
 *
 * The response is typed from an allow-list (images, PDF, the audio types the channels
 * accept); anything else goes as application/octet-stream to download, never rendered.
 * `X-Content-Type-Options: nosniff`, and `Cache-Control: private, no-store` so no shared
 * cache (a proxy, the office's gateway) keeps an applicant's voice. Single byte ranges are
 * answered (206), as browsers ask for audio (Safari plays nothing without them).
 */
import type { FastifyInstance } from 'fastify';
import { AUDIO_KINDS, AUDIO_MIME_TYPES, baseMimeType, type AttachmentKind } from '../../../channels/channel.js';
import type { Core } from '../../core.js';
import type { StoredMedia } from '../../store/messages.js';
import { ticketAttachment } from '../../store/ticket-media.js';
import { HttpError } from '../errors.js';
import { userOf } from './auth.js';
import { positiveId } from './input.js';
import { canAct } from './ticket-access.js';

/** Types a browser may show or play from our origin. SVG is not among them: it can carry script. */
const INLINE_TYPES: ReadonlySet<string> = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/gif', 'application/pdf', ...AUDIO_MIME_TYPES]);

export interface AttachmentView {
  readonly id: number;
  /** How the page shows it: an image, a player, a download link, or only a label. */
  readonly display: 'image' | 'audio' | 'file' | 'label';
  readonly kind: string;
  readonly mimeType: string | null;
  readonly fileName: string | null;
  readonly sizeBytes: number | null;
  readonly durationSeconds: number | null;
  /** Where the bytes are; null when this officer gets none (see `unavailable`). */
  readonly url: string | null;
  /** Why there is no url: the bytes were not kept (too big, refused, failed, purged), or the ticket is a colleague's. */
  readonly unavailable: 'not_kept' | 'read_only' | null;
}

function displayOf(kind: string, mimeType: string | null): AttachmentView['display'] {
  const mime = baseMimeType(mimeType);
  if (AUDIO_KINDS.has(kind as AttachmentKind)) return mime !== null && AUDIO_MIME_TYPES.includes(mime) ? 'audio' : 'file';
  if (kind === 'image') return mime !== null && INLINE_TYPES.has(mime) && mime.startsWith('image/') ? 'image' : 'file';
  if (kind === 'document') return 'file';
  return 'label';
}

/**
 * One attachment of a message as the ticket page (`pageTicketId`) shows it. `masked`: the
 * message is shown masked (a colleague's ticket), so no bytes.
 */
export function attachmentView(attachment: StoredMedia, message: { readonly ticketId: number | null }, pageTicketId: number, masked: boolean): AttachmentView {
  const display = displayOf(attachment.kind, attachment.mimeType);
  const served = display !== 'label' && attachment.hasData && !masked;
  return {
    id: attachment.id,
    display,
    kind: attachment.kind,
    mimeType: attachment.mimeType,
    fileName: attachment.fileName,
    sizeBytes: attachment.sizeBytes,
    durationSeconds: attachment.durationSeconds,
    url: served ? `/api/tickets/${message.ticketId ?? pageTicketId}/attachments/${attachment.id}` : null,
    unavailable: display === 'label' || served ? null : attachment.hasData ? 'read_only' : 'not_kept',
  };
}

/** The Content-Type to answer with, and whether the browser may render it. */
export function servedType(mimeType: string | null): { readonly contentType: string; readonly inline: boolean } {
  const mime = baseMimeType(mimeType);
  return mime !== null && INLINE_TYPES.has(mime) ? { contentType: mime, inline: true } : { contentType: 'application/octet-stream', inline: false };
}

/** A single `bytes=` range within `size`; null without a usable header (the whole file), 'unsatisfiable' past the end. */
export function parseRange(header: string | undefined, size: number): { start: number; end: number } | 'unsatisfiable' | null {
  if (header === undefined) return null;
  const match = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  // Several ranges, other units: answered with the whole file, as RFC 9110 allows.
  if (match === null) return null;
  const [, from = '', to = ''] = match;
  if (from === '' && to === '') return null;
  if (from === '') {
    const suffix = Number(to);
    if (suffix === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(from);
  if (start >= size) return 'unsatisfiable';
  const end = to === '' ? size - 1 : Math.min(Number(to), size - 1);
  return end < start ? null : { start, end };
}

/** A file name safe in a header: ASCII without quotes or controls (the UTF-8 name goes in filename*). */
function dispositionOf(inline: boolean, fileName: string | null, attachmentId: number): string {
  const name = fileName ?? `lampiran-${attachmentId}`;
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${inline ? 'inline' : 'attachment'}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export function registerAttachmentRoute(app: FastifyInstance, { core }: { readonly core: Core }): void {
  app.get('/api/tickets/:id/attachments/:attachmentId', async (request, reply) => {
    const user = userOf(request);
    const params = request.params as { id: string; attachmentId: string };
    const ticket = core.tickets.get(positiveId(params.id));
    const attachmentId = positiveId(params.attachmentId, 'attachmentId');
    if (!canAct(user.account, ticket)) {
      throw new HttpError('FORBIDDEN', `ticket ${ticket.ref} is handled by another officer: its attachments are for the holder`);
    }
    const file = ticketAttachment(core.db, ticket.id, attachmentId);
    if (file === null) throw new HttpError('NOT_FOUND', `attachment ${attachmentId} is not kept on ticket ${ticket.ref}`);
    const { contentType, inline } = servedType(file.mimeType);
    const size = file.data.byteLength;
    reply
      .header('content-type', contentType)
      .header('x-content-type-options', 'nosniff')
      .header('cache-control', 'private, no-store')
      .header('accept-ranges', 'bytes')
      .header('content-disposition', dispositionOf(inline, file.fileName, attachmentId));
    const range = parseRange(typeof request.headers.range === 'string' ? request.headers.range : undefined, size);
    if (range === 'unsatisfiable') return reply.code(416).header('content-range', `bytes */${size}`).send();
    if (range === null) return reply.header('content-length', size).send(file.data);
    return reply
      .code(206)
      .header('content-range', `bytes ${range.start}-${range.end}/${size}`)
      .header('content-length', range.end - range.start + 1)
      .send(file.data.subarray(range.start, range.end + 1));
  });
}
