/**
 * The new part of a mail: what the applicant wrote this time, without the quoted history
 * their mail program appends and without their signature. Plain text is cut at the first
 * reply header ("On ... wrote:", "Pada ... menulis:", Outlook's "From:/Sent:" block,
 * "-----Original Message-----") and at the signature delimiter "-- "; quoted lines ("> ...")
 * are dropped. HTML is turned into text with the quote containers (blockquote, Gmail's and
 * Outlook's reply blocks) and signature blocks left out.
 */
import { convert } from 'html-to-text';

const REPLY_HEADERS: readonly RegExp[] = [
  /^\s*On\b.{0,300}\bwrote:\s*$/i,
  /^\s*Pada\b.{0,300}\b(menulis|wrote):\s*$/i,
  /^\s*Le\b.{0,300}\ba écrit\s*:\s*$/i,
  /^\s*-{2,}\s*(Original Message|Pesan Asli|Pesan Awal|Forwarded message|Pesan yang diteruskan|Pesan terusan)\s*-{2,}\s*$/i,
];

const HEADER_BLOCK_START = /^\s*\*?(From|Dari)\s*:\*?\s+\S/i;
const HEADER_BLOCK_NEXT = /^\s*\*?(Sent|Dikirim|Date|Tanggal|To|Kepada|Subject|Perihal|Subjek|Cc)\s*:/i;

const SIGNATURE_STARTS: readonly RegExp[] = [
  /^-- ?$/,
  /^\s*(Sent from|Dikirim dari|Get Outlook for|Dapatkan Outlook untuk)\b.{0,60}$/i,
];

/** Cuts quoted history and the signature off a plain-text body. */
export function newPartOfText(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    const twoLines = `${line} ${lines[i + 1] ?? ''}`;
    if (REPLY_HEADERS.some((re) => re.test(line))) break;
    // "On Mon, 1 Dec 2026 at 10:00, Budi <budi@\nexample.com> wrote:" wraps over two lines.
    if (/^\s*(On|Pada)\b/i.test(line) && REPLY_HEADERS.slice(0, 2).some((re) => re.test(twoLines))) break;
    if (HEADER_BLOCK_START.test(line) && lines.slice(i + 1, i + 4).some((next) => HEADER_BLOCK_NEXT.test(next))) break;
    if (SIGNATURE_STARTS.some((re) => re.test(line))) break;
    if (/^\s*>/.test(line)) continue;
    kept.push(line);
  }
  return tidy(kept.join('\n'));
}

/** HTML to text without quotes, signatures, images and link targets. */
export function textOfHtml(html: string): string {
  return convert(html, {
    wordwrap: false,
    selectors: [
      { selector: 'img', format: 'skip' },
      { selector: 'a', options: { ignoreHref: true } },
      { selector: 'blockquote', format: 'skip' },
      { selector: 'div.gmail_quote', format: 'skip' },
      { selector: 'div.gmail_signature', format: 'skip' },
      { selector: 'div.yahoo_quoted', format: 'skip' },
      { selector: 'div#divRplyFwdMsg', format: 'skip' },
      { selector: 'div#appendonsend', format: 'skip' },
      { selector: 'div.moz-cite-prefix', format: 'skip' },
      { selector: 'div.moz-signature', format: 'skip' },
      { selector: 'style', format: 'skip' },
      { selector: 'script', format: 'skip' },
      { selector: 'h1', options: { uppercase: false } },
      { selector: 'h2', options: { uppercase: false } },
      { selector: 'h3', options: { uppercase: false } },
      { selector: 'table', format: 'dataTable' },
    ],
  });
}

function tidy(text: string): string {
  const lines = text.split('\n').map((line) => line.trimEnd());
  // Outlook's rule line above its "From:" block, or a separator left above a signature.
  while (lines.length > 0 && /^\s*([-_=*])?\1*\s*$/.test(lines[lines.length - 1] ?? '')) lines.pop();
  return lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/** Removes reply/forward prefixes and our `[#<n>]` tag from a subject. */
export function baseSubject(subject: string | undefined): string {
  let s = (subject ?? '').replace(/\s+/g, ' ').trim();
  for (;;) {
    const next = s
      .replace(/^(re|aw|fw|fwd|bls|balas|tr|rv|sv|vs)\s*(\[\d+\])?\s*:\s*/i, '')
      .replace(/\s*\[#\d{1,9}\]\s*/g, ' ')
      .trim();
    if (next === s) return s;
    s = next;
  }
}

/** The ticket number a subject names as `[#<n>]`. */
export function ticketInSubject(subject: string | undefined): number | undefined {
  const match = /\[#(\d{1,9})\]/.exec(subject ?? '');
  return match?.[1] === undefined ? undefined : Number(match[1]);
}
