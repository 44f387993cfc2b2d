/**
 * Baileys errors are Boom errors whose `data` can hold a protocol node or the
 * whole message (downloadMediaMessage puts the message there), and pino would
 * log all of it. Log the name, message and status code only.
 */
import { disconnectCode } from './disconnect.js';

export function logSafeError(err: unknown): { type: string; message: string; statusCode?: number } {
  const statusCode = disconnectCode(err);
  const base = err instanceof Error ? { type: err.name, message: err.message } : { type: typeof err, message: String(err) };
  return statusCode === undefined ? base : { ...base, statusCode };
}

/** One line for status and send results. */
export function describeError(err: unknown): string {
  const { message, statusCode } = logSafeError(err);
  return statusCode === undefined ? message : `${message} (${statusCode})`;
}
