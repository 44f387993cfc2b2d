/**
 * Texts for staff and supervisors (Indonesian: the office works in Indonesian).
 * Every applicant-written part is masked before it gets here.
 */
import type { Ticket } from '../domain.js';

const CHANNEL_NAMES: Readonly<Record<string, string>> = {
  web: 'Web chat',
  console: 'Konsol',
  telegram: 'Telegram',
  whatsapp: 'WhatsApp',
  instagram: 'Instagram',
};

const PRIORITY = { normal: 'Normal', high: 'TINGGI' } as const;

export function channelLabel(channel: string): string {
  return CHANNEL_NAMES[channel] ?? channel;
}

export function ticketHeadline(ticket: Ticket): string {
  const kind = ticket.kind === 'handoff' ? 'Minta petugas' : ticket.integrity ? 'Laporan integritas' : 'Keluhan';
  return `Tiket ${ticket.ref} · ${kind} · Prioritas ${PRIORITY[ticket.priority]} · ${channelLabel(ticket.channel)}`;
}

export const staffTexts = {
  ticketOpened: (ticket: Ticket, maskedExcerpt: string, dueText: string | null): string =>
    [
      `🆕 ${ticketHeadline(ticket)}`,
      `Topik: ${ticket.intent} · SERVQUAL: ${ticket.servqual}`,
      `"${maskedExcerpt}"`,
      dueText ? `Respons pertama paling lambat ${dueText}.` : null,
      'Balas (reply) pesan ini untuk menjawab pemohon.',
    ]
      .filter((line): line is string => line !== null)
      .join('\n'),
  integrityReport: (ticket: Ticket, maskedExcerpt: string): string =>
    [`⚠️ Laporan integritas (calo/pungli) ${ticket.ref} · ${channelLabel(ticket.channel)}`, `"${maskedExcerpt}"`, 'Mohon ditindaklanjuti oleh pengawas.'].join('\n'),
  claimLabel: 'Ambil',
  resolveLabel: 'Selesai',
} as const;
