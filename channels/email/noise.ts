/**
 * Mail that must never be answered (RFC 3834 and common practice): automatic replies,
 * mailing lists and bulk mail, messages from system addresses, read receipts, our own
 * mail, and delivery status notifications. A bounce of one of our replies is returned as
 * such, with the reason, so the reply is marked failed.
 */
import { findOurIds, type OurId } from './ids.js';
import type { ParsedEmail } from './parse.js';

export type MailVerdict =
  | { readonly kind: 'answer' }
  | { readonly kind: 'automatic'; readonly reason: string }
  | { readonly kind: 'bounce'; readonly reply: OurId; readonly reason: string };

const SYSTEM_LOCAL_PARTS = /^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|noreply-.*|bounces?|bounce-.*|notifications?|daemon)$/i;

export function judgeMail(mail: ParsedEmail, raw: string, ownAddress: string): MailVerdict {
  const header = (name: string): string | undefined => mail.headers.get(name);
  const contentType = mail.contentType.toLowerCase();
  const fromLocal = mail.from?.address.split('@')[0] ?? '';
  const isReport = contentType.startsWith('multipart/report');

  if (isReport && /report-type\s*=\s*"?delivery-status/.test(contentType)) return bounceOrAutomatic(raw, 'delivery status notification');
  if (SYSTEM_LOCAL_PARTS.test(fromLocal) && /^(mailer-daemon|postmaster)$/i.test(fromLocal)) return bounceOrAutomatic(raw, `from ${fromLocal}`);

  if (mail.from === undefined) return { kind: 'automatic', reason: 'no sender address' };
  if (mail.from.address === ownAddress.toLowerCase()) return { kind: 'automatic', reason: 'our own address' };
  const autoSubmitted = header('auto-submitted')?.toLowerCase();
  if (autoSubmitted !== undefined && autoSubmitted.split(/[;\s]/)[0] !== 'no') return { kind: 'automatic', reason: `Auto-Submitted: ${autoSubmitted}` };
  const precedence = header('precedence')?.toLowerCase();
  if (precedence !== undefined && /^(bulk|list|junk|auto_reply)\b/.test(precedence)) return { kind: 'automatic', reason: `Precedence: ${precedence}` };
  if (header('list-id') !== undefined) return { kind: 'automatic', reason: 'mailing list (List-Id)' };
  if (header('list-unsubscribe') !== undefined) return { kind: 'automatic', reason: 'mailing list (List-Unsubscribe)' };
  if (header('x-autoreply') !== undefined || header('x-autorespond') !== undefined || header('x-autoresponse') !== undefined) {
    return { kind: 'automatic', reason: 'auto-reply header' };
  }
  if (isReport) return { kind: 'automatic', reason: 'report (read receipt or similar)' };
  if (SYSTEM_LOCAL_PARTS.test(fromLocal)) return { kind: 'automatic', reason: `system address ${fromLocal}@` };
  return { kind: 'answer' };
}

function bounceOrAutomatic(raw: string, what: string): MailVerdict {
  const [reply] = findOurIds(raw);
  if (reply === undefined) return { kind: 'automatic', reason: `${what} about mail that is not ours` };
  const action = /^\s*Action:\s*([a-z]+)/im.exec(raw)?.[1]?.toLowerCase();
  if (action !== undefined && action !== 'failed') return { kind: 'automatic', reason: `${what} (Action: ${action})` };
  return { kind: 'bounce', reply, reason: bounceReason(raw) };
}

/** "550 5.1.1 ... (recipient: x@y)" from the DSN fields, else the first lines of the notice. */
export function bounceReason(raw: string): string {
  const unfolded = raw.replace(/\r?\n[ \t]+/g, ' ');
  const diagnostic = /^\s*Diagnostic-Code:\s*(?:smtp|x-[a-z-]+)?\s*;?\s*(.+)$/im.exec(unfolded)?.[1]?.trim();
  const status = /^\s*Status:\s*([245]\.\d{1,3}\.\d{1,3})/im.exec(unfolded)?.[1];
  const recipient = /^\s*Final-Recipient:\s*(?:rfc822\s*;)?\s*(\S+)/im.exec(unfolded)?.[1];
  const parts = [diagnostic ?? (status !== undefined ? `status ${status}` : 'the mail server returned the reply as undeliverable')];
  if (diagnostic !== undefined && status !== undefined && !diagnostic.includes(status)) parts.push(`status ${status}`);
  if (recipient !== undefined) parts.push(`recipient ${recipient}`);
  return `bounced: ${parts.join('; ')}`.slice(0, 500);
}
