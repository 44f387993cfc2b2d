/**
 * SLA durations as written in the policy file: "45s", "30m", "2h", "1h30m", "5d".
 *
 * s/m/h are business time (counted only while the office is open). d is office
 * days and cannot be mixed with the others: "5d" means "same time, five open
 * days later", which is not a fixed number of business hours when days have
 * different opening hours (see `BusinessCalendar.addOfficeDays`).
 */

export type SlaDuration = { kind: 'business_ms'; ms: number } | { kind: 'office_days'; days: number };

export type DurationParseResult = { ok: true; value: SlaDuration } | { ok: false; reason: string };

export const DURATION_FORMAT_HINT = '"45s", "30m", "2h", "1h30m" (business time) or "5d" (office days)';

const UNIT_MS = { h: 3_600_000, m: 60_000, s: 1000 } as const;

/** Parses a duration; failures are values so callers can name the file and key. */
export function tryParseDuration(text: unknown): DurationParseResult {
  if (typeof text !== 'string') return { ok: false, reason: `must be a duration like ${DURATION_FORMAT_HINT}` };
  const source = text.trim().toLowerCase();

  const days = /^(\d+)\s*d$/.exec(source);
  if (days !== null) {
    const count = Number(days[1]);
    if (count === 0) return { ok: false, reason: 'must be more than zero' };
    return { ok: true, value: { kind: 'office_days', days: count } };
  }
  if (/\d\s*d/.test(source) && /\d\s*[hms]/.test(source)) {
    return { ok: false, reason: 'cannot mix d (office days) with h, m or s; use either "2d" or "16h"' };
  }

  // Units in descending order, each at most once: "1h30m", "2h15m30s", "90m".
  const parts = /^(?:(\d+)\s*h)?\s*(?:(\d+)\s*m)?\s*(?:(\d+)\s*s)?$/.exec(source);
  if (source === '' || parts === null) {
    const hint = /^\d+(\.\d+)?$/.test(source)
      ? ' (a unit is required)'
      : /\d\.\d/.test(source)
        ? ' (no fractions: write "1h30m", not "1.5h")'
        : '';
    return { ok: false, reason: `must be a duration like ${DURATION_FORMAT_HINT}${hint}` };
  }
  const [hours, minutes, seconds] = parts.slice(1).map((part) => (part === undefined ? 0 : Number(part))) as [
    number,
    number,
    number,
  ];
  const ms = hours * UNIT_MS.h + minutes * UNIT_MS.m + seconds * UNIT_MS.s;
  if (ms === 0) return { ok: false, reason: 'must be more than zero' };
  if (!Number.isSafeInteger(ms)) return { ok: false, reason: 'is too large' };
  return { ok: true, value: { kind: 'business_ms', ms } };
}

export class InvalidDurationError extends Error {
  readonly code = 'SLA_DURATION_INVALID';
  constructor(readonly input: unknown, reason: string) {
    super(`duration ${JSON.stringify(input)} ${reason}`);
    this.name = 'InvalidDurationError';
  }
}

/** Throwing variant for code and tests that hold a known-good literal. */
export function parseDuration(text: string): SlaDuration {
  const result = tryParseDuration(text);
  if (!result.ok) throw new InvalidDurationError(text, result.reason);
  return result.value;
}

/**
 * Indonesian text for applicants and staff: "1 jam 30 menit", "45 detik",
 * "5 hari kerja". Business milliseconds are rounded to whole seconds; hours are
 * not folded into days because a business "day" is not 24 hours.
 */
export function formatDuration(duration: SlaDuration | number): string {
  if (typeof duration !== 'number') {
    if (duration.kind === 'office_days') return `${duration.days} hari kerja`;
    return formatDuration(duration.ms);
  }
  if (!Number.isFinite(duration) || duration < 0) throw new RangeError(`formatDuration: expected ms >= 0, got ${duration}`);
  const totalSeconds = Math.round(duration / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const words = [
    hours > 0 ? `${hours} jam` : '',
    minutes > 0 ? `${minutes} menit` : '',
    seconds > 0 ? `${seconds} detik` : '',
  ].filter((word) => word !== '');
  return words.length === 0 ? '0 menit' : words.join(' ');
}
