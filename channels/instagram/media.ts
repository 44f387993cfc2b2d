/**
 * Photos and voice notes an applicant sends: downloaded (within a size limit; voice
 * notes within the core's audio limits) so they can be kept on a ticket. Instagram's CDN links are signed and expire within days,
 * so the bytes are fetched now or never. A photo we cannot fetch still
 * becomes an attachment with what we know, so nothing is silently dropped.
 */
import type { Logger } from 'pino';
import { AUDIO_MAX_BYTES, AUDIO_MIME_TYPES, baseMimeType, readBoundedBody } from '../channel.js';
import { logSafeError } from './errors.js';

export interface InstagramMediaOptions {
  /** Largest photo we download. */
  readonly maxBytes: number;
  /** Abort one download after this long. */
  readonly timeoutMs: number;
}

export const DEFAULT_MEDIA_OPTIONS: InstagramMediaOptions = { maxBytes: 10 * 1024 * 1024, timeoutMs: 30_000 };

export type PhotoDownload =
  | { readonly ok: true; readonly data: Uint8Array; readonly mimeType: string }
  | { readonly ok: false; readonly reason: 'too_big' | 'failed' }
  /** A voice note the CDN served as something we cannot play. */
  | { readonly ok: false; readonly reason: 'wrong_type'; readonly mimeType: string };

/** `what`: a photo (default) must be an image; a voice note one of the audio types, within AUDIO_MAX_BYTES. */
export type PhotoDownloader = (url: string, what?: 'image' | 'audio') => Promise<PhotoDownload>;

export function createPhotoDownloader(deps: { options: InstagramMediaOptions; log: Logger }): PhotoDownloader {
  const { options, log } = deps;
  return async (url, what = 'image') => {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(options.timeoutMs) });
      if (!response.ok || response.body === null) {
        // The URL is signed: log the status, not the link.
        log.warn({ status: response.status }, 'instagram photo download failed');
        return { ok: false, reason: 'failed' };
      }
      const contentType = (response.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
      const data = await readBoundedBody(response, what === 'audio' ? Math.min(options.maxBytes, AUDIO_MAX_BYTES) : options.maxBytes);
      if (data === 'too_big') return { ok: false, reason: 'too_big' };
      if (what === 'audio') {
        const mime = baseMimeType(contentType);
        return mime !== null && AUDIO_MIME_TYPES.includes(mime) ? { ok: true, data, mimeType: mime } : { ok: false, reason: 'wrong_type', mimeType: contentType || 'application/octet-stream' };
      }
      // The CDN serves JPEG, sometimes WebP or HEIC; anything that is not an image is not kept.
      if (!contentType.startsWith('image/')) {
        log.warn({ contentType }, 'instagram photo download was not an image');
        return { ok: false, reason: 'failed' };
      }
      return { ok: true, data, mimeType: contentType };
    } catch (err) {
      log.warn({ err: logSafeError(err) }, 'instagram photo download failed');
      return { ok: false, reason: 'failed' };
    }
  };
}
