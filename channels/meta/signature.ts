/**
 * X-Hub-Signature-256: Meta signs every webhook POST with HMAC-SHA256 of the raw body,
 * keyed with the app secret, as `sha256=<64 hex digits>`. Checked on the bytes as they
 * arrived (never on re-serialized JSON) and compared in constant time.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-hub-signature-256';

const SIGNATURE_SHAPE = /^sha256=([0-9a-f]{64})$/i;

/** The header value Meta would send for `body` (tests sign their payloads with it). */
export function signBody(appSecret: string, body: Uint8Array | string): string {
  return `sha256=${createHmac('sha256', appSecret).update(body).digest('hex')}`;
}

export function signatureMatches(appSecret: string, body: Uint8Array, header: string | undefined): boolean {
  if (header === undefined) return false;
  const match = SIGNATURE_SHAPE.exec(header.trim());
  if (match?.[1] === undefined) return false;
  const expected = createHmac('sha256', appSecret).update(body).digest();
  const given = Buffer.from(match[1], 'hex');
  // Both are 32 bytes here (the shape was checked), so timingSafeEqual cannot throw.
  return given.length === expected.length && timingSafeEqual(expected, given);
}

/** Constant-time comparison of two strings (the verify token of the subscription handshake). */
export function secretEquals(expected: string, given: string | undefined): boolean {
  if (given === undefined) return false;
  const a = createHmac('sha256', 'sapa-compare').update(expected).digest();
  const b = createHmac('sha256', 'sapa-compare').update(given).digest();
  return timingSafeEqual(a, b) && expected === given;
}
