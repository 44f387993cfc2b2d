/**
 * Meta webhook payloads as typed events. One body carries `object` ("page" for
 * Messenger, "instagram" for Instagram) and `entry[]`, each with `messaging[]` events:
 * messages (text, attachments, a quick-reply payload), postbacks (buttons), echoes of
 * messages the account sent, delivery and read receipts (`messaging_seen` on Instagram
 * arrives as `read`). Fields are read only after their type is checked: the body is
 * signed by Meta, but a new event kind must not break the others in the same batch.
 */

export type MetaObject = 'page' | 'instagram';

/** An attachment as Meta describes it; `url` is a CDN link for media. */
export interface RawAttachment {
  /** image, video, audio, file, location, fallback, template, share, story_mention, ig_reel, reel, ... */
  readonly type: string;
  readonly url?: string;
  /** Messenger sends a sticker as an image with this id. */
  readonly stickerId?: string;
}

interface EventBase {
  readonly object: MetaObject;
  /** The page or Instagram account the entry is for (entry.id). */
  readonly accountId: string;
  /** Milliseconds since the epoch. */
  readonly timestamp: number;
}

export type MetaEvent =
  | (EventBase & {
      readonly kind: 'message';
      /** The person (page-scoped or Instagram-scoped id). */
      readonly senderId: string;
      readonly mid: string;
      readonly text: string;
      readonly quickReplyPayload?: string;
      readonly attachments: readonly RawAttachment[];
      /** Instagram: a message type the API does not support (is_unsupported). */
      readonly unsupported: boolean;
    })
  | (EventBase & {
      readonly kind: 'postback';
      readonly senderId: string;
      readonly mid: string;
      readonly title: string;
      readonly payload: string;
    })
  | (EventBase & {
      readonly kind: 'echo';
      /** The person the account wrote to. */
      readonly recipientId: string;
      readonly mid: string;
      readonly appId: string | null;
      readonly text: string;
      /** Files sent with it (an officer may send a photo from Meta's inbox). */
      readonly attachmentCount: number;
    })
  | (EventBase & { readonly kind: 'delivery'; readonly senderId: string; readonly mids: readonly string[]; readonly watermark: number | null })
  | (EventBase & { readonly kind: 'read'; readonly senderId: string; readonly mid: string | null; readonly watermark: number | null })
  | (EventBase & { readonly kind: 'ignored'; readonly reason: string });

export interface ParsedBody {
  readonly object: MetaObject;
  readonly events: readonly MetaEvent[];
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);
/** Ids arrive as strings; some older payloads used numbers. */
const id = (value: unknown): string | undefined =>
  typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : str(value);
const num = (value: unknown): number | undefined => {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d{1,16}$/.test(value)) return Number(value);
  return undefined;
};

/**
 * The events of a webhook body, or a reason why it is not a Meta messaging body.
 * Entries without `messaging` (comments, mentions, standby) yield no events.
 */
export function parseWebhookBody(body: unknown): ParsedBody | { readonly problem: string } {
  if (!isObject(body)) return { problem: 'body is not a JSON object' };
  const object = body['object'];
  if (object !== 'page' && object !== 'instagram') return { problem: `object "${String(object)}" is not page or instagram` };
  const entries = body['entry'];
  if (!Array.isArray(entries)) return { problem: 'entry is not an array' };
  const events: MetaEvent[] = [];
  for (const entry of entries) {
    if (!isObject(entry)) continue;
    const accountId = id(entry['id']);
    const messaging = entry['messaging'];
    if (accountId === undefined || !Array.isArray(messaging)) continue;
    const entryTime = num(entry['time']) ?? 0;
    for (const item of messaging) {
      if (!isObject(item)) continue;
      events.push(parseMessaging(object, accountId, entryTime, item));
    }
  }
  return { object, events };
}

function parseMessaging(object: MetaObject, accountId: string, entryTime: number, item: Json): MetaEvent {
  const senderId = isObject(item['sender']) ? id(item['sender']['id']) : undefined;
  const recipientId = isObject(item['recipient']) ? id(item['recipient']['id']) : undefined;
  const timestamp = num(item['timestamp']) ?? entryTime;
  const base = { object, accountId, timestamp };
  const message = item['message'];
  if (isObject(message)) {
    const mid = str(message['mid']);
    if (mid === undefined) return { ...base, kind: 'ignored', reason: 'message without mid' };
    const text = typeof message['text'] === 'string' ? message['text'] : '';
    if (message['is_echo'] === true) {
      if (recipientId === undefined) return { ...base, kind: 'ignored', reason: 'echo without recipient' };
      const attachmentCount = Array.isArray(message['attachments']) ? message['attachments'].length : 0;
      return { ...base, kind: 'echo', recipientId, mid, appId: id(message['app_id']) ?? null, text, attachmentCount };
    }
    if (senderId === undefined) return { ...base, kind: 'ignored', reason: 'message without sender' };
    if (message['is_deleted'] === true) return { ...base, kind: 'ignored', reason: 'message unsent by the applicant' };
    const quickReply = message['quick_reply'];
    const payload = isObject(quickReply) ? str(quickReply['payload']) : undefined;
    return {
      ...base,
      kind: 'message',
      senderId,
      mid,
      text,
      attachments: parseAttachments(message['attachments'], message['sticker_id']),
      unsupported: message['is_unsupported'] === true,
      ...(payload !== undefined ? { quickReplyPayload: payload } : {}),
    };
  }
  const postback = item['postback'];
  if (isObject(postback)) {
    const payload = str(postback['payload']);
    if (senderId === undefined || payload === undefined) return { ...base, kind: 'ignored', reason: 'postback without sender or payload' };
    // Older Messenger postbacks carry no mid: sender and time identify the press.
    const mid = str(postback['mid']) ?? `pb:${senderId}:${timestamp}`;
    return { ...base, kind: 'postback', senderId, mid, title: str(postback['title']) ?? payload, payload };
  }
  const delivery = item['delivery'];
  if (isObject(delivery) && senderId !== undefined) {
    const mids = Array.isArray(delivery['mids']) ? delivery['mids'].filter((m): m is string => typeof m === 'string') : [];
    return { ...base, kind: 'delivery', senderId, mids, watermark: num(delivery['watermark']) ?? null };
  }
  const read = item['read'];
  if (isObject(read) && senderId !== undefined) {
    return { ...base, kind: 'read', senderId, mid: str(read['mid']) ?? null, watermark: num(read['watermark']) ?? null };
  }
  const kinds = Object.keys(item).filter((key) => !['sender', 'recipient', 'timestamp'].includes(key));
  return { ...base, kind: 'ignored', reason: `event ${kinds.join(',') || '(empty)'} not handled` };
}

function parseAttachments(value: unknown, stickerId: unknown): RawAttachment[] {
  if (!Array.isArray(value)) return [];
  const sticker = id(stickerId);
  const attachments: RawAttachment[] = [];
  for (const item of value) {
    if (!isObject(item)) continue;
    const type = str(item['type']) ?? 'unknown';
    const payload = isObject(item['payload']) ? item['payload'] : {};
    const url = str(payload['url']);
    const itemSticker = id(payload['sticker_id']) ?? sticker;
    attachments.push({
      type,
      ...(url !== undefined ? { url } : {}),
      ...(type === 'image' && itemSticker !== undefined ? { stickerId: itemSticker } : {}),
    });
  }
  return attachments;
}
