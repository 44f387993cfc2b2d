/**
 * Evaluation on a labelled TSV: strict and lenient accuracy, per-intent precision/recall,
 * confused pairs, out-of-scope recall, in-scope messages lost to out_of_scope, and
 * complaint-flag precision/recall/F1. Pure: no I/O.
 *
 * Two formats are read (the header says which):
 * - `intent<TAB>complaint<TAB>text`: one intent per message (the chat sets);
 * - `intents<TAB>complaint<TAB>text`: a comma list of acceptable intents, best first (real
 *   reviews, where a second ask is as good an answer). Strict accuracy counts the first only,
 *   lenient accuracy any of them.
 */
import type { Classifier } from './types.js';

export interface EvalRow {
  /** The best intent (the first of `intents`). */
  readonly intent: string;
  /** Every acceptable intent, best first (one for the single-intent format). */
  readonly intents: readonly string[];
  readonly complaint: boolean;
  readonly text: string;
  /** 1-based line in the TSV, for error messages and reports. */
  readonly line: number;
}

export class EvalFormatError extends Error {
  readonly code = 'EVAL_FORMAT';
  constructor(
    message: string,
    readonly line: number,
  ) {
    super(message);
    this.name = 'EvalFormatError';
  }
}

export interface IntentMetrics {
  readonly intent: string;
  readonly support: number;
  readonly predicted: number;
  readonly correct: number;
  readonly precision: number;
  readonly recall: number;
}

export interface Misclassification {
  readonly line: number;
  readonly text: string;
  readonly expected: string;
  readonly predicted: string;
  readonly confidence: number;
  /** The predicted intent is acceptable, though not the first choice. */
  readonly lenient: boolean;
}

export interface ComplaintMetrics {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
  readonly support: number;
  /** Messages wrongly flagged (false positives) and missed (false negatives). */
  readonly falsePositives: number;
  readonly falseNegatives: number;
}

export interface EvalReport {
  readonly total: number;
  /** Strict: the predicted intent is the first listed. */
  readonly correct: number;
  readonly accuracy: number;
  /** Lenient: the predicted intent is any listed one (equals strict for single-intent files). */
  readonly lenientCorrect: number;
  readonly lenientAccuracy: number;
  readonly perIntent: readonly IntentMetrics[];
  /** Most frequent (expected -> predicted) confusions, largest first (strict). */
  readonly confusedPairs: ReadonlyArray<{ readonly expected: string; readonly predicted: string; readonly count: number }>;
  /** Share of out_of_scope messages classified out_of_scope (NaN when there are none). */
  readonly outOfScopeRecall: number;
  /** Share of in-scope messages wrongly sent to out_of_scope. */
  readonly inScopeToOutOfScope: number;
  readonly complaint: ComplaintMetrics;
  /** Messages not strictly right (lenient ones marked), in file order. */
  readonly errors: readonly Misclassification[];
  /** Complaint-flag mistakes, in file order. */
  readonly complaintErrors: ReadonlyArray<{ readonly line: number; readonly text: string; readonly expected: boolean }>;
}

const OUT_OF_SCOPE = 'out_of_scope';
const INTENT_ID = /^[a-z][a-z0-9_]*$/;

/** Parses either TSV format; throws EvalFormatError naming the line on a bad row. */
export function parseEvalTsv(text: string): EvalRow[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = lines[0]?.trim().split('\t') ?? [];
  const multi = header[0] === 'intents';
  if ((header[0] !== 'intent' && !multi) || header[1] !== 'complaint' || header[2] !== 'text') {
    throw new EvalFormatError(
      `line 1: header must be "intent<TAB>complaint<TAB>text" or "intents<TAB>complaint<TAB>text", got "${lines[0] ?? ''}"`,
      1,
    );
  }
  const rows: EvalRow[] = [];
  lines.slice(1).forEach((raw, i) => {
    const line = i + 2;
    if (raw.trim() === '' || raw.startsWith('#')) return;
    const cells = raw.split('\t');
    if (cells.length < 3) {
      throw new EvalFormatError(`line ${line}: expected 3 tab-separated columns (${header[0]}, complaint, text), got ${cells.length}`, line);
    }
    const [intentCell = '', complaint = '', ...rest] = cells;
    const textCell = rest.join('\t').trim();
    const intents = multi ? intentCell.split(',').map((id) => id.trim()) : [intentCell.trim()];
    const bad = intents.find((id) => !INTENT_ID.test(id));
    if (bad !== undefined) throw new EvalFormatError(`line ${line}: bad intent id "${bad}"`, line);
    const flag = complaint.trim().toLowerCase();
    if (flag !== 'true' && flag !== 'false') {
      throw new EvalFormatError(`line ${line}: complaint must be true or false, got "${complaint}"`, line);
    }
    if (textCell === '') throw new EvalFormatError(`line ${line}: text is empty`, line);
    rows.push({ intent: intents[0]!, intents, complaint: flag === 'true', text: textCell, line });
  });
  return rows;
}

/** Rows whose line number is within [from, to] (a part of a file, e.g. real-dev's random half). */
export function rowsBetween(rows: readonly EvalRow[], from: number, to: number): EvalRow[] {
  return rows.filter((row) => row.line >= from && row.line <= to);
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? Number.NaN : numerator / denominator;
}

export function evaluate(classifier: Classifier, rows: readonly EvalRow[]): EvalReport {
  const support = new Map<string, number>();
  const predictedCount = new Map<string, number>();
  const correctCount = new Map<string, number>();
  const confusions = new Map<string, number>();
  const errors: Misclassification[] = [];
  const complaintErrors: { line: number; text: string; expected: boolean }[] = [];
  let correct = 0;
  let lenientCorrect = 0;
  let oosTotal = 0;
  let oosHit = 0;
  let inScopeTotal = 0;
  let inScopeLost = 0;
  let tp = 0;
  let fp = 0;
  let fn = 0;

  for (const row of rows) {
    const result = classifier.classify(row.text);
    support.set(row.intent, (support.get(row.intent) ?? 0) + 1);
    predictedCount.set(result.intent, (predictedCount.get(result.intent) ?? 0) + 1);
    const lenient = row.intents.includes(result.intent);
    if (lenient) lenientCorrect += 1;
    if (result.intent === row.intent) {
      correct += 1;
      correctCount.set(row.intent, (correctCount.get(row.intent) ?? 0) + 1);
    } else {
      const key = `${row.intent}\t${result.intent}`;
      confusions.set(key, (confusions.get(key) ?? 0) + 1);
      errors.push({ line: row.line, text: row.text, expected: row.intents.join(','), predicted: result.intent, confidence: result.confidence, lenient });
    }
    if (row.intent === OUT_OF_SCOPE) {
      oosTotal += 1;
      if (result.intent === OUT_OF_SCOPE) oosHit += 1;
    } else {
      inScopeTotal += 1;
      if (result.intent === OUT_OF_SCOPE) inScopeLost += 1;
    }
    if (result.complaint && row.complaint) tp += 1;
    else if (result.complaint) fp += 1;
    else if (row.complaint) fn += 1;
    if (result.complaint !== row.complaint) complaintErrors.push({ line: row.line, text: row.text, expected: row.complaint });
  }

  const intents = [...new Set([...support.keys(), ...predictedCount.keys()])].sort();
  const perIntent = intents.map((intent) => {
    const hits = correctCount.get(intent) ?? 0;
    const predicted = predictedCount.get(intent) ?? 0;
    const count = support.get(intent) ?? 0;
    return { intent, support: count, predicted, correct: hits, precision: ratio(hits, predicted), recall: ratio(hits, count) };
  });
  const confusedPairs = [...confusions.entries()]
    .map(([key, count]) => {
      const [expected = '', predicted = ''] = key.split('\t');
      return { expected, predicted, count };
    })
    .sort((a, b) => b.count - a.count || a.expected.localeCompare(b.expected));
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return {
    total: rows.length,
    correct,
    accuracy: ratio(correct, rows.length),
    lenientCorrect,
    lenientAccuracy: ratio(lenientCorrect, rows.length),
    perIntent,
    confusedPairs,
    outOfScopeRecall: ratio(oosHit, oosTotal),
    inScopeToOutOfScope: ratio(inScopeLost, inScopeTotal),
    complaint: { precision, recall, f1, support: tp + fn, falsePositives: fp, falseNegatives: fn },
    errors,
    complaintErrors,
  };
}

function pct(value: number): string {
  return Number.isNaN(value) ? '  n/a' : `${(value * 100).toFixed(1)}%`;
}

/** The headline figures on three lines (used for a whole file and for each part of it). */
export function formatSummary(report: EvalReport): string[] {
  return [
    `messages: ${report.total}   accuracy: strict ${pct(report.accuracy)} (${report.correct}/${report.total})  lenient ${pct(report.lenientAccuracy)} (${report.lenientCorrect}/${report.total})`,
    `out-of-scope recall: ${pct(report.outOfScopeRecall)}   in-scope sent to out_of_scope: ${pct(report.inScopeToOutOfScope)}`,
    `complaint flag: precision ${pct(report.complaint.precision)}  recall ${pct(report.complaint.recall)}  F1 ${Number.isNaN(report.complaint.f1) ? 'n/a' : report.complaint.f1.toFixed(3)}  (support ${report.complaint.support}; ${report.complaint.falsePositives} false, ${report.complaint.falseNegatives} missed)`,
  ];
}

export function formatReport(report: EvalReport, options: { maxErrors?: number } = {}): string {
  const lines = [
    ...formatSummary(report),
    '',
    'intent                 support  precision  recall',
  ];
  for (const m of report.perIntent) {
    lines.push(`${m.intent.padEnd(22)} ${String(m.support).padStart(7)}  ${pct(m.precision).padStart(9)}  ${pct(m.recall).padStart(6)}`);
  }
  if (report.confusedPairs.length > 0) {
    lines.push('', 'most confused (expected -> predicted):');
    for (const pair of report.confusedPairs.slice(0, 10)) lines.push(`  ${pair.count} x ${pair.expected} -> ${pair.predicted}`);
  }
  const maxErrors = options.maxErrors ?? 30;
  if (report.errors.length > 0 && maxErrors > 0) {
    lines.push('', 'errors:');
    for (const e of report.errors.slice(0, maxErrors)) {
      lines.push(`  line ${e.line}: ${e.expected} -> ${e.predicted}${e.lenient ? ' (lenient ok)' : ''} (${e.confidence.toFixed(2)}) ${JSON.stringify(e.text)}`);
    }
  }
  return lines.join('\n');
}
