/**
 * Message-IDs: ours carry our message number and a random part
 * (`<sapa.<n>.<16 hex>@<domain>>`), so a reply or a bounce names the reply it is about, and
 * the store checks the whole id against the one sent (a guessed number joins nothing).
 * An applicant's Message-ID is their mail's key (dedupe) and, for the first mail of a
 * thread, the conversation's key.
 */
import { createHash, randomBytes } from 'node:crypto';

const OURS = /<sapa\.(\d{1,15})\.([0-9a-f]{16})@([^<>\s]{1,255})>/gi;

/** The longest key the intake accepts is 256; longer Message-IDs are hashed. */
const MAX_KEY = 200;

export function newMessageId(ourMessageId: number, domain: string): string {
  return `<sapa.${ourMessageId}.${randomBytes(8).toString('hex')}@${domain}>`;
}

export interface OurId {
  readonly messageId: number;
  readonly full: string;
}

/** Our Message-IDs named anywhere in `text` (a header, a bounce's quoted headers), in order. */
export function findOurIds(text: string): OurId[] {
  const found: OurId[] = [];
  for (const match of text.matchAll(OURS)) {
    const full = match[0];
    const n = Number(match[1]);
    if (Number.isSafeInteger(n) && !found.some((f) => f.full === full)) found.push({ messageId: n, full });
  }
  return found;
}

export function parseOurId(id: string): OurId | undefined {
  const [first] = findOurIds(id);
  return first !== undefined && first.full === id.trim() ? first : undefined;
}

/** `<id>` with angle brackets, whitespace removed; undefined for an empty one. */
export function normalizeMessageId(id: string | undefined): string | undefined {
  if (id === undefined) return undefined;
  const bare = id.replace(/\s+/g, '').replace(/^<+|>+$/g, '');
  return bare === '' ? undefined : `<${bare}>`;
}

/** The Message-IDs of a References or In-Reply-To header value. */
export function splitMessageIds(value: string | readonly string[] | undefined): string[] {
  if (value === undefined) return [];
  const joined = typeof value === 'string' ? value : value.join(' ');
  const ids = joined.match(/<[^<>\s]+>/g) ?? joined.split(/\s+/).filter((part) => part !== '');
  return ids.map((id) => normalizeMessageId(id)).filter((id): id is string => id !== undefined);
}

/** A key that fits the store: the Message-ID itself, or a hash of a very long one. */
export function mailKey(messageId: string): string {
  return messageId.length <= MAX_KEY ? messageId : `sha256:${createHash('sha256').update(messageId).digest('hex')}`;
}

/** A stable id for a mail without a Message-ID (so a re-read is still recognised). */
export function syntheticMessageId(raw: Uint8Array, domain: string): string {
  return `<no-id.${createHash('sha256').update(raw).digest('hex').slice(0, 32)}@${domain}>`;
}
