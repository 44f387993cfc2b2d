/**
 * One OutboundMessage as Send API message bodies: the text split below the platform's
 * limit (Messenger 2,000 characters, Instagram 1,000 bytes of UTF-8) on paragraph, line
 * and word boundaries, with the quick replies on the last part. Meta shows at most 13
 * quick replies with titles of at most 20 characters: titles are cut to fit, and a menu
 * of more than 13 becomes numbered lines the applicant answers with the number.
 */
import type { Clock } from '../../src/clock.js';
import { splitText, type QuickReply } from '../channel.js';

export const MAX_QUICK_REPLIES = 13;
export const MAX_QUICK_REPLY_TITLE = 20;
export const MAX_QUICK_REPLY_PAYLOAD = 1000;

export interface TextLimits {
  readonly maxChars: number;
  /** Instagram counts bytes of UTF-8. */
  readonly maxBytes?: number;
}

export const MESSENGER_LIMITS: TextLimits = { maxChars: 2000 };
export const INSTAGRAM_LIMITS: TextLimits = { maxChars: 1000, maxBytes: 1000 };

export interface MetaQuickReply {
  readonly content_type: 'text';
  readonly title: string;
  readonly payload: string;
}

export interface MessageBody {
  readonly text: string;
  readonly quick_replies?: readonly MetaQuickReply[];
}

export interface Plan {
  readonly parts: readonly MessageBody[];
  /** Options rendered as numbered lines (more than 13): remembered so "2" picks the second. */
  readonly numbered: readonly QuickReply[];
}

export function planMessage(text: string, replies: readonly QuickReply[], limits: TextLimits): Plan {
  const numbered = replies.length > MAX_QUICK_REPLIES ? replies : [];
  const body = numbered.length > 0 ? `${text}\n\n${numbered.map((r, i) => `${i + 1}. ${r.label}`).join('\n')}` : text;
  const texts = splitWithin(body.trim() === '' ? '' : body, limits);
  if (texts.length === 0) return { parts: [], numbered };
  const buttons = numbered.length > 0 ? [] : replies.map(toQuickReply);
  const parts: MessageBody[] = texts.map((part, i) =>
    i === texts.length - 1 && buttons.length > 0 ? { text: part, quick_replies: buttons } : { text: part },
  );
  return { parts, numbered };
}

function toQuickReply(reply: QuickReply): MetaQuickReply {
  return { content_type: 'text', title: cutTitle(reply.label), payload: reply.payload.slice(0, MAX_QUICK_REPLY_PAYLOAD) || reply.label.slice(0, 20) };
}

/** At most 20 characters (code points, so an emoji is never cut in half), "…" marking a cut. */
export function cutTitle(label: string): string {
  const chars = Array.from(label.trim());
  if (chars.length <= MAX_QUICK_REPLY_TITLE) return chars.join('');
  return `${chars.slice(0, MAX_QUICK_REPLY_TITLE - 1).join('').trimEnd()}…`;
}

/** Parts of at most maxChars characters and, when given, maxBytes bytes of UTF-8. */
export function splitWithin(text: string, limits: TextLimits): string[] {
  if (text === '') return [];
  const parts = splitText(text, limits.maxChars);
  const { maxBytes } = limits;
  if (maxBytes === undefined) return parts;
  const out: string[] = [];
  for (const part of parts) {
    let chars = limits.maxChars;
    let pieces = [part];
    // Non-Latin text takes 2-4 bytes a character: split that part smaller until every piece fits.
    while (pieces.some((piece) => Buffer.byteLength(piece, 'utf8') > maxBytes) && chars > 1) {
      chars = Math.max(1, Math.floor(chars * 0.75));
      pieces = splitText(part, chars);
    }
    out.push(...pieces);
  }
  return out;
}

/** The numbered options last sent to each person, for answers like "2". */
export interface NumberedMenus {
  remember(conversationId: string, options: readonly QuickReply[]): void;
  pick(conversationId: string, text: string): QuickReply | undefined;
}

const MENU_TTL_MS = 24 * 60 * 60 * 1000;
const MENUS_KEPT = 10_000;
const NUMBER_ANSWER = /^\s*(\d{1,2})\s*[.)]?\s*$/;

export function createNumberedMenus(clock: Clock): NumberedMenus {
  const menus = new Map<string, { readonly options: readonly QuickReply[]; readonly at: number }>();
  return {
    remember(conversationId, options) {
      menus.delete(conversationId);
      if (options.length === 0) return;
      menus.set(conversationId, { options, at: clock.now().getTime() });
      if (menus.size > MENUS_KEPT) {
        const oldest = menus.keys().next().value;
        if (oldest !== undefined) menus.delete(oldest);
      }
    },
    pick(conversationId, text) {
      const match = NUMBER_ANSWER.exec(text);
      const menu = menus.get(conversationId);
      if (match?.[1] === undefined || menu === undefined) return undefined;
      if (clock.now().getTime() - menu.at > MENU_TTL_MS) {
        menus.delete(conversationId);
        return undefined;
      }
      return menu.options[Number(match[1]) - 1];
    },
  };
}
