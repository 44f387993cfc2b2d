/**
 * Intent classifier: normalizer -> features (stemmed words via natural's StemmerId, bigrams,
 * character n-grams) -> softmax regression trained on the knowledge base's utterances, plus
 * high-precision rules (a ticket number means ticket_status) and a confidence threshold
 * below which a message is out_of_scope. Flags are detected independently of the intent.
 */
import type { KnowledgeBase } from '../knowledge/types.js';
import { DEFAULT_FEATURE_OPTIONS, extractFeatures, stems, type FeatureOptions } from './features.js';
import { detectComplaint, detectIntegrity, detectPriorityGroup, extractTicketNumber } from './flags.js';
import { isForeignDomain, isPassportAnchored } from './domain.js';
import { detectLanguage } from './language.js';
import { defaultLexicon, type Lexicon } from './lexicon.js';
import { applyLexicon, cleanText, tokenize } from './normalize.js';
import { DEFAULT_SOFTMAX_OPTIONS, trainSoftmax, type SoftmaxOptions } from './softmax.js';
import type { Classification, Classifier } from './types.js';

/** Only this many characters of a message are classified: intent shows early, and it bounds CPU time. */
export const MAX_CLASSIFY_CHARS = 1_000;
/** Below this top probability a message is out_of_scope (tuned on the dev set, see test/nlu/dev-report). */
export const DEFAULT_OOS_THRESHOLD = 0.25;

/** A passport-anchored message needs less model confidence to get an FAQ answer. */
const ANCHORED_THRESHOLD = 0.1;

export const OUT_OF_SCOPE = 'out_of_scope';
const TICKET_STATUS = 'ticket_status';
const COMPLAINT = 'complaint';

export interface ClassifierOptions {
  readonly lexicon?: Lexicon;
  readonly threshold?: number;
  readonly features?: FeatureOptions;
  readonly softmax?: SoftmaxOptions;
  /** Told about an internal failure; the message is then answered as out_of_scope. */
  readonly onError?: (err: unknown) => void;
}

export interface IntentScore {
  readonly intent: string;
  readonly probability: number;
}

export interface IntentClassifier extends Classifier {
  readonly threshold: number;
  /** Milliseconds spent training at creation. */
  readonly buildMs: number;
  /** Model probabilities, best first, before rules and the threshold (for debugging and eval). */
  scores(text: string): IntentScore[];
}

/** Emoji that carry the whole message ("🙏" closes a topic), mapped before tokenizing. */
const EMOJI_WORDS: ReadonlyArray<readonly [RegExp, string]> = [
  [/[\u{1F64F}\u{1F44D}\u{1F44C}\u{1F917}]/gu, ' terima kasih '],
  [/[\u{1F44B}]/gu, ' halo '],
];

function prepare(text: string, lexicon: Lexicon): { cleaned: string; tokens: string[] } {
  let prefix = typeof text === 'string' ? text.slice(0, MAX_CLASSIFY_CHARS) : '';
  for (const [pattern, words] of EMOJI_WORDS) prefix = prefix.replace(pattern, words);
  const cleaned = cleanText(prefix);
  return { cleaned, tokens: applyLexicon(tokenize(cleaned), lexicon) };
}

export function createClassifier(kb: KnowledgeBase, options: ClassifierOptions = {}): IntentClassifier {
  const started = performance.now();
  const lexicon = options.lexicon ?? defaultLexicon();
  const threshold = options.threshold ?? DEFAULT_OOS_THRESHOLD;
  const featureOptions = options.features ?? DEFAULT_FEATURE_OPTIONS;

  const examples = [];
  const inScopeStems = new Set<string>();
  for (const entry of kb.intents.values()) {
    for (const utterance of entry.utterances) {
      const { tokens } = prepare(utterance, lexicon);
      if (tokens.length === 0) continue;
      examples.push({ features: extractFeatures(tokens, featureOptions), label: entry.id });
      if (entry.id !== OUT_OF_SCOPE) for (const s of stems(tokens)) inScopeStems.add(s);
    }
  }
  const model = trainSoftmax(examples, options.softmax ?? DEFAULT_SOFTMAX_OPTIONS);
  const buildMs = performance.now() - started;

  function scoresOf(tokens: readonly string[]): IntentScore[] {
    const probs = model.predict(extractFeatures(tokens, featureOptions));
    return model.labels
      .map((intent, i) => ({ intent, probability: probs[i] ?? 0 }))
      .sort((a, b) => b.probability - a.probability);
  }

  function classify(text: string): Classification {
    const { cleaned, tokens } = prepare(text, lexicon);
    const language = detectLanguage(cleaned);
    const normalized = tokens.join(' ');
    const integrity = detectIntegrity(normalized);
    const priorityGroup = detectPriorityGroup(normalized);
    const ticketNumber = extractTicketNumber(cleaned);
    const cued = detectComplaint(normalized);

    let intent = OUT_OF_SCOPE;
    let confidence = 0;
    if (ticketNumber !== undefined) {
      // "#12", "tiket 12", "T-31": only ticket references look like this.
      intent = TICKET_STATUS;
      confidence = 0.95;
    } else if (tokens.length > 0) {
      const ranked = scoresOf(tokens);
      const foreign = isForeignDomain(normalized);
      // The out_of_scope class learns many unrelated words and so attracts any unusual
      // message; a message that names passport business is ours, so take the best FAQ.
      const anchored = !foreign && isPassportAnchored(normalized);
      const best = anchored ? ranked.find((s) => s.intent !== OUT_OF_SCOPE) : ranked[0];
      // No word the in-scope utterances ever used: nothing to go on, so not ours.
      const known = stems(tokens).some((s) => inScopeStems.has(s));
      if (best !== undefined && known && !foreign && best.intent !== OUT_OF_SCOPE && best.probability >= (anchored ? ANCHORED_THRESHOLD : threshold)) {
        intent = best.intent;
        confidence = best.probability;
      } else if (cued && !foreign) {
        // Dissatisfaction about something no FAQ covers is, by definition, the complaint intent.
        intent = COMPLAINT;
        confidence = Math.max(0.5, ranked.find((s) => s.intent === COMPLAINT)?.probability ?? 0);
      } else {
        confidence = best?.intent === OUT_OF_SCOPE ? best.probability : 1 - (best?.probability ?? 0);
      }
    }
    const base = {
      intent,
      confidence: Math.round(confidence * 1000) / 1000,
      complaint: intent === COMPLAINT || cued,
      integrity,
      priorityGroup,
      language,
    };
    return ticketNumber === undefined ? base : { ...base, ticketNumber };
  }

  return {
    threshold,
    buildMs,
    classify(text: string): Classification {
      try {
        return classify(text);
      } catch (err) {
        // Applicant input must never crash the router; an internal bug degrades to "not understood".
        options.onError?.(err);
        return {
          intent: OUT_OF_SCOPE,
          confidence: 0,
          complaint: false,
          integrity: false,
          priorityGroup: false,
          language: 'id',
        };
      }
    },
    scores(text: string): IntentScore[] {
      const { tokens } = prepare(text, lexicon);
      return tokens.length === 0 ? [] : scoresOf(tokens);
    },
  };
}
