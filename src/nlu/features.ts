/**
 * Feature extraction for the intent model: stemmed words (natural's StemmerId, stop words
 * kept because "berapa", "kapan", "cara", "sudah" carry the intent), stem bigrams, and
 * character n-grams of the normalized text, which absorb typos the lexicon does not know.
 */
import { indonesianStemmer } from './natural.js';

export type FeatureVector = ReadonlyMap<string, number>;

export interface FeatureOptions {
  /** Weight of the word group (unigrams + bigrams) relative to the character group. */
  readonly wordWeight: number;
  readonly charWeight: number;
  readonly minGram: number;
  readonly maxGram: number;
}

export const DEFAULT_FEATURE_OPTIONS: FeatureOptions = { wordWeight: 1, charWeight: 0.8, minGram: 3, maxGram: 5 };

/** Stemming is slow (dictionary lookups); applicants repeat the same words. */
const stemCache = new Map<string, string>();
const STEM_CACHE_LIMIT = 50_000;

export function stem(token: string): string {
  const cached = stemCache.get(token);
  if (cached !== undefined) return cached;
  // Numbers, "#12" and very short tokens are left as they are.
  const result = /^[\p{L}]{4,}$/u.test(token) ? indonesianStemmer.stem(token) || token : token;
  if (stemCache.size >= STEM_CACHE_LIMIT) stemCache.clear();
  stemCache.set(token, result);
  return result;
}

/** Stems of normalized tokens, numbers collapsed to one symbol (amounts vary, the intent does not). */
export function stems(tokens: readonly string[]): string[] {
  return tokens.map((token) => (/^#?\d/.test(token) ? '<num>' : stem(token)));
}

function addGroup(target: Map<string, number>, keys: readonly string[], weight: number): void {
  if (keys.length === 0) return;
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, 1);
  // Binary presence, scaled so a group's total L2 norm equals its weight: long and short
  // messages then weigh the same.
  const scale = weight / Math.sqrt(counts.size);
  for (const key of counts.keys()) target.set(key, (target.get(key) ?? 0) + scale);
}

export function extractFeatures(tokens: readonly string[], options: FeatureOptions = DEFAULT_FEATURE_OPTIONS): FeatureVector {
  const features = new Map<string, number>();
  const stemmed = stems(tokens);
  const words: string[] = stemmed.map((s) => `w:${s}`);
  for (let i = 0; i + 1 < stemmed.length; i++) words.push(`b:${stemmed[i]}_${stemmed[i + 1]}`);
  addGroup(features, words, options.wordWeight);

  const grams: string[] = [];
  for (const token of tokens) {
    const padded = ` ${/^#?\d/.test(token) ? '0' : token} `;
    for (let n = options.minGram; n <= options.maxGram; n++) {
      for (let i = 0; i + n <= padded.length; i++) grams.push(`c:${padded.slice(i, i + n)}`);
    }
  }
  addGroup(features, grams, options.charWeight);
  return features;
}
