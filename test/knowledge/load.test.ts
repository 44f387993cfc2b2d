import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { CORE_INTENT_IDS, KnowledgeError, loadKnowledgeBase, MIN_CORE_UTTERANCES } from '../../src/knowledge/index.js';
import { copyKnowledge } from './helpers.js';

let temp: ReturnType<typeof copyKnowledge> | undefined;
afterEach(() => temp?.cleanup());

function edit(file: string, change: (data: Record<string, unknown>) => void): void {
  const data = parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  change(data);
  writeFileSync(file, stringify(data));
}

function loadError(): KnowledgeError {
  try {
    loadKnowledgeBase(temp!.intents, temp!.office);
  } catch (err) {
    expect(err).toBeInstanceOf(KnowledgeError);
    return err as KnowledgeError;
  }
  throw new Error('expected a KnowledgeError');
}

describe('loadKnowledgeBase', () => {
  it('loads every core intent with enough utterances and both languages', () => {
    const kb = loadKnowledgeBase('intents', 'data/office.yaml');
    for (const id of CORE_INTENT_IDS) {
      const entry = kb.intents.get(id);
      expect(entry, id).toBeDefined();
      expect(entry!.utterances.length, id).toBeGreaterThanOrEqual(MIN_CORE_UTTERANCES);
      expect(entry!.answer.id.length).toBeGreaterThan(0);
      expect(entry!.answer.en.length).toBeGreaterThan(0);
      expect(entry!.verifiedAt).toBe('2026-11-27');
    }
    expect(kb.office['name']).toBe('Kantor Imigrasi Kelas I TPI Kupang');
    expect(kb.version).toMatch(/^[0-9a-f]{16}$/);
  });

  it('names the file and the missing field', () => {
    temp = copyKnowledge();
    edit(join(temp.intents, 'fees.yaml'), (d) => delete (d['answer'] as Record<string, unknown>)['en']);
    const err = loadError();
    expect(err.message).toMatch(/fees\.yaml: answer\.en is missing/);
    expect(err.file).toContain('fees.yaml');
  });

  it('rejects invalid YAML with the file name', () => {
    temp = copyKnowledge();
    writeFileSync(join(temp.intents, 'thanks.yaml'), 'id: thanks\nlabel: [unclosed\n');
    expect(loadError().message).toMatch(/thanks\.yaml: not valid YAML/);
  });

  it('rejects an id that differs from the file name', () => {
    temp = copyKnowledge();
    edit(join(temp.intents, 'fees.yaml'), (d) => (d['id'] = 'fee'));
    expect(loadError().message).toMatch(/fees\.yaml: id "fee" must equal the file name "fees"/);
  });

  it('rejects a missing core intent', () => {
    temp = copyKnowledge();
    rmSync(join(temp.intents, 'renewal.yaml'));
    expect(loadError().message).toMatch(/missing intent files for renewal\.yaml/);
  });

  it('rejects too few utterances for a core intent', () => {
    temp = copyKnowledge();
    edit(join(temp.intents, 'payment.yaml'), (d) => (d['utterances'] = ['bayar di mana']));
    expect(loadError().message).toMatch(/payment\.yaml: utterances has 1 entries/);
  });

  it('rejects followups to unknown intents', () => {
    temp = copyKnowledge();
    edit(join(temp.intents, 'fees.yaml'), (d) => (d['followups'] = ['no_such_intent']));
    expect(loadError().message).toMatch(/fees\.yaml: followups names "no_such_intent"/);
  });

  it('rejects placeholders for unknown office fields', () => {
    temp = copyKnowledge();
    edit(join(temp.intents, 'office_info.yaml'), (d) => {
      (d['answer'] as Record<string, string>)['id'] += '\nFax: {{office.fax}}';
    });
    expect(loadError().message).toMatch(/office_info\.yaml: answer\.id uses \{\{office\.fax\}\}/);
  });

  it('rejects a bad servqual dimension and a bad date', () => {
    temp = copyKnowledge();
    edit(join(temp.intents, 'fees.yaml'), (d) => (d['servqual'] = 'speed'));
    expect(loadError().message).toMatch(/fees\.yaml: servqual/);
    temp.cleanup();
    temp = copyKnowledge();
    edit(join(temp.intents, 'fees.yaml'), (d) => (d['verified_at'] = '27-11-2026'));
    expect(loadError().message).toMatch(/fees\.yaml: verified_at must be YYYY-MM-DD/);
  });

  it('requires the confirmed office fields', () => {
    temp = copyKnowledge();
    edit(temp.office, (d) => (d['name'] = ''));
    expect(loadError().message).toMatch(/office\.yaml: name is missing or empty/);
  });
});
