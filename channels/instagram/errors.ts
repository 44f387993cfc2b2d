/**
 * Instagram error handling in one place: what a library error means (a person
 * must act, wait and retry, or give up on this message), what a failed send
 * means for the outbox, and what an error looks like in a log line.
 *
 * Why log-safe errors matter here: the library's IgResponseError carries the
 * whole HTTP response (cookies, the request form with the message text), and
 * IgNetworkError copies the `request` error's fields, including `options`
 * (form, cookie jar). pino would print all of it. Only the class, HTTP
 * status, Instagram's short message and error type are logged.
 */
import {
  IgActionSpamError,
  IgChallengeWrongCodeError,
  IgCheckpointError,
  IgClientError,
  IgInactiveUserError,
  IgLoginBadPasswordError,
  IgLoginInvalidUserError,
  IgLoginRequiredError,
  IgLoginTwoFactorRequiredError,
  IgNetworkError,
  IgNotFoundError,
  IgResponseError,
  IgSentryBlockError,
  IgUserHasLoggedOutError,
} from 'instagram-private-api';
import type { SendResult } from '../channel.js';
import { errorBodySummary, IgWireError } from './wire.js';

/** What an error from Instagram means for us. */
export type IgErrorClass =
  /** `challenge_required`: Instagram wants the owner to confirm it is them (code by SMS or e-mail). */
  | 'challenge'
  | 'two_factor'
  /** The verification code was wrong or expired. */
  | 'wrong_code'
  | 'bad_credentials'
  /** The saved session is no longer valid (`login_required`, logged out elsewhere). */
  | 'session_expired'
  /** Flagged as spam, sentry-blocked or disabled: stop, a person must look at the account. */
  | 'blocked'
  | 'rate_limited'
  | 'not_found'
  /** Another 4xx: the request itself was refused. */
  | 'rejected'
  | 'server'
  | 'network'
  | 'unexpected_response'
  | 'unknown';

export function classifyIgError(err: unknown): IgErrorClass {
  // Subclasses before IgResponseError: most of them extend it.
  if (err instanceof IgCheckpointError) return 'challenge';
  if (err instanceof IgLoginTwoFactorRequiredError) return 'two_factor';
  if (err instanceof IgChallengeWrongCodeError) return 'wrong_code';
  if (err instanceof IgLoginBadPasswordError || err instanceof IgLoginInvalidUserError) return 'bad_credentials';
  if (err instanceof IgLoginRequiredError || err instanceof IgUserHasLoggedOutError) return 'session_expired';
  if (err instanceof IgActionSpamError || err instanceof IgSentryBlockError || err instanceof IgInactiveUserError) return 'blocked';
  if (err instanceof IgNotFoundError) return 'not_found';
  if (err instanceof IgNetworkError) return 'network';
  if (err instanceof IgWireError) return 'unexpected_response';
  if (err instanceof IgResponseError) {
    const status = statusOf(err);
    if (status === 429) return 'rate_limited';
    if (status !== undefined && status >= 500) return 'server';
    return 'rejected';
  }
  return 'unknown';
}

/** Classes that stop the channel until a person acts; polling must not continue (or log in again) by itself. */
export function needsPerson(kind: IgErrorClass): boolean {
  return kind === 'challenge' || kind === 'two_factor' || kind === 'bad_credentials' || kind === 'blocked';
}

function statusOf(err: IgResponseError): number | undefined {
  const status: unknown = err.response.statusCode;
  return typeof status === 'number' ? status : undefined;
}

function bodyOf(err: IgResponseError): unknown {
  const body: unknown = err.response.body;
  return body;
}

/** The underlying socket or DNS error of an IgNetworkError (its fields were copied from `request`'s error). */
function networkCause(err: IgNetworkError): { message: string; code?: string } {
  const cause: unknown = 'cause' in err ? err.cause : undefined;
  if (cause instanceof Error) {
    const code: unknown = 'code' in cause ? cause.code : undefined;
    return { message: cause.message, ...(typeof code === 'string' ? { code } : {}) };
  }
  return { message: 'network error' };
}

/** One line for channel status, send results and CLI output; never a request payload or credentials. */
export function describeIgError(err: unknown): string {
  if (err instanceof IgNetworkError) {
    const cause = networkCause(err);
    return `network error: ${cause.code ?? cause.message}`;
  }
  if (err instanceof IgResponseError) {
    const { igMessage, errorType } = errorBodySummary(bodyOf(err));
    const status = statusOf(err);
    return [`Instagram answered ${status ?? 'an error'}`, igMessage ?? errorType].filter((p) => p !== undefined && p !== '').join(': ');
  }
  if (err instanceof IgChallengeWrongCodeError) return 'Instagram did not accept the code (wrong or expired)';
  if (err instanceof IgClientError) return err.name;
  if (err instanceof Error) return err.message;
  return String(err);
}

/** What goes under `err` in a log line. */
export function logSafeError(err: unknown): unknown {
  if (err instanceof IgNetworkError) return { type: 'IgNetworkError', ...networkCause(err) };
  if (err instanceof IgResponseError) {
    return { type: err.constructor.name, status: statusOf(err), ...errorBodySummary(bodyOf(err)) };
  }
  if (err instanceof IgClientError) return { type: err.constructor.name };
  return err;
}

type SendFailure = Extract<SendResult, { ok: false }>;

/** Instagram does not say how long to wait; five minutes keeps us well clear of its limits. */
export const RATE_LIMIT_WAIT_MS = 5 * 60_000;

/**
 * For the outbox: a thread that is gone or a refused message never succeeds
 * (permanent); everything else (network, 5xx, 429, and account problems
 * that a person will fix) is retryable, so the reply goes out once the
 * channel works again.
 */
export function classifySendError(err: unknown): SendFailure {
  const kind = classifyIgError(err);
  const error = describeIgError(err);
  switch (kind) {
    case 'not_found':
    case 'rejected':
      return { ok: false, kind: 'permanent', error };
    case 'rate_limited':
    case 'blocked':
      return { ok: false, kind: 'retryable', error, retryAfterMs: RATE_LIMIT_WAIT_MS };
    default:
      return { ok: false, kind: 'retryable', error };
  }
}
