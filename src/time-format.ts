/** Human wording of office times ("pukul 10.30 WITA hari ini"). Pure: `now` is passed in. */
import type { Language } from './knowledge/types.js';

const ZONE_ABBREVIATIONS: Readonly<Record<string, string>> = {
  'Asia/Makassar': 'WITA',
  'Asia/Jakarta': 'WIB',
  'Asia/Pontianak': 'WIB',
  'Asia/Jayapura': 'WIT',
};

/** "WITA" for Asia/Makassar; the zone name itself where Indonesia has no abbreviation for it. */
export function zoneLabel(timeZone: string): string {
  return ZONE_ABBREVIATIONS[timeZone] ?? timeZone;
}

/** The few ways office times are formatted: a locale and the fields it shows. */
const STYLES = {
  dayKey: ['en-CA', { year: 'numeric', month: '2-digit', day: '2-digit' }],
  clock: ['en-GB', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }],
  dateId: ['id-ID', { weekday: 'long', day: 'numeric', month: 'long' }],
  dateEn: ['en-GB', { weekday: 'long', day: 'numeric', month: 'long' }],
} as const satisfies Record<string, readonly [string, Intl.DateTimeFormatOptions]>;

type Style = keyof typeof STYLES;

const formatters = new Map<string, Intl.DateTimeFormat>();

/** Intl formatters are costly to build; one per (style, zone) is reused. */
function formatter(style: Style, timeZone: string): Intl.DateTimeFormat {
  const key = `${style}|${timeZone}`;
  let found = formatters.get(key);
  if (!found) {
    const [locale, options] = STYLES[style];
    found = new Intl.DateTimeFormat(locale, { ...options, timeZone });
    formatters.set(key, found);
  }
  return found;
}

const QUARTER_HOUR_MS = 15 * 60_000;
const MINUTE_MS = 60_000;
const CACHE_LIMIT = 10_000;

/**
 * Intl formatting costs microseconds and every reply with a due time formats four
 * instants. A result is cached per time bucket (a quarter hour for the date, a minute for
 * the clock), but only when the bucket's first and last instant give the same text, so an
 * offset change (or an offset that is not whole minutes) inside a bucket is never smoothed over.
 */
function bucketed(cache: Map<string, string>, bucketMs: number, at: Date, timeZone: string, compute: (at: Date) => string): string {
  const t = at.getTime();
  if (!Number.isFinite(t)) return compute(at);
  const bucket = Math.floor(t / bucketMs);
  const key = `${timeZone}|${bucket}`;
  const cached = cache.get(key);
  if (cached !== undefined) return cached;
  const first = compute(new Date(bucket * bucketMs));
  if (compute(new Date(bucket * bucketMs + bucketMs - 1)) !== first) return compute(at);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, first);
  return first;
}

const dayKeys = new Map<string, string>();
const clockTexts = new Map<string, string>();
const dateTexts: Readonly<Record<Language, Map<string, string>>> = { id: new Map(), en: new Map() };

function dayKey(at: Date, timeZone: string): string {
  return bucketed(dayKeys, QUARTER_HOUR_MS, at, timeZone, (d) => formatter('dayKey', timeZone).format(d));
}

/** "Senin, 30 November" / "Monday 30 November": replies after hours name the next opening day. */
function dateText(at: Date, timeZone: string, language: Language): string {
  const style = language === 'id' ? 'dateId' : 'dateEn';
  return bucketed(dateTexts[language], QUARTER_HOUR_MS, at, timeZone, (d) => formatter(style, timeZone).format(d));
}

function clockParts(at: Date, timeZone: string): string {
  const parts = formatter('clock', timeZone).formatToParts(at);
  const hour = parts.find((p) => p.type === 'hour')?.value ?? '00';
  const minute = parts.find((p) => p.type === 'minute')?.value ?? '00';
  return `${hour}.${minute}`;
}

function clockText(at: Date, timeZone: string, language: Language): string {
  const text = bucketed(clockTexts, MINUTE_MS, at, timeZone, (d) => clockParts(d, timeZone));
  return language === 'id' ? text : text.replace('.', ':');
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
    return `${dateText(at, timeZone, language)} pukul ${clock}`;
  }
  if (target === today) return `today at ${clock}`;
  if (target === tomorrow) return `tomorrow at ${clock}`;
  return `${dateText(at, timeZone, language)} at ${clock}`;
}
