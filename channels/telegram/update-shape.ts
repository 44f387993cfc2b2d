/**
 * Does an update have the fields the intake reads, with the types it expects? Telegram
 * never sends anything else, but a webhook body is only as good as whoever holds the
 * secret, and an update that makes the intake throw would be refused, and so
 * redelivered, forever. Such an update is logged and acknowledged instead.
 */

type Shape = Readonly<Record<string, unknown>>;

const isObject = (value: unknown): value is Shape => typeof value === 'object' && value !== null && !Array.isArray(value);
const isInteger = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);
const optional = (value: unknown, test: (v: unknown) => boolean): boolean => value === undefined || test(value);
const isString = (value: unknown): boolean => typeof value === 'string';

const isUser = (value: unknown): boolean =>
  isObject(value) && isInteger(value['id']) && optional(value['first_name'], isString) && optional(value['last_name'], isString) && optional(value['username'], isString);

const isChat = (value: unknown): boolean => isObject(value) && isInteger(value['id']) && typeof value['type'] === 'string';

const isFile = (value: unknown): boolean => isObject(value) && typeof value['file_id'] === 'string';

/** Media fields the intake reads a file id from. */
const FILE_FIELDS = ['document', 'sticker', 'voice', 'audio', 'video', 'video_note', 'animation'] as const;

function messageProblem(message: unknown): string | null {
  if (!isObject(message)) return 'message is not an object';
  if (!isInteger(message['message_id'])) return 'message.message_id is not an integer';
  if (typeof message['date'] !== 'number') return 'message.date is not a number';
  if (!isChat(message['chat'])) return 'message.chat lacks a numeric id or a type';
  const chat = message['chat'] as Shape;
  if (chat['type'] === 'private' && !isUser(message['from'])) return 'a private message has no valid sender';
  if (!optional(message['from'], isUser)) return 'message.from is not a user';
  if (!optional(message['text'], isString)) return 'message.text is not a string';
  if (!optional(message['caption'], isString)) return 'message.caption is not a string';
  const photo = message['photo'];
  if (photo !== undefined && !(Array.isArray(photo) && photo.length > 0 && photo.every(isFile))) return 'message.photo is not a list of files';
  for (const field of FILE_FIELDS) if (!optional(message[field], isFile)) return `message.${field} has no file_id`;
  return null;
}

function callbackProblem(query: unknown): string | null {
  if (!isObject(query)) return 'callback_query is not an object';
  if (typeof query['id'] !== 'string') return 'callback_query.id is not a string';
  if (!isUser(query['from'])) return 'callback_query.from is not a user';
  if (!optional(query['data'], isString)) return 'callback_query.data is not a string';
  const message = query['message'];
  if (message !== undefined && !(isObject(message) && isChat(message['chat']))) return 'callback_query.message has no valid chat';
  return null;
}

/** Why the intake cannot read this update, or null when it can. */
export function malformedUpdateReason(update: unknown): string | null {
  if (!isObject(update)) return 'the update is not a JSON object';
  if (!isInteger(update['update_id']) || update['update_id'] < 0) return 'update_id is not a non-negative integer';
  if ('message' in update) return messageProblem(update['message']);
  if ('callback_query' in update) return callbackProblem(update['callback_query']);
  return null;
}
