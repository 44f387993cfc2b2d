import { describe, expect, it } from 'vitest';
import { EvalFormatError, evaluate, formatReport, parseEvalTsv, rowsBetween, type Classifier } from '../../src/nlu/index.js';

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
    expect(rows[1]).toEqual({ intent: 'complaint', intents: ['complaint'], complaint: true, text: 'lama sekali', line: 3 });
  });

  it('reads the comma-list format, best intent first', () => {
    const rows = parseEvalTsv('intents\tcomplaint\ttext\nmpaspor_quota, express_service\ttrue\tkuota penuh, mau cepat\n');
    expect(rows[0]).toEqual({
      intent: 'mpaspor_quota',
      intents: ['mpaspor_quota', 'express_service'],
      complaint: true,
      text: 'kuota penuh, mau cepat',
      line: 2,
    });
    expect(() => parseEvalTsv('intents\tcomplaint\ttext\nfees,Bad Id\tfalse\tx')).toThrow(/line 2: bad intent id "Bad Id"/);
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
    expect(report.complaint.falsePositives).toBe(1);
    expect(report.complaint.falseNegatives).toBe(0);
    expect(report.complaintErrors).toEqual([{ line: 5, text: 'harga', expected: false }]);
    const text = formatReport(report);
    expect(text).toContain('strict 75.0%');
    expect(text).toContain('1 x fees -> out_of_scope');
  });

  it('counts a second acceptable intent as lenient, not strict', () => {
    const rows = parseEvalTsv('intents\tcomplaint\ttext\nfees,out_of_scope\tfalse\tharga\nfees,payment\tfalse\tbiaya?\ncomplaint\ttrue\tcuaca\n');
    const report = evaluate(stub, rows);
    expect(report.correct).toBe(1); // "biaya?" -> fees
    expect(report.lenientCorrect).toBe(2); // "harga" -> out_of_scope, acceptable as the second choice
    expect(report.accuracy).toBeCloseTo(1 / 3);
    expect(report.lenientAccuracy).toBeCloseTo(2 / 3);
    expect(report.errors.map((e) => [e.line, e.lenient])).toEqual([[2, true], [4, false]]);
    expect(rowsBetween(rows, 2, 3).map((row) => row.line)).toEqual([2, 3]);
  });
});
