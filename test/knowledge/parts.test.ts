/**
 * Answers in parts (default reply, "more", aspects, cases): each part leads with its key
 * fact and fits a phone, and the facts of shared/reference/mpaspor-facts.md §9 hold in
 * every part (lost abroad, data changes, Kemenimipas, Eazy Passport, e-paspor types).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { composeAnswer, KnowledgeError, loadKnowledgeBase, type IntentEntry } from '../../src/knowledge/index.js';
import { copyKnowledge } from './helpers.js';

const kb = loadKnowledgeBase('intents', 'data/office.yaml');

/** Every text of every intent in both languages, with where it sits. */
function allTexts(): { where: string; text: string }[] {
  const out: { where: string; text: string }[] = [];
  const push = (entry: IntentEntry, where: string, text: { id: string; en: string } | null | undefined): void => {
    if (!text) return;
    out.push({ where: `${entry.id}.${where}.id`, text: text.id }, { where: `${entry.id}.${where}.en`, text: text.en });
  };
  for (const entry of kb.intents.values()) {
    push(entry, 'answer', entry.answer);
    push(entry, 'more', entry.more);
    for (const [aspect, text] of Object.entries(entry.aspects)) push(entry, `aspects.${aspect}`, text);
    for (const [key, value] of Object.entries(entry.cases)) {
      push(entry, `cases.${key}.answer`, value.answer);
      push(entry, `cases.${key}.more`, value.more);
      for (const [aspect, text] of Object.entries(value.aspects)) push(entry, `cases.${key}.aspects.${aspect}`, text);
    }
  }
  return out;
}

let temp: ReturnType<typeof copyKnowledge> | undefined;
afterEach(() => temp?.cleanup());

describe('answers in parts', () => {
  it('keeps every part short: at most 600 characters, numbered step lists at most 800', () => {
    for (const entry of kb.intents.values()) {
      for (const language of ['id', 'en'] as const) {
        const parts = [composeAnswer(kb, entry.id, language), composeAnswer(kb, entry.id, language, { part: 'more' })];
        for (const aspect of Object.keys(entry.aspects)) parts.push(composeAnswer(kb, entry.id, language, { aspect: aspect as 'fee' }));
        for (const key of Object.keys(entry.cases)) parts.push(composeAnswer(kb, entry.id, language, { cases: [key as 'lost'] }));
        for (const part of parts) {
          const limit = /^\d\. /m.test(part.text) ? 800 : 600;
          expect(part.text.length, `${entry.id} ${language}: ${part.text.slice(0, 60)}`).toBeLessThanOrEqual(limit);
        }
      }
    }
  });

  it('answers "biayanya berapa?" about a damaged passport with the damage charge first', () => {
    const damaged = composeAnswer(kb, 'lost_damaged', 'id', { aspect: 'fee', cases: ['damaged'] });
    expect(damaged.text).toMatch(/^Biaya kerusakan paspor Rp500\.000/);
    expect(damaged.aspect).toBe('fee');
    expect(damaged.hasMore).toBe(true);
    const lost = composeAnswer(kb, 'lost_damaged', 'id', { aspect: 'fee', cases: ['lost'] });
    expect(lost.text).toMatch(/^Biaya kehilangan paspor Rp1\.000\.000/);
  });

  it('sends a passport lost abroad to the KBRI/KJRI for an SPLP, with no SPLP amount', () => {
    const abroad = composeAnswer(kb, 'lost_damaged', 'id', { cases: ['abroad', 'lost'] });
    expect(abroad.case).toBe('abroad');
    expect(abroad.text).toMatch(/KBRI\/KJRI/);
    expect(abroad.text).toMatch(/SPLP/);
    const fee = composeAnswer(kb, 'lost_damaged', 'en', { cases: ['abroad'], aspect: 'fee' });
    expect(fee.text).toMatch(/no confirmed figure/);
    expect(fee.text).not.toMatch(/SPLP[^.\n]*Rp/);
  });

  it('treats a court-ordered name change as a walk-in data change of about 7 working days', () => {
    const change = composeAnswer(kb, 'renewal', 'id', { cases: ['data_change'] });
    expect(change.text).toMatch(/bukan penggantian biasa lewat M-Paspor/);
    expect(change.text).toMatch(/7 hari kerja/);
    expect(change.text).toMatch(/pengadilan/);
    // Through another intent's case too.
    expect(composeAnswer(kb, 'requirements_new', 'en', { cases: ['data_change'] }).intent).toBe('renewal');
    // A case with an answer of its own does not borrow the intent's general fee.
    expect(composeAnswer(kb, 'renewal', 'id', { cases: ['data_change'], aspect: 'fee' }).text).not.toMatch(/Rp650\.000/);
  });

  it('points a child to the child passport, and an adult back', () => {
    expect(composeAnswer(kb, 'requirements_new', 'en', { cases: ['child'] }).intent).toBe('requirements_child');
    expect(composeAnswer(kb, 'requirements_child', 'id', { cases: ['adult'] }).intent).toBe('requirements_new');
    expect(composeAnswer(kb, 'fees', 'id', { cases: ['child'] }).text).toMatch(/^Paspor anak[^\n]*5 tahun[^\n]*Rp650\.000/);
  });

  it('names the current ministry, never Kemenkumham, and takes the Eazy Passport group size from the office profile', () => {
    const texts = allTexts();
    for (const { where, text } of texts) {
      expect(text, where).not.toMatch(/Kemenkumham|Kementerian Hukum dan HAM|Ministry of Law and Human Rights/i);
      expect(text, where).not.toMatch(/Rp ?350[.,]000/);
      expect(text, where).not.toMatch(/minimal 30 orang|at least 30 people|polikarbonat/i);
    }
    expect(texts.some(({ text }) => text.includes('Kementerian Imigrasi dan Pemasyarakatan'))).toBe(true);
    expect(kb.intents.get('priority_service')!.more!.id).toContain('{{office.eazy_passport_group}}');
  });

  it('marks the self-help answers as troubleshooting', () => {
    const troubleshooting = [...kb.intents.values()].filter((entry) => entry.troubleshooting).map((entry) => entry.id).sort();
    expect(troubleshooting).toEqual(['mpaspor_app_error', 'mpaspor_otp', 'mpaspor_quota', 'mpaspor_upload', 'payment']);
  });
});

describe('loading parts', () => {
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

  it('names an unknown aspect or case and lists the known ones', () => {
    temp = copyKnowledge();
    edit(join(temp.intents, 'fees.yaml'), (d) => (d['aspects'] = { fees: { id: 'a', en: 'b' } }));
    expect(loadError().message).toMatch(/fees\.yaml: aspects\.fees is not a known aspect; use one of fee, documents/);
    edit(join(temp.intents, 'fees.yaml'), (d) => {
      d['aspects'] = {};
      (d['cases'] as Record<string, unknown>)['kid'] = { answer: { id: 'a', en: 'b' } };
    });
    expect(loadError().message).toMatch(/fees\.yaml: cases\.kid is not a known case; use one of data_change, abroad/);
  });

  it('names a missing translation, a case pointing nowhere, and an unknown office field in a part', () => {
    temp = copyKnowledge();
    edit(join(temp.intents, 'lost_damaged.yaml'), (d) => delete ((d['aspects'] as Record<string, Record<string, unknown>>)['fee']!)['en']);
    expect(loadError().message).toMatch(/lost_damaged\.yaml: aspects\.fee\.en is missing/);
    temp.cleanup();
    temp = copyKnowledge();
    edit(join(temp.intents, 'renewal.yaml'), (d) => ((d['cases'] as Record<string, Record<string, unknown>>)['child']!['intent'] = 'kids'));
    expect(loadError().message).toMatch(/renewal\.yaml: cases\.child\.intent names "kids", which is not an intent id/);
    temp.cleanup();
    temp = copyKnowledge();
    edit(join(temp.intents, 'fees.yaml'), (d) => (d['more'] = { id: 'Lihat {{office.nope}}', en: 'See {{office.nope}}' }));
    expect(loadError().message).toMatch(/fees\.yaml: more\.id uses \{\{office\.nope\}\}/);
  });

  it('keeps the labelled examples working beside the parts', () => {
    expect(kb.intents.get('complaint')!.examples.length).toBeGreaterThan(0);
  });
});
