/**
 * Photos, documents and voice notes on a ticket: downloaded within a size limit and a type
 * allow-list (for voice and audio the core's AUDIO_* limits, with the duration). A file we do not download still becomes an attachment with its
 * metadata, so the core can tell the applicant why.
 */
import type { Telegram } from 'telegraf';
import type { PhotoSize } from 'telegraf/types';
import type { Logger } from 'pino';
import { AUDIO_MAX_BYTES, audioRefusal, readBoundedBody, type Attachment } from '../channel.js';
import { logSafeError } from './errors.js';
import { timeoutSignal } from './signals.js';

export interface TelegramMediaOptions {
  /** Largest photo/document we download and attach. */
  readonly maxBytes: number;
  /** e.g. image/jpeg, image/png, application/pdf. Telegram photos are always image/jpeg. */
  readonly allowedMimeTypes: readonly string[];
}

export interface TelegramDocument {
  readonly file_id: string;
  readonly file_name?: string;
  readonly mime_type?: string;
  readonly file_size?: number;
}

/** A voice note (`voice`, always ogg/opus) or an audio file (`audio`: mp3, m4a, ...). */
export interface TelegramAudio {
  readonly file_id: string;
  readonly duration: number;
  readonly mime_type?: string;
  readonly file_size?: number;
  readonly file_name?: string;
}

export interface MediaDownloader {
  photo(sizes: readonly PhotoSize[]): Promise<Attachment>;
  document(doc: TelegramDocument): Promise<Attachment>;
  audio(kind: 'voice' | 'audio', audio: TelegramAudio): Promise<Attachment>;
}

type DownloadResult = { readonly ok: true; readonly data: Uint8Array } | { readonly ok: false; readonly reason: 'too_big' | 'failed' };

export function createMediaDownloader(deps: {
  telegram: Telegram;
  media: TelegramMediaOptions;
  requestTimeoutMs: number;
  log: Logger;
}): MediaDownloader {
  const { telegram, media, requestTimeoutMs, log } = deps;
  const allowed = new Set(media.allowedMimeTypes.map((m) => m.toLowerCase()));

  async function download(fileId: string, maxBytes = media.maxBytes): Promise<DownloadResult> {
    try {
      const file = await telegram.callApi('getFile', { file_id: fileId }, { signal: timeoutSignal(requestTimeoutMs) });
      if (file.file_size !== undefined && file.file_size > maxBytes) return { ok: false, reason: 'too_big' };
      const url = await telegram.getFileLink(file);
      if (url.protocol === 'file:') {
        // A local Bot API server (--local) hands out disk paths; not supported.
        log.warn('file download skipped: local Bot API file paths are not supported');
        return { ok: false, reason: 'failed' };
      }
      const response = await fetch(url, { signal: AbortSignal.timeout(requestTimeoutMs) });
      if (!response.ok || response.body === null) {
        // The URL carries the bot token: log the status only.
        log.warn({ status: response.status }, 'file download failed');
        return { ok: false, reason: 'failed' };
      }
      const data = await readBoundedBody(response, maxBytes);
      if (data === 'too_big') return { ok: false, reason: 'too_big' };
      return { ok: true, data };
    } catch (err) {
      // Not fatal for the message: it is stored with the attachment's metadata and no bytes.
      log.warn({ err: logSafeError(err) }, 'file download failed');
      return { ok: false, reason: 'failed' };
    }
  }

  /**
   * Without data, the attachment still says what it was (kind, mime type,
   * size, file_id): the core sees the missing bytes and can tell the
   * applicant the file was too big or of the wrong type.
   */
  async function attach(base: Attachment & { providerRef: string }, fits: boolean, allowedType: boolean): Promise<Attachment> {
    if (!allowedType || !fits) return base;
    const result = await download(base.providerRef);
    return result.ok ? { ...base, data: result.data } : base;
  }

  return {
    async photo(sizes) {
      // Telegram sends several sizes, smallest first: take the largest within the limit.
      const largest = sizes[sizes.length - 1];
      const fitting = [...sizes].reverse().find((s) => s.file_size === undefined || s.file_size <= media.maxBytes);
      const chosen = fitting ?? largest;
      if (chosen === undefined) return { kind: 'image', mimeType: 'image/jpeg' };
      const base = {
        kind: 'image' as const,
        mimeType: 'image/jpeg',
        providerRef: chosen.file_id,
        ...(chosen.file_size !== undefined ? { sizeBytes: chosen.file_size } : {}),
      };
      return attach(base, fitting !== undefined, allowed.has('image/jpeg'));
    },
    async document(doc) {
      const mimeType = (doc.mime_type ?? 'application/octet-stream').toLowerCase();
      const base = {
        kind: 'document' as const,
        mimeType,
        providerRef: doc.file_id,
        ...(doc.file_name !== undefined ? { fileName: doc.file_name } : {}),
        ...(doc.file_size !== undefined ? { sizeBytes: doc.file_size } : {}),
      };
      return attach(base, doc.file_size === undefined || doc.file_size <= media.maxBytes, allowed.has(mimeType));
    },
    async audio(kind, audio) {
      // Voice notes have no mime_type on old clients; they are ogg/opus by definition.
      const mimeType = (audio.mime_type ?? (kind === 'voice' ? 'audio/ogg' : 'application/octet-stream')).toLowerCase();
      const base: Attachment = {
        kind,
        mimeType,
        providerRef: audio.file_id,
        durationSeconds: audio.duration,
        ...(audio.file_name !== undefined ? { fileName: audio.file_name } : {}),
        ...(audio.file_size !== undefined ? { sizeBytes: audio.file_size } : {}),
      };
      // Over the limits or of another type: not downloaded; the core tells the applicant why.
      if (audioRefusal(base) !== null) return base;
      const result = await download(audio.file_id, AUDIO_MAX_BYTES);
      if (result.ok) return { ...base, data: result.data, sizeBytes: result.data.byteLength };
      // A body larger than announced: say so with the size, so the reason given is the right one.
      return result.reason === 'too_big' ? { ...base, sizeBytes: AUDIO_MAX_BYTES + 1 } : base;
    },
  };
}
