/**
 * Attachments of an inbound message. Images, files and voice notes are downloaded from
 * Meta's CDN (the URL in the signed payload) so they can be kept on the applicant's ticket
 * (a voice note opens a handoff ticket: #22); the rest (video, stickers, shared posts and
 * reels, locations) are recorded by kind only, and the core answers that SAPA reads text.
 * A download that fails, is too large or of another type never blocks intake: the
 * attachment is stored without its bytes, with the type and size Meta's CDN gave, so the
 * core can tell the applicant why (for audio: AUDIO_MIME_TYPES and AUDIO_MAX_BYTES, the
 * same limits as on every channel).
 */
import type { Logger } from 'pino';
import { AUDIO_MAX_BYTES, AUDIO_MIME_TYPES, readBoundedBody, type Attachment, type AttachmentKind } from '../channel.js';
import type { RawAttachment } from './events.js';

export interface MetaMediaOptions {
  readonly maxBytes: number;
  readonly allowedMimeTypes: readonly string[];
  /** Per download; Meta waits 20 s for the webhook's answer, so keep this well below. */
  readonly timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 8_000;

export function attachmentKindOf(raw: RawAttachment): AttachmentKind {
  switch (raw.type) {
    case 'image':
      return raw.stickerId !== undefined ? 'sticker' : 'image';
    case 'file':
      return 'document';
    case 'audio':
      return 'audio';
    case 'video':
      return 'video';
    case 'location':
      return 'location';
    case 'sticker':
    case 'like_heart':
    case 'animated_gif_share':
      return 'sticker';
    case 'fallback':
    case 'template':
    case 'share':
    case 'story_mention':
    case 'ig_reel':
    case 'reel':
    case 'ig_post':
      return 'link';
    default:
      return 'other';
  }
}

export interface MediaDownloader {
  toAttachments(raws: readonly RawAttachment[]): Promise<Attachment[]>;
}

/** What one download gave: the bytes, or why not with what is known of the file (type, size). */
type Download =
  | { readonly ok: true; readonly data: Uint8Array; readonly mimeType: string }
  | { readonly ok: false; readonly problem: string; readonly mimeType?: string; readonly sizeBytes?: number };

interface Limits {
  readonly maxBytes: number;
  readonly allowedMimeTypes: readonly string[];
}

/** Voice notes: the limits every channel applies (channels/channel.ts), not the image/PDF ones. */
const AUDIO_LIMITS: Limits = { maxBytes: AUDIO_MAX_BYTES, allowedMimeTypes: AUDIO_MIME_TYPES };

/**
 * The type of a downloaded file. Messenger's CDN may serve a voice clip (an MP4 container with
 * AAC sound) as video/mp4; the payload says it is audio, so it is kept as audio/mp4.
 */
function mimeTypeOf(response: Response, kind: AttachmentKind): string {
  const type = (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return kind === 'audio' && type === 'video/mp4' ? 'audio/mp4' : type;
}

export function createMediaDownloader(options: MetaMediaOptions, log: Logger): MediaDownloader {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  async function download(url: string, kind: AttachmentKind, limits: Limits): Promise<Download> {
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
    } catch (err) {
      return { ok: false, problem: `download failed: ${err instanceof Error ? err.message : String(err)}` };
    }
    if (!response.ok) {
      await response.body?.cancel();
      return { ok: false, problem: `download failed: HTTP ${response.status}` };
    }
    const mimeType = mimeTypeOf(response, kind);
    const declared = Number(response.headers.get('content-length') ?? 'NaN');
    const size = Number.isFinite(declared) && declared >= 0 ? { sizeBytes: declared } : {};
    if (!limits.allowedMimeTypes.includes(mimeType)) {
      await response.body?.cancel();
      return { ok: false, problem: `type ${mimeType || 'unknown'} is not kept`, ...(mimeType ? { mimeType } : {}), ...size };
    }
    const data = await readBoundedBody(response, limits.maxBytes).catch((err: unknown) => `download failed: ${String(err)}`);
    // Too big: the declared size, or (a body without one, cut off) "more than the limit".
    if (data === 'too_big') return { ok: false, problem: `larger than ${limits.maxBytes} bytes`, mimeType, sizeBytes: 'sizeBytes' in size ? size.sizeBytes : limits.maxBytes + 1 };
    if (typeof data === 'string') return { ok: false, problem: data, mimeType };
    return { ok: true, data, mimeType };
  }

  return {
    async toAttachments(raws) {
      return Promise.all(
        raws.map(async (raw): Promise<Attachment> => {
          const kind = attachmentKindOf(raw);
          const ref = raw.url !== undefined ? { providerRef: raw.url } : {};
          const limits = kind === 'audio' ? AUDIO_LIMITS : kind === 'image' || kind === 'document' ? options : null;
          if (limits === null || raw.url === undefined) return { kind, ...ref };
          const result = await download(raw.url, kind, limits);
          if (!result.ok) {
            log.warn({ kind, problem: result.problem }, 'attachment kept without its bytes');
            return {
              kind,
              ...(result.mimeType !== undefined ? { mimeType: result.mimeType } : {}),
              ...(result.sizeBytes !== undefined ? { sizeBytes: result.sizeBytes } : {}),
              ...ref,
            };
          }
          return { kind, mimeType: result.mimeType, sizeBytes: result.data.byteLength, data: result.data, ...ref };
        }),
      );
    },
  };
}
