/**
 * A typo-noised twin of an evaluation set, to measure how much spelling mistakes cost: about a
 * third of the words of four or more letters get one typo of the kinds people make on a phone
 * (a neighbouring key, two letters swapped, a letter doubled or dropped, the vowels left out).
 * Deterministic for a seed, so the figures can be compared between runs.
 */
import { createRandom } from './softmax.js';

const ROWS = ['qwertyuiop', 'asdfghjkl', 'zxcvbnm'];

function neighbourOf(letter: string, random: () => number): string {
  for (let row = 0; row < ROWS.length; row++) {
    const at = ROWS[row]!.indexOf(letter);
    if (at < 0) continue;
    const options = [ROWS[row]![at - 1], ROWS[row]![at + 1]].filter((c): c is string => c !== undefined);
    return options[Math.floor(random() * options.length)] ?? letter;
  }
  return letter;
}

function typo(word: string, random: () => number): string {
  const i = 1 + Math.floor(random() * (word.length - 2));
  switch (Math.floor(random() * 5)) {
    case 0:
      return word.slice(0, i) + neighbourOf(word[i]!, random) + word.slice(i + 1);
    case 1:
      return word.slice(0, i) + word[i + 1]! + word[i]! + word.slice(i + 2);
    case 2:
      return word.slice(0, i) + word[i]! + word.slice(i);
    case 3:
      return word.slice(0, i) + word.slice(i + 1);
    default:
      return word[0]! + word.slice(1).replace(/[aeiou]/g, '');
  }
}

/** The text with typos in about `rate` of its words of 4+ letters. */
export function addTypos(text: string, seed: number, rate = 0.35): string {
  const random = createRandom(seed);
  return text.replace(/\p{L}{4,}/gu, (word) => (/^[a-z]+$/.test(word) && random() < rate ? typo(word, random) : word));
}
