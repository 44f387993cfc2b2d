import { describe, expect, it } from 'vitest';
import { createClassifier } from '../../src/nlu/classifier.js';
import { testKnowledge, TEST_CLASSIFIER_OPTIONS } from '../helpers/core.js';

const classifier = createClassifier(testKnowledge(), TEST_CLASSIFIER_OPTIONS);

describe('an explicit complaint is a complaint, whatever else the message says', () => {
  it.each([
    'saya mau komplain, dokumen saya hilang di loket',
    'ingin mengadu soal pelayanan kemarin',
    'beta mau protes',
    'I want to complain about the queue',
  ])('%s', (text) => {
    const result = classifier.classify(text);
    expect(result.complaint).toBe(true);
    expect(result.intent).not.toBe('out_of_scope');
  });

  it.each(['any update on my complaint ticket?', 'keluhan saya kemarin bagaimana', 'laporan saya sudah diproses?'])(
    'asking about an earlier complaint is not a new one: %s',
    (text) => {
      const result = classifier.classify(text);
      expect(result.complaint).toBe(false);
      expect(result.intent).toBe('ticket_status');
    },
  );
});
