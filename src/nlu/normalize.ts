/**
 * Text normalizer: turns chat Indonesian, Kupang Malay and English shorthand into plain,
 * lowercase standard Indonesian tokens, so the classifier sees one vocabulary.
 * It never throws: input comes straight from applicants.
 */
import { defaultLexicon, type Lexicon } from './lexicon.js';

/** Zero-width and formatting characters that split words invisibly. */
const INVISIBLE = /[\u00AD\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\uFEFF]/g;
// Control characters become spaces (a newline separates words).
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F-\u009F]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** A run of three or more of the same letter: "gagalll" -> "gagal". Two are kept ("maaf"). */
const REPEATED_LETTERS = /(\p{L})\1{2,}/gu;
/** Chat reduplication: "dikirim2" -> "dikirim dikirim". Needs 2+ letters so "2 hari" and "12" stay. */
const REDUPLICATION = /^(\p{L}{2,})2$/u;
/** Words that look reduplicated but are not ("ke2" = "kedua"). */
const NOT_REDUPLICATION = new Set(['ke']);
/** Tokens: letters/digits, numbers with inner . or , ("950.000"), an optional leading "#". */
const TOKEN = /#?[\p{L}\p{N}]+(?:[.,][\p{N}]+)*/gu;

/** Chat particles that carry tone, not meaning. "kok" and "kan" stay: they signal questions. */
const PARTICLES = new Set(['dong', 'donk', 'dunk', 'sih', 'si', 'deh', 'nih', 'tuh', 'yah', 'ya', 'yaa', 'lah', 'kah', 'toh', 'loh', 'lho', 'e', 'ee', 'eh', 'ehh', 'nah', 'wkwk', 'hehe', 'haha', 'hihi']);

/** Words ending in "nya" where it is part of the word. */
const NYA_WORDS = new Set(['tanya', 'punya', 'hanya', 'bertanya', 'ditanya', 'menanya', 'nanya', 'tanyanya', 'sanya', 'senya', 'ranya', 'kenya', 'bunya']);
/** Bases that take the -kah / -lah particle in questions and pleas: only these are stripped. */
const PARTICLE_BASES = new Set([
  'apa', 'berapa', 'bisa', 'kapan', 'dimana', 'mana', 'siapa', 'bagaimana', 'tolong', 'ada', 'sudah',
  'benar', 'boleh', 'harus', 'perlu', 'cepat', 'mohon', 'coba', 'masih', 'belum', 'apakah', 'bisakah',
]);

export interface NormalizeOptions {
  readonly lexicon?: Lexicon;
}

/** Cleans the raw string: well-formed Unicode, NFKC, lowercase, no control or invisible chars. */
export function cleanText(text: string): string {
  return text
    .replace(LONE_SURROGATE, ' ')
    .normalize('NFKC')
    .toLowerCase()
    .replace(INVISIBLE, '')
    .replace(CONTROL, ' ');
}

/** True when some character occurs three times in a row (a cheap pre-check for REPEATED_LETTERS). */
function hasTripledChar(token: string): boolean {
  for (let i = 2; i < token.length; i++) {
    const c = token.charCodeAt(i);
    if (c === token.charCodeAt(i - 1) && c === token.charCodeAt(i - 2)) return true;
  }
  return false;
}

/** Splits cleaned text into tokens, with repeated letters collapsed and "2" reduplication expanded. */
export function tokenize(cleaned: string): string[] {
  const tokens: string[] = [];
  for (const match of cleaned.matchAll(TOKEN)) {
    // The regular expressions run only where they can match (a tripled character, a final "2"):
    // most tokens have neither, and this loop runs for every message.
    const token = hasTripledChar(match[0]) ? match[0].replace(REPEATED_LETTERS, '$1') : match[0];
    const redup = token.charCodeAt(token.length - 1) === 50 /* "2" */ ? REDUPLICATION.exec(token) : null;
    if (redup?.[1] !== undefined && !NOT_REDUPLICATION.has(redup[1])) {
      tokens.push(redup[1], redup[1]);
    } else {
      tokens.push(token);
    }
  }
  return tokens;
}

/** Removes a clitic particle or possessive ("paspornya", "bisakah") when it is safe. */
export function stripSuffix(token: string): string {
  if (token.length > 5 && token.endsWith('nya') && !NYA_WORDS.has(token)) return token.slice(0, -3);
  if (token.length > 4 && (token.endsWith('kah') || token.endsWith('lah'))) {
    const base = token.slice(0, -3);
    if (PARTICLE_BASES.has(base)) return base;
  }
  return token;
}

/** First words of a lexicon's multi-word keys: a phrase can only start at one of these. */
const phraseStarts = new WeakMap<ReadonlyMap<string, string>, { size: number; starts: Set<string> }>();

function phraseStartsOf(entries: ReadonlyMap<string, string>): Set<string> {
  const known = phraseStarts.get(entries);
  if (known && known.size === entries.size) return known.starts;
  const starts = new Set<string>();
  for (const key of entries.keys()) {
    const space = key.indexOf(' ');
    if (space >= 0) starts.add(key.slice(0, space));
  }
  phraseStarts.set(entries, { size: entries.size, starts });
  return starts;
}

/** Maps tokens through the lexicon with a greedy longest-phrase match. */
export function applyLexicon(tokens: readonly string[], lexicon: Lexicon): string[] {
  const out: string[] = [];
  const starts = phraseStartsOf(lexicon.entries);
  let i = 0;
  while (i < tokens.length) {
    let matched = false;
    // Phrases of several words are tried only where one can start (a token has no spaces).
    const first = tokens[i];
    const longest = typeof first === 'string' && !first.includes(' ') && !starts.has(first) ? 1 : lexicon.maxPhraseWords;
    for (let n = Math.min(longest, tokens.length - i); n >= 1; n--) {
      const phrase = tokens.slice(i, i + n).join(' ');
      const replacement = lexicon.entries.get(phrase);
      if (replacement !== undefined) {
        if (replacement !== '') out.push(...replacement.split(' '));
        i += n;
        matched = true;
        break;
      }
    }
    if (matched) continue;
    const token = tokens[i] ?? '';
    i += 1;
    if (PARTICLES.has(token)) continue;
    const stripped = stripSuffix(token);
    const replacement = lexicon.entries.get(stripped);
    if (replacement === undefined) out.push(stripped);
    else if (replacement !== '') out.push(...replacement.split(' '));
  }
  return out;
}

/** Normalized tokens of a message. */
export function normalizeTokens(text: string, options: NormalizeOptions = {}): string[] {
  const lexicon = options.lexicon ?? defaultLexicon();
  return applyLexicon(tokenize(cleanText(text)), lexicon).filter((token) => !PARTICLES.has(token));
}

/**
 * Normalized message: lowercase standard Indonesian words separated by single spaces.
 * "Gmn sy udh dikirim2 tp gagalll" -> "bagaimana saya sudah dikirim dikirim tapi gagal".
 */
export function normalize(text: string, options: NormalizeOptions = {}): string {
  return normalizeTokens(text, options).join(' ');
}
