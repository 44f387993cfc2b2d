/** Quick-reply payloads as Telegram callback_data, which is limited to 64 bytes. */
import { createHash } from 'node:crypto';
import type { CallbackQuery } from 'telegraf/types';

/** Telegram rejects callback_data longer than this many bytes. */
export const CALLBACK_DATA_MAX_BYTES = 64;

const MAPPED_PREFIX = '~q:';

export interface CallbackDataCodec {
  encode(payload: string): string;
  /** The payload for pressed `data`; `message` is the one carrying the keyboard. */
  decode(data: string, message: CallbackQuery['message']): string;
}

/**
 * Short payloads travel as they are; longer ones (and any that start with our
 * prefix) travel as a hash token remembered in memory. After a restart a token
 * is unknown: we fall back to the pressed button's label, read from the
 * keyboard of the message Telegram sends along, which the core can classify
 * like typed text.
 */
export function createCallbackDataCodec(capacity: number): CallbackDataCodec {
  const tokens = new Map<string, string>();
  return {
    encode(payload) {
      if (Buffer.byteLength(payload, 'utf8') <= CALLBACK_DATA_MAX_BYTES && !payload.startsWith(MAPPED_PREFIX)) return payload;
      const token = MAPPED_PREFIX + createHash('sha256').update(payload).digest('base64url').slice(0, 32);
      tokens.delete(token);
      tokens.set(token, payload);
      if (tokens.size > capacity) {
        const oldest = tokens.keys().next();
        if (oldest.done !== true) tokens.delete(oldest.value);
      }
      return token;
    },
    decode(data, message) {
      if (!data.startsWith(MAPPED_PREFIX)) return data;
      return tokens.get(data) ?? buttonLabel(data, message) ?? data;
    },
  };
}

function buttonLabel(data: string, message: CallbackQuery['message']): string | undefined {
  if (message === undefined || !('reply_markup' in message) || message.reply_markup === undefined) return undefined;
  for (const row of message.reply_markup.inline_keyboard) {
    for (const button of row) {
      if ('callback_data' in button && button.callback_data === data) return button.text;
    }
  }
  return undefined;
}
