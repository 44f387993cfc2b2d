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

/** The symbol a money amount becomes ("1jt", "350rb", "950 ribu", "rp 350.000", "650 vs 950"). */
export const MONEY = '<uang>';
/** A number with a money unit glued on: "1jt", "350rb", "1,5juta", "rp350.000", "500k", "350an". */
const GLUED_AMOUNT = /^(?:rp\.?\d[\d.,]*|\d[\d.,]*(?:rb|rbu|ribu|rebu|k|jt|jta|juta|jutaan|an|rupiah|idr))$/;
/** Thousands written out: "950.000", "1.250.000". */
const THOUSANDS = /^\d{1,3}(?:[.,]\d{3})+$/;
const MONEY_UNITS = new Set(['rb', 'rbu', 'ribu', 'rebu', 'jt', 'jta', 'juta', 'jutaan', 'rupiah', 'perak', 'k', 'idr']);
const CURRENCY_BEFORE = new Set(['rp', 'idr', 'bayar', 'harga', 'biaya', 'tarif']);
/** A bare number next to one of these counts something other than money ("72 tahun", "jam 9", "loket 3"). */
const NOT_MONEY_AFTER = new Set([
  'tahun', 'thn', 'th', 'hari', 'jam', 'menit', 'detik', 'minggu', 'bulan', 'orang', 'kali', 'x', 'lembar', 'halaman', 'kb', 'mb', 'gb',
  'persen', 'cm', 'km', 'kg', 'pagi', 'siang', 'sore', 'malam', 'wita', 'wib', 'hari kerja', 'anak', 'paspor', 'buah', 'digit', 'angka',
]);
const NOT_MONEY_BEFORE = new Set([
  'jam', 'pukul', 'tanggal', 'tgl', 'loket', 'nomor', 'no', 'tiket', 'umur', 'usia', 'tahun', 'pp', 'antrian', 'lantai', 'ruang', 'kamar', 'ke',
]);

function isNumber(token: string | undefined): boolean {
  return token !== undefined && /^\d[\d.,]*$/.test(token);
}

/**
 * True when tokens[i] is a money amount. Bare numbers of three or more digits count unless a
 * neighbour says they count days, hours, counters or years: in passport chat they are prices.
 */
export function isAmount(tokens: readonly string[], i: number): boolean {
  const token = tokens[i] ?? '';
  if (GLUED_AMOUNT.test(token) || THOUSANDS.test(token)) return /\d/.test(token);
  if (!isNumber(token)) return false;
  const next = tokens[i + 1];
  const prev = tokens[i - 1];
  if (next !== undefined && MONEY_UNITS.has(next)) return true;
  if (prev !== undefined && CURRENCY_BEFORE.has(prev)) return true;
  if ((next !== undefined && NOT_MONEY_AFTER.has(next)) || (prev !== undefined && NOT_MONEY_BEFORE.has(prev))) return false;
  const digits = token.replace(/[.,]/g, '');
  // Years ("2024") and long ids are not prices; 100..9999 without a unit usually are.
  if (/^(19|20)\d\d$/.test(digits)) return false;
  return digits.length >= 3 && digits.length <= 4;
}

/** Stems of normalized tokens: amounts become one symbol, other numbers another (values vary, the intent does not). */
export function stems(tokens: readonly string[]): string[] {
  const out = new Array<string>(tokens.length);
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    out[i] = isNumeric(token) ? (isAmount(tokens, i) ? MONEY : '<num>') : stem(token);
  }
  return out;
}

const isDigit = (code: number): boolean => code >= 48 && code <= 57;

/** As /^#?\d/ or /^rp\.?\d/, without a regular expression (this runs for every token). */
function isNumeric(token: string): boolean {
  const first = token.charCodeAt(0);
  if (isDigit(first)) return true;
  if (first === 35 /* # */) return isDigit(token.charCodeAt(1));
  if (first !== 114 /* r */ || token.charCodeAt(1) !== 112 /* p */) return false;
  return isDigit(token.charCodeAt(2)) || (token.charCodeAt(2) === 46 /* . */ && isDigit(token.charCodeAt(3)));
}

function addGroup(target: Map<string, number>, keys: readonly string[], weight: number): void {
  if (keys.length === 0) return;
  const distinct = new Set<string>(keys);
  // Binary presence, scaled so a group's total L2 norm equals its weight: long and short
  // messages then weigh the same.
  const scale = weight / Math.sqrt(distinct.size);
  for (const key of distinct) target.set(key, (target.get(key) ?? 0) + scale);
}

/**
 * Character n-gram keys of one token, in the order they are generated. Applicants repeat
 * the same words, so the keys are cached: building and hashing these short strings was
 * most of the cost of classifying a message.
 */
const gramCache = new Map<string, readonly string[]>();
const GRAM_CACHE_LIMIT = 50_000;

function tokenGrams(token: string, minGram: number, maxGram: number): readonly string[] {
  const cacheKey = `${minGram}|${maxGram}|${token}`;
  const cached = gramCache.get(cacheKey);
  if (cached !== undefined) return cached;
  const grams: string[] = [];
  const padded = ` ${/^#?\d/.test(token) || /^rp\.?\d/.test(token) ? '0' : token} `;
  for (let n = minGram; n <= maxGram; n++) {
    for (let i = 0; i + n <= padded.length; i++) grams.push(`c:${padded.slice(i, i + n)}`);
  }
  if (gramCache.size >= GRAM_CACHE_LIMIT) gramCache.clear();
  gramCache.set(cacheKey, grams);
  return grams;
}

export function extractFeatures(tokens: readonly string[], options: FeatureOptions = DEFAULT_FEATURE_OPTIONS): FeatureVector {
  const features = new Map<string, number>();
  const stemmed = stems(tokens);
  const words: string[] = stemmed.map((s) => `w:${s}`);
  for (let i = 0; i + 1 < stemmed.length; i++) words.push(`b:${stemmed[i]}_${stemmed[i + 1]}`);
  addGroup(features, words, options.wordWeight);

  const grams: string[] = [];
  for (const token of tokens) {
    for (const gram of tokenGrams(token, options.minGram, options.maxGram)) grams.push(gram);
  }
  addGroup(features, grams, options.charWeight);
  return features;
}

/** Features of one message resolved to model ids: `ids[i]` with value `values[i]`, i < `count`. */
export interface EncodedFeatures {
  readonly ids: Int32Array;
  readonly values: Float64Array;
  readonly count: number;
}

/** Distinct feature keys remembered by an encoder before it starts afresh (bounds memory). */
const ENCODER_KEY_LIMIT = 200_000;

/**
 * `extractFeatures` for classifying, without building its map: every feature key (known to
 * the model or not) is interned to a small integer once, each token's n-gram keys are cached
 * as those integers, and duplicates are found with a per-message stamp. The result lists the
 * distinct features in the order `extractFeatures` inserts them, with the same values, so
 * `SoftmaxModel.predictSparse` gives exactly what `predict(extractFeatures(...))` gives.
 * The returned arrays are reused by the next call.
 *
 * Several models reading the same feature keys (the intent model and the complaint scorer:
 * same stems, bigrams and n-gram lengths, other weights) share one `FeatureKeys`: the keys of
 * a message are found once, and each model only resolves them to its own ids and weights.
 */
export function createFeatureEncoder(
  featureIndex: ReadonlyMap<string, number>,
  options: FeatureOptions = DEFAULT_FEATURE_OPTIONS,
  keys: FeatureKeys = createFeatureKeys(options),
): (tokens: readonly string[], stemmed?: readonly string[]) => EncodedFeatures {
  if (keys.minGram !== options.minGram || keys.maxGram !== options.maxGram) {
    throw new Error('a shared FeatureKeys must use the same n-gram lengths as every model reading it');
  }
  const model = keys.register(featureIndex);
  let ids = new Int32Array(256);
  let values = new Float64Array(256);
  return (tokens, stemmed) => {
    const message = keys.read(tokens, stemmed);
    const { order, count, wordCount } = message;
    if (count > ids.length) {
      ids = new Int32Array(count * 2);
      values = new Float64Array(count * 2);
    }
    const modelIds = model.ids();
    // Binary presence, scaled so a group's total L2 norm equals its weight (as addGroup).
    const emit = (from: number, to: number, weight: number): void => {
      if (to === from) return;
      const value = weight / Math.sqrt(to - from);
      for (let i = from; i < to; i++) {
        ids[i] = modelIds[order[i]!]!;
        values[i] = value;
      }
    };
    emit(0, wordCount, options.wordWeight);
    emit(wordCount, count, options.charWeight);
    return { ids, values, count };
  };
}

/** The distinct feature keys of one message as interned ids: words and bigrams first, then n-grams. */
export interface MessageKeys {
  readonly order: Int32Array;
  readonly count: number;
  /** order[0, wordCount) are the word group, order[wordCount, count) the character group. */
  readonly wordCount: number;
}

export interface FeatureKeys {
  readonly minGram: number;
  readonly maxGram: number;
  /** A model's view: `ids()[key]` is its feature id of an interned key (-1 when unknown to it). */
  register(featureIndex: ReadonlyMap<string, number>): { ids(): Int32Array };
  /** The keys of a message; the same `tokens` array read twice in a row is read once. */
  read(tokens: readonly string[], stemmed?: readonly string[]): MessageKeys;
}

export function createFeatureKeys(options: Pick<FeatureOptions, 'minGram' | 'maxGram'>): FeatureKeys {
  let keys = new Map<string, number>();
  let capacity = 1024;
  let stamps = new Int32Array(capacity);
  let stamp = 0;
  let wordKeys = new Map<string, number>();
  let bigramKeys = new Map<number, number>();
  let tokenKeys = new Map<string, Int32Array>();
  let order = new Int32Array(256);
  let count = 0;
  let wordCount = 0;
  let lastTokens: readonly string[] | null = null;
  const models: { index: ReadonlyMap<string, number>; ids: Int32Array }[] = [];

  const reset = (): void => {
    keys = new Map();
    wordKeys = new Map();
    bigramKeys = new Map();
    tokenKeys = new Map();
    stamps.fill(0);
    stamp = 0;
    lastTokens = null;
  };

  const intern = (key: string): number => {
    let id = keys.get(key);
    if (id !== undefined) return id;
    id = keys.size;
    keys.set(key, id);
    if (id >= capacity) {
      capacity *= 2;
      const grownStamps = new Int32Array(capacity);
      grownStamps.set(stamps);
      stamps = grownStamps;
      for (const model of models) {
        const grown = new Int32Array(capacity);
        grown.set(model.ids);
        model.ids = grown;
      }
    }
    for (const model of models) model.ids[id] = model.index.get(key) ?? -1;
    return id;
  };

  const wordKey = (stemmed: string): number => {
    let id = wordKeys.get(stemmed);
    if (id === undefined) {
      id = intern(`w:${stemmed}`);
      wordKeys.set(stemmed, id);
    }
    return id;
  };

  const gramKeys = (token: string): Int32Array => {
    let cached = tokenKeys.get(token);
    if (cached === undefined) {
      const grams = tokenGrams(token, options.minGram, options.maxGram);
      cached = new Int32Array(grams.length);
      for (let i = 0; i < grams.length; i++) cached[i] = intern(grams[i]!);
      tokenKeys.set(token, cached);
    }
    return cached;
  };

  const add = (key: number): void => {
    if (stamps[key] === stamp) return;
    stamps[key] = stamp;
    if (count >= order.length) {
      const grownOrder = new Int32Array(order.length * 2);
      grownOrder.set(order);
      order = grownOrder;
    }
    order[count++] = key;
  };

  const message = { get order() { return order; }, get count() { return count; }, get wordCount() { return wordCount; } };

  return {
    minGram: options.minGram,
    maxGram: options.maxGram,
    register(index) {
      const model = { index, ids: new Int32Array(capacity) };
      for (const [key, id] of keys) model.ids[id] = index.get(key) ?? -1;
      models.push(model);
      lastTokens = null;
      return { ids: () => model.ids };
    },
    read(tokens, stemmedTokens) {
      if (tokens === lastTokens) return message;
      if (keys.size > ENCODER_KEY_LIMIT) reset();
      stamp += 1;
      if (stamp === 0x7fffffff) {
        stamps.fill(0);
        stamp = 1;
      }
      count = 0;
      const stemmed = stemmedTokens ?? stems(tokens);
      const words = new Int32Array(stemmed.length);
      for (let i = 0; i < stemmed.length; i++) {
        words[i] = wordKey(stemmed[i]!);
        add(words[i]!);
      }
      for (let i = 0; i + 1 < stemmed.length; i++) {
        // Word keys are unique per stem, so the pair of them names the bigram "b:<a>_<b>".
        const pair = words[i]! * 0x200000 + words[i + 1]!;
        let id = bigramKeys.get(pair);
        if (id === undefined) {
          id = intern(`b:${stemmed[i]}_${stemmed[i + 1]}`);
          bigramKeys.set(pair, id);
        }
        add(id);
      }
      wordCount = count;
      for (const token of tokens) {
        const grams = gramKeys(token);
        for (let i = 0; i < grams.length; i++) add(grams[i]!);
      }
      lastTokens = tokens;
      return message;
    },
  };
}
