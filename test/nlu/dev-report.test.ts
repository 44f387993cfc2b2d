/**
 * Prints the dev-set report (../shared/eval/intents-dev.tsv) and checks the targets.
 * The dev set is for measuring only: its lines must never be copied into intents/.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadKnowledgeBase } from '../../src/knowledge/index.js';
import { createClassifier, evaluate, formatReport, parseEvalTsv } from '../../src/nlu/index.js';
import { TEST_CLASSIFIER_OPTIONS } from '../helpers/core.js';

const devFile = resolve(process.cwd(), '../shared/eval/intents-dev.tsv');
const present = existsSync(devFile);
if (!present) console.warn(`dev-report: ${devFile} not found, skipping the dev-set report`);

describe.skipIf(!present)('dev-set report', () => {
  it('meets the accuracy, out-of-scope and complaint targets', () => {
    const kb = loadKnowledgeBase('intents', 'data/office.yaml');
    const classifier = createClassifier(kb, TEST_CLASSIFIER_OPTIONS);
    const report = evaluate(classifier, parseEvalTsv(readFileSync(devFile, 'utf8')));
    console.log(`model build: ${classifier.buildMs.toFixed(0)} ms\n${formatReport(report)}`);
    expect(report.accuracy).toBeGreaterThanOrEqual(0.92);
    expect(report.outOfScopeRecall).toBeGreaterThanOrEqual(0.85);
    expect(report.complaint.f1).toBeGreaterThanOrEqual(0.85);
  });
});
