/**
 * Renders an intent's answer for one language, filling `{{office.field}}` placeholders.
 * A line whose field is empty is dropped (never guess an address or opening hours) and one
 * note offering a human officer replaces all dropped lines.
 */
import { PLACEHOLDER } from './placeholders.js';
import type { KnowledgeBase, Language, RenderedAnswer } from './types.js';

/** Said once when office facts are missing; the router maps 'petugas'/'officer' to human_handoff. */
export const UNCONFIRMED_NOTE: Readonly<Record<Language, string>> = {
  id: "Untuk informasi ini kami belum punya data yang terkonfirmasi. Ketik 'petugas' untuk bertanya langsung kepada petugas kami.",
  en: "We do not have confirmed information on this yet. Type 'officer' to ask one of our staff directly.",
};

export class UnknownIntentError extends Error {
  readonly code = 'UNKNOWN_INTENT';
  constructor(readonly intentId: string) {
    super(`no intent "${intentId}" in the knowledge base`);
    this.name = 'UnknownIntentError';
  }
}

export function renderAnswer(kb: KnowledgeBase, intentId: string, language: Language): RenderedAnswer {
  const entry = kb.intents.get(intentId);
  if (entry === undefined) throw new UnknownIntentError(intentId);
  return renderText(entry.answer[language], kb.office, language);
}

/** The placeholder/line-drop rule on any text (exported for the router's own messages). */
export function renderText(
  text: string,
  office: Readonly<Record<string, string>>,
  language: Language,
): RenderedAnswer {
  let unconfirmed = false;
  const kept: string[] = [];
  for (const line of text.split('\n')) {
    let missing = false;
    const filled = line.replace(PLACEHOLDER, (_match, field: string) => {
      const value = office[field]?.trim() ?? '';
      if (value === '') missing = true;
      return value;
    });
    if (missing) unconfirmed = true;
    else kept.push(filled);
  }
  let body = kept.join('\n').replace(/\n{3,}/g, '\n\n').trim();
  if (unconfirmed) body = body === '' ? UNCONFIRMED_NOTE[language] : `${body}\n\n${UNCONFIRMED_NOTE[language]}`;
  return { text: body, unconfirmed };
}
