import type { Migration } from './types.js';

/**
 * Voice notes and audio files on tickets (#22): their length in seconds as the provider
 * gave it (Telegram `duration`, WhatsApp `seconds`), so the core can tell an applicant a
 * recording was too long (rather than only "not received") and staff see how long it is.
 * NULL for other attachments and when the provider did not say.
 */
export const audioDuration: Migration = {
  version: 16,
  name: 'attachments: duration_seconds for voice notes and audio',
  sql: `
    ALTER TABLE attachments ADD COLUMN duration_seconds INTEGER;
  `,
};
