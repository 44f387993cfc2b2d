/**
 * Limits on applicant text, in one place so README, intake and tests agree.
 * A message longer than MAX_STORED_TEXT_CHARS is stored truncated (flagged), never
 * rejected: the applicant still gets an answer and staff still see the start of it.
 */
export const MAX_STORED_TEXT_CHARS = 8_000;
/** Attachments larger than this are recorded without their bytes. */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
/** Provider ids longer than this are not ids; the message is refused as malformed. */
export const MAX_EXTERNAL_ID_CHARS = 256;

/**
 * Makes arbitrary provider text safe to store and show: well-formed UTF-16 (lone
 * surrogates become U+FFFD), no control characters except newline and tab, no NUL.
 */
export function sanitizeText(raw: string): string {
  return raw
    .toWellFormed()
    .replace(/\r\n?/g, '\n')
    // eslint-disable-next-line no-control-regex -- removing control characters is the point
    .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\u200B-\u200F\u2028\u2029\u202A-\u202E\u2066-\u2069\uFEFF]/g, '');
}

export interface BoundedText {
  readonly text: string;
  readonly truncated: boolean;
}

export function boundText(text: string, max = MAX_STORED_TEXT_CHARS): BoundedText {
  if (text.length <= max) return { text, truncated: false };
  // Do not cut a surrogate pair in half.
  let end = max;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return { text: text.slice(0, end), truncated: true };
}
