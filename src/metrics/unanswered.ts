/**
 * Questions the bot could not answer: applicant messages classified out_of_scope, or
 * answered from the knowledge base with low confidence. Grouped by normalized text
 * (so "gmn" and "bagaimana" meet), most frequent first, personal data masked before
 * anything is grouped or shown, so NIK and phone numbers never reach this list. Answers to
 * the satisfaction survey (a typed rating, a comment) are not questions and are left out.
 */
import { CONVERSATIONAL_INTENT_IDS } from '../knowledge/types.js';
import { normalize } from '../nlu/normalize.js';
import { maskPersonalData } from '../privacy.js';
import { parseRating } from '../satisfaction.js';
import type { Db } from '../store/db.js';

/** Below this an FAQ answer counts as a guess worth a look. The classifier's own cut-off is lower (0.25). */
export const LOW_CONFIDENCE = 0.5;
const MAX_EXAMPLE_CHARS = 280;
const MASKED_TOKEN = /\S*\*\S*/g;

export interface UnansweredQuestion {
  /** Masked text of the most recent message in the group. */
  readonly text: string;
  readonly normalized: string;
  readonly count: number;
  readonly lastAt: Date;
  readonly channels: readonly string[];
  /** The intent the classifier guessed most recently (out_of_scope when it gave up). */
  readonly intent: string;
}

export interface UnansweredOptions {
  readonly startMs: number;
  readonly endMs: number;
  readonly limit?: number;
  readonly lowConfidence?: number;
}

interface Row {
  text: string;
  channel: string;
  created_at: number;
  intent: string;
}

const conversational = CONVERSATIONAL_INTENT_IDS.filter((id) => id !== 'out_of_scope');

// messages_created keeps the scan to the range; the joins are primary-key lookups that
// drop staff-group chatter (contacts of kind staff_target).
const SQL = `SELECT m.text, m.channel, m.created_at, m.intent, m.conversation_id
  FROM messages m
  JOIN conversations c ON c.id = m.conversation_id
  JOIN contacts k ON k.id = c.contact_id
  WHERE m.created_at >= ? AND m.created_at < ?
    AND m.direction = 'in' AND m.author = 'applicant' AND m.quick_reply_payload IS NULL
    AND k.kind = 'applicant'
    AND (m.intent = 'out_of_scope'
         OR (m.confidence < ? AND COALESCE(m.complaint, 0) = 0 AND m.intent NOT IN (${conversational.map(() => '?').join(', ')})))
  ORDER BY m.created_at`;

/**
 * Satisfaction-survey comments written in the period ("pelayanannya lambat tapi ramah"): answers,
 * not questions. Read once and matched in memory: a per-message NOT EXISTS over tickets by
 * conversation scanned every ticket for every message (the digest of a 1,000,000-ticket
 * database took 166 s). A comment follows its rating within the survey's window, so ratings
 * are looked up from SURVEY_LOOKBACK_MS before the period (by their indexed creation time).
 */
const SURVEY_LOOKBACK_MS = 30 * 24 * 60 * 60 * 1000;
const COMMENTS_SQL = `SELECT t.conversation_id AS conversation_id, r.comment AS comment
  FROM csat_ratings r JOIN tickets t ON t.id = r.ticket_id
  WHERE r.created_at >= ? AND r.created_at < ? AND r.comment IS NOT NULL AND r.commented_at >= ? AND r.commented_at < ?`;

/** As SQL's trim(text, ' \t\n\r') then substr(1, 2000): how a comment is stored. */
const storedComment = (text: string): string => text.replace(/^[ \t\n\r]+|[ \t\n\r]+$/g, '').slice(0, 2000);

export function unansweredQuestions(db: Db, options: UnansweredOptions): UnansweredQuestion[] {
  const comments = new Set(
    db
      .prepare<number[], { conversation_id: number; comment: string }>(COMMENTS_SQL)
      .all(options.startMs - SURVEY_LOOKBACK_MS, options.endMs, options.startMs, options.endMs)
      .map((row) => `${row.conversation_id}\u0000${row.comment}`),
  );
  const rows = db
    .prepare<(string | number)[], Row & { conversation_id: number }>(SQL)
    .all(options.startMs, options.endMs, options.lowConfidence ?? LOW_CONFIDENCE, ...conversational)
    .filter((row) => !comments.has(`${row.conversation_id}\u0000${storedComment(row.text)}`));
  return groupQuestions(rows).slice(0, options.limit ?? 100);
}

/** Pure grouping step (rows oldest first). */
export function groupQuestions(rows: readonly Row[]): UnansweredQuestion[] {
  const groups = new Map<string, { text: string; count: number; lastMs: number; channels: Set<string>; intent: string }>();
  for (const row of rows) {
    // A typed survey answer ("5", "4 bintang") keeps the classifier's out_of_scope but is not a question.
    if (parseRating(row.text, null, 0) !== null) continue;
    const masked = maskPersonalData(row.text.trim());
    // Masked values differ per applicant (0812****90, 0812****32); they are not the question.
    const key = normalize(masked.replace(MASKED_TOKEN, ' '));
    if (key === '') continue;
    const group = groups.get(key);
    const text = masked.length > MAX_EXAMPLE_CHARS ? `${masked.slice(0, MAX_EXAMPLE_CHARS)}…` : masked;
    if (group) {
      group.count += 1;
      group.channels.add(row.channel);
      if (row.created_at >= group.lastMs) Object.assign(group, { text, lastMs: row.created_at, intent: row.intent });
    } else {
      groups.set(key, { text, count: 1, lastMs: row.created_at, channels: new Set([row.channel]), intent: row.intent });
    }
  }
  return [...groups]
    .map(([normalized, g]) => ({ text: g.text, normalized, count: g.count, lastAt: new Date(g.lastMs), channels: [...g.channels].sort(), intent: g.intent }))
    .sort((a, b) => b.count - a.count || b.lastAt.getTime() - a.lastAt.getTime());
}
