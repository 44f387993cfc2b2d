import { describe, expect, it } from 'vitest';
import {
  loadKnowledgeBase,
  renderAnswer,
  renderText,
  UNCONFIRMED_NOTE,
  UnknownIntentError,
  type KnowledgeBase,
} from '../../src/knowledge/index.js';

const kb = loadKnowledgeBase('intents', 'data/office.yaml');

function withOffice(fields: Record<string, string>): KnowledgeBase {
  return { ...kb, office: { ...kb.office, ...fields } };
}

describe('renderAnswer', () => {
  it('drops lines with empty office fields and adds one note offering an officer', () => {
    const result = renderAnswer(kb, 'office_info', 'id');
    expect(result.unconfirmed).toBe(true);
    expect(result.text).toContain('Kantor Imigrasi Kelas I TPI Kupang');
    expect(result.text).not.toContain('Alamat:');
    expect(result.text).not.toContain('{{');
    expect(result.text.split(UNCONFIRMED_NOTE.id).length - 1).toBe(1);
    expect(result.text).toContain("'petugas'");
    expect(renderAnswer(kb, 'office_info', 'en').text).toContain("'officer'");
  });

  it('fills confirmed fields and then adds no note for them', () => {
    const filled = withOffice({ address: 'Jl. Contoh No. 1, Kupang' });
    const result = renderAnswer(filled, 'office_info', 'id');
    expect(result.text).toContain('Alamat: Jl. Contoh No. 1, Kupang');
  });

  it('leaves answers without placeholders untouched', () => {
    const result = renderAnswer(kb, 'fees', 'id');
    expect(result.unconfirmed).toBe(false);
    expect(result.text).toBe(kb.intents.get('fees')!.answer.id.trim());
  });

  it('never guesses unconfirmed Kupang facts (quota schedule, percepatan, post delivery)', () => {
    for (const id of ['mpaspor_quota', 'express_service', 'processing_time']) {
      const result = renderAnswer(kb, id, 'id');
      expect(result.unconfirmed, id).toBe(true);
      expect(result.text).not.toMatch(/\{\{|\}\}/);
    }
  });

  it('applies the rule to any text and throws a typed error for unknown intents', () => {
    expect(renderText('A\nB {{office.x}}\nC', { x: '' }, 'en')).toEqual({
      text: `A\nC\n\n${UNCONFIRMED_NOTE.en}`,
      unconfirmed: true,
    });
    expect(renderText('{{office.x}}', { x: '' }, 'id').text).toBe(UNCONFIRMED_NOTE.id);
    expect(() => renderAnswer(kb, 'nope', 'id')).toThrow(UnknownIntentError);
  });
});
