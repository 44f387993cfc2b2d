/**
 * Guards the answers against drifting from shared/reference/mpaspor-facts.md:
 * PP 45/2024 fees, e-paspor only at Kupang, and no old PP 28/2019 tariff quoted as current.
 */
import { describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '../../src/knowledge/index.js';

const kb = loadKnowledgeBase('intents', 'data/office.yaml');
const answer = (id: string, lang: 'id' | 'en' = 'id'): string => kb.intents.get(id)!.answer[lang];

describe('answer facts', () => {
  it('states the PP 45/2024 fee table', () => {
    const fees = answer('fees');
    expect(fees).toContain('PP 45/2024');
    expect(fees).toMatch(/Rp650\.000[^\n]*5 tahun/);
    expect(fees).toMatch(/Rp950\.000[^\n]*10 tahun/);
    expect(fees).toMatch(/percepatan Rp1\.000\.000/);
    expect(fees).toMatch(/hilang Rp1\.000\.000/);
    expect(fees).toMatch(/rusak Rp500\.000/);
    expect(fees).toMatch(/Rp0/);
    expect(answer('fees', 'en')).toMatch(/Rp650,000[\s\S]*Rp950,000/);
  });

  it('limits 10-year validity to 17+ or married and gives children 5 years', () => {
    expect(answer('fees')).toMatch(/17\+ atau sudah menikah/);
    expect(answer('requirements_child')).toMatch(/5 tahun[\s\S]*Rp650\.000/);
  });

  it('says Kupang issues only e-paspor since 1 September 2025', () => {
    expect(answer('fees')).toMatch(/hanya menerbitkan e-paspor sejak 1 September 2025/);
    expect(answer('renewal')).toMatch(/hanya menerbitkan e-paspor/);
  });

  it('keeps the lost/damaged charges and the express surcharge consistent', () => {
    expect(answer('lost_damaged')).toContain('Rp1.000.000');
    expect(answer('lost_damaged')).toContain('Rp500.000');
    expect(answer('express_service')).toMatch(/Rp1\.000\.000 di luar biaya paspor/);
  });

  it('states the payment, reschedule and pickup rules', () => {
    expect(answer('payment')).toMatch(/2 jam/);
    expect(answer('mpaspor_reschedule')).toMatch(/1 hari sebelum/);
    expect(answer('processing_time')).toMatch(/4 hari kerja/);
    expect(answer('processing_time')).toMatch(/30 hari/);
    expect(answer('priority_service')).toMatch(/lansia 60\+/);
  });

  it('never quotes the old PP 28/2019 non-electronic fee Rp350.000 as current', () => {
    for (const entry of kb.intents.values()) {
      for (const text of [entry.answer.id, entry.answer.en]) {
        expect(text, entry.file).not.toMatch(/Rp ?350[.,]000/);
      }
    }
  });

  it('states unconfirmed Kupang facts only through office placeholders', () => {
    const all = [...kb.intents.values()].map((e) => `${e.answer.id}\n${e.answer.en}`).join('\n');
    expect(all).not.toMatch(/0380|08113860121|Adi Sucipto|Bumi III|kanimkupang1/i);
  });
});
