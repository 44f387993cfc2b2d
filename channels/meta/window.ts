/**
 * Meta's messaging window: a business may answer a person for 24 hours after that
 * person's last message (`messaging_type: RESPONSE`). An officer's reply may go up to
 * 7 days after it with the HUMAN_AGENT tag, which Meta grants per app after review
 * (META_HUMAN_AGENT_TAG=true once it is granted). Anything later is refused by Meta, so
 * it is not sent: the outbox records the reason on the message and the officer reads it
 * on the ticket.
 */

export const RESPONSE_WINDOW_MS = 24 * 60 * 60 * 1000;
export const HUMAN_AGENT_WINDOW_MS = 7 * 24 * 60 * 60 * 1000;

export type MessagingFields =
  | { readonly messaging_type: 'RESPONSE' }
  | { readonly messaging_type: 'MESSAGE_TAG'; readonly tag: 'HUMAN_AGENT' };

export type WindowDecision = { readonly ok: true; readonly fields: MessagingFields } | { readonly ok: false; readonly reason: string };

export interface WindowInput {
  /** When the applicant last wrote on this conversation (null: never, as far as SAPA knows). */
  readonly lastInboundAt: Date | null;
  readonly now: Date;
  readonly author: 'bot' | 'staff' | 'system';
  readonly humanAgentTag: boolean;
  /** "Messenger" or "Instagram", for the reason text. */
  readonly label: string;
}

export function decideWindow(input: WindowInput): WindowDecision {
  const { lastInboundAt, now, author, humanAgentTag, label } = input;
  if (lastInboundAt === null) {
    return { ok: false, reason: `Tidak terkirim: pemohon belum pernah menulis lewat ${label}, dan Meta hanya mengizinkan balasan atas pesan pemohon.` };
  }
  const elapsed = now.getTime() - lastInboundAt.getTime();
  if (elapsed <= RESPONSE_WINDOW_MS) return { ok: true, fields: { messaging_type: 'RESPONSE' } };
  if (author === 'staff' && humanAgentTag && elapsed <= HUMAN_AGENT_WINDOW_MS) {
    return { ok: true, fields: { messaging_type: 'MESSAGE_TAG', tag: 'HUMAN_AGENT' } };
  }
  const ago = describeAgo(elapsed);
  const staffRule = humanAgentTag
    ? 'balasan petugas sampai 7 hari (tag HUMAN_AGENT)'
    : 'balasan petugas sampai 7 hari hanya bila tag HUMAN_AGENT disetujui Meta (META_HUMAN_AGENT_TAG)';
  return {
    ok: false,
    reason:
      `Tidak terkirim: di luar jendela 24 jam ${label}. Pemohon terakhir menulis ${ago} lalu; Meta mengizinkan balasan 24 jam ` +
      `setelah pesan terakhir pemohon (${staffRule}). Balasan akan bisa dikirim lagi setelah pemohon menulis; atau hubungi pemohon lewat kanal lain.`,
  };
}

/** Time left to answer with RESPONSE (negative when closed). */
export function windowLeftMs(lastInboundAt: Date | null, now: Date): number {
  return lastInboundAt === null ? -1 : lastInboundAt.getTime() + RESPONSE_WINDOW_MS - now.getTime();
}

function describeAgo(ms: number): string {
  const hours = Math.floor(ms / 3_600_000);
  if (hours < 48) return `${hours} jam`;
  return `${Math.floor(hours / 24)} hari`;
}
