/** What a Telegram message or user becomes in the channel contract. */
import type { Message, User } from 'telegraf/types';
import type { Attachment, Sender } from '../channel.js';
import type { MediaDownloader } from './media.js';

export interface MessageContent {
  readonly text: string;
  readonly attachments: Attachment[];
}

/** Text, caption and attachments of a message; undefined for service messages (joins, pins). */
export async function messageContent(message: Message, media: MediaDownloader): Promise<MessageContent | undefined> {
  if ('text' in message) return { text: message.text, attachments: [] };
  const caption = 'caption' in message && typeof message.caption === 'string' ? message.caption : '';
  if ('photo' in message) return { text: caption, attachments: [await media.photo(message.photo)] };
  // Animations carry a `document` too; they are not documents for a ticket.
  if ('document' in message && !('animation' in message)) {
    return { text: caption, attachments: [await media.document(message.document)] };
  }
  // Voice notes and audio files go to an officer (#22); a caption, when any, comes along.
  if ('voice' in message) return { text: caption, attachments: [await media.audio('voice', message.voice)] };
  if ('audio' in message) return { text: caption, attachments: [await media.audio('audio', message.audio)] };
  const attachment = unsupportedAttachment(message);
  if (attachment === undefined) return undefined;
  // Empty text: the core answers "text only" for these.
  return { text: '', attachments: [attachment] };
}

export function toSender(user: User): Sender {
  const displayName = [user.first_name, user.last_name].filter((p): p is string => typeof p === 'string' && p !== '').join(' ');
  return {
    externalId: String(user.id),
    ...(displayName !== '' ? { displayName } : {}),
    ...(user.username !== undefined ? { username: user.username } : {}),
  };
}

/** Attachment for user content we do not handle (text only); undefined for service messages. */
function unsupportedAttachment(message: Message): Attachment | undefined {
  if ('sticker' in message) return { kind: 'sticker', providerRef: message.sticker.file_id };
  if ('video' in message) return { kind: 'video', providerRef: message.video.file_id };
  if ('video_note' in message) return { kind: 'video', providerRef: message.video_note.file_id };
  if ('animation' in message) return { kind: 'video', providerRef: message.animation.file_id };
  if ('location' in message || 'venue' in message) return { kind: 'location' };
  if ('contact' in message) return { kind: 'contact' };
  if ('poll' in message || 'dice' in message || 'game' in message || 'story' in message) return { kind: 'other' };
  return undefined;
}
