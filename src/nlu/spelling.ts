/**
 * Typo correction against the knowledge base's own vocabulary: a word the training texts
 * never use is replaced by the known word it most likely misspells ("pasport" -> "paspor",
 * "aplikssi" -> "aplikasi", "pspr" -> "paspor"). Candidates are found the SymSpell way
 * (every known word indexed by its one- and two-letter deletions, so a lookup is a handful of
 * map reads), ranked by how the typo was made: a neighbouring key or a swapped pair costs
 * less than an unrelated letter, and a word typed without its vowels ("tdk", "sdh") is matched
 * on its consonant skeleton. Frequent words win ties. Short words (under 4 letters) and
 * numbers are left alone: too many real words are one letter apart.
 */

/** Letters next to each other on a QWERTY phone keyboard (the layout applicants use). */
const KEYBOARD_ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
const NEIGHBOURS = new Map<string, Set<string>>();
for (let row = 0; row < KEYBOARD_ROWS.length; row++) {
  const keys = KEYBOARD_ROWS[row]!;
  for (let i = 0; i < keys.length; i++) {
    const near = new Set<string>();
    if (i > 0) near.add(keys[i - 1]!);
    if (i + 1 < keys.length) near.add(keys[i + 1]!);
    for (const other of [KEYBOARD_ROWS[row - 1], KEYBOARD_ROWS[row + 1]]) {
      if (other === undefined) continue;
      for (const j of [i - 1, i, i + 1]) if (other[j] !== undefined) near.add(other[j]!);
    }
    NEIGHBOURS.set(keys[i]!, near);
  }
}

const VOWELS = /[aeiou]/g;
const WORD = /^\p{L}+$/u;
const MIN_LENGTH = 4;
/** Words of this length or more may be two edits away; shorter ones only one. */
const TWO_EDITS_FROM = 7;
/** A correction goes only to a word the training texts use this often: rarer ones are too often a wrong guess. */
const MIN_TARGET_COUNT = 3;
/** Corrections remembered per process (applicants repeat the same typos). */
const CACHE_LIMIT = 20_000;

export interface SpellingCorrector {
  /** The token, or the known word it misspells. */
  correct(token: string): string;
  /** Whether the vocabulary knows the word as it is. */
  knows(token: string): boolean;
}

function deletions(word: string, depth: number, into: Set<string>): void {
  if (depth === 0 || word.length <= 2) return;
  for (let i = 0; i < word.length; i++) {
    const shorter = word.slice(0, i) + word.slice(i + 1);
    if (!into.has(shorter)) {
      into.add(shorter);
      deletions(shorter, depth - 1, into);
    }
  }
}

/** The consonant skeleton: "paspor" -> "pspr", "tidak" -> "tdk" (first letter kept even if a vowel). */
function skeleton(word: string): string {
  return word[0]! + word.slice(1).replace(VOWELS, '');
}

/**
 * Weighted Damerau-Levenshtein distance: a neighbouring key or an adjacent swap costs 0.5,
 * a doubled or dropped letter 0.75, anything else 1.
 */
export function typoDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array<number>(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const ca = a[i - 1]!;
      const cb = b[j - 1]!;
      const substitution = ca === cb ? 0 : NEIGHBOURS.get(ca)?.has(cb) ? 0.5 : 1;
      const insertion = j >= 2 && b[j - 2] === cb ? 0.75 : 1;
      const deletion = i >= 2 && a[i - 2] === ca ? 0.75 : 1;
      let best = Math.min(d[(i - 1) * cols + j]! + deletion, d[i * cols + j - 1]! + insertion, d[(i - 1) * cols + j - 1]! + substitution);
      if (i > 1 && j > 1 && ca === b[j - 2] && a[i - 2] === cb) best = Math.min(best, d[(i - 2) * cols + j - 2]! + 0.5);
      d[i * cols + j] = best;
    }
  }
  return d[rows * cols - 1]!;
}

/** Builds a corrector over known words with their frequencies (how often the training texts use them). */
export function createSpellingCorrector(frequencies: ReadonlyMap<string, number>): SpellingCorrector {
  const byDeletion = new Map<string, string[]>();
  const bySkeleton = new Map<string, string>();
  const index = (key: string, word: string): void => {
    const list = byDeletion.get(key);
    if (list === undefined) byDeletion.set(key, [word]);
    else if (!list.includes(word)) list.push(word);
  };
  for (const word of frequencies.keys()) {
    if (word.length < MIN_LENGTH || !WORD.test(word)) continue;
    index(word, word);
    const deleted = new Set<string>();
    deletions(word, word.length >= TWO_EDITS_FROM ? 2 : 1, deleted);
    for (const key of deleted) index(key, word);
    const bone = skeleton(word);
    // The most frequent word owns a skeleton ("tdk" is "tidak", not "tadika").
    const owner = bySkeleton.get(bone);
    if (bone.length >= 2 && (owner === undefined || (frequencies.get(owner) ?? 0) < (frequencies.get(word) ?? 0))) bySkeleton.set(bone, word);
  }

  const cache = new Map<string, string>();
  const lookup = (token: string): string => {
    const candidates = new Set<string>(byDeletion.get(token) ?? []);
    const deleted = new Set<string>();
    deletions(token, token.length >= TWO_EDITS_FROM ? 2 : 1, deleted);
    for (const key of deleted) for (const word of byDeletion.get(key) ?? []) candidates.add(word);
    const limit = token.length >= TWO_EDITS_FROM ? 1.5 : 1;
    let best: string | null = null;
    let bestScore = Infinity;
    for (const word of candidates) {
      const distance = typoDistance(token, word);
      if (distance > limit || (frequencies.get(word) ?? 0) < MIN_TARGET_COUNT) continue;
      // Distance first; among equals the more frequent word.
      const score = distance - Math.log10(1 + (frequencies.get(word) ?? 0)) / 100;
      if (score < bestScore) {
        best = word;
        bestScore = score;
      }
    }
    if (best !== null) return best;
    // Typed without vowels: "pspr", "sdh", "blm".
    if (!/[aeiou]/.test(token.slice(1))) return bySkeleton.get(token) ?? token;
    return token;
  };

  return {
    knows: (token) => frequencies.has(token),
    correct(token) {
      if (token.length < MIN_LENGTH || frequencies.has(token) || !WORD.test(token)) return token;
      const held = cache.get(token);
      if (held !== undefined) return held;
      const corrected = lookup(token);
      if (cache.size >= CACHE_LIMIT) cache.clear();
      cache.set(token, corrected);
      return corrected;
    },
  };
}
