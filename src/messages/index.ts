import type { Language } from '../knowledge/types.js';
import { messagesEn } from './en.js';
import { messagesId } from './id.js';
import type { Messages } from './types.js';

export type { MediaFacts, Messages, SelfHelpFacts, StatusFacts, TicketReplyFacts, VoiceRefusalReason } from './types.js';

export function messagesFor(language: Language): Messages {
  return language === 'en' ? messagesEn : messagesId;
}
