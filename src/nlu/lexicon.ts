/**
 * Our own lexicon (data/lexicon/*.yaml): chat abbreviations, slang, Kupang Malay and common
 * English words mapped to standard Indonesian. Keys may be several words ("kapan su").
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { z } from 'zod';

export interface Lexicon {
  /** Normalized key (lowercase, single spaces) -> replacement text ('' drops the words). */
  readonly entries: ReadonlyMap<string, string>;
  /** Longest key length in words, bounds the greedy phrase match. */
  readonly maxPhraseWords: number;
}

export class LexiconError extends Error {
  constructor(
    message: string,
    readonly file: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'LexiconError';
  }
}

const lexiconFileSchema = z.record(z.string(), z.union([z.string(), z.null()]));

export function createLexicon(map: Readonly<Record<string, string>>): Lexicon {
  const entries = new Map<string, string>();
  let maxPhraseWords = 1;
  for (const [rawKey, rawValue] of Object.entries(map)) {
    const key = rawKey.toLowerCase().trim().replace(/\s+/g, ' ');
    if (key === '') continue;
    entries.set(key, rawValue.toLowerCase().trim().replace(/\s+/g, ' '));
    maxPhraseWords = Math.max(maxPhraseWords, key.split(' ').length);
  }
  return { entries, maxPhraseWords };
}

/** Reads every *.yaml in `dir`; later files (alphabetical) override earlier keys. */
export function loadLexicon(dir: string = defaultLexiconDir()): Lexicon {
  const files = readdirSync(dir)
    .filter((name) => name.endsWith('.yaml') || name.endsWith('.yml'))
    .sort();
  const merged: Record<string, string> = {};
  for (const name of files) {
    const file = join(dir, name);
    let data: unknown;
    try {
      data = parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new LexiconError(`${file}: not valid YAML (${(err as Error).message})`, file, { cause: err });
    }
    const result = lexiconFileSchema.safeParse(data ?? {});
    if (!result.success) {
      const issue = result.error.issues[0];
      const where = issue?.path.join('.') ?? '';
      throw new LexiconError(`${file}: ${where ? `entry "${where}" ` : ''}${issue?.message ?? 'invalid'}`, file);
    }
    for (const [key, value] of Object.entries(result.data)) merged[key] = value ?? '';
  }
  return createLexicon(merged);
}

/** data/lexicon of the package, found by walking up from this file (works from src/ and dist/). */
export function defaultLexiconDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'data', 'lexicon');
    dir = dirname(dir);
  }
  return join(process.cwd(), 'data', 'lexicon');
}

let cachedDefault: Lexicon | undefined;

/** The package lexicon, read once. */
export function defaultLexicon(): Lexicon {
  cachedDefault ??= loadLexicon();
  return cachedDefault;
}
