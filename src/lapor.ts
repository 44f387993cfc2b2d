/**
 * LAPOR! (SP4N-LAPOR!, lapor.go.id), the national complaint system. It has no public API:
 * agencies work its reports by hand in its admin panel. SAPA records those reports as
 * tickets (origin 'lapor', with the tracking number) and keeps their clock; it does not
 * connect to LAPOR!. This module words the final answer for pasting into the panel.
 */
import type { Ticket } from './domain.js';
import { formatOfficeDate } from './lapor-date.js';

export interface LaporAnswerInput {
  readonly ticket: Pick<Ticket, 'ref' | 'laporTrackingId'>;
  /** The reporter's name as recorded; null when unknown. */
  readonly contactName: string | null;
  /** The final public answer given on the ticket (the newest one). */
  readonly answer: string;
  readonly answeredAt: Date;
  /** The office's name from data/office.yaml. */
  readonly officeName: string;
  readonly timeZone: string;
}

/**
 * The answer as the LAPOR! panel's follow-up ("tindak lanjut") box takes it: plain text, a
 * salutation, the tracking number the reporter knows, the answer itself, the date and the
 * SAPA reference for the office's own records.
 */
export function laporAnswerText(input: LaporAnswerInput): string {
  const name = input.contactName?.trim();
  const tracking = input.ticket.laporTrackingId;
  return [
    name ? `Yth. Bapak/Ibu ${name},` : 'Yth. Bapak/Ibu Pelapor,',
    '',
    tracking
      ? `Terima kasih atas laporan Bapak/Ibu melalui SP4N-LAPOR! dengan nomor pelacakan ${tracking}. Berikut tindak lanjut dari ${input.officeName}:`
      : `Terima kasih atas laporan Bapak/Ibu melalui SP4N-LAPOR!. Berikut tindak lanjut dari ${input.officeName}:`,
    '',
    input.answer.trim(),
    '',
    `Tindak lanjut ini diberikan pada ${formatOfficeDate(input.answeredAt, input.timeZone)} dan tercatat sebagai tiket ${input.ticket.ref} di layanan pengaduan kami.`,
    '',
    'Hormat kami,',
    input.officeName,
  ].join('\n');
}
