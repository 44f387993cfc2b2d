/**
 * The line of a topic's answer that a follow-up asks about. "harus lapor polisi dulu?" after
 * the lost-passport steps, "I have no smartphone" after the M-Paspor steps: the answer is one
 * line of what the bot already knows about the topic (its reply, its rest, its parts for the
 * applicant's case), and saying "nothing more" would refuse a question the bot can answer.
 *
 * A line is chosen by the words it shares with the question, counting only words that are
 * specific to a line or two of the topic ("polisi", "smartphone", "mpaspor"): words every
 * line uses ("paspor", "biaya") and function words say nothing about which line is meant.
 * No line sharing such a word: no answer (the caller says "nothing more" and offers an officer).
 */
import { composeAnswer } from '../../knowledge/render.js';
import type { AnswerCase } from '../../knowledge/types.js';
import { stems } from '../../nlu/features.js';
import { normalizeTokens } from '../../nlu/normalize.js';
import { ANSWER_ASPECTS } from '../../nlu/types.js';
import type { KnowledgeBase, Language } from '../../knowledge/types.js';

/** A word in more than this share of the topic's lines names none of them ("paspor", "biaya"). */
const COMMON_SHARE = 1 / 2;
/**
 * Each shared word counts 1 / (the number of lines it is in): a word of one line names it, a
 * word of three lines a third of it. The parts repeat the reply's facts ("lapor polisi" is in
 * the steps, the documents and the reply), so two such words still name a line, one alone
 * ("ambil" of "diambil keluarga" and "ambil paling lambat") does not.
 */
const MIN_SCORE = 0.6;
/** Shorter words (after stemming) are particles and abbreviations, not content. */
const MIN_WORD_LENGTH = 3;
/** Headings ("Paspor hilang:") and fragments carry no answer of their own. */
const MIN_LINE_LENGTH = 20;

/** Function words of the normalized text (standard Indonesian, and English the lexicon leaves as is). */
const FUNCTION_WORDS: ReadonlySet<string> = new Set([
  'saya', 'kami', 'kita', 'anda', 'kamu', 'dia', 'mereka', 'bisa', 'dapat', 'harus', 'wajib', 'perlu', 'apa', 'apakah',
  'yang', 'dari', 'dan', 'atau', 'ini', 'itu', 'ada', 'tidak', 'bukan', 'sudah', 'belum', 'mau', 'ingin', 'dulu', 'juga',
  'untuk', 'dengan', 'kalau', 'bagaimana', 'berapa', 'kapan', 'mana', 'dimana', 'lagi', 'kah', 'bila', 'akan', 'oleh',
  'pada', 'saja', 'punya', 'lalu', 'terus', 'masih', 'boleh', 'tolong', 'mohon', 'kak', 'kakak', 'pak', 'bapak', 'ibu',
  'the', 'you', 'your', 'are', 'does', 'can', 'have', 'has', 'for', 'and', 'with', 'what', 'how', 'when', 'where', 'need',
  'this', 'that', 'there', 'will', 'should', 'must', 'not', 'our', 'any',
]);

/**
 * Chat words the lexicon keeps (the classifier learnt them as they are) for the word the
 * answers use: "kalau telat ambil?" asks "Ambil paling lambat 30 hari".
 */
const ANSWER_WORD: Readonly<Record<string, string>> = { telat: 'lambat' };

/** Content words of a text, stemmed as the classifier stems them. */
function contentWords(text: string): Set<string> {
  const words = new Set<string>();
  for (const stem of stems(normalizeTokens(text))) {
    const word = ANSWER_WORD[stem] ?? stem;
    if (word.length >= MIN_WORD_LENGTH && !FUNCTION_WORDS.has(word) && !word.startsWith('<')) words.add(word);
  }
  return words;
}

/** Every line the topic has for this case: its reply and rest, and each of its parts. */
function linesOf(kb: KnowledgeBase, intent: string, language: Language, cases: readonly AnswerCase[]): string[] {
  const texts = [composeAnswer(kb, intent, language, { cases, part: 'full' }).text];
  for (const aspect of ANSWER_ASPECTS) {
    const part = composeAnswer(kb, intent, language, { cases, aspect });
    if (part.aspect === aspect) texts.push(part.text);
  }
  const lines = new Set<string>();
  for (const text of texts) {
    for (const raw of text.split('\n')) {
      const line = raw.trim();
      if (line.length >= MIN_LINE_LENGTH && !line.endsWith(':')) lines.add(line);
    }
  }
  return [...lines];
}

export interface AnsweringLine {
  /** The line, without its list number or bullet. */
  readonly line: string;
  /**
   * How plainly the question names it: 1 or more when it shares a word of this line alone (or
   * two words of a few lines), less when the words are in several lines.
   */
  readonly score: number;
}

/** Names its line plainly: a word of that line alone, or two words of two lines each. */
export const PLAIN_LINE_SCORE = 1;

/**
 * The line of the topic's answer (for the case) that the question asks about; null when no
 * line shares specific words with the question.
 */
export function answeringLine(kb: KnowledgeBase, intent: string, language: Language, cases: readonly AnswerCase[], question: string): AnsweringLine | null {
  if (!kb.intents.has(intent)) return null;
  const asked = contentWords(question);
  if (asked.size === 0) return null;
  const lines = linesOf(kb, intent, language, cases);
  const wordsOfLine = lines.map(contentWords);
  const common = lines.length * COMMON_SHARE;
  const linesWith = new Map<string, number>();
  for (const words of wordsOfLine) for (const word of words) linesWith.set(word, (linesWith.get(word) ?? 0) + 1);
  let best: { line: string; score: number } | null = null;
  lines.forEach((line, i) => {
    let score = 0;
    for (const word of wordsOfLine[i]!) {
      const spread = linesWith.get(word) ?? 0;
      if (asked.has(word) && spread <= common) score += 1 / spread;
    }
    // Ties keep the earlier line: replies put the main fact first.
    if (score >= MIN_SCORE && (best === null || score > best.score + 1e-9)) best = { line, score };
  });
  if (best === null) return null;
  const found = best as { line: string; score: number };
  return { line: found.line.replace(/^(?:\d+\.|•|-)\s*/, ''), score: found.score };
}
