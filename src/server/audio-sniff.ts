/**
 * What a recording from the chat page really is, read from its first bytes rather than
 * from the Content-Type the client claims: staff later play the file in the dashboard, so
 * only the containers browsers record are kept (WebM and Ogg with Opus from Chrome,
 * Firefox and Android; MP4/AAC from iOS Safari), never HTML or a script labelled audio.
 */

export interface SniffedAudio {
  /** The type the file is stored and served with (no parameters). */
  readonly mimeType: 'audio/webm' | 'audio/ogg' | 'audio/mp4';
  /** The file name extension staff see when they download it. */
  readonly extension: 'webm' | 'ogg' | 'm4a';
}

const EBML = [0x1a, 0x45, 0xdf, 0xa3];
const OGG = [0x4f, 0x67, 0x67, 0x53]; // "OggS"
const FTYP = [0x66, 0x74, 0x79, 0x70]; // "ftyp", at offset 4 of an ISO media file

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (bytes.byteLength < offset + signature.length) return false;
  return signature.every((value, index) => bytes[offset + index] === value);
}

/** The container of a browser recording, or null for anything else. */
export function sniffRecording(bytes: Uint8Array): SniffedAudio | null {
  // WebM is EBML with the doc type "webm"; Matroska audio (doc type "matroska") plays the same.
  if (startsWith(bytes, EBML)) return { mimeType: 'audio/webm', extension: 'webm' };
  if (startsWith(bytes, OGG)) return { mimeType: 'audio/ogg', extension: 'ogg' };
  if (startsWith(bytes, FTYP, 4)) return { mimeType: 'audio/mp4', extension: 'm4a' };
  return null;
}
