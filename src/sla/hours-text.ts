/**
 * The office hours as applicants read them, from the SLA policy's `business_hours` (the one
 * place the hours are written): "Senin–Jumat 08.00–12.00, 13.00–16.00 WITA". Pure.
 */
import { WEEKDAYS, formatDayHours, rangesOf, type BusinessHours, type Weekday } from './calendar.js';
import { zoneLabel } from '../time-format.js';

const DAY_NAMES: Readonly<Record<Weekday, string>> = {
  mon: 'Senin',
  tue: 'Selasa',
  wed: 'Rabu',
  thu: 'Kamis',
  fri: 'Jumat',
  sat: 'Sabtu',
  sun: 'Minggu',
};

/**
 * Consecutive days with the same hours are joined ("Senin–Kamis 08.00–16.00 WITA;
 * Jumat 08.00–11.30, 13.30–16.00 WITA"); closed days are left out; holidays are named
 * once at the end.
 */
export function officeHoursText(hours: BusinessHours, timeZone: string, cutiBersamaClosed = true): string {
  const zone = zoneLabel(timeZone);
  if (hours === '24x7') return 'setiap hari, 24 jam';
  const groups: { from: Weekday; to: Weekday; text: string }[] = [];
  for (const day of WEEKDAYS) {
    const text = rangesOf(hours[day]).length === 0 ? '' : formatDayHours(hours[day]);
    const last = groups[groups.length - 1];
    if (last !== undefined && last.text === text && WEEKDAYS.indexOf(last.to) === WEEKDAYS.indexOf(day) - 1) last.to = day;
    else groups.push({ from: day, to: day, text });
  }
  const open = groups
    .filter((group) => group.text !== '')
    .map((group) => `${DAY_NAMES[group.from]}${group.from === group.to ? '' : `–${DAY_NAMES[group.to]}`} ${group.text} ${zone}`);
  const closedOn = cutiBersamaClosed ? 'hari libur nasional dan cuti bersama' : 'hari libur nasional';
  return `${open.join('; ')} (tutup pada ${closedOn})`;
}
