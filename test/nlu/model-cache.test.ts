import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cachedModel, clearModelMemory, modelKey } from '../../src/nlu/model-cache.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'sapa-model-cache-'));
  clearModelMemory();
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  clearModelMemory();
});

const model = (n: number) => ({ weights: Float64Array.from([n, n + 1]), labels: ['a', 'b'], words: new Map([['paspor', n]]) });

describe('kept NLU models', () => {
  it('trains once, then answers from memory, then from disk after a restart', () => {
    let trained = 0;
    const train = () => model(++trained);
    const key = modelKey(['kb-1']);
    expect(cachedModel(key, train, { dir }).source).toBe('trained');
    expect(cachedModel(key, train, { dir }).source).toBe('memory');
    clearModelMemory(); // a new process
    const again = cachedModel(key, train, { dir });
    expect(again.source).toBe('disk');
    expect(again.model).toEqual(model(1));
    expect(trained).toBe(1);
  });

  const DAY = 24 * 60 * 60 * 1000;
  const files = () => readdirSync(dir).filter((name) => name.endsWith('.bin'));

  it('trains anew for another knowledge base, and keeps only the newest few files once the others are unused for a day', () => {
    let at = Date.UTC(2026, 11, 1);
    const now = () => at;
    for (let i = 0; i < 6; i++) {
      cachedModel(modelKey([`kb-${i}`]), () => model(i), { dir, now });
      at += 2 * DAY;
    }
    expect(files()).toHaveLength(4);
  });

  it('never removes a model used within the last day (another process may be reading it)', () => {
    let at = Date.UTC(2026, 11, 1);
    const now = () => at;
    // Six knowledge bases in one day (a test run, or the bot and a command on an edited copy).
    for (let i = 0; i < 6; i++) cachedModel(modelKey([`kb-${i}`]), () => model(i), { dir, now });
    expect(files()).toHaveLength(6);
    // Two days later kb-0 is read again (a restart of the bot), then a new model is written:
    // the newest four by use stay, kb-0 among them; the ones unused for two days go.
    at += 2 * DAY;
    clearModelMemory();
    expect(cachedModel(modelKey(['kb-0']), () => model(99), { dir, now }).source).toBe('disk');
    cachedModel(modelKey(['kb-6']), () => model(6), { dir, now });
    expect(files()).toHaveLength(4);
    clearModelMemory();
    expect(cachedModel(modelKey(['kb-0']), () => model(99), { dir, now }).source).toBe('disk');
  });

  it('retrains when a kept file is damaged, and says so', () => {
    const key = modelKey(['kb-2']);
    cachedModel(key, () => model(1), { dir });
    for (const name of readdirSync(dir)) writeFileSync(join(dir, name), 'not a model');
    clearModelMemory();
    const problems: unknown[] = [];
    const result = cachedModel(key, () => model(2), { dir, onError: (err) => problems.push(err) });
    expect(result.source).toBe('trained');
    expect(result.model).toEqual(model(2));
    expect(problems).toHaveLength(1);
  });

  it('keys differ by every input', () => {
    expect(modelKey(['kb', { epochs: 10 }])).not.toBe(modelKey(['kb', { epochs: 11 }]));
    expect(modelKey(['kb'])).toBe(modelKey(['kb']));
  });
});
