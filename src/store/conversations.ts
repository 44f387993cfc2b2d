/** Conversation queries: per-conversation router state (language, misses, what the bot awaits). */
import type { Conversation, ConversationAwaiting } from '../domain.js';
import type { Language } from '../knowledge/types.js';
import { prepared, type Db } from './db.js';
import { toConversation, type ConversationRow } from './mappers.js';

export function getConversation(db: Db, id: number): Conversation | null {
  const row = prepared<[number], ConversationRow>(db, 'SELECT * FROM conversations WHERE id = ?').get(id);
  return row ? toConversation(row) : null;
}

export function findConversation(db: Db, channel: string, externalId: string): Conversation | null {
  const row = prepared<[string, string], ConversationRow>(db, 'SELECT * FROM conversations WHERE channel = ? AND external_id = ?')
    .get(channel, externalId);
  return row ? toConversation(row) : null;
}

export interface ConversationStatePatch {
  readonly language?: Language;
  readonly missCount?: number;
  readonly awaiting?: ConversationAwaiting | null;
  readonly awaitingTicketId?: number | null;
  /** The router's dialogue state (JSON), or null to forget it. */
  readonly dialogue?: string | null;
}

export function updateConversationState(db: Db, id: number, patch: ConversationStatePatch): void {
  const sets: string[] = [];
  const values: (string | number | null)[] = [];
  if (patch.language !== undefined) {
    sets.push('language = ?');
    values.push(patch.language);
  }
  if (patch.missCount !== undefined) {
    sets.push('miss_count = ?');
    values.push(patch.missCount);
  }
  if (patch.awaiting !== undefined) {
    sets.push('awaiting = ?');
    values.push(patch.awaiting);
  }
  if (patch.awaitingTicketId !== undefined) {
    sets.push('awaiting_ticket_id = ?');
    values.push(patch.awaitingTicketId);
  }
  if (patch.dialogue !== undefined) {
    sets.push('dialogue = ?');
    values.push(patch.dialogue);
  }
  if (sets.length === 0) return;
  prepared(db, `UPDATE conversations SET ${sets.join(', ')} WHERE id = ?`).run(...values, id);
}

export interface ContactSummary {
  readonly contactId: number;
  readonly displayName: string | null;
  readonly identities: readonly { channel: string; externalId: string; displayName: string | null }[];
}

export function getContactSummary(db: Db, contactId: number): ContactSummary {
  const contact = prepared<[number], { display_name: string | null }>(db, 'SELECT display_name FROM contacts WHERE id = ?')
    .get(contactId);
  const identities = prepared<[number], { channel: string; external_id: string; display_name: string | null }>(db, 
      'SELECT channel, external_id, display_name FROM identities WHERE contact_id = ? ORDER BY id',
    )
    .all(contactId)
    .map((row) => ({ channel: row.channel, externalId: row.external_id, displayName: row.display_name }));
  return { contactId, displayName: contact?.display_name ?? null, identities };
}
