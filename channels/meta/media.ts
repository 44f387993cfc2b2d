/**
 * Attachments of an inbound message. Images and files are downloaded from Meta's CDN
 * (the URL in the signed payload) so they can be kept on the applicant's open ticket;
 * the rest (voice, video, stickers, shared posts and reels, locations) are recorded by
 * kind only, and the core answers that SAPA reads text. A download that fails or is
 * too large never blocks intake: the attachment is stored without its bytes.
 */
import type { Logger } from 'pino';
import { readBoundedBody, type Attachment, type AttachmentKind } from '../channel.js';
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

export function createMediaDownloader(options: MetaMediaOptions, log: Logger): MediaDownloader {
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  async function download(url: string): Promise<{ data: Uint8Array; mimeType: string } | string> {
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'follow' });
    } catch (err) {
      return `download failed: ${err instanceof Error ? err.message : String(err)}`;
    }
    if (!response.ok) {
      await response.body?.cancel();
      return `download failed: HTTP ${response.status}`;
    }
    const mimeType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!options.allowedMimeTypes.includes(mimeType)) {
      await response.body?.cancel();
      return `type ${mimeType || 'unknown'} is not kept`;
    }
    const data = await readBoundedBody(response, options.maxBytes).catch((err: unknown) => `download failed: ${String(err)}`);
    if (data === 'too_big') return `larger than ${options.maxBytes} bytes`;
    if (typeof data === 'string') return data;
    return { data, mimeType };
  }

  return {
    async toAttachments(raws) {
      return Promise.all(
        raws.map(async (raw): Promise<Attachment> => {
          const kind = attachmentKindOf(raw);
          const ref = raw.url !== undefined ? { providerRef: raw.url } : {};
          if ((kind !== 'image' && kind !== 'document') || raw.url === undefined) return { kind, ...ref };
          const result = await download(raw.url);
          if (typeof result === 'string') {
            log.warn({ kind, problem: result }, 'attachment kept without its bytes');
            return { kind, ...ref };
          }
          return { kind, mimeType: result.mimeType, sizeBytes: result.data.byteLength, data: result.data, ...ref };
        }),
      );
    },
  };
}
