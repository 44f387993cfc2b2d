/**
 * Seeds a large database for the benchmark: tickets spread over the past 90 days with
 * their messages, so SLA scans and the daily digest run over realistic volumes. The last
 * `recentDays` also carry what a digest reads besides tickets: questions the bot answered
 * alone (conversations without a ticket), questions it could not place (out_of_scope and
 * low-confidence guesses), staff replies by named officers, and satisfaction ratings.
 */
import type { Db } from '../../src/store/db.js';

export interface SeedOptions {
  readonly tickets: number;
  /** How many tickets are due for the SLA scanner at `now`. */
  readonly due: number;
  readonly now: Date;
  /** Messages (in + out) per ticket for the most recent `recentDays`; older tickets carry none. */
  readonly recentDays: number;
}

const DAY_MS = 86_400_000;
const CHANNELS = ['web', 'telegram', 'whatsapp', 'instagram'] as const;
const INTENTS = ['complaint', 'mpaspor_otp', 'mpaspor_quota', 'payment', 'processing_time', 'human_handoff'] as const;
const SERVQUAL = ['tangibles', 'reliability', 'responsiveness', 'assurance', 'empathy'] as const;
const FAQ_INTENTS = ['fees', 'requirements_new', 'requirements_child', 'processing_time', 'office_info', 'mpaspor_register'] as const;
const FAQ_TEXTS = ['berapa biaya paspor', 'syarat paspor baru apa saja', 'syarat paspor anak', 'berapa lama paspor jadi', 'jam buka kantor', 'cara daftar m-paspor'] as const;
const UNPLACED_TEXTS = ['apakah bisa titip berkas', 'gmn caranya ganti nama di paspor', 'bagaimana caranya ganti nama di paspor', 'visa jepang bisa urus disini', 'no saya 081234567890 tolong hubungi', 'paspor hilang di kapal'] as const;
const STAFF = 8;
/** Applicants who only ever talked to the bot (their conversations stay ticket-free). */
const FAQ_CONTACTS = 2_000;

export function seedLargeDatabase(db: Db, options: SeedOptions): void {
  const now = options.now.getTime();
  const insertContact = db.prepare("INSERT INTO contacts (display_name, kind, created_at) VALUES (?, 'applicant', ?)");
  const insertConversation = db.prepare('INSERT INTO conversations (contact_id, channel, external_id, created_at) VALUES (?, ?, ?, ?)');
  const insertTicket = db.prepare(
    `INSERT INTO tickets (contact_id, conversation_id, channel, kind, status, priority, integrity, intent, servqual, summary,
                          created_at, updated_at, first_response_at, resolved_at, first_response_due_at, resolution_due_at, next_sla_check_at)
     VALUES (?, ?, ?, 'complaint', ?, ?, 0, ?, ?, 'antrian lama', ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertMessage = db.prepare(
    `INSERT INTO messages (conversation_id, channel, ticket_id, direction, author, visibility, text, external_id, intent, confidence, created_at, processed_at, delivery_status)
     VALUES (?, ?, ?, ?, ?, 'public', ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertStaffReply = db.prepare(
    `INSERT INTO messages (conversation_id, channel, ticket_id, direction, author, staff_id, visibility, text, created_at, delivery_status)
     VALUES (?, ?, ?, 'out', 'staff', ?, 'public', 'kami bantu', ?, 'sent')`,
  );
  const insertStaff = db.prepare("INSERT INTO staff (username, display_name, role, created_at) VALUES (?, ?, 'staff', ?)");
  const insertRating = db.prepare('INSERT INTO csat_ratings (ticket_id, rating, comment, created_at) VALUES (?, ?, ?, ?)');
  // A pool of applicants, each with one conversation per channel.
  const contacts = 5_000;
  const conversationIds: number[] = [];
  const faqConversationIds: number[] = [];
  const staffIds: number[] = [];
  db.transaction(() => {
    for (let c = 0; c < contacts; c += 1) {
      const contactId = Number(insertContact.run(`Pemohon ${c}`, now - 100 * DAY_MS).lastInsertRowid);
      const channel = CHANNELS[c % CHANNELS.length]!;
      conversationIds.push(Number(insertConversation.run(contactId, channel, `bench-${c}`, now - 100 * DAY_MS).lastInsertRowid));
    }
    for (let c = 0; c < FAQ_CONTACTS; c += 1) {
      const contactId = Number(insertContact.run(`Penanya ${c}`, now - 100 * DAY_MS).lastInsertRowid);
      const channel = CHANNELS[c % CHANNELS.length]!;
      faqConversationIds.push(Number(insertConversation.run(contactId, channel, `bench-faq-${c}`, now - 100 * DAY_MS).lastInsertRowid));
    }
    for (let s = 0; s < STAFF; s += 1) staffIds.push(Number(insertStaff.run(`petugas${s}`, `Petugas ${s}`, now - 100 * DAY_MS).lastInsertRowid));
  })();
  const chunk = 50_000;
  for (let start = 0; start < options.tickets; start += chunk) {
    db.transaction(() => {
      for (let i = start; i < Math.min(options.tickets, start + chunk); i += 1) {
        const c = i % contacts;
        const channel = CHANNELS[c % CHANNELS.length]!;
        // Oldest first, spread evenly over 90 days; the last `due` tickets are open and due now.
        const createdAt = now - 90 * DAY_MS + Math.floor((i / options.tickets) * 90 * DAY_MS);
        const isDue = i >= options.tickets - options.due;
        const open = isDue || i % 50 === 0;
        const firstResponseAt = open ? null : createdAt + 30 * 60_000 + (i % 7) * 15 * 60_000;
        const resolvedAt = open ? null : createdAt + 26 * 3_600_000;
        const ticketId = Number(
          insertTicket.run(
            c + 1,
            conversationIds[c]!,
            channel,
            open ? 'open' : 'resolved',
            i % 9 === 0 ? 'high' : 'normal',
            INTENTS[i % INTENTS.length]!,
            SERVQUAL[i % SERVQUAL.length]!,
            createdAt,
            createdAt,
            firstResponseAt,
            resolvedAt,
            createdAt + 2 * 3_600_000,
            createdAt + 5 * DAY_MS,
            // Due tickets: now; other open ones: far in the future; finished ones: nothing.
            isDue ? now - 60_000 : open ? now + 365 * DAY_MS : null,
          ).lastInsertRowid,
        );
        if (createdAt >= now - options.recentDays * DAY_MS) {
          insertMessage.run(conversationIds[c]!, channel, ticketId, 'in', 'applicant', 'antrian lama sekali', `in-${i}`, INTENTS[i % INTENTS.length]!, 0.9, createdAt, createdAt, null);
          insertMessage.run(conversationIds[c]!, channel, ticketId, 'out', 'bot', 'tiket dicatat', null, null, null, createdAt + 1, null, 'sent');
          if (firstResponseAt !== null) {
            insertStaffReply.run(conversationIds[c]!, channel, ticketId, staffIds[i % STAFF]!, firstResponseAt);
          }
          if (resolvedAt !== null && i % 4 === 0 && resolvedAt < now) {
            insertRating.run(ticketId, 1 + (i % 5), i % 3 === 0 ? 'petugas ramah' : null, resolvedAt + 10 * 60_000);
          }
          // Besides each ticket, one question the bot handled alone, a tenth of them not placed.
          const f = i % FAQ_CONTACTS;
          const faqChannel = CHANNELS[f % CHANNELS.length]!;
          const askedAt = createdAt + 7_000;
          if (i % 10 === 0) {
            const text = UNPLACED_TEXTS[i % UNPLACED_TEXTS.length]!;
            const lowGuess = i % 20 === 0;
            insertMessage.run(faqConversationIds[f]!, faqChannel, null, 'in', 'applicant', text, `faq-${i}`, lowGuess ? 'office_info' : 'out_of_scope', lowGuess ? 0.3 : 0.6, askedAt, askedAt, null);
          } else {
            const k = i % FAQ_INTENTS.length;
            insertMessage.run(faqConversationIds[f]!, faqChannel, null, 'in', 'applicant', FAQ_TEXTS[k]!, `faq-${i}`, FAQ_INTENTS[k]!, 0.85, askedAt, askedAt, null);
          }
          insertMessage.run(faqConversationIds[f]!, faqChannel, null, 'out', 'bot', 'jawaban dari basis pengetahuan', null, null, null, askedAt + 1, null, 'sent');
        }
      }
    })();
  }
}
