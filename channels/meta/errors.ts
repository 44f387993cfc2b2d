/**
 * What a failed Graph call means for the outbox: try again later (network, 5xx,
 * rate limits), never (the person cannot be reached, the message is refused, the
 * 24-hour window is closed), or "the token": retried, because the replies are fine and
 * must wait in the outbox until an admin puts in a new token.
 */
import type { GraphFailure } from './graph.js';

export type FailureClass =
  | { readonly kind: 'retryable'; readonly error: string; readonly rateLimited: boolean; readonly retryAfterMs?: number }
  | { readonly kind: 'token'; readonly error: string }
  | { readonly kind: 'window'; readonly error: string }
  | { readonly kind: 'permanent'; readonly error: string };

/** Graph error codes that mean "too many calls" (app, user, page, business use case, Messenger/Instagram). */
const RATE_LIMIT_CODES = new Set([4, 17, 32, 613, 80001, 80002, 80004, 80005, 80006, 80008, 80014]);
/** Temporary errors on Meta's side. */
const TEMPORARY_CODES = new Set([1, 2]);
/** Meta's own pause when a rate limit gives no Retry-After. */
export const RATE_LIMIT_PAUSE_MS = 60_000;

export function classifyGraphFailure(failure: GraphFailure): FailureClass {
  const { status, code, subcode } = failure;
  const error = describeFailure(failure);
  if (code === 190 || (status === 401 && code === undefined)) return { kind: 'token', error };
  if (status === 429 || (code !== undefined && RATE_LIMIT_CODES.has(code))) {
    return { kind: 'retryable', error, rateLimited: true, retryAfterMs: failure.retryAfterMs ?? RATE_LIMIT_PAUSE_MS };
  }
  // "This message is sent outside of allowed window" (Messenger 10/2018278, Instagram 100/2534022).
  if ((code === 10 && subcode === 2018278) || subcode === 2534022) return { kind: 'window', error };
  if (status === undefined || status >= 500 || (code !== undefined && TEMPORARY_CODES.has(code))) {
    return { kind: 'retryable', error, rateLimited: false, ...(failure.retryAfterMs !== undefined ? { retryAfterMs: failure.retryAfterMs } : {}) };
  }
  // 551 (person unavailable), 100 (no such user / bad parameter), 200 and 10 (permission): this message never goes.
  return { kind: 'permanent', error };
}

export function describeFailure(failure: GraphFailure): string {
  const parts = [
    failure.status === undefined ? null : `HTTP ${failure.status}`,
    failure.code === undefined ? null : `code ${failure.code}${failure.subcode === undefined ? '' : `/${failure.subcode}`}`,
  ].filter((part): part is string => part !== null);
  return parts.length === 0 ? failure.message : `${parts.join(' ')}: ${failure.message}`;
}
