/**
 * Renders an intent's answer for one language, filling `{{office.field}}` placeholders.
 * A line whose field is empty is never guessed: it is replaced, where it stood, by one line
 * naming exactly what is unconfirmed ("Jam layanan: belum ada informasi yang terkonfirmasi
 * ...") and offering an officer, so the confirmed facts around it still read as confirmed.
 *
 * An answer has parts (`composeAnswer`): the default reply, the rest behind "more", one part
 * per aspect (fee, documents, ...), and variants per case (child, lost, abroad, ...).
 */
import { PLACEHOLDER } from './placeholders.js';
import type {
  AnswerCase,
  AnswerRequest,
  Bilingual,
  CaseAnswer,
  ComposedAnswer,
  IntentEntry,
  KnowledgeBase,
  Language,
  RenderedAnswer,
} from './types.js';

/** Said when an office fact is missing and its line names nothing more specific. */
export const UNCONFIRMED_NOTE: Readonly<Record<Language, string>> = {
  id: "Untuk informasi ini kami belum punya data yang terkonfirmasi. Ketik 'petugas' untuk bertanya langsung kepada petugas kami.",
  en: "We do not have confirmed information on this yet. Type 'officer' to ask one of our staff directly.",
};

/** Follows the names of what is unconfirmed: "Jam layanan: ..." */
const UNCONFIRMED_AFTER_LABEL: Readonly<Record<Language, string>> = {
  id: "belum ada informasi yang terkonfirmasi untuk kantor ini. Ketik 'petugas' untuk menanyakannya langsung kepada petugas.",
  en: "we have no confirmed information for this office yet. Type 'officer' to ask our staff directly.",
};

/** What an office field is, for a line that has no "Label:" of its own. */
const FIELD_NAMES: Readonly<Record<string, Readonly<Record<Language, string>>>> = {
  address: { id: 'Alamat kantor', en: 'Office address' },
  maps_url: { id: 'Peta lokasi kantor', en: 'Map of the office' },
  opening_hours: { id: 'Jam layanan', en: 'Service hours' },
  phone: { id: 'Telepon kantor', en: 'Office phone' },
  whatsapp: { id: 'WhatsApp resmi kantor', en: "The office's WhatsApp" },
  instagram: { id: 'Instagram resmi kantor', en: "The office's Instagram" },
  email: { id: 'Email kantor', en: 'Office e-mail' },
  website: { id: 'Situs kantor', en: 'Office website' },
  quota_schedule: { id: 'Jadwal pembukaan kuota di Kupang', en: 'When Kupang opens new quota' },
  express_service: { id: 'Layanan percepatan di Kupang', en: 'Same-day service in Kupang' },
  post_delivery: { id: 'Pengiriman paspor lewat Pos dari Kupang', en: 'Delivery by post from Kupang' },
  priority_hours: { id: 'Jam loket prioritas', en: 'Priority counter hours' },
  eazy_passport_group: { id: 'Jumlah minimal rombongan Eazy Passport', en: 'Minimum group size for Eazy Passport' },
};

/** "Alamat: {{office.address}}", "• Jam loket: {{...}}": the label before the placeholder. */
const LABELLED_LINE = /^\s*(?:[•*-]\s*|\d+\.\s*)?([^:{}]+?)\s*:\s*\{\{/;

export class UnknownIntentError extends Error {
  readonly code = 'UNKNOWN_INTENT';
  constructor(readonly intentId: string) {
    super(`no intent "${intentId}" in the knowledge base`);
    this.name = 'UnknownIntentError';
  }
}

/** The whole answer of an intent (its default reply and the rest): what staff pick as a canned reply. */
export function renderAnswer(kb: KnowledgeBase, intentId: string, language: Language): RenderedAnswer {
  const { text, unconfirmed } = composeAnswer(kb, intentId, language, { part: 'full' });
  return { text, unconfirmed };
}

/**
 * One part of an intent's answer for the applicant's case: with an aspect the intent (or the
 * case) answers, that part; otherwise the default reply; `part: 'more'` the rest (after an
 * aspect's part: the default reply), `part: 'full'` the default reply and the rest.
 */
export function composeAnswer(kb: KnowledgeBase, intentId: string, language: Language, request: AnswerRequest = {}): ComposedAnswer {
  let entry = kb.intents.get(intentId);
  if (entry === undefined) throw new UnknownIntentError(intentId);
  const cases = request.cases ?? [];
  let chosen: { key: AnswerCase; answer: CaseAnswer } | null = null;
  const visited = new Set<string>([entry.id]);
  for (;;) {
    chosen = caseOf(entry, cases);
    const target = chosen?.answer.intent ?? null;
    if (chosen === null || target === null || visited.has(target)) break;
    const next: IntentEntry | undefined = kb.intents.get(target);
    if (next === undefined) break;
    // The case points to another intent ("syarat paspor baru" for a child -> requirements_child).
    visited.add(target);
    entry = next;
    chosen = null;
  }
  const caseAnswer = chosen?.answer ?? null;
  const defaultText: Bilingual = caseAnswer?.answer ?? entry.answer;
  const moreText: Bilingual | null = caseAnswer?.answer ? caseAnswer.more : entry.more;
  const aspect = request.aspect ?? null;
  // A case with an answer of its own is a topic of its own: the intent's general parts
  // (its fee, its documents) do not apply to it; a case with only aspects refines them.
  const aspectText =
    aspect === null ? undefined : (caseAnswer?.aspects[aspect] ?? (caseAnswer?.answer ? undefined : entry.aspects[aspect]));
  const part = request.part ?? 'default';

  let source: string;
  let usedAspect = null as ComposedAnswer['aspect'];
  let hasMore: boolean;
  if (part === 'full') {
    source = moreText ? `${defaultText[language]}\n\n${moreText[language]}` : defaultText[language];
    hasMore = false;
  } else if (part === 'default' && aspectText !== undefined) {
    source = aspectText[language];
    usedAspect = aspect;
    hasMore = true;
  } else if (part === 'more' && aspectText !== undefined) {
    // "More" after an aspect's part: the topic's default reply (which may have a rest of its own).
    source = defaultText[language];
    hasMore = moreText !== null;
  } else if (part === 'more') {
    source = (moreText ?? defaultText)[language];
    hasMore = false;
  } else {
    source = defaultText[language];
    hasMore = moreText !== null;
  }
  const rendered = renderText(source, kb.office, language);
  return { ...rendered, intent: entry.id, case: chosen?.key ?? null, aspect: usedAspect, hasMore };
}

function caseOf(entry: IntentEntry, cases: readonly AnswerCase[]): { key: AnswerCase; answer: CaseAnswer } | null {
  for (const key of cases) {
    const answer = entry.cases[key];
    if (answer !== undefined) return { key, answer };
  }
  return null;
}

/** The placeholder rule on any text (exported for the router's own messages). */
export function renderText(
  text: string,
  office: Readonly<Record<string, string>>,
  language: Language,
): RenderedAnswer {
  let unconfirmed = false;
  const kept: string[] = [];
  // Consecutive lines with missing facts become one line naming them all.
  let missing: string[] = [];
  let unnamed = false;
  const flush = (): void => {
    if (missing.length > 0) kept.push(`${joinNames(missing, language)}: ${UNCONFIRMED_AFTER_LABEL[language]}`);
    else if (unnamed) kept.push(UNCONFIRMED_NOTE[language]);
    missing = [];
    unnamed = false;
  };
  for (const line of text.split('\n')) {
    const empty: string[] = [];
    const filled = line.replace(PLACEHOLDER, (_match, field: string) => {
      const value = office[field]?.trim() ?? '';
      if (value === '') empty.push(field);
      return value;
    });
    if (empty.length === 0) {
      flush();
      kept.push(filled);
      continue;
    }
    unconfirmed = true;
    const label = LABELLED_LINE.exec(line)?.[1]?.trim();
    if (label) missing.push(label);
    else {
      const named = empty.map((field) => FIELD_NAMES[field]?.[language]).filter((name): name is string => name !== undefined);
      if (named.length > 0) missing.push(...named);
      else unnamed = true;
    }
  }
  flush();
  const body = kept.join('\n').replace(/\n{3,}/g, '\n\n').trim();
  return { text: body === '' ? UNCONFIRMED_NOTE[language] : body, unconfirmed };
}

function joinNames(names: readonly string[], language: Language): string {
  const unique = [...new Set(names)];
  if (unique.length === 1) return unique[0]!;
  const last = unique[unique.length - 1]!;
  return `${unique.slice(0, -1).join(', ')} ${language === 'en' ? 'and' : 'dan'} ${last}`;
}
