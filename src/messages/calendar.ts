/**
 * Texts about the holiday calendar for staff and admins (Indonesian: the office works
 * in Indonesian). The CLI and /healthz word the same facts in English (holidays.ts).
 */
import type { HolidayCoverage, YearNeed } from '../sla/holidays.js';
import { SKB_PUBLISHERS } from '../sla/holidays.js';

const MONTHS_ID = ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'];

function yearState(need: YearNeed): string {
  return need.status === 'provisional' ? `${need.year} masih sementara (provisional)` : `${need.year} belum ada di berkas`;
}

/** The fixed-date holidays in Indonesian month names: "1 Jan, 1 Mei, 1 Jun, 17 Agu, 25 Des". */
export function fixedDatesId(coverage: HolidayCoverage): string {
  return coverage.fixedDateHolidays
    .map((text) => {
      const [day, month] = text.split(' ');
      const index = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'].indexOf(month ?? '');
      return `${day} ${MONTHS_ID[index] ?? month}`;
    })
    .join(', ');
}

export const calendarTexts = {
  /** The weekly staff reminder while a warning holds. */
  staffReminder: (coverage: HolidayCoverage): string => {
    const years = coverage.warning?.years ?? coverage.missing.map((m) => m.year);
    const needs = coverage.missing.filter((m) => years.includes(m.year));
    const list = years.join(' dan ');
    return [
      `📅 Kalender libur SAPA belum lengkap: belum ada data libur resmi untuk ${list} di ${coverage.file} (${needs.map(yearState).join('; ')}).`,
      `Tenggat SLA pada tahun itu hanya melewati libur nasional bertanggal tetap (${fixedDatesId(coverage)}); libur nasional lain dan cuti bersama terhitung hari kerja.`,
      `Admin: setelah SKB libur nasional dan cuti bersama ${list} terbit (${SKB_PUBLISHERS.map((p) => p.name).join(', ')}), tambahkan tahun itu ke ${coverage.file} dengan status "official" dan nomor SKB, lalu mulai ulang SAPA. Periksa dengan: npx sapa calendar check. Petunjuk lengkap di dasbor, halaman Kanal.`,
      'Pengingat ini dikirim sekali seminggu sampai datanya lengkap.',
    ].join('\n');
  },
} as const;
