/**
 * Complaints received outside the chat channels (#21): at the counter, by phone, by letter,
 * through LAPOR!, by an e-mail outside SAPA's mailbox. Staff record them (dashboard "Catat
 * aduan", `POST /api/tickets`); from then on they live the life of any ticket.
 *
 * The contact: a phone number, WhatsApp number, e-mail address or Telegram account that a
 * known identity already has joins that contact, so the ticket page shows the whole history.
 * The ticket lives in the conversation the contact last wrote from (replies reach them
 * there), or, for someone who never wrote to SAPA, in their offline conversation, where
 * answers are recorded as given outside SAPA.
 */
import type { Clock } from './clock.js';
import { RECORDED_ORIGINS, type Ticket, type TicketOrigin, type TicketPriority } from './domain.js';
import type { ServqualDimension } from './knowledge/types.js';
import {
  completeContact,
  findContactByKeys,
  insertContact,
  insertRecordedComplaint,
  offlineConversation,
  reachableConversation,
  type ContactKeys,
  type MatchedBy,
} from './store/desk-intake.js';
import type { Db } from './store/db.js';
import type { TicketService } from './tickets.js';

export type RecordedOrigin = Exclude<TicketOrigin, 'chat'>;

export interface RecordComplaintInput {
  readonly origin: RecordedOrigin;
  readonly contact: {
    readonly name: string;
    readonly phone?: string;
    readonly email?: string;
    readonly telegram?: string;
    readonly whatsapp?: string;
  };
  readonly text: string;
  readonly priority?: TicketPriority;
  readonly servqual?: ServqualDimension;
  readonly laporTrackingId?: string;
  /** When the office received it (default now); the SLA clocks start here. */
  readonly receivedAt?: Date;
}

export interface RecordedComplaint {
  readonly ticket: Ticket;
  /** The known contact it joined, and by what; null: a new contact. */
  readonly matched: { readonly contactId: number; readonly by: MatchedBy } | null;
  /** Whether a reply can be sent through a channel (else answers are recorded as given outside SAPA). */
  readonly reachable: boolean;
}

/** The ticket's one-line summary, as the router writes it for chat tickets (140 characters). */
function summarize(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= 140 ? flat : `${flat.slice(0, 139)}…`;
}

export class IntakeError extends Error {
  readonly code = 'INTAKE_INVALID';
  constructor(
    /** The input field at fault, e.g. `contact.phone`. */
    readonly field: string,
    message: string,
  ) {
    super(message);
    this.name = 'IntakeError';
  }
}

/** A recorded complaint may be dated back this far (a letter that waited), not further. */
export const MAX_RECEIVED_AGE_MS = 90 * 24 * 60 * 60 * 1000;
/** Clocks of staff PCs differ a little; "received in the future" beyond this is a mistake. */
const FUTURE_SKEW_MS = 5 * 60 * 1000;

/**
 * Indonesian phone numbers as SAPA stores them: digits with the country code. `0812-3456-7890`,
 * `+62 812 3456 7890` and `812 3456 7890` are all 6281234567890; other countries keep their
 * code (`+60 12 345 6789`). Null when it is not a phone number.
 */
export function normalizePhone(raw: string): string | null {
  const trimmed = raw.normalize('NFKC').trim();
  if (!/^\+?[\d\s().-]+$/.test(trimmed)) return null;
  let digits = trimmed.replace(/\D/g, '');
  if (trimmed.startsWith('+')) {
    // already international
  } else if (digits.startsWith('0')) digits = `62${digits.slice(1)}`;
  else if (digits.startsWith('8')) digits = `62${digits}`;
  return digits.length >= 9 && digits.length <= 15 ? digits : null;
}

const EMAIL = /^[^\s@<>()[\],;:"]+@[^\s@<>()[\],;:"]+\.[^\s@<>()[\],;:"]+$/;

export function normalizeEmail(raw: string): string | null {
  const trimmed = raw.normalize('NFKC').trim().toLowerCase();
  return trimmed.length <= 254 && EMAIL.test(trimmed) ? trimmed : null;
}

/** A Telegram user id (digits) or @username (5-32 letters, digits, underscores). */
export function normalizeTelegram(raw: string): string | null {
  const trimmed = raw.trim().replace(/^@/, '');
  if (/^\d{3,15}$/.test(trimmed)) return trimmed;
  return /^[A-Za-z][A-Za-z0-9_]{4,31}$/.test(trimmed) ? trimmed.toLowerCase() : null;
}

/** LAPOR! tracking numbers are short codes of letters and digits (e.g. "LAPOR-4821907", "4821907"). */
export function normalizeLaporTrackingId(raw: string): string | null {
  const trimmed = raw.trim().replace(/^#/, '').toUpperCase();
  return /^[A-Z0-9][A-Z0-9./-]{2,39}$/.test(trimmed) ? trimmed : null;
}

export interface DeskIntakeDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly tickets: TicketService;
}

export interface DeskIntake {
  /** Validates, finds or creates the contact and opens the ticket, in one transaction. Throws IntakeError on bad input. */
  record(input: RecordComplaintInput, staffId: number): RecordedComplaint;
}

export function createDeskIntake({ db, clock, tickets }: DeskIntakeDeps): DeskIntake {
  const keysOf = (contact: RecordComplaintInput['contact']): ContactKeys => {
    const keys: { phone?: string; email?: string; telegram?: string; whatsapp?: string } = {};
    const field = (name: keyof ContactKeys, value: string | undefined, normalize: (raw: string) => string | null, what: string): void => {
      if (value === undefined || value.trim() === '') return;
      const normalized = normalize(value);
      if (normalized === null) throw new IntakeError(`contact.${name}`, `contact.${name} must be ${what}`);
      keys[name] = normalized;
    };
    field('phone', contact.phone, normalizePhone, 'a phone number such as 0812-3456-7890 or +62 812 3456 7890');
    field('whatsapp', contact.whatsapp, normalizePhone, 'a WhatsApp number such as 0812-3456-7890');
    field('email', contact.email, normalizeEmail, 'an e-mail address such as nama@contoh.id');
    field('telegram', contact.telegram, normalizeTelegram, 'a Telegram user id (digits) or @username');
    return keys;
  };

  const recordTx = db.transaction((input: RecordComplaintInput, staffId: number): RecordedComplaint => {
    if (!RECORDED_ORIGINS.includes(input.origin)) throw new IntakeError('origin', `origin must be one of ${RECORDED_ORIGINS.join(', ')}`);
    const name = input.contact.name.trim();
    if (name === '') throw new IntakeError('contact.name', 'contact.name must be non-empty text');
    const text = input.text.trim();
    if (text === '') throw new IntakeError('text', 'text must be non-empty text');
    const keys = keysOf(input.contact);
    const laporTrackingId = input.laporTrackingId === undefined || input.laporTrackingId.trim() === '' ? null : normalizeLaporTrackingId(input.laporTrackingId);
    if (input.laporTrackingId !== undefined && input.laporTrackingId.trim() !== '' && laporTrackingId === null) {
      throw new IntakeError('laporTrackingId', 'laporTrackingId must be the LAPOR! tracking number (letters, digits, - . /; 3-40 characters)');
    }
    if (laporTrackingId !== null && input.origin !== 'lapor') throw new IntakeError('laporTrackingId', 'laporTrackingId is only for origin lapor');
    const now = clock.now();
    const receivedAt = input.receivedAt ?? now;
    if (receivedAt.getTime() > now.getTime() + FUTURE_SKEW_MS) throw new IntakeError('receivedAt', 'receivedAt is in the future');
    if (receivedAt.getTime() < now.getTime() - MAX_RECEIVED_AGE_MS) throw new IntakeError('receivedAt', 'receivedAt is more than 90 days ago');
    const openedAt = receivedAt.getTime() > now.getTime() ? now : receivedAt;

    const match = findContactByKeys(db, keys);
    const details = { name: name.slice(0, 200), phone: keys.phone ?? keys.whatsapp ?? null, email: keys.email ?? null };
    let contactId: number;
    if (match === null) contactId = insertContact(db, details, now);
    else {
      contactId = match.contactId;
      completeContact(db, contactId, details);
    }
    const reachable = reachableConversation(db, contactId);
    const conversation = reachable ?? { id: offlineConversation(db, contactId, now), channel: 'offline' as const };
    const messageId = insertRecordedComplaint(db, { conversationId: conversation.id, channel: conversation.channel, text }, openedAt, now);
    const ticket = tickets.open({
      contactId,
      conversationId: conversation.id,
      channel: conversation.channel,
      kind: 'complaint',
      priority: input.priority ?? 'normal',
      integrity: false,
      intent: 'complaint',
      servqual: input.servqual ?? 'responsiveness',
      summary: summarize(text),
      messageId,
      origin: input.origin,
      laporTrackingId,
      openedAt,
      recordedBy: staffId,
    });
    return { ticket, matched: match === null ? null : { contactId: match.contactId, by: match.matchedBy }, reachable: reachable !== null };
  });

  return {
    record(input, staffId) {
      return recordTx(input, staffId);
    },
  };
}
