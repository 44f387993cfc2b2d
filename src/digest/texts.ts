/** The digest's Indonesian wording, in one place (user-facing text is not scattered through code). */
import type { ServqualDimension } from '../knowledge/types.js';
import type { DigestTimer } from './types.js';

const DAYS = ['Minggu', 'Senin', 'Selasa', 'Rabu', 'Kamis', 'Jumat', 'Sabtu'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'];

export const CHANNEL_LABELS: Readonly<Record<string, string>> = {
  telegram: 'Telegram',
  whatsapp: 'WhatsApp',
  instagram: 'Instagram',
  web: 'Web',
  console: 'Konsol',
};

/** #21: where complaints came from. */
export const ORIGIN_LABELS: Readonly<Record<string, string>> = {
  chat: 'Chat',
  desk: 'Loket',
  phone: 'Telepon',
  letter: 'Surat',
  lapor: 'LAPOR!',
  email: 'E-mail',
  other: 'Lainnya',
};

export const TIMER_LABELS: Readonly<Record<DigestTimer, string>> = {
  first_response: 'respons pertama',
  next_response: 'respons lanjutan',
  resolution: 'penyelesaian',
};

export const STATUS_LABELS: Readonly<Record<'open' | 'pending' | 'resolved' | 'closed', string>> = {
  open: 'terbuka',
  pending: 'menunggu pemohon',
  resolved: 'selesai',
  closed: 'ditutup',
};

/** SERVQUAL's five dimensions in the Indonesian terms of public-service surveys. */
export const SERVQUAL_LABELS: Readonly<Record<ServqualDimension, string>> = {
  tangibles: 'Bukti fisik',
  reliability: 'Keandalan',
  responsiveness: 'Daya tanggap',
  assurance: 'Jaminan',
  empathy: 'Empati',
};

export const digestTexts = {
  title: (date: string) => `📊 Ringkasan SAPA · ${longDate(date)}`,
  messages: (total: number, channels: string) => `Pesan masuk: ${total}${channels === '' ? '' : ` (${channels})`}`,
  conversations: (n: number, botOnly: string) => `Percakapan: ${n} · selesai oleh bot saja: ${botOnly}`,
  tickets: (opened: number, resolved: number, backlog: number) => `Tiket: ${opened} dibuka · ${resolved} selesai · ${backlog} dalam antrean`,
  origins: (list: string) => `Asal tiket: ${list}`,
  lapor: (opened: number, open: number, dueSoon: number, late: number) =>
    `LAPOR!: ${opened} dicatat · ${open} belum selesai · ${dueSoon} jatuh tempo dalam 1 hari kerja · ${late} terlambat`,
  oldest: (ref: string, high: boolean, pending: boolean, age: string) =>
    `Tiket tertua: ${ref}${high ? ' (prioritas)' : ''}${pending ? ', menunggu pemohon' : ''}, terbuka ${age} (jam kerja)`,
  firstResponse: (median: string, p90: string, within: string, met: number, decided: number, count: number) =>
    `Respons pertama (jam kerja): separuh dijawab dalam ${median} · 9 dari 10 dijawab dalam ${p90} · sesuai SLA ${within}${decided > 0 ? ` (${met}/${decided})` : ''} · ${count} dijawab`,
  waiting: (n: number) => `Belum dijawab petugas: ${n} tiket`,
  breachesTitle: (n: number) => `⚠️ Pelanggaran SLA: ${n}`,
  breach: (ref: string, timer: string, high: boolean, holder: string, late: string, running: boolean, escalated: boolean) =>
    `• ${ref} ${timer}${high ? ' · prioritas' : ''} · ${holder} · telat ${late}${running ? ' (masih berjalan)' : ''}${escalated ? ' · ke supervisor' : ''}`,
  unclaimed: 'belum diambil',
  staffTitle: '👥 Petugas',
  staff: (name: string, handled: number, median: string, firstResponses: number) =>
    `• ${name}: ${handled} tiket ditangani${firstResponses > 0 ? ` · median respons pertama ${median} (${firstResponses})` : ''}`,
  intents: (list: string) => `🔝 Topik teratas: ${list}`,
  unansweredTitle: '❓ Pertanyaan belum terjawab',
  unanswered: (text: string, count: number) => `• "${text}"${count > 1 ? ` ×${count}` : ''}`,
  csat: (average: string, count: number, low: number) => `⭐ Kepuasan: ${average} dari 5 (${count} penilaian${low > 0 ? `, ${low} rendah` : ''})`,
  csatNone: '⭐ Kepuasan: belum ada penilaian',
  servqual: (list: string) => `Keluhan per dimensi mutu layanan: ${list}`,
  integrityTitle: (n: number) => `🚨 Laporan integritas (calo, pungli, penipuan): ${n}`,
  integrity: (ref: string, status: string, holder: string) => `• ${ref} · ${status} · ${holder}`,
  versusYesterday: (list: string) => `📈 Dibanding kemarin: ${list}`,
  versusAverage: (list: string) => `📈 Dibanding rata-rata 7 hari: ${list}`,
  deltaMessages: (d: string) => `pesan ${d}`,
  deltaTickets: (d: string) => `tiket ${d}`,
  deltaMedian: (d: string) => `median ${d}`,
  deltaSla: (d: string) => `SLA ${d}`,
  none: '–',
  nothing: 'tidak ada',
  chartHourTitle: 'Respons pertama menurut jam tiket dibuka (median, menit kerja)',
  chartTrendTitle: 'Tren 7 hari: respons pertama (menit kerja) dan tiket dibuka',
  chartHourMedian: 'Median respons',
  chartMedian: 'Median',
  chartP90: '9 dari 10 dijawab dalam',
  chartOpened: 'Tiket dibuka',
  chartMinutesAxis: 'mnt',
  chartCountAxis: 'tiket',
  chartHourAxis: 'jam tiket dibuka (WITA)',
  chartOpenedAt: (n: number) => `${n} tiket`,
} as const;

export function longDate(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  return `${DAYS[d.getUTCDay()]}, ${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** 45 -> "45 mnt", 130 -> "2 j 10 mnt", 2.5 -> "2,5 mnt". */
export function formatMinutes(minutes: number | null): string {
  if (minutes === null) return digestTexts.none;
  const sign = minutes < 0 ? '−' : '';
  const abs = Math.abs(minutes);
  if (abs < 60) return `${sign}${formatNumber(abs)} mnt`;
  const whole = Math.round(abs);
  const h = Math.floor(whole / 60);
  const m = whole % 60;
  return `${sign}${h} j${m > 0 ? ` ${m} mnt` : ''}`;
}

export function formatShare(share: number | null): string {
  return share === null ? digestTexts.none : `${Math.round(share * 100)}%`;
}

/** Indonesian decimal comma, at most one decimal. */
export function formatNumber(value: number): string {
  const rounded = Math.round(value * 10) / 10;
  return Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(1).replace('.', ',');
}
