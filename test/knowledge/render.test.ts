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
  it('names exactly the missing office facts, where they stood, and offers an officer once', () => {
    const result = renderAnswer(kb, 'office_info', 'id');
    expect(result.unconfirmed).toBe(true);
    expect(result.text).toContain('Kantor Imigrasi Kelas I TPI Kupang');
    expect(result.text).not.toContain('{{');
    // Consecutive missing fields become one line naming each of them.
    expect(result.text).toMatch(/^Alamat, Peta, Jam layanan, Telepon, WhatsApp, Instagram, Email dan Situs: belum ada informasi yang terkonfirmasi/m);
    expect(result.text.match(/'petugas'/g)).toHaveLength(1);
    // The confirmed warning after them still reads as a fact.
    expect(result.text.split('\n').at(-1)).toMatch(/^Waspadai nomor WhatsApp palsu/);
    expect(renderAnswer(kb, 'office_info', 'en').text).toContain("'officer'");
  });

  it('keeps confirmed rules confirmed: the unconfirmed note names only the missing fact', () => {
    const result = renderAnswer(kb, 'processing_time', 'id');
    expect(result.text).toMatch(/^Paspor selesai 4 hari kerja/);
    expect(result.text).toMatch(/Pengiriman lewat Pos dari Kupang: belum ada informasi yang terkonfirmasi/);
    expect(result.text).not.toContain(UNCONFIRMED_NOTE.id);
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
    expect(renderText('A\nB: {{office.x}}\nC', { x: '' }, 'en')).toEqual({
      text: "A\nB: we have no confirmed information for this office yet. Type 'officer' to ask our staff directly.\nC",
      unconfirmed: true,
    });
    expect(renderText('A\n{{office.x}}\nC', { x: '' }, 'en').text).toBe(`A\n${UNCONFIRMED_NOTE.en}\nC`);
    expect(renderText('{{office.x}}', { x: '' }, 'id').text).toBe(UNCONFIRMED_NOTE.id);
    expect(() => renderAnswer(kb, 'nope', 'id')).toThrow(UnknownIntentError);
  });
});
