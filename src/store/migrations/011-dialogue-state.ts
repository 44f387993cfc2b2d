import type { Migration } from './types.js';

/**
 * `conversations.dialogue`: what the router remembers of the conversation between messages
 * (the topic under discussion, the applicant's case, the last self-help advice, a pending
 * "which one did you mean?"), as JSON owned by src/router/dialogue.ts. A column of the row
 * the intake already reads for every message, so remembering costs no extra query; it
 * expires by itself after a quiet period (the JSON carries its own time).
 */
export const dialogueState: Migration = {
  version: 11,
  name: 'conversation dialogue state',
  sql: `
    ALTER TABLE conversations ADD COLUMN dialogue TEXT;
  `,
};
