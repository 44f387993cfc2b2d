import { describe, expect, it } from 'vitest';
import { EvalFormatError, evaluate, formatReport, parseEvalTsv, type Classifier } from '../../src/nlu/index.js';

const tsv = 'intent\tcomplaint\ttext\nfees\tfalse\tbiaya?\ncomplaint\ttrue\tlama sekali\nout_of_scope\tfalse\tcuaca\nfees\tfalse\tharga\n';

// A stub classifier: these tests check the arithmetic, not the model.
const stub: Classifier = {
  classify: (text) => ({
    intent: text === 'cuaca' || text === 'harga' ? 'out_of_scope' : text === 'lama sekali' ? 'complaint' : 'fees',
    confidence: 0.9,
    complaint: text === 'lama sekali' || text === 'harga',
    integrity: false,
    priorityGroup: false,
    language: 'id',
    candidates: [],
    secondIntent: null,
    aspect: null,
  }),
};

describe('parseEvalTsv', () => {
  it('parses rows with line numbers', () => {
    const rows = parseEvalTsv(tsv);
    expect(rows).toHaveLength(4);
    expect(rows[1]).toEqual({ intent: 'complaint', complaint: true, text: 'lama sekali', line: 3 });
  });

  it('explains bad headers and lines', () => {
    expect(() => parseEvalTsv('text\tintent\n')).toThrow(/line 1: header/);
    expect(() => parseEvalTsv('intent\tcomplaint\ttext\nfees\tmaybe\tx')).toThrow(/line 2: complaint must be true or false/);
    expect(() => parseEvalTsv('intent\tcomplaint\ttext\nfees only')).toThrow(EvalFormatError);
    expect(() => parseEvalTsv('intent\tcomplaint\ttext\nfees\tfalse\t ')).toThrow(/line 2: text is empty/);
  });
});

describe('evaluate', () => {
  it('computes accuracy, out-of-scope figures and complaint F1', () => {
    const report = evaluate(stub, parseEvalTsv(tsv));
    expect(report.accuracy).toBe(0.75);
    expect(report.outOfScopeRecall).toBe(1);
    expect(report.inScopeToOutOfScope).toBeCloseTo(1 / 3);
    expect(report.complaint.precision).toBe(0.5);
    expect(report.complaint.recall).toBe(1);
    expect(report.complaint.f1).toBeCloseTo(2 / 3);
    expect(report.confusedPairs[0]).toEqual({ expected: 'fees', predicted: 'out_of_scope', count: 1 });
    const text = formatReport(report);
    expect(text).toContain('accuracy: 75.0%');
    expect(text).toContain('1 x fees -> out_of_scope');
  });
});
