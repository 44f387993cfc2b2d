/**
 * Password strength for staff accounts, judged by zxcvbn-ts (a maintained TypeScript port
 * of Dropbox's zxcvbn) with its common-password dictionary and keyboard graphs. Everything
 * it needs ships in the npm packages: nothing is downloaded at run time.
 *
 * A password is accepted from score 3 of 4 ("safely unguessable: moderate protection from
 * an offline attack"), so "1111111111", "1234567890" or "password123" are refused while a
 * phrase of a few words ("rahasia-kantor-123") passes. The username, the display name and
 * the office's own words count as guessable.
 */
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary } from '@zxcvbn-ts/language-common';

export const MIN_PASSWORD_LENGTH = 10;
/** Longer passwords are refused: scrypt and zxcvbn both cost more with length. */
export const MAX_PASSWORD_LENGTH = 256;
export const MIN_PASSWORD_SCORE = 3;
/** Words anyone could guess for this office's accounts. */
const OFFICE_WORDS = ['sapa', 'imigrasi', 'kanim', 'kupang', 'paspor', 'passport', 'mpaspor', 'ntt'];

const WARNINGS: Readonly<Record<string, string>> = {
  straightRow: 'a straight row of keys is easy to guess',
  keyPattern: 'a short keyboard pattern is easy to guess',
  simpleRepeat: 'repeated characters such as "aaa" or "1111" are easy to guess',
  extendedRepeat: 'repeated patterns such as "abcabcabc" are easy to guess',
  sequences: 'sequences such as "abc" or "6543" are easy to guess',
  recentYears: 'recent years are easy to guess',
  dates: 'dates are easy to guess',
  topTen: 'this is one of the ten most used passwords',
  topHundred: 'this is one of the hundred most used passwords',
  common: 'this is a commonly used password',
  similarToCommon: 'this is close to a commonly used password',
  wordByItself: 'a single word is easy to guess',
  namesByThemselves: 'single names or surnames are easy to guess',
  commonNames: 'common names and surnames are easy to guess',
  userInputs: 'it contains the username, the name or a word of this office',
  pwned: 'this password appeared in a data breach',
};

let factory: ZxcvbnFactory | null = null;
/** Built on first use: ranking the dictionaries takes a moment that `sapa chat` need not pay. */
function zxcvbn(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({ dictionary, graphs: adjacencyGraphs, maxLength: MAX_PASSWORD_LENGTH });
  return factory;
}

/** Why a password is refused, as a sentence for the person choosing it; null when it is strong enough. */
export function passwordProblem(password: string, personalWords: readonly string[] = []): string | null {
  if (password.length < MIN_PASSWORD_LENGTH) return `the password must have at least ${MIN_PASSWORD_LENGTH} characters`;
  if (password.length > MAX_PASSWORD_LENGTH) return `the password must have at most ${MAX_PASSWORD_LENGTH} characters`;
  const inputs = [...OFFICE_WORDS, ...personalWords.filter((w) => w.trim() !== '').flatMap((w) => [w, ...w.toLowerCase().split(/[^a-z0-9]+/)])];
  const result = zxcvbn().check(password, inputs.filter((w) => w.length >= 3));
  if (result.score >= MIN_PASSWORD_SCORE) return null;
  const why = result.feedback.warning ? (WARNINGS[result.feedback.warning] ?? 'it is easy to guess') : 'it is easy to guess';
  return (
    `the password is too weak (strength ${result.score} of 4, at least ${MIN_PASSWORD_SCORE} needed): ${why}; ` +
    'use a phrase of three or four unrelated words, for example joined by dashes'
  );
}
