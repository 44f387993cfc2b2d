import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createKnowledgeWatcher, KnowledgeError, loadKnowledgeBase, type KnowledgeBase } from '../../src/knowledge/index.js';
import { copyKnowledge } from './helpers.js';

let temp: ReturnType<typeof copyKnowledge> | undefined;
afterEach(() => temp?.cleanup());

describe('createKnowledgeWatcher', () => {
  it('reloads a valid edit and keeps the previous knowledge base on a broken one', () => {
    temp = copyKnowledge();
    const initial = loadKnowledgeBase(temp.intents, temp.office);
    const reloads: KnowledgeBase[] = [];
    const errors: unknown[] = [];
    const watcher = createKnowledgeWatcher({
      dir: temp.intents,
      officeFile: temp.office,
      initial,
      onReload: (kb) => reloads.push(kb),
      onError: (err) => errors.push(err),
    });
    try {
      const office = readFileSync(temp.office, 'utf8').replace("address: ''", "address: 'Jl. Uji 1'");
      writeFileSync(temp.office, office);
      const next = watcher.reload();
      expect(next?.office['address']).toBe('Jl. Uji 1');
      expect(reloads).toHaveLength(1);

      writeFileSync(join(temp.intents, 'fees.yaml'), 'id: fees\nanswer: [broken\n');
      const kept = watcher.reload();
      expect(kept).toBe(next);
      expect(watcher.current()).toBe(next);
      expect(errors).toHaveLength(1);
      expect(errors[0]).toBeInstanceOf(KnowledgeError);
      expect((errors[0] as Error).message).toContain('fees.yaml');
    } finally {
      watcher.close();
    }
  });

  it('does not report a reload when nothing changed', () => {
    temp = copyKnowledge();
    const onReload = vi.fn();
    const watcher = createKnowledgeWatcher({
      dir: temp.intents,
      officeFile: temp.office,
      initial: loadKnowledgeBase(temp.intents, temp.office),
      onReload,
      onError: (err) => {
        throw err;
      },
    });
    watcher.reload();
    watcher.close();
    expect(onReload).not.toHaveBeenCalled();
  });

  it('reloads by itself after a file changes (fs.watch + debounce)', async () => {
    temp = copyKnowledge();
    const reloaded = new Promise<KnowledgeBase>((resolve, reject) => {
      const watcher = createKnowledgeWatcher({
        dir: temp!.intents,
        officeFile: temp!.office,
        initial: loadKnowledgeBase(temp!.intents, temp!.office),
        debounceMs: 20,
        onReload: (kb) => {
          watcher.close();
          resolve(kb);
        },
        onError: reject,
      });
      const file = join(temp!.intents, 'thanks.yaml');
      writeFileSync(file, readFileSync(file, 'utf8').replace('Sama-sama, Bapak/Ibu.', 'Sama-sama ya, Bapak/Ibu.'));
    });
    const kb = await reloaded;
    expect(kb.intents.get('thanks')?.answer.id).toContain('Sama-sama ya');
  });
});
