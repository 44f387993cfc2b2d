/**
 * Real traffic: ../shared/eval/real-dev.tsv (400 real M-Paspor reviews, labelled; the
 * development set for real text: measured and its misses read, never copied into intents/,
 * the lexicon or rules) and blind set 6 (test/nlu/fixtures/blind-6.tsv, written in real styles
 * by a helper who never saw the training data; never tuned on), blind sets 8 and 10 (the same,
 * reviews and chat mixed) and the typo-noised twins.
 *
 * The targets for real-dev (lenient >= 90%, complaint F1 >= 0.92, in-scope ->
 * out_of_scope <= 2%) are NOT met yet: real-dev is held to the level reached, so it cannot
 * slide back, and the README says where it stands.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '../../src/knowledge/index.js';
import { createClassifier, evaluate, formatSummary, parseEvalTsv, rowsBetween, type IntentClassifier } from '../../src/nlu/index.js';
import { addTypos } from '../../src/nlu/typo-noise.js';
import { TEST_CLASSIFIER_OPTIONS } from '../helpers/core.js';

const realDev = resolve(process.cwd(), '../shared/eval/real-dev.tsv');
const blind6 = resolve(process.cwd(), 'test/nlu/fixtures/blind-6.tsv');
const blind8 = resolve(process.cwd(), 'test/nlu/fixtures/blind-8.tsv');
const blind10 = resolve(process.cwd(), 'test/nlu/fixtures/blind-10.tsv');
const devSet = resolve(process.cwd(), '../shared/eval/intents-dev.tsv');

let classifier: IntentClassifier;
beforeAll(() => {
  classifier = createClassifier(loadKnowledgeBase('intents', 'data/office.yaml'), TEST_CLASSIFIER_OPTIONS);
});

const rowsOf = (file: string) => parseEvalTsv(readFileSync(file, 'utf8'));
const withTypos = (file: string) => rowsOf(file).map((row) => ({ ...row, text: addTypos(row.text, row.line) }));

describe.skipIf(!existsSync(realDev))('real-dev (real reviews)', () => {
  it('holds the level reached: the whole file and its random half', () => {
    const rows = rowsOf(realDev);
    const all = evaluate(classifier, rows);
    const random = evaluate(classifier, rowsBetween(rows, 2, 201));
    console.log(`real-dev:\n${formatSummary(all).join('\n')}\nlines 2-201:\n${formatSummary(random).join('\n')}`);
    // Reached 81.3% (3 December 2026, afternoon), 80.5% in the evening after 406 new training
    // examples (80.7% averaged over eight training seeds, from 78.9%): the training order alone
    // moves it by 2–3 points, so a later data change may cross a floor by chance: judge such a
    // change over several seeds (README, "How well it understands") before moving a floor.
    expect(all.lenientAccuracy).toBeGreaterThanOrEqual(0.795);
    expect(all.complaint.f1).toBeGreaterThanOrEqual(0.88);
    expect(all.inScopeToOutOfScope).toBeLessThanOrEqual(0.03);
    expect(random.lenientAccuracy).toBeGreaterThanOrEqual(0.815);
  });

  it('is surer of its right answers than of its wrong ones', () => {
    const rows = rowsOf(realDev);
    let right = 0;
    let rightCount = 0;
    let wrong = 0;
    let wrongCount = 0;
    for (const row of rows) {
      const result = classifier.classify(row.text);
      if (row.intents.includes(result.intent)) {
        right += result.confidence;
        rightCount += 1;
      } else {
        wrong += result.confidence;
        wrongCount += 1;
      }
    }
    expect(right / rightCount).toBeGreaterThan(wrong / wrongCount + 0.1);
  });
});

/** Floors a blind set is held to: clean lenient accuracy, complaint F1, in-scope -> out_of_scope, lenient with typos. */
interface Floors {
  readonly lenient: number;
  readonly f1: number;
  readonly outOfScope: number;
  readonly typos: number;
}

/** Measures a blind set clean and typo-noised, prints both summaries, and holds it to its floors. */
function holdsFloors(name: string, file: string, floors: Floors): void {
  const clean = evaluate(classifier, rowsOf(file));
  const noisy = evaluate(classifier, withTypos(file));
  console.log(`${name}:\n${formatSummary(clean).join('\n')}\nwith typos:\n${formatSummary(noisy).join('\n')}`);
  expect(clean.lenientAccuracy).toBeGreaterThanOrEqual(floors.lenient);
  expect(clean.complaint.f1).toBeGreaterThanOrEqual(floors.f1);
  expect(clean.inScopeToOutOfScope).toBeLessThanOrEqual(floors.outOfScope);
  expect(noisy.lenientAccuracy).toBeGreaterThanOrEqual(floors.typos);
}

describe('blind set 6 (real styles, never tuned on)', () => {
  it('meets the targets, clean and with typos', () => {
    holdsFloors('blind-6', blind6, { lenient: 0.92, f1: 0.92, outOfScope: 0.02, typos: 0.9 });
  });
});

describe('blind set 8 (review and chat styles, never tuned on)', () => {
  // Written on 3 December 2026 (session 5) by a helper who saw neither the training data nor
  // any evaluation set: 168 Google Play-style reviews and 177 chat messages (Kupang Malay,
  // English, run-on voice-note text), shuffled. Measured before and after that session's new
  // training data (91.0% -> 92.8% lenient), never tuned on; held at the level reached.
  it('holds the level reached, clean and with typos', () => {
    holdsFloors('blind-8', blind8, { lenient: 0.9, f1: 0.92, outOfScope: 0.03, typos: 0.87 });
  });
});

describe('blind set 10 (messier reviews and chat, never tuned on)', () => {
  // Written on 3 December 2026 (session 6) by a helper who saw neither the training data nor
  // any evaluation set, asked for the messy end: rambling reviews across several problems,
  // sarcastic praise, mostly-emotion messages, blame of the state, code-mixing, Kupang Malay
  // reviews, neutral reviews of a past problem (171 review-style, 158 chat). Measured once
  // (93.0% lenient, F1 0.953, typos 91.2%), never tuned on; held near the level reached.
  it('holds the level reached, clean and with typos', () => {
    holdsFloors('blind-10', blind10, { lenient: 0.91, f1: 0.93, outOfScope: 0.03, typos: 0.89 });
  });
});

describe.skipIf(!existsSync(devSet))('typo-noised twin of the dev set', () => {
  it('stays at 90% or more', () => {
    const noisy = evaluate(classifier, withTypos(devSet));
    console.log(`dev with typos:\n${formatSummary(noisy).join('\n')}`);
    expect(noisy.lenientAccuracy).toBeGreaterThanOrEqual(0.9);
  });
});
