/**
 * Why a WhatsApp connection closed, as a named reason instead of Baileys'
 * numeric codes (408 means both "timed out" and "connection lost"), and what
 * the connection loop does about it.
 */

export type DisconnectReason =
  /** 515 right after pairing: WhatsApp wants a fresh connection with the new creds. */
  | 'restart_required'
  /** 401: the phone removed this device, or the session is invalid. Linking again is required. */
  | 'logged_out'
  /** 440: another client with the same creds connected (a second SAPA instance?). */
  | 'replaced'
  /** 403: WhatsApp refused the account (possibly banned). */
  | 'forbidden'
  /** 408: timed out or lost (WhatsApp uses the same code for both). */
  | 'timed_out'
  /** 428: the socket closed (network drop, server closed it). */
  | 'connection_closed'
  /** 500: a corrupt session; usually recovers on a new connection. */
  | 'bad_session'
  /** 411: multi-device mismatch. */
  | 'multidevice_mismatch'
  /** 503 */
  | 'service_unavailable'
  /** We closed it ourselves (stop()). */
  | 'stopped'
  | 'unknown';

export type DisconnectAction =
  /** Reconnect at once (no backoff): 515 is part of pairing, not a failure. */
  | 'reconnect_now'
  | 'reconnect_with_backoff'
  /** Do not reconnect; clear the dead creds; a person must link again. */
  | 'logged_out'
  /** Do not reconnect (it would fight the other instance or a ban); a person must look. */
  | 'needs_attention'
  | 'stop';

const BY_CODE: ReadonlyMap<number, DisconnectReason> = new Map([
  [515, 'restart_required'],
  [401, 'logged_out'],
  [440, 'replaced'],
  [403, 'forbidden'],
  [408, 'timed_out'],
  [428, 'connection_closed'],
  [500, 'bad_session'],
  [411, 'multidevice_mismatch'],
  [503, 'service_unavailable'],
]);

/** Baileys closes with a Boom error; its status code is in `output.statusCode`. Read structurally. */
export function disconnectCode(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('output' in error)) return undefined;
  const output = error.output;
  if (typeof output !== 'object' || output === null || !('statusCode' in output)) return undefined;
  return typeof output.statusCode === 'number' ? output.statusCode : undefined;
}

export function classifyDisconnect(error: unknown): { readonly reason: DisconnectReason; readonly code: number | undefined } {
  const code = disconnectCode(error);
  return { reason: code === undefined ? 'unknown' : (BY_CODE.get(code) ?? 'unknown'), code };
}

export function actionFor(reason: DisconnectReason): DisconnectAction {
  switch (reason) {
    case 'restart_required':
      return 'reconnect_now';
    case 'logged_out':
      return 'logged_out';
    case 'replaced':
    case 'forbidden':
      return 'needs_attention';
    case 'stopped':
      return 'stop';
    case 'timed_out':
    case 'connection_closed':
    case 'bad_session':
    case 'multidevice_mismatch':
    case 'service_unavailable':
    case 'unknown':
      return 'reconnect_with_backoff';
  }
}

export interface ReconnectBackoff {
  readonly initialMs: number;
  readonly maxMs: number;
}

export const DEFAULT_RECONNECT_BACKOFF: ReconnectBackoff = { initialMs: 1_000, maxMs: 5 * 60_000 };

/**
 * Exponential with jitter (0.5x to 1.5x): several instances or channels do
 * not retry in lockstep, and WhatsApp does not see a bot-like fixed rhythm.
 * `attempt` counts failures since the last successful open, from 1.
 */
export function reconnectDelayMs(attempt: number, backoff: ReconnectBackoff, random: () => number = Math.random): number {
  const exp = Math.min(backoff.maxMs, backoff.initialMs * 2 ** Math.min(Math.max(attempt, 1) - 1, 30));
  return Math.round(exp * (0.5 + random()));
}

/** One line for status and logs: the error's message, code and reason, never its data. */
export function describeDisconnect(error: unknown): string {
  const { reason, code } = classifyDisconnect(error);
  const message = error instanceof Error ? error.message : 'closed';
  return `${message} (${code ?? 'no code'}, ${reason})`;
}
