import { describe, expect, it } from 'vitest';
import { createSpellingCorrector, typoDistance } from '../../src/nlu/spelling.js';
import { addTypos } from '../../src/nlu/typo-noise.js';

const vocabulary = new Map([
  ['paspor', 50],
  ['aplikasi', 40],
  ['tidak', 90],
  ['tadika', 3],
  ['daftar', 30],
  ['kuota', 20],
  ['jadwal', 12],
  ['rusak', 8],
  ['pasar', 1],
]);
const speller = createSpellingCorrector(vocabulary);

describe('typo correction', () => {
  it.each([
    ['pasport', 'paspor'],
    ['aplikssi', 'aplikasi'],
    ['aplikais', 'aplikasi'],
    ['dagtar', 'daftar'],
    ['kuotaa', 'kuota'],
    ['jdwl', 'jadwal'],
    ['pspr', 'paspor'],
  ])('%s -> %s', (typo, word) => {
    expect(speller.correct(typo)).toBe(word);
  });

  it('leaves known words, short words, numbers and unrelated words alone', () => {
    expect(speller.correct('paspor')).toBe('paspor');
    expect(speller.correct('sdh')).toBe('sdh');
    expect(speller.correct('2026')).toBe('2026');
    expect(speller.correct('kemarin')).toBe('kemarin');
  });

  it('corrects only to words the training texts use often enough', () => {
    // "pasar" is one edit from "pasat", but seen once: not a safe guess.
    expect(speller.correct('pasat')).toBe('pasat');
  });

  it('weighs typos by how they are made', () => {
    expect(typoDistance('paspor', 'paspor')).toBe(0);
    expect(typoDistance('psapor', 'paspor')).toBe(0.5); // swapped pair
    expect(typoDistance('paspir', 'paspor')).toBe(0.5); // neighbouring key
    expect(typoDistance('paspxr', 'paspor')).toBe(1);
  });
});

describe('typo noise for measuring', () => {
  it('is deterministic for a seed and changes some longer words only', () => {
    const text = 'saya tidak bisa daftar aplikasi paspor dari kemarin';
    expect(addTypos(text, 7)).toBe(addTypos(text, 7));
    expect(addTypos(text, 7, 1)).not.toBe(text);
    expect(addTypos('ok ya', 7, 1)).toBe('ok ya');
  });
});
