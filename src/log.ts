/**
 * The root logger. Message text and personal data stay out of info logs: callers log
 * ids, not texts. As a safety net, everything free-form is masked (maskPersonalData):
 * the message string, string fields of the log object (top level), and an error's
 * message and stack (provider errors sometimes echo a phone number or a chat id).
 */
import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.js';
import { maskPersonalData } from './privacy.js';

export type { Logger };

function maskError(err: unknown): unknown {
  const serialized = pino.stdSerializers.err(err as Error) as unknown as Record<string, unknown>;
  if (!serialized || typeof serialized !== 'object') return serialized;
  const out: Record<string, unknown> = { ...serialized };
  for (const key of ['message', 'stack']) {
    const value = out[key];
    if (typeof value === 'string') out[key] = maskPersonalData(value);
  }
  return out;
}

export function createLogger(level: LogLevel, destination?: pino.DestinationStream): Logger {
  return pino(
    {
      level,
      base: { app: 'sapa' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: {
        paths: ['text', '*.text', 'password', '*.password', 'token', '*.token', 'req.headers.cookie', 'req.headers.authorization'],
        censor: '[redacted]',
      },
      serializers: { err: maskError, error: maskError },
      formatters: {
        log(object) {
          const out: Record<string, unknown> = {};
          for (const [key, value] of Object.entries(object)) out[key] = typeof value === 'string' ? maskPersonalData(value) : value;
          return out;
        },
      },
      hooks: {
        // Free-form log messages are masked too, in case one carries a number.
        logMethod(args, method) {
          const masked = args.map((arg) => (typeof arg === 'string' ? maskPersonalData(arg) : arg)) as Parameters<typeof method>;
          method.apply(this, masked);
        },
      },
    },
    destination,
  );
}
