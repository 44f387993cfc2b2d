/**
 * Masking of personal data in anything that leaves the conversation itself: logs,
 * staff-group notifications, digests, the unanswered-questions list, `sapa tickets`
 * output. (The applicant's own conversation and the case file on the dashboard are not
 * masked: staff need the real numbers to help.)
 *
 * 1. Unicode NFKC first, so full-width digits (０８１２), non-breaking spaces and the like
 *    become plain ASCII; invisible format characters (zero-width space, ...) are dropped.
 * 2. E-mail addresses: the local part.
 * 3. Passport numbers: one or two letters and 6-8 digits (A1234567, AB123456), also with
 *    a space after the letters when they are capitals (X 1234567). "Rp 350000" is money.
 * 4. Any run of digits joined by separators (space . - / ( ) and dashes) that holds 8 or
 *    more digits: NIK (537101 120390 0001, 5371.0112.0390.0001), phone numbers
 *    ((0812) 3456 7890, +62 (812) 3456-7890, 0812-3456-7890), account numbers, and so on.
 *    A run is left alone when it reads entirely as dates (03/12/2026, 2026-12-03), times
 *    (10.30, 08.00-16.00), rupiah amounts with thousands dots (350.000, 12.500.000; at
 *    most 10 digits, not starting with 0) and short numbers (at most 4 digits, fewer than
 *    8 in all): those carry no identity and staff need them readable. Ticket references
 *    (#123) are never touched.
 *
 * Masked forms are one token without spaces: NIK 5371************ (16 digits: the first 4,
 * the regency, kept), phone 0812****90 / +6281****90, passport X*****67, other numbers
 * 12********90.
 */

const EMAIL = /\b([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})\b/g;
const PASSPORT = /\b(?!rp)([A-Za-z]{1,2})(\d{6,8})\b/gi;
const PASSPORT_SPACED = /\b(?!RP)([A-Z]{1,2}) (\d{6,8})\b/g;
const SEP = '[ .\\-/()\\u2010-\\u2015]';
/** A run of digit groups; '+' and '(' may open it. Not after '#' (ticket refs) or another digit. */
const RUN = new RegExp(`(?<![\\d#])\\+?\\(?\\d+(?:${SEP}{1,3}\\d+)*`, 'g');
const INVISIBLE = /\p{Cf}/gu;

/** Tokens that carry no identity, tried at each position of a run (sticky). */
const DMY = /(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?!\d)/y;
const YMD = /(\d{4})([./-])(\d{1,2})\2(\d{1,2})(?!\d)/y;
const TIME = /(\d{1,2})[.:](\d{2})(?![\d.])/y;
const AMOUNT = /[1-9]\d{0,2}(?:\.\d{3})+(?![\d.])/y;
const SHORT = /\d{1,4}(?![\d.])/y;
const GAP = /[ \-/()\u2010-\u2015]{1,3}/y;

function sticky(re: RegExp, text: string, at: number): RegExpExecArray | null {
  re.lastIndex = at;
  return re.exec(text);
}

/** The harmless token at `at` and whether it is a "short" number; null when none fits. */
function harmlessToken(run: string, at: number): { end: number; shortDigits: number } | null {
  const dmy = sticky(DMY, run, at);
  if (dmy && Number(dmy[1]) >= 1 && Number(dmy[1]) <= 31 && Number(dmy[3]) >= 1 && Number(dmy[3]) <= 12) return { end: at + dmy[0].length, shortDigits: 0 };
  const ymd = sticky(YMD, run, at);
  if (ymd && Number(ymd[1]) >= 1900 && Number(ymd[1]) <= 2199 && Number(ymd[3]) >= 1 && Number(ymd[3]) <= 12 && Number(ymd[4]) >= 1 && Number(ymd[4]) <= 31) {
    return { end: at + ymd[0].length, shortDigits: 0 };
  }
  const amount = sticky(AMOUNT, run, at);
  if (amount && amount[0].replace(/\D/g, '').length <= 10) return { end: at + amount[0].length, shortDigits: 0 };
  const time = sticky(TIME, run, at);
  if (time && Number(time[1]) <= 24 && Number(time[2]) <= 59) return { end: at + time[0].length, shortDigits: 0 };
  const short = sticky(SHORT, run, at);
  if (short) return { end: at + short[0].length, shortDigits: short[0].length };
  return null;
}

/** True when the whole run reads as dates, times, amounts and a few short numbers. */
function isHarmless(run: string): boolean {
  let at = run.startsWith('(') ? 1 : 0;
  let shortDigits = 0;
  if (run.startsWith('+')) return false;
  while (at < run.length) {
    const token = harmlessToken(run, at);
    if (!token) return false;
    shortDigits += token.shortDigits;
    at = token.end;
    if (at >= run.length) break;
    const gap = sticky(GAP, run, at);
    if (!gap) return false;
    at += gap[0].length;
  }
  return shortDigits < 8;
}

const digitsOf = (text: string): string => text.replace(/\D/g, '');

function maskNumber(run: string): string {
  const digits = digitsOf(run);
  const plus = run.startsWith('+') ? '+' : '';
  if (digits.length === 16 && !plus) return `${digits.slice(0, 4)}************`;
  if (plus || (/^(?:0|62)?8/.test(digits) && digits.length >= 9 && digits.length <= 14)) return `${plus}${digits.slice(0, 4)}****${digits.slice(-2)}`;
  return `${digits.slice(0, 2)}${'*'.repeat(Math.max(4, digits.length - 4))}${digits.slice(-2)}`;
}

function maskRun(run: string): string {
  if (digitsOf(run).length < 8 || isHarmless(run)) return run;
  // "tunggu 2 jam 081234567890" is one run ("2 081234567890"): keep a leading count, date or
  // time readable when a phone number follows on its own. Never when the run holds 16 digits
  // ("53 71 01 120390 0001" is a NIK in groups), and never a group of 3-4 digits (it may
  // start a NIK or a phone number).
  const lead = /^(\d{1,2}|\d{1,2}[.:]\d{2}|\d{1,2}([./-])\d{1,2}\2\d{2,4}) /.exec(run);
  const rest = lead ? run.slice(lead[0].length) : '';
  if (
    lead &&
    digitsOf(run).length !== 16 &&
    /^(?:\(?0|\+?62)/.test(rest) &&
    digitsOf(rest).length >= 9 &&
    digitsOf(rest).length <= 14 &&
    (lead[1]!.length <= 2 || isHarmless(lead[1]!))
  ) {
    return `${lead[0]}${maskRun(rest)}`;
  }
  // A "(" that opened the run but was never closed belongs to the surrounding text.
  const reopen = run.startsWith('(') && !run.includes(')') ? '(' : '';
  return `${reopen}${maskNumber(run)}`;
}

export function maskPersonalData(text: string): string {
  return text
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .replace(EMAIL, (_m, first: string, domain: string) => `${first}***@${domain}`)
    .replace(PASSPORT_SPACED, (_m, letters: string, digits: string) => `${letters}${'*'.repeat(digits.length - 2)}${digits.slice(-2)}`)
    .replace(PASSPORT, (_m, letters: string, digits: string) => `${letters}${'*'.repeat(digits.length - 2)}${digits.slice(-2)}`)
    .replace(RUN, maskRun);
}

/** Masks a chat/phone identifier used as an id (WhatsApp JIDs, phone numbers). */
export function maskIdentifier(id: string): string {
  const digits = id.normalize('NFKC').replace(/\D/g, '');
  if (digits.length >= 8) return `${digits.slice(0, 4)}****${digits.slice(-2)}`;
  return id;
}
