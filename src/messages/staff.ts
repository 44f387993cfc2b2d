/**
 * Texts for staff and supervisors (Indonesian: the office works in Indonesian).
 * Every applicant-written part is masked before it gets here.
 */
import type { Ticket } from '../domain.js';
import type { SlaTimer } from '../sla/policy.js';

const CHANNEL_NAMES: Readonly<Record<string, string>> = {
  web: 'Web chat',
  console: 'Konsol',
  telegram: 'Telegram',
  whatsapp: 'WhatsApp',
  instagram: 'Instagram',
  messenger: 'Messenger',
  email: 'E-mail',
  // #21: a complaint recorded by staff for someone SAPA cannot reach.
  offline: 'Tanpa kanal',
};

const PRIORITY = { normal: 'Normal', high: 'TINGGI' } as const;

/** #21: where a complaint recorded by staff came from (chat tickets say nothing more). */
const ORIGIN_NOTE: Readonly<Record<string, string>> = {
  desk: ' · dari loket',
  phone: ' · lewat telepon',
  letter: ' · lewat surat',
  lapor: ' · dari LAPOR!',
  email: ' · lewat e-mail',
  other: ' · dicatat petugas',
};

export function channelLabel(channel: string): string {
  return CHANNEL_NAMES[channel] ?? channel;
}

export function ticketHeadline(ticket: Ticket): string {
  const kind = ticket.kind === 'handoff' ? 'Minta petugas' : ticket.integrity ? 'Laporan integritas' : 'Keluhan';
  return `Tiket ${ticket.ref} · ${kind} · Prioritas ${PRIORITY[ticket.priority]} · ${channelLabel(ticket.channel)}${ORIGIN_NOTE[ticket.origin] ?? ''}`;
}

const TIMER_NAMES: Readonly<Record<SlaTimer, string>> = {
  first_response: 'respons pertama',
  next_response: 'respons berikutnya',
  resolution: 'penyelesaian',
};

/** Facts of one SLA escalation, already worded (times, durations) by the scanner. */
export interface SlaAlertFacts {
  readonly ticket: Ticket;
  readonly timer: SlaTimer;
  /** Display name (or username) of the assignee; null when unassigned. */
  readonly assignee: string | null;
  /** When the window runs out: "pukul 10.30 WITA hari ini". */
  readonly dueText: string;
  /** Business time left (warning) or past the due time (breach, supervisor): "45 menit". */
  readonly durationText: string;
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
  /** #22: the applicant sent another voice note on an existing ticket; the recording goes with this post. */
  voiceAdded: (ticket: Ticket, seconds: number | null): string =>
    [
      `🎤 Pesan suara baru${seconds === null ? '' : ` (${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')})`} dari pemohon untuk ${ticketHeadline(ticket)}`,
      'Balas (reply) pesan ini untuk menjawab pemohon.',
    ].join('\n'),
  integrityReport: (ticket: Ticket, maskedExcerpt: string): string =>
    [`⚠️ Laporan integritas (calo/pungli) ${ticket.ref} · ${channelLabel(ticket.channel)}`, `"${maskedExcerpt}"`, 'Mohon ditindaklanjuti oleh pengawas.'].join('\n'),
  /** The per-address cap of new web chat tickets was reached: one post to staff and one to supervisors per flood ticket. */
  ticketFlood: (ticket: Ticket, perHour: number, maskedExcerpt: string): string =>
    [
      `🚧 Banjir tiket dari ${channelLabel(ticket.channel)}: lebih dari ${perHour} tiket baru dari satu alamat dalam satu jam (identitas pengunjung berganti-ganti).`,
      `Keluhan berikutnya dari alamat itu dikumpulkan di tiket ${ticket.ref} (prioritas Normal) tanpa pos satu per satu; semua pesan tetap tersimpan dan dijawab bot.`,
      `Pesan pertama: "${maskedExcerpt}"`,
    ].join('\n'),
  /** Internal note on the flood ticket for a complaint from another visitor at the same address. */
  floodJoined: (maskedExcerpt: string): string => `Keluhan dari pengunjung web lain dari alamat yang sama (dikumpulkan karena banjir tiket): "${maskedExcerpt}"`,
  /** One post instead of one per new ticket during a spike; samples are already masked. */
  alertBatch: (b: {
    kind: 'ticket_opened' | 'integrity_report';
    count: number;
    minutes: number;
    channels: readonly { channel: string; count: number }[];
    samples: readonly { ref: string; excerpt: string }[];
  }): string =>
    [
      b.kind === 'integrity_report'
        ? `⚠️ ${b.count} laporan integritas baru lagi dalam ${b.minutes} menit (${b.channels.map((c) => `${channelLabel(c.channel)} ${c.count}`).join(', ')}).`
        : `📥 ${b.count} tiket baru lagi dalam ${b.minutes} menit (${b.channels.map((c) => `${channelLabel(c.channel)} ${c.count}`).join(', ')}).`,
      'Karena lonjakan, tiket ini tidak dikirim satu per satu. Contoh:',
      ...b.samples.map((sample) => `• ${sample.ref}: "${sample.excerpt}"`),
      'Semuanya ada di antrean dasbor.',
    ].join('\n'),
  slaWarning: (f: SlaAlertFacts): string =>
    [
      f.assignee !== null
        ? `⏳ ${f.assignee}: batas ${TIMER_NAMES[f.timer]} tiket ${f.ticket.ref} hampir habis.`
        : `⏳ Batas ${TIMER_NAMES[f.timer]} tiket ${f.ticket.ref} hampir habis dan belum ada petugas yang mengambil.`,
      ticketHeadline(f.ticket),
      `Sisa waktu ${f.durationText} (jam kerja), paling lambat ${f.dueText}.`,
    ].join('\n'),
  slaBreach: (f: SlaAlertFacts): string =>
    [
      `🔴 Tiket ${f.ticket.ref} melewati batas ${TIMER_NAMES[f.timer]} (${f.dueText}).`,
      ticketHeadline(f.ticket),
      `Terlambat ${f.durationText} (jam kerja). Petugas: ${f.assignee ?? 'belum ada'}.`,
    ].join('\n'),
  slaSupervisor: (f: SlaAlertFacts): string =>
    [
      `⛔ Eskalasi pengawas: tiket ${f.ticket.ref} masih melewati batas ${TIMER_NAMES[f.timer]} (${f.dueText}).`,
      ticketHeadline(f.ticket),
      `Terlambat ${f.durationText} (jam kerja). Petugas: ${f.assignee ?? 'belum ada'}. Mohon ditindaklanjuti.`,
    ].join('\n'),
  lowRating: (ticket: Ticket, rating: number, maskedExcerpt: string): string =>
    [`⭐ Penilaian rendah (${rating}/5) untuk ${ticket.ref} · ${channelLabel(ticket.channel)}`, `Keluhan: "${maskedExcerpt}"`, 'Mohon ditinjau oleh pengawas.'].join('\n'),
  lowRatingComment: (ticket: Ticket, maskedComment: string): string => `💬 Komentar pemohon untuk ${ticket.ref}: "${maskedComment}"`,
  whatsappProblem: (kind: 'logged_out' | 'replaced' | 'forbidden'): string =>
    kind === 'logged_out'
      ? '⚠️ WhatsApp SAPA terputus (perangkat dikeluarkan dari ponsel kantor). Balasan ditahan; admin perlu menautkan ulang lewat dasbor (halaman Kanal, pindai kode QR).'
      : kind === 'replaced'
        ? '⚠️ WhatsApp SAPA diambil alih sesi lain; periksa apakah SAPA berjalan dua kali.'
        : '⚠️ WhatsApp menolak akun kantor (403); periksa ponsel kantor.',
  loginFailures: (f: { failures: number; minutes: number; names: number; addresses: number; accounts: readonly string[] }): string =>
    [
      `🔐 ${f.failures} login dasbor gagal dalam ${f.minutes} menit terakhir (${f.names} nama pengguna, ${f.addresses} alamat IP).`,
      f.accounts.length > 0 ? `Akun yang dicoba: ${f.accounts.join(', ')}.` : 'Tidak ada akun SAPA yang cocok dengan nama yang dicoba.',
      'Kemungkinan ada yang menebak kata sandi. Admin: periksa log audit di dasbor; login yang gagal diperlambat otomatis.',
    ].join('\n'),
  claimLabel: 'Ambil',
  resolveLabel: 'Selesai',
} as const;
