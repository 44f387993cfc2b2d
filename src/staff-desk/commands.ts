/**
 * The staff command language, shared by every staff chat (Telegram group,
 * later the WhatsApp staff group): `/tiket <n>`, `/ambil <n>`, `/selesai <n>`,
 * `/balas <n> <teks>`, `/catatan <n> <teks>`, `/bantuan`, and the payloads of
 * the claim/resolve buttons under ticket posts. Parsing only; no effects.
 */
import { deskTexts } from './texts.js';

export type StaffCommand =
  | { readonly type: 'show'; readonly ticketId: number }
  /** `takeover`: may take a ticket another officer holds (typed /ambil yes, a button press no). */
  | { readonly type: 'claim'; readonly ticketId: number; readonly takeover: boolean }
  | { readonly type: 'resolve'; readonly ticketId: number }
  | { readonly type: 'reply'; readonly ticketId: number; readonly text: string }
  | { readonly type: 'note'; readonly ticketId: number; readonly text: string }
  | { readonly type: 'help' };

/** What a staff member asked for: a command, or something to answer with a hint. */
export type StaffRequest = StaffCommand | { readonly type: 'malformed'; readonly hint: string };

export type StaffButtonAction = 'claim' | 'resolve';

type CommandName = 'tiket' | 'ambil' | 'selesai' | 'balas' | 'catatan' | 'bantuan';

const NEEDS_TEXT: ReadonlySet<CommandName> = new Set(['balas', 'catatan']);

function isCommandName(name: string): name is CommandName {
  return name === 'tiket' || name === 'ambil' || name === 'selesai' || name === 'balas' || name === 'catatan' || name === 'bantuan';
}

/** `/name`, an optional `@botname` (Telegram adds it in groups), then the arguments. */
const COMMAND = /^\/([A-Za-z]+)(?:@\w+)?(?:\s+([\s\S]*))?$/;
/** A ticket number, with or without the `#` of its reference, then the rest. */
const TICKET_ARG = /^#?(\d{1,9})(?:\s+([\s\S]*))?$/;

/** true for any text that looks like a bot command: such text is never forwarded to an applicant. */
export function looksLikeCommand(text: string): boolean {
  return text.trimStart().startsWith('/');
}

/** undefined when the text is not one of our commands (other bots' commands, chat). */
export function parseStaffCommand(text: string): StaffRequest | undefined {
  const match = COMMAND.exec(text.trim());
  const name = match?.[1]?.toLowerCase();
  if (match === null || name === undefined || !isCommandName(name)) return undefined;
  if (name === 'bantuan') return { type: 'help' };
  const args = TICKET_ARG.exec((match[2] ?? '').trim());
  const ticketId = args?.[1] === undefined ? Number.NaN : Number(args[1]);
  const rest = (args?.[2] ?? '').trim();
  if (!Number.isSafeInteger(ticketId) || ticketId < 1 || (NEEDS_TEXT.has(name) && rest === '')) {
    return { type: 'malformed', hint: deskTexts.usage(name) };
  }
  switch (name) {
    case 'tiket':
      return { type: 'show', ticketId };
    case 'ambil':
      return { type: 'claim', ticketId, takeover: true };
    case 'selesai':
      return { type: 'resolve', ticketId };
    case 'balas':
      return { type: 'reply', ticketId, text: rest };
    case 'catatan':
      return { type: 'note', ticketId, text: rest };
  }
}

const BUTTON = /^staff:(claim|resolve):(\d{1,9})$/;

/** The payload of a claim/resolve button under a ticket post (see TicketService.open's announcement). */
export function staffButtonPayload(action: StaffButtonAction, ticketId: number): string {
  return `staff:${action}:${ticketId}`;
}

/** undefined when the payload is not one of our staff buttons. */
export function parseStaffButton(payload: string): StaffCommand | undefined {
  const match = BUTTON.exec(payload);
  if (match === null) return undefined;
  const ticketId = Number(match[2]);
  // A press is easily a mistake or a race with a colleague: it never takes a ticket over.
  return match[1] === 'claim' ? { type: 'claim', ticketId, takeover: false } : { type: 'resolve', ticketId };
}
