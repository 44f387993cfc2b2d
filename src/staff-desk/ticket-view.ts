/**
 * `/tiket <n>`: one ticket as a staff chat shows it. Everything the applicant
 * wrote is masked (maskPersonalData): staff chats are not the case file.
 */
import type { Clock } from '../clock.js';
import type { StoredMessage, Ticket } from '../domain.js';
import { ticketHeadline } from '../messages/staff.js';
import { maskPersonalData } from '../privacy.js';
import type { StaffService } from '../staff.js';
import type { Db } from '../store/db.js';
import { listTicketMessages, type StoredMedia } from '../store/messages.js';
import { attachmentsOfMessages } from '../store/ticket-media.js';
import { formatOfficeTime } from '../time-format.js';
import { deskTexts } from './texts.js';

const LAST_MESSAGES = 5;
const EXCERPT_CHARS = 160;

export interface TicketViewDeps {
  readonly db: Db;
  readonly staff: StaffService;
  readonly clock: Clock;
  readonly timeZone: string;
}

export function staffName(staff: StaffService, staffId: number | null): string | null {
  if (staffId === null) return null;
  const account = staff.get(staffId);
  if (account === null) return `petugas ${staffId}`;
  return account.displayName ?? account.username;
}

export function renderTicket(deps: TicketViewDeps, ticket: Ticket): string {
  const now = deps.clock.now();
  const when = (at: Date): string => {
    const text = formatOfficeTime(at, now, deps.timeZone, 'id');
    return at.getTime() < now.getTime() ? `${text} (terlewat)` : text;
  };
  const due = (label: string, at: Date | null): string | null => (at === null ? null : `${label}: ${when(at)}`);
  const holder = staffName(deps.staff, ticket.assigneeId);

  const lines: (string | null)[] = [
    ticketHeadline(ticket),
    `Status: ${deskTexts.statusLabel(ticket.status)} · Dipegang: ${holder ?? '—'}`,
    `Topik: ${ticket.intent}`,
    ticket.firstResponseAt === null
      ? due('Batas respons pertama', ticket.firstResponseDueAt)
      : `Respons pertama: ${formatOfficeTime(ticket.firstResponseAt, now, deps.timeZone, 'id')}`,
    due('Batas respons berikutnya', ticket.nextResponseDueAt),
    ticket.status === 'resolved' || ticket.status === 'closed' ? null : due('Batas penyelesaian', ticket.resolutionDueAt),
  ];
  const messages = lastMessages(deps.db, ticket);
  if (messages.length > 0) {
    lines.push('', 'Pesan terakhir:');
    const files = attachmentsOfMessages(deps.db, messages.map((m) => m.id));
    for (const message of messages) lines.push(`• ${speaker(deps.staff, message)}: ${excerpt(message.text, files.get(message.id) ?? [])}`);
  }
  return lines.filter((line): line is string => line !== null).join('\n');
}

/** The ticket's own conversation only: its posts in staff chats carry the ticket id too. */
function lastMessages(db: Db, ticket: Ticket): StoredMessage[] {
  return listTicketMessages(db, ticket.id)
    .filter((m) => m.conversationId === ticket.conversationId)
    .slice(-LAST_MESSAGES);
}

function speaker(staff: StaffService, message: StoredMessage): string {
  if (message.visibility === 'internal') return `Catatan ${staffName(staff, message.staffId) ?? 'sistem'}`;
  switch (message.author) {
    case 'applicant':
      return 'Pemohon';
    case 'bot':
      return 'Bot';
    case 'staff':
      return `Petugas ${staffName(staff, message.staffId) ?? ''}`.trimEnd();
    case 'system':
      return 'Sistem';
  }
}

/** A message without words: what it carried (#22: a voice note, a photo). */
function mediaLabel(files: readonly StoredMedia[]): string | null {
  const file = files[0];
  if (file === undefined) return null;
  if (file.kind === 'voice' || file.kind === 'audio') {
    const s = file.durationSeconds;
    return s === null ? '(pesan suara)' : `(pesan suara ${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')})`;
  }
  if (file.kind === 'image') return '(foto)';
  if (file.kind === 'document') return '(berkas)';
  return null;
}

function excerpt(text: string, files: readonly StoredMedia[]): string {
  const flat = maskPersonalData(text).replace(/\s+/g, ' ').trim();
  if (flat === '') return mediaLabel(files) ?? '(tanpa teks)';
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS - 1)}…` : flat;
}
