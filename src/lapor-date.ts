/** "3 Desember 2026": a date in the office zone, in Indonesian, for texts pasted outside SAPA. */
const MONTHS = ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'];

export function formatOfficeDate(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: 'numeric', day: 'numeric' }).formatToParts(at);
  const get = (type: string): number => Number(parts.find((part) => part.type === type)?.value);
  return `${get('day')} ${MONTHS[get('month') - 1] ?? ''} ${get('year')}`;
}
