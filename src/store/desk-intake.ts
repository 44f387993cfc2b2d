/**
 * Queries for complaints staff record from outside the chat channels (#21): finding the
 * contact a phone number or e-mail address already belongs to, the conversation a ticket
 * lives in, the recorded complaint itself and answers given outside SAPA.
 */
import type { AnsweredVia, TicketChannel } from '../domain.js';
import { prepared, type Db } from './db.js';

/** What staff wrote down about the person, already normalized (see src/desk-intake.ts). */
export interface ContactKeys {
  /** Digits with country code, e.g. 6281234567890. */
  readonly phone?: string;
  /** Lower-case address. */
  readonly email?: string;
  /** A Telegram user id (digits) or username (without @, lower-case). */
  readonly telegram?: string;
  /** Digits with country code. */
  readonly whatsapp?: string;
}

export type MatchedBy = 'phone' | 'whatsapp' | 'email' | 'telegram';

export interface ContactMatch {
  readonly contactId: number;
  readonly matchedBy: MatchedBy;
}

/**
 * The known contact with the same phone number, WhatsApp number, e-mail address or Telegram
 * account, in that order; null when none. A phone number matches a WhatsApp identity too
 * (the number is the person's), and what staff wrote down before (`contacts.phone/email`).
 */
export function findContactByKeys(db: Db, keys: ContactKeys): ContactMatch | null {
  // Channels store phones as they got them ("+62 812...", "0812-..."): compared as digits, local or international.
  const byPhone = (phone: string): number | undefined =>
    prepared<[{ phone: string; local: string; jid: string }], { contact_id: number }>(
      db,
      `SELECT id AS contact_id FROM contacts WHERE phone = @phone
       UNION ALL SELECT contact_id FROM identities WHERE channel = 'whatsapp' AND external_id = @jid
       UNION ALL SELECT contact_id FROM identities
        WHERE phone IS NOT NULL AND replace(replace(replace(replace(replace(replace(phone, '+', ''), ' ', ''), '-', ''), '.', ''), '(', ''), ')', '') IN (@phone, @local)
       LIMIT 1`,
    ).get({ phone, local: phone.startsWith('62') ? `0${phone.slice(2)}` : phone, jid: `${phone}@s.whatsapp.net` })?.contact_id;
  if (keys.phone !== undefined) {
    const found = byPhone(keys.phone);
    if (found !== undefined) return { contactId: found, matchedBy: 'phone' };
  }
  if (keys.whatsapp !== undefined) {
    const found = byPhone(keys.whatsapp);
    if (found !== undefined) return { contactId: found, matchedBy: 'whatsapp' };
  }
  if (keys.email !== undefined) {
    const found = prepared<[string, string], { contact_id: number }>(
      db,
      `SELECT id AS contact_id FROM contacts WHERE email = ?
       UNION ALL SELECT contact_id FROM identities WHERE channel = 'email' AND lower(external_id) = ? LIMIT 1`,
    ).get(keys.email, keys.email)?.contact_id;
    if (found !== undefined) return { contactId: found, matchedBy: 'email' };
  }
  if (keys.telegram !== undefined) {
    const found = prepared<[string, string], { contact_id: number }>(
      db,
      "SELECT contact_id FROM identities WHERE channel = 'telegram' AND (external_id = ? OR lower(username) = ?) LIMIT 1",
    ).get(keys.telegram, keys.telegram)?.contact_id;
    if (found !== undefined) return { contactId: found, matchedBy: 'telegram' };
  }
  return null;
}

export function insertContact(db: Db, contact: { name: string; phone: string | null; email: string | null }, now: Date): number {
  return Number(
    prepared(db, 'INSERT INTO contacts (display_name, phone, email, created_at) VALUES (?, ?, ?, ?)').run(
      contact.name,
      contact.phone,
      contact.email,
      now.getTime(),
    ).lastInsertRowid,
  );
}

/** Keeps what staff wrote down on a known contact: fills a missing name, phone or e-mail (never overwrites one). */
export function completeContact(db: Db, contactId: number, contact: { name: string; phone: string | null; email: string | null }): void {
  prepared(
    db,
    `UPDATE contacts SET display_name = COALESCE(display_name, ?), phone = COALESCE(phone, ?), email = COALESCE(email, ?) WHERE id = ?`,
  ).run(contact.name, contact.phone, contact.email, contactId);
}

/**
 * The conversation the contact wrote from last on a channel SAPA runs (where a reply
 * reaches them), or null when they never wrote: their tickets then live offline. The
 * terminal chat (`sapa chat`, a test tool that only runs while someone types) does not count.
 */
export function reachableConversation(db: Db, contactId: number): { id: number; channel: TicketChannel } | null {
  return (
    prepared<[number], { id: number; channel: TicketChannel }>(
      db,
      `SELECT id, channel FROM conversations WHERE contact_id = ? AND channel NOT IN ('offline', 'console')
        ORDER BY last_inbound_at IS NULL, last_inbound_at DESC, id DESC LIMIT 1`,
    ).get(contactId) ?? null
  );
}

/** The contact's one offline conversation (created on first use): tickets need a conversation. */
export function offlineConversation(db: Db, contactId: number, now: Date): number {
  const externalId = `contact:${contactId}`;
  prepared(
    db,
    "INSERT INTO conversations (contact_id, channel, external_id, created_at) VALUES (?, 'offline', ?, ?) ON CONFLICT (channel, external_id) DO NOTHING",
  ).run(contactId, externalId, now.getTime());
  const row = prepared<[string], { id: number }>(db, "SELECT id FROM conversations WHERE channel = 'offline' AND external_id = ?").get(externalId);
  if (row === undefined) throw new Error(`offline conversation of contact ${contactId} was not stored`);
  return row.id;
}

/**
 * The complaint as the applicant made it, stored as their message (at the time the office
 * received it) and marked processed: the router must never answer it.
 */
export function insertRecordedComplaint(db: Db, input: { conversationId: number; channel: TicketChannel; text: string }, receivedAt: Date, now: Date): number {
  return Number(
    prepared(
      db,
      `INSERT INTO messages (conversation_id, channel, direction, author, visibility, text, created_at, processed_at)
       VALUES (?, ?, 'in', 'applicant', 'public', ?, ?, ?)`,
    ).run(input.conversationId, input.channel, input.text, receivedAt.getTime(), now.getTime()).lastInsertRowid,
  );
}

/** A public staff answer given outside SAPA: stored with how, never queued (no delivery status). */
export function insertOutsideAnswer(
  db: Db,
  input: { conversationId: number; ticketId: number; staffId: number; text: string; via: AnsweredVia },
  now: Date,
): number {
  const conversation = prepared<[number], { channel: string }>(db, 'SELECT channel FROM conversations WHERE id = ?').get(input.conversationId);
  if (conversation === undefined) throw new Error(`conversation ${input.conversationId} does not exist`);
  return Number(
    prepared(
      db,
      `INSERT INTO messages (conversation_id, channel, ticket_id, direction, author, staff_id, visibility, text, created_at, answered_via)
       VALUES (?, ?, ?, 'out', 'staff', ?, 'public', ?, ?, ?)`,
    ).run(input.conversationId, conversation.channel, input.ticketId, input.staffId, input.text, now.getTime(), input.via).lastInsertRowid,
  );
}

/** Tickets with this LAPOR! tracking number (normally one), newest first. */
export function findByLaporTrackingId(db: Db, trackingId: string): number[] {
  return prepared<[string], { id: number }>(db, 'SELECT id FROM tickets WHERE lapor_tracking_id = ? ORDER BY id DESC')
    .all(trackingId)
    .map((row) => row.id);
}
