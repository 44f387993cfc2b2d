/**
 * Masking of personal data in anything that leaves the conversation itself: logs,
 * staff-group notifications, digests, the unanswered-questions list.
 * - NIK: 16 digits (spaces/dots allowed between groups) -> first 4 kept.
 * - Passport numbers: one or two letters and 6-8 digits (A1234567, E1234567, AB123456).
 * - Phone numbers: +62 / 62 / 0 followed by 8-13 digits, with spaces, dots or dashes.
 * - E-mail addresses: the local part.
 */
const NIK = /(?<![\d])(\d{4})[ .-]?(\d{4})[ .-]?(\d{4})[ .-]?(\d{4})(?![\d])/g;
const PASSPORT = /\b([A-Za-z]{1,2})(\d{6,8})\b/g;
const PHONE = /(?<![\w])(?:\+62|62|0)[ .-]?8\d{1,3}(?:[ .-]?\d{2,5}){2,4}(?![\d])/g;
const EMAIL = /\b([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})\b/g;

export function maskPersonalData(text: string): string {
  return text
    .replace(NIK, (_m, first: string) => `${first}************`)
    .replace(PHONE, (match) => {
      const digits = match.replace(/\D/g, '');
      return `${match.startsWith('+') ? '+' : ''}${digits.slice(0, 4)}****${digits.slice(-2)}`;
    })
    .replace(PASSPORT, (_m, letters: string, digits: string) => `${letters}${'*'.repeat(digits.length - 2)}${digits.slice(-2)}`)
    .replace(EMAIL, (_m, first: string, domain: string) => `${first}***@${domain}`);
}

/** Masks a chat/phone identifier used as an id (WhatsApp JIDs, phone numbers). */
export function maskIdentifier(id: string): string {
  const digits = id.replace(/\D/g, '');
  if (digits.length >= 8) return `${digits.slice(0, 4)}****${digits.slice(-2)}`;
  return id;
}
