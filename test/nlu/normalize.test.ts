import { describe, expect, it } from 'vitest';
import { createLexicon, normalize, tokenize, cleanText, stripSuffix } from '../../src/nlu/index.js';

describe('normalize', () => {
  it('maps chat abbreviations to standard Indonesian', () => {
    expect(normalize('Gmn sy udh bs daftar yg baru ga')).toBe('bagaimana saya sudah bisa daftar yang baru tidak');
    expect(normalize('brp biaya pasport min')).toBe('berapa biaya paspor admin');
  });

  it('reads spelled-out English thanks as thanks', () => {
    for (const word of ['tengkyu', 'tengkiu', 'thenkyu']) expect(normalize(word)).toBe('terima kasih');
  });

  it('maps Kupang Malay', () => {
    expect(normalize('beta su tunggu sonde dipanggil')).toBe('saya sudah tunggu tidak dipanggil');
    expect(normalize('bagemana deng beta pung paspor')).toBe('bagaimana dengan saya punya paspor');
    expect(normalize('botong mau tanya')).toBe('kami tanya');
  });

  it('expands "2" reduplication but keeps real numbers', () => {
    expect(normalize('sudah dikirim2')).toBe('sudah dikirim dikirim');
    expect(normalize('anak2 saya')).toBe('anak anak saya');
    expect(normalize('jadi dalam 2 hari')).toBe('jadi dalam 2 hari');
    expect(normalize('biaya rp 950.000 untuk 12 bulan')).toBe('biaya rp 950.000 untuk 12 bulan');
  });

  it('collapses runs of repeated letters but keeps doubles', () => {
    expect(normalize('gagalll')).toBe('gagal');
    expect(normalize('tolonggg')).toBe('tolong');
    expect(normalize('maaf')).toBe('maaf');
  });

  it('strips chat particles and safe suffixes', () => {
    expect(normalize('paspornya dong')).toBe('paspor');
    expect(normalize('bisakah sih')).toBe('bisa');
    expect(stripSuffix('tanya')).toBe('tanya');
    expect(stripSuffix('langkah')).toBe('langkah');
  });

  it('unifies the app and e-passport spellings', () => {
    expect(normalize('M-Paspor')).toBe('mpaspor');
    expect(normalize('m paspor')).toBe('mpaspor');
    expect(normalize('E-Paspor')).toBe('epaspor');
  });

  it('cleans control, zero-width and lone surrogate characters without throwing', () => {
    expect(cleanText('pas\u200Bpor\u0000hilang\uD800')).toBe('paspor hilang ');
    expect(tokenize(cleanText('ＰＡＳＰＯＲ'))).toEqual(['paspor']);
    expect(normalize('😀😀')).toBe('');
    expect(normalize('')).toBe('');
  });

  it('accepts a custom lexicon with multi-word keys', () => {
    const lexicon = createLexicon({ 'kapan su': 'kapan', beta: 'saya' });
    expect(normalize('kapan su beta bisa', { lexicon })).toBe('kapan saya bisa');
  });
});
