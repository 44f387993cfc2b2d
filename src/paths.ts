/**
 * The repository root, found by walking up from this file to package.json, so paths
 * work the same from src/ (tests) and dist/src/ (the built program).
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'intents'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
}

export const REPO_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

/** Resolves a path from configuration: absolute as is, relative to the working directory. */
export function resolveFromCwd(path: string): string {
  return resolve(process.cwd(), path);
}

export function repoPath(...segments: string[]): string {
  return join(REPO_ROOT, ...segments);
}

/** Trained NLU models live beside the database (`data/cache/` for the default `data/sapa.db`). */
export function modelCacheDirOf(dbPath: string): string {
  return join(dirname(resolveFromCwd(dbPath)), 'cache');
}
