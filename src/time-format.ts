/** Human wording of office times ("pukul 10.30 WITA hari ini"). Pure: `now` is passed in. */
import type { Language } from './knowledge/types.js';

const ZONE_ABBREVIATIONS: Readonly<Record<string, string>> = {
  'Asia/Makassar': 'WITA',
  'Asia/Jakarta': 'WIB',
  'Asia/Pontianak': 'WIB',
  'Asia/Jayapura': 'WIT',
};

function zoneLabel(timeZone: string): string {
  return ZONE_ABBREVIATIONS[timeZone] ?? timeZone;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Intl formatters are costly to build; one per (locale, zone, options) is reused. */
function formatter(locale: string, timeZone: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${JSON.stringify(options)}`;
  let found = formatters.get(key);
  if (!found) {
    found = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    formatters.set(key, found);
  }
  return found;
}

function dayKey(at: Date, timeZone: string): string {
  return formatter('en-CA', timeZone, { year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

function clockText(at: Date, timeZone: string, language: Language): string {
  const parts = formatter('en-GB', timeZone, { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const hour = parts.find((p) => p.type === 'hour')?.value ?? '00';
  const minute = parts.find((p) => p.type === 'minute')?.value ?? '00';
  return language === 'id' ? `${hour}.${minute}` : `${hour}:${minute}`;
}

/** "pukul 10.30 WITA hari ini", "besok pukul 08.00 WITA", "Senin, 30 November pukul 09.30 WITA". */
export function formatOfficeTime(at: Date, now: Date, timeZone: string, language: Language): string {
  const clock = `${clockText(at, timeZone, language)} ${zoneLabel(timeZone)}`;
  const today = dayKey(now, timeZone);
  const tomorrow = dayKey(new Date(now.getTime() + 86_400_000), timeZone);
  const target = dayKey(at, timeZone);
  if (language === 'id') {
    if (target === today) return `pukul ${clock} hari ini`;
    if (target === tomorrow) return `besok pukul ${clock}`;
    const date = formatter('id-ID', timeZone, { weekday: 'long', day: 'numeric', month: 'long' }).format(at);
    return `${date} pukul ${clock}`;
  }
  if (target === today) return `today at ${clock}`;
  if (target === tomorrow) return `tomorrow at ${clock}`;
  const date = formatter('en-GB', timeZone, { weekday: 'long', day: 'numeric', month: 'long' }).format(at);
  return `${date} at ${clock}`;
}
