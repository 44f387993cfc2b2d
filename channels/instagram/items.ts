/**
 * What an Instagram item becomes in the channel contract.
 *
 * Text feeds the router. Links, shared posts and stories, reels, stickers and
 * the like become an empty text with an attachment of the matching kind: the
 * core answers those with its "please write your question" message (one place
 * for that text, in every language). Photos become image attachments with their
 * bytes, voice messages voice attachments with theirs, so an officer sees or
 * hears them on a ticket.
 */
import { AUDIO_MAX_BYTES, audioRefusal, type Attachment, type Sender } from '../channel.js';
import type { PhotoDownloader } from './media.js';
import type { IgItemPayload, IgUser } from './wire.js';

export interface ItemContent {
  readonly text: string;
  readonly attachments: readonly Attachment[];
}

function only(attachment: Attachment): ItemContent {
  return { text: '', attachments: [attachment] };
}

/** undefined for items no person wrote (service items); they are skipped. */
export async function itemContent(payload: IgItemPayload, itemId: string, download: PhotoDownloader): Promise<ItemContent | undefined> {
  switch (payload.type) {
    case 'text':
      return { text: payload.text, attachments: [] };
    case 'story_reply':
      // A reply typed under the office's story is a question like any other.
      return payload.text.trim() !== '' ? { text: payload.text, attachments: [] } : only({ kind: 'other', providerRef: 'story_reply' });
    case 'link':
      return only({ kind: 'link', ...(payload.url !== undefined ? { providerRef: payload.url } : {}) });
    case 'share':
      return only({ kind: 'link', ...(payload.code !== undefined ? { providerRef: `https://www.instagram.com/p/${payload.code}/` } : {}) });
    case 'reel':
      return only({ kind: 'video', ...(payload.code !== undefined ? { providerRef: `https://www.instagram.com/reel/${payload.code}/` } : {}) });
    case 'voice':
      return only(await voiceAttachment(payload, itemId, download));
    case 'video':
      return only({ kind: 'video', providerRef: payload.mediaId ?? itemId });
    case 'photo':
      return only(await photoAttachment(payload, itemId, download));
    case 'sticker':
      return only({ kind: 'sticker' });
    case 'location':
      return only({ kind: 'location' });
    case 'profile':
      return only({ kind: 'contact' });
    case 'service':
      return undefined;
    case 'unknown':
      return only({ kind: 'other', providerRef: payload.itemType });
  }
}

async function photoAttachment(payload: Extract<IgItemPayload, { type: 'photo' }>, itemId: string, download: PhotoDownloader): Promise<Attachment> {
  const base = { kind: 'image' as const, mimeType: 'image/jpeg', providerRef: payload.mediaId ?? itemId };
  // View-once photos are not stored: the applicant chose that they disappear.
  if (payload.viewOnce || payload.imageUrl === undefined) return base;
  const result = await download(payload.imageUrl);
  return result.ok ? { ...base, mimeType: result.mimeType, sizeBytes: result.data.byteLength, data: result.data } : base;
}

/**
 * A voice note goes to an officer (#22): downloaded now (the CDN link expires) within the
 * audio limits. Instagram records m4a (audio/mp4); without bytes the core tells the
 * applicant why (too long, too big, wrong type, not received).
 */
async function voiceAttachment(payload: Extract<IgItemPayload, { type: 'voice' }>, itemId: string, download: PhotoDownloader): Promise<Attachment> {
  const base: Attachment = {
    kind: 'voice',
    mimeType: 'audio/mp4',
    providerRef: itemId,
    ...(payload.durationMs !== undefined ? { durationSeconds: Math.round(payload.durationMs / 1000) } : {}),
  };
  if (payload.url === undefined || audioRefusal(base) !== null) return base;
  const result = await download(payload.url, 'audio');
  if (result.ok) return { ...base, mimeType: result.mimeType, sizeBytes: result.data.byteLength, data: result.data };
  if (result.reason === 'too_big') return { ...base, sizeBytes: AUDIO_MAX_BYTES + 1 };
  if (result.reason === 'wrong_type') return { ...base, mimeType: result.mimeType };
  return base;
}

/** The author of an item, from the thread's participants. */
export function senderOf(userId: string, users: readonly IgUser[]): Sender {
  const user = users.find((u) => u.pk === userId);
  return {
    externalId: userId,
    ...(user?.fullName !== undefined ? { displayName: user.fullName } : user?.username !== undefined ? { displayName: user.username } : {}),
    ...(user?.username !== undefined ? { username: user.username } : {}),
  };
}
