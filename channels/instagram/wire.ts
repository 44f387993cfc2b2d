/**
 * The library's response bodies, parsed into our own narrow types. The
 * library types them loosely (ids are numbers or strings depending on size,
 * item fields are optional and undocumented, new item types appear without a
 * release), so every body is read as `unknown` and checked here; the rest of
 * the adapter never sees a raw body.
 */

export interface IgUser {
  /** The user's pk, always as a decimal string (large pks arrive as strings, small ones as numbers). */
  readonly pk: string;
  readonly username?: string;
  readonly fullName?: string;
}

/** What an item carries, reduced to what the helpdesk needs. */
export type IgItemPayload =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'link'; readonly url?: string }
  | { readonly type: 'photo'; readonly mediaId?: string; readonly imageUrl?: string; readonly viewOnce: boolean }
  | { readonly type: 'video'; readonly mediaId?: string; readonly viewOnce: boolean }
  | { readonly type: 'voice'; readonly durationMs?: number; readonly url?: string }
  | { readonly type: 'reel'; readonly code?: string }
  /** A post, story, IGTV video or other content shared from elsewhere. */
  | { readonly type: 'share'; readonly code?: string }
  /** A reply to (or mention in) one of the office's stories; `text` is what the applicant typed, if anything. */
  | { readonly type: 'story_reply'; readonly text: string }
  | { readonly type: 'sticker' }
  | { readonly type: 'location' }
  | { readonly type: 'profile' }
  /** Not written by a person: "liked a message", call events, placeholders for removed content. */
  | { readonly type: 'service' }
  | { readonly type: 'unknown'; readonly itemType: string };

export interface IgItem {
  readonly itemId: string;
  readonly userId: string;
  /** Microseconds since the epoch, as decimal digits (beyond Number's exact range). */
  readonly timestampUs: string;
  readonly payload: IgItemPayload;
}

export interface IgThread {
  readonly threadId: string;
  readonly isGroup: boolean;
  /** Participants other than us. */
  readonly users: readonly IgUser[];
  /** Oldest first (the API sends newest first). */
  readonly items: readonly IgItem[];
  /** The thread has items older than `items`, reachable with `oldestCursor`. */
  readonly hasOlder: boolean;
  readonly oldestCursor?: string;
}

export interface IgInboxPage {
  readonly threads: readonly IgThread[];
  readonly hasOlder: boolean;
}

export interface IgThreadPage {
  /** Oldest first. */
  readonly items: readonly IgItem[];
  readonly hasOlder: boolean;
  readonly oldestCursor?: string;
}

export interface IgAccount {
  readonly pk: string;
  readonly username?: string;
}

/** A response that does not have the shape we rely on. */
export class IgWireError extends Error {
  readonly code = 'INSTAGRAM_UNEXPECTED_RESPONSE';
  constructor(what: string) {
    super(`unexpected Instagram response: ${what}`);
    this.name = 'IgWireError';
  }
}

type Json = Readonly<Record<string, unknown>>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown, key: string): Json | undefined {
  if (!isRecord(value)) return undefined;
  const found = value[key];
  return isRecord(found) ? found : undefined;
}

function str(value: unknown, key: string): string | undefined {
  if (!isRecord(value)) return undefined;
  const found = value[key];
  return typeof found === 'string' ? found : undefined;
}

/** An id that arrives as a number or a string (json-bigint keeps large ones as strings). */
function id(value: unknown, key: string): string | undefined {
  if (!isRecord(value)) return undefined;
  const found = value[key];
  if (typeof found === 'string' && found !== '') return found;
  if (typeof found === 'number' && Number.isSafeInteger(found)) return String(found);
  if (typeof found === 'bigint') return found.toString();
  return undefined;
}

function num(value: unknown, key: string): number | undefined {
  if (!isRecord(value)) return undefined;
  const found = value[key];
  if (typeof found === 'number' && Number.isFinite(found)) return found;
  if (typeof found === 'string' && /^\d+(\.\d+)?$/.test(found)) return Number(found);
  return undefined;
}

function list(value: unknown, key: string): readonly unknown[] {
  if (!isRecord(value)) return [];
  const found = value[key];
  return Array.isArray(found) ? found : [];
}

/** `{ key: value }` when defined, `{}` otherwise (exactOptionalPropertyTypes forbids `key: undefined`). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  // A computed key types as an index signature; the object has exactly key K.
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

export function parseUser(raw: unknown): IgUser | undefined {
  const pk = id(raw, 'pk') ?? id(raw, 'pk_id');
  if (pk === undefined) return undefined;
  const fullName = str(raw, 'full_name');
  return { pk, ...optional('username', str(raw, 'username')), ...optional('fullName', fullName === '' ? undefined : fullName) };
}

/** The account a login, two-factor login or challenge answer returned (`logged_in_user`). */
export function parseLoggedInUser(body: unknown): IgAccount | undefined {
  const user = isRecord(body) && isRecord(body['logged_in_user']) ? body['logged_in_user'] : isRecord(body) && 'pk' in body ? body : undefined;
  const pk = id(user, 'pk');
  if (pk === undefined) return undefined;
  return { pk, ...optional('username', str(user, 'username')) };
}

function bestImageUrl(media: unknown): string | undefined {
  // Candidates come largest first.
  const first = list(record(media, 'image_versions2'), 'candidates')[0];
  return str(first, 'url');
}

function mediaPayload(media: unknown, viewOnce: boolean): IgItemPayload {
  const mediaType = num(media, 'media_type');
  const mediaId = id(media, 'id');
  if (mediaType === 2) return { type: 'video', viewOnce, ...optional('mediaId', mediaId) };
  if (mediaType === 1) return { type: 'photo', viewOnce, ...optional('mediaId', mediaId), ...optional('imageUrl', bestImageUrl(media)) };
  return { type: 'unknown', itemType: `media_type_${mediaType ?? 'missing'}` };
}

const SERVICE_TYPES = new Set(['action_log', 'placeholder', 'video_call_event', 'expired_placeholder', 'reaction']);
const SHARE_TYPES = new Set(['media_share', 'story_share', 'felix_share', 'xma_media_share', 'xma_story_share', 'xma_link', 'xma_clip', 'generic_xma', 'guide_share', 'product_share', 'hashtag']);

export function parsePayload(item: Json, itemType: string): IgItemPayload {
  switch (itemType) {
    case 'text':
      return { type: 'text', text: str(item, 'text') ?? '' };
    case 'link': {
      const link = record(item, 'link');
      return { type: 'link', ...optional('url', str(record(link, 'link_context'), 'link_url')) };
    }
    case 'media':
      return mediaPayload(record(item, 'media'), false);
    case 'raven_media': {
      const visual = record(item, 'visual_media');
      return mediaPayload(record(visual, 'media') ?? record(item, 'raven_media'), true);
    }
    case 'voice_media': {
      const audio = record(record(record(item, 'voice_media'), 'media'), 'audio');
      return { type: 'voice', ...optional('durationMs', num(audio, 'duration')), ...optional('url', str(audio, 'audio_src')) };
    }
    case 'clip':
      return { type: 'reel', ...optional('code', str(record(record(item, 'clip'), 'clip'), 'code')) };
    case 'reel_share':
      return { type: 'story_reply', text: str(record(item, 'reel_share'), 'text') ?? '' };
    case 'animated_media':
    case 'like':
      return { type: 'sticker' };
    case 'location':
      return { type: 'location' };
    case 'profile':
      return { type: 'profile' };
    default:
      if (SERVICE_TYPES.has(itemType)) return { type: 'service' };
      if (SHARE_TYPES.has(itemType)) return { type: 'share', ...optional('code', str(record(item, 'media_share'), 'code')) };
      return { type: 'unknown', itemType };
  }
}

export function parseItem(raw: unknown): IgItem | undefined {
  if (!isRecord(raw)) return undefined;
  const itemId = id(raw, 'item_id');
  const userId = id(raw, 'user_id');
  const timestampUs = id(raw, 'timestamp');
  const itemType = str(raw, 'item_type');
  if (itemId === undefined || userId === undefined || timestampUs === undefined || !/^\d+$/.test(timestampUs) || itemType === undefined) {
    return undefined;
  }
  return { itemId, userId, timestampUs, payload: parsePayload(raw, itemType) };
}

/** Items of a thread or page, oldest first; items we cannot read (no id) are counted, not guessed at. */
function parseItems(raw: readonly unknown[]): { items: IgItem[]; unreadable: number } {
  const items: IgItem[] = [];
  let unreadable = 0;
  for (const entry of raw) {
    const item = parseItem(entry);
    if (item === undefined) unreadable++;
    else items.push(item);
  }
  items.sort(compareItems);
  return { items, unreadable };
}

export function parseThread(raw: unknown): IgThread | undefined {
  const threadId = id(raw, 'thread_id');
  if (threadId === undefined || !isRecord(raw)) return undefined;
  const users = list(raw, 'users').map(parseUser).filter((u): u is IgUser => u !== undefined);
  const { items } = parseItems(list(raw, 'items'));
  return {
    threadId,
    isGroup: raw['is_group'] === true,
    users,
    items,
    hasOlder: raw['has_older'] === true,
    ...optional('oldestCursor', str(raw, 'oldest_cursor')),
  };
}

/** `direct_v2/inbox/` and `direct_v2/pending_inbox/`. */
export function parseInboxPage(body: unknown): IgInboxPage {
  const inbox = record(body, 'inbox');
  if (inbox === undefined || !Array.isArray(inbox['threads'])) throw new IgWireError('inbox without threads');
  const threads = list(inbox, 'threads').map(parseThread).filter((t): t is IgThread => t !== undefined);
  return { threads, hasOlder: inbox['has_older'] === true };
}

/** `direct_v2/threads/<id>/` (older items of one thread). */
export function parseThreadPage(body: unknown): IgThreadPage {
  const thread = record(body, 'thread');
  if (thread === undefined) throw new IgWireError('thread page without thread');
  const { items } = parseItems(list(thread, 'items'));
  return { items, hasOlder: thread['has_older'] === true, ...optional('oldestCursor', str(thread, 'oldest_cursor')) };
}

/**
 * The item id of a sent message. `broadcastText` resolves with the answer's
 * `payload` (or its first `message_metadata`), which carries `item_id`.
 */
export function parseSentItemId(result: unknown): string | undefined {
  return id(result, 'item_id') ?? id(record(result, 'payload'), 'item_id') ?? id(list(result, 'message_metadata')[0], 'item_id');
}

/** What a two-factor login needs later, from the login error body. */
export interface IgTwoFactorInfo {
  readonly twoFactorIdentifier: string;
  readonly username: string;
  readonly method: 'sms' | 'totp';
}

export function parseTwoFactorInfo(body: unknown): IgTwoFactorInfo | undefined {
  const info = record(body, 'two_factor_info');
  const twoFactorIdentifier = str(info, 'two_factor_identifier');
  const username = str(info, 'username');
  if (twoFactorIdentifier === undefined || username === undefined) return undefined;
  return { twoFactorIdentifier, username, method: isRecord(info) && info['totp_two_factor_on'] === true ? 'totp' : 'sms' };
}

/** The challenge path from a `challenge_required` body. */
export function parseChallengePath(body: unknown): { apiPath: string; url?: string } | undefined {
  const challenge = record(body, 'challenge');
  const apiPath = str(challenge, 'api_path');
  if (apiPath === undefined || !apiPath.startsWith('/')) return undefined;
  return { apiPath, ...optional('url', str(challenge, 'url')) };
}

/** Error-body fields worth logging: never the request or the whole body. */
export function errorBodySummary(body: unknown): { igMessage?: string; errorType?: string } {
  return { ...optional('igMessage', str(body, 'message')), ...optional('errorType', str(body, 'error_type')) };
}

/** Orders items by time, then by id (ids grow with time; equal timestamps happen in bursts). */
export function compareItems(a: Pick<IgItem, 'timestampUs' | 'itemId'>, b: Pick<IgItem, 'timestampUs' | 'itemId'>): number {
  const byTime = compareDigits(a.timestampUs, b.timestampUs);
  return byTime !== 0 ? byTime : compareIds(a.itemId, b.itemId);
}

function compareDigits(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return compareDigits(a, b);
  return a < b ? -1 : a > b ? 1 : 0;
}
