/**
 * Trained models, kept so that training happens once per knowledge base, not once per start.
 *
 * Training on the full knowledge base (thousands of long labelled examples) takes seconds;
 * loading its result takes milliseconds. A model is identified by everything it is computed
 * from: the knowledge base's content hash, the lexicon, the options, the compiled NLU code
 * and the Node.js major version (v8's serialization format). Any change to one of them is a
 * new key, so a stale model is never used. Models are kept in memory (tests and reloads build
 * many classifiers over the same knowledge base) and, when a directory is given, on disk
 * (written atomically: a crash mid-write leaves no half file under the final name).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';

/** Distinct trained models kept in memory per process (each is a few megabytes). */
const MEMORY_LIMIT = 4;
/** Model files are named by key; beyond the newest few they are removed when a new one is written. */
const FILE_PREFIX = 'nlu-model-';
const FILES_KEPT = 4;
/**
 * A model file read or written this recently may be in use by another process sharing the
 * folder (the bot and a `sapa` command on an edited copy of intents/, or many test processes):
 * it is never removed, however many newer ones there are. Reading a model marks it used.
 */
const IN_USE_MS = 24 * 60 * 60 * 1000;

const memory = new Map<string, unknown>();

let codeHash: string | undefined;

/** Hash of the compiled NLU modules: a code change must never reuse a model trained by old code. */
function nluCodeHash(): string {
  if (codeHash !== undefined) return codeHash;
  const hash = createHash('sha256');
  const dir = dirname(fileURLToPath(import.meta.url));
  for (const name of readdirSync(dir).sort()) {
    if (!name.endsWith('.js') && !name.endsWith('.ts')) continue;
    hash.update(name).update('\0').update(readFileSync(join(dir, name))).update('\0');
  }
  codeHash = hash.digest('hex');
  return codeHash;
}

export function modelKey(parts: readonly unknown[]): string {
  const hash = createHash('sha256');
  hash.update(nluCodeHash()).update('\0').update(process.versions.node.split('.')[0] ?? '');
  for (const part of parts) hash.update('\0').update(typeof part === 'string' ? part : JSON.stringify(part));
  return hash.digest('hex').slice(0, 32);
}

export type ModelSource = 'trained' | 'memory' | 'disk';

export interface CacheOptions {
  /** Where trained models are kept between runs; memory only when absent. */
  readonly dir?: string;
  /** Told when the disk cache cannot be read or written (the model is then trained or kept in memory). */
  readonly onError?: (err: unknown) => void;
  /** The clock that dates the files' use (tests); default Date.now. */
  readonly now?: () => number;
}

/**
 * The model for `key`: from memory, else from disk, else `train()` (then kept in both).
 * `T` must be what v8's structured serialization keeps (plain objects, arrays, typed arrays, Maps, Sets).
 */
export function cachedModel<T>(key: string, train: () => T, options: CacheOptions = {}): { model: T; source: ModelSource } {
  const held = memory.get(key);
  if (held !== undefined) return { model: held as T, source: 'memory' };
  const file = options.dir === undefined ? undefined : join(options.dir, `${FILE_PREFIX}${key}.bin`);
  if (file !== undefined) {
    try {
      const model = deserialize(readFileSync(file)) as T;
      remember(key, model);
      markUsed(file, options.now);
      return { model, source: 'disk' };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') options.onError?.(err);
    }
  }
  const model = train();
  remember(key, model);
  if (file !== undefined && options.dir !== undefined) save(options.dir, file, model, options);
  return { model, source: 'trained' };
}

/** Dates the file's last use by our clock (not the file system's), so ages compare alike. */
function markUsed(file: string, now: () => number = Date.now): void {
  try {
    const seconds = now() / 1000;
    utimesSync(file, seconds, seconds);
  } catch {
    // Only the pruning of other processes depends on it: a model kept a little less long.
  }
}

function remember(key: string, model: unknown): void {
  if (memory.size >= MEMORY_LIMIT) memory.delete(memory.keys().next().value!);
  memory.set(key, model);
}

function save(dir: string, file: string, model: unknown, options: CacheOptions): void {
  const { onError } = options;
  const now = options.now ?? Date.now;
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(temporary, serialize(model), { mode: 0o600 });
    renameSync(temporary, file);
    markUsed(file, now);
    // Models of earlier knowledge bases are dead weight: keep the newest few (the running bot's,
    // and those of other builds sharing the folder, such as the tests' sources and dist/), and
    // any used within IN_USE_MS (removing one a running process still reads would make it train).
    const kept = readdirSync(dir)
      .filter((name) => name.startsWith(FILE_PREFIX) && !name.endsWith('.tmp'))
      .map((name) => ({ path: join(dir, name), at: statSync(join(dir, name)).mtimeMs }))
      .sort((a, b) => b.at - a.at);
    for (const old of kept.slice(FILES_KEPT)) if (now() - old.at > IN_USE_MS) unlinkSync(old.path);
  } catch (err) {
    onError?.(err);
    try {
      unlinkSync(temporary);
    } catch {
      // Nothing was written, or it is already gone: there is nothing left to clean up.
    }
  }
}

/** Forgets models held in memory (tests of the cache itself). */
export function clearModelMemory(): void {
  memory.clear();
}
