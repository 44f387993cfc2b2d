/**
 * Images, documents and recordings on a ticket: downloaded (and decrypted) by Baileys
 * within a size limit and a type allow-list (recordings: the core's AUDIO_* limits). A file we do not download still
 * becomes an attachment with its metadata, so the core can tell the applicant
 * why (too big, wrong type).
 */
import { downloadMediaMessage } from '@whiskeysockets/baileys';
import type { WAMessage } from '@whiskeysockets/baileys';
import type { Logger } from 'pino';
import { AUDIO_MAX_BYTES, audioRefusal, readBounded, type Attachment } from '../channel.js';
import { logSafeError } from './errors.js';
import type { ContentAttachment } from './message-content.js';

export interface WhatsappMediaOptions {
  /** Largest image/document we download and attach. */
  readonly maxBytes: number;
  /** e.g. image/jpeg, image/png, application/pdf. */
  readonly allowedMimeTypes: readonly string[];
}

/** Asks the phone to upload expired media again (the socket's `updateMediaMessage`). */
export type ReuploadRequest = (message: WAMessage) => Promise<WAMessage>;

export interface MediaDownloader {
  attach(message: WAMessage, attachment: ContentAttachment): Promise<Attachment>;
}

export function createMediaDownloader(deps: {
  readonly media: WhatsappMediaOptions;
  readonly requestTimeoutMs: number;
  readonly log: Logger;
  /** undefined while no socket is open: expired media then stays undownloaded. */
  readonly reupload: () => ReuploadRequest | undefined;
}): MediaDownloader {
  const { media, requestTimeoutMs, log } = deps;
  const allowed = new Set(media.allowedMimeTypes.map((m) => m.toLowerCase()));

  async function download(message: WAMessage, maxBytes: number): Promise<Uint8Array | 'too_big' | 'failed'> {
    const reuploadRequest = deps.reupload();
    try {
      const stream = await downloadMediaMessage(
        message,
        'stream',
        { options: { signal: AbortSignal.timeout(requestTimeoutMs) } },
        reuploadRequest === undefined ? undefined : { reuploadRequest, logger: log },
      );
      const data = await readBounded(stream, maxBytes);
      // Stop decrypting and downloading the rest of a file we will not keep.
      if (data === 'too_big') stream.destroy();
      return data;
    } catch (err) {
      // Not fatal for the message: it is stored with the attachment's metadata and no bytes.
      log.warn({ err: logSafeError(err), messageId: message.key.id }, 'whatsapp media download failed');
      return 'failed';
    }
  }

  return {
    async attach(message, attachment) {
      const { download: what, ...meta } = attachment;
      const base: Attachment = { ...meta, ...(message.key.id ? { providerRef: message.key.id } : {}) };
      if (what === null) return base;
      if (what === 'audio') {
        // Over the limits or of another type: not downloaded; the core tells the applicant why.
        if (audioRefusal(meta) !== null) return base;
        const result = await download(message, AUDIO_MAX_BYTES);
        if (result === 'too_big') return { ...base, sizeBytes: AUDIO_MAX_BYTES + 1 };
        if (result === 'failed') return base;
        return { ...base, data: result, sizeBytes: result.byteLength };
      }
      const typeOk = meta.mimeType !== undefined && allowed.has(meta.mimeType);
      const sizeOk = meta.sizeBytes === undefined || meta.sizeBytes <= media.maxBytes;
      if (!typeOk || !sizeOk) return base;
      const result = await download(message, media.maxBytes);
      if (typeof result === 'string') return base;
      return { ...base, data: result, sizeBytes: result.byteLength };
    },
  };
}
