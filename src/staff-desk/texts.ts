/**
 * Short Indonesian feedback for staff chats (button toasts, replies in the
 * group). Applicant-written parts are masked before they get here.
 */
import type { Ticket, TicketStatus } from '../domain.js';
import { channelLabel } from '../messages/staff.js';

const STATUS: Readonly<Record<TicketStatus, string>> = {
  open: 'terbuka',
  pending: 'menunggu pemohon',
  resolved: 'selesai',
  closed: 'ditutup',
};

const USAGE: Readonly<Record<string, string>> = {
  tiket: '/tiket <nomor>',
  ambil: '/ambil <nomor>',
  selesai: '/selesai <nomor>',
  balas: '/balas <nomor> <teks untuk pemohon>',
  catatan: '/catatan <nomor> <catatan internal>',
};

export const deskTexts = {
  statusLabel: (status: TicketStatus): string => STATUS[status],
  usage: (command: string): string => `Format: ${USAGE[command] ?? `/${command}`}`,
  help: [
    'Perintah petugas:',
    '/tiket <nomor> — lihat tiket',
    '/ambil <nomor> — ambil (pegang) tiket',
    '/selesai <nomor> — tandai selesai',
    '/balas <nomor> <teks> — balas pemohon',
    '/catatan <nomor> <teks> — catatan internal',
    'Atau balas (reply) pesan tiket untuk menjawab pemohon.',
  ].join('\n'),
  /** `linkHint`: how an admin links this person, e.g. the CLI command with their id filled in. */
  notLinked: (linkHint: string | null): string =>
    ['Maaf, hanya petugas terdaftar yang dapat memakai fitur ini.', linkHint === null ? null : `Admin dapat menautkan akun Anda: ${linkHint}`]
      .filter((line): line is string => line !== null)
      .join('\n'),
  notFound: (ticketId: number): string => `Tiket #${ticketId} tidak ditemukan.`,
  closed: (ticket: Ticket): string => `Tiket ${ticket.ref} sudah ditutup.`,
  notAllowed: (ticket: Ticket): string => `Tiket ${ticket.ref} berstatus ${STATUS[ticket.status]}; tindakan itu tidak bisa dilakukan.`,
  emptyText: 'Teksnya kosong.',
  /** #21: a ticket recorded for someone SAPA cannot reach. */
  unreachable: (ticket: Ticket): string =>
    `Tiket ${ticket.ref} tidak punya kanal untuk membalas. Catat jawaban yang diberikan lewat telepon, surat atau LAPOR! di dasbor (Tiket → Jawaban di luar SAPA).`,
  textOnly: 'Hanya balasan teks yang dapat diteruskan ke pemohon.',
  claimed: (ticket: Ticket): string => `Tiket ${ticket.ref} sekarang Anda pegang.`,
  alreadyYours: (ticket: Ticket): string => `Tiket ${ticket.ref} sudah Anda pegang.`,
  heldByOther: (ticket: Ticket, holder: string): string =>
    `Tiket ${ticket.ref} sedang dipegang ${holder}. Ketik /ambil ${ticket.id} untuk mengambil alih.`,
  resolved: (ticket: Ticket): string => `Tiket ${ticket.ref} ditandai selesai.`,
  alreadyResolved: (ticket: Ticket): string => `Tiket ${ticket.ref} sudah selesai.`,
  replied: (ticket: Ticket): string => `Balasan untuk ${ticket.ref} dikirim ke pemohon lewat ${channelLabel(ticket.channel)}.`,
  noted: (ticket: Ticket): string => `Catatan internal ditambahkan ke ${ticket.ref}.`,
  /** Appended to a ticket post in a staff chat: who holds it and its status. */
  postFooter: (ticket: Ticket, holder: string | null): string => {
    if (ticket.status === 'resolved' || ticket.status === 'closed') {
      return `✅ ${ticket.status === 'resolved' ? 'Selesai' : 'Ditutup'}${holder === null ? '' : ` · ${holder}`}`;
    }
    return `📌 ${holder === null ? 'Belum ada yang memegang' : `Dipegang ${holder}`} · ${STATUS[ticket.status]}`;
  },
} as const;
