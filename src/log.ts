/**
 * The root logger. Message text and personal data stay out of info logs: callers log
 * ids, not texts; anything free-form that must be logged goes through maskPersonalData.
 */
import { pino, type Logger } from 'pino';
import type { LogLevel } from './config.js';
import { maskPersonalData } from './privacy.js';

export type { Logger };

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
