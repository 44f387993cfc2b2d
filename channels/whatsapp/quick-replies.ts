/**
 * Quick replies on WhatsApp: buttons are unreliable for linked-device
 * accounts (often not shown at all), so options are rendered as numbered
 * lines and the applicant answers with the number. The adapter keeps the
 * last options sent to each chat (like channels/console.ts) and maps "2"
 * back to the option's payload. Options of staff buttons (claim/resolve under
 * a ticket alert) are rendered as the commands staff type instead.
 */
import type { Clock } from '../../src/clock.js';
import { parseStaffButton } from '../../src/staff-desk/index.js';
import type { QuickReply } from '../channel.js';

export interface PickedReply {
  readonly text: string;
  readonly payload: string;
}

export interface QuickReplyMemory {
  /** The text to send: `text` plus the numbered options. Remembers them for `chatId`. */
  render(chatId: string, text: string, replies: readonly QuickReply[]): string;
  /** The option an answer like "2" or "2." picks, when the chat has one. */
  pick(chatId: string, text: string): PickedReply | undefined;
}

/** Options older than this are forgotten: a "1" days later is not an answer to an old menu. */
const OPTIONS_TTL_MS = 24 * 60 * 60 * 1000;
const CHATS_KEPT = 10_000;
const NUMBER_ANSWER = /^\s*(\d{1,2})\s*[.)]?\s*$/;

function staffCommandFor(payload: string): string | undefined {
  const command = parseStaffButton(payload);
  if (command === undefined) return undefined;
  return command.type === 'claim' ? `/ambil ${command.ticketId}` : command.type === 'resolve' ? `/selesai ${command.ticketId}` : undefined;
}

export function createQuickReplyMemory(clock: Clock): QuickReplyMemory {
  const last = new Map<string, { readonly replies: readonly QuickReply[]; readonly at: number }>();

  function remember(chatId: string, replies: readonly QuickReply[]): void {
    last.delete(chatId);
    // Like the console: every message replaces the options, so a message without options ends the menu.
    if (replies.length === 0) return;
    last.set(chatId, { replies, at: clock.now().getTime() });
    if (last.size > CHATS_KEPT) {
      const oldest = last.keys().next().value;
      if (oldest !== undefined) last.delete(oldest);
    }
  }

  return {
    render(chatId, text, replies) {
      if (replies.length === 0) {
        remember(chatId, []);
        return text;
      }
      const commands = replies.map((r) => staffCommandFor(r.payload));
      if (commands.every((c): c is string => c !== undefined)) {
        // Staff alerts: the group acts by command, never by number.
        return `${text}\n\n${replies.map((r, i) => `${r.label}: ${commands[i]}`).join('\n')}`;
      }
      remember(chatId, replies);
      return `${text}\n\n${replies.map((r, i) => `${i + 1}. ${r.label}`).join('\n')}`;
    },
    pick(chatId, text) {
      const match = NUMBER_ANSWER.exec(text);
      const entry = last.get(chatId);
      if (match?.[1] === undefined || entry === undefined) return undefined;
      if (clock.now().getTime() - entry.at > OPTIONS_TTL_MS) {
        last.delete(chatId);
        return undefined;
      }
      const reply = entry.replies[Number(match[1]) - 1];
      return reply === undefined ? undefined : { text: reply.label, payload: reply.payload };
    },
  };
}
