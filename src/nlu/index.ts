export type { Classification, Classifier } from './types.js';
export { normalize, normalizeTokens, cleanText, tokenize, applyLexicon, stripSuffix, type NormalizeOptions } from './normalize.js';
export { loadLexicon, createLexicon, defaultLexicon, defaultLexiconDir, LexiconError, type Lexicon } from './lexicon.js';
export { detectLanguage } from './language.js';
export { detectComplaint, detectComplaintFlags, detectIntegrity, detectWrongData, detectPriorityGroup, extractTicketNumber, type ComplaintFlags } from './flags.js';
export {
  createClassifier,
  MAX_CLASSIFY_CHARS,
  DEFAULT_OOS_THRESHOLD,
  OUT_OF_SCOPE,
  type ClassifierOptions,
  type IntentClassifier,
  type IntentScore,
} from './classifier.js';
export { evaluate, formatReport, formatSummary, parseEvalTsv, rowsBetween, EvalFormatError, type EvalReport, type EvalRow, type IntentMetrics } from './eval.js';
