/**
 * Hot reload of the knowledge base: the office edits intents/*.yaml or data/office.yaml and
 * the bot picks it up without a restart. A broken edit never replaces a working knowledge
 * base: the previous one stays in use and the error is reported.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname } from 'node:path';
import { loadKnowledgeBase } from './load.js';
import type { KnowledgeBase } from './types.js';

export interface KnowledgeWatcherOptions {
  /** The intents folder. */
  readonly dir: string;
  readonly officeFile?: string;
  /** A new, valid knowledge base (only when its content changed). */
  readonly onReload: (kb: KnowledgeBase) => void;
  /** A failed reload; the previous knowledge base stays current. */
  readonly onError: (err: unknown) => void;
  /** Quiet period after the last file event before reloading; editors write in bursts. */
  readonly debounceMs?: number;
  /** The knowledge base already loaded at start-up, if any. */
  readonly initial?: KnowledgeBase;
}

export interface KnowledgeWatcher {
  /** Reloads now (the main program calls this on SIGHUP). Returns the current knowledge base. */
  reload(): KnowledgeBase | undefined;
  current(): KnowledgeBase | undefined;
  close(): void;
}

export function createKnowledgeWatcher(options: KnowledgeWatcherOptions): KnowledgeWatcher {
  const officeFile = options.officeFile ?? 'data/office.yaml';
  const debounceMs = options.debounceMs ?? 300;
  let current = options.initial;
  let timer: NodeJS.Timeout | undefined;
  const watchers: FSWatcher[] = [];

  function reload(): KnowledgeBase | undefined {
    let next: KnowledgeBase;
    try {
      next = loadKnowledgeBase(options.dir, officeFile);
    } catch (err) {
      options.onError(err);
      return current;
    }
    if (current?.version !== next.version) {
      current = next;
      options.onReload(next);
    }
    return current;
  }

  function schedule(): void {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      reload();
    }, debounceMs);
  }

  function watchPath(path: string, accept: (name: string | null) => boolean): void {
    try {
      const watcher = watch(path, { persistent: false }, (_event, name) => {
        if (accept(name === null ? null : String(name))) schedule();
      });
      // A deleted folder or an exhausted inotify limit must not crash the bot.
      watcher.on('error', (err) => options.onError(err));
      watchers.push(watcher);
    } catch (err) {
      options.onError(err);
    }
  }

  watchPath(options.dir, (name) => name === null || /\.ya?ml$/.test(name));
  // Watch the office file's folder, not the file: editors replace files by rename.
  const officeName = basename(officeFile);
  watchPath(dirname(officeFile), (name) => name === null || name === officeName);

  return {
    reload,
    current: () => current,
    close() {
      if (timer !== undefined) clearTimeout(timer);
      timer = undefined;
      for (const watcher of watchers) watcher.close();
      watchers.length = 0;
    },
  };
}
