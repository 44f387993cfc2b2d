/**
 * Intent classifier: normalizer -> features (stemmed words via natural's StemmerId, bigrams,
 * character n-grams) -> softmax regression trained on the knowledge base's utterances, plus
 * high-precision rules (a ticket number means ticket_status) and a confidence threshold
 * below which a message is out_of_scope. Flags are detected independently of the intent.
 */
import type { KnowledgeBase } from '../knowledge/types.js';
import { DEFAULT_FEATURE_OPTIONS, extractFeatures, stems, type FeatureOptions } from './features.js';
import { detectComplaintFlags, detectPriorityGroup, extractTicketNumber } from './flags.js';
import { isForeignDomain, isPassportAnchored, isSpam } from './domain.js';
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
const THANKS_EMOJI = /[\u{1F64F}\u{1F44D}\u{1F44C}\u{1F917}]/gu;
const WAVE_EMOJI = /[\u{1F44B}]/gu;
/**
 * With a salutation ("Shalom admin 🙏", "assalamualaikum 🙏") the folded hands are politeness,
 * not thanks. Religious and daily greetings of Kupang's communities.
 */
const SALUTATION = /\b(shalom|syalom|salom|salam|assalamualaikum|asalamualaikum|assalamu|askum|halo|hallo|hai|permisi|pagi|siang|sore|malam|horas|swastiastu|namo buddhaya|berkah dalem|selamat)\b/iu;

/** Complaint intent wins over these topics when the message reports wrongly printed data. */
const WRONG_DATA_TOPICS = new Set(['requirements_child', 'requirements_new', 'priority_service', 'fees', 'express_service', 'office_info', 'processing_time', 'renewal']);
/** A complaint cue beats an FAQ answer the model is this unsure of... */
const WEAK_FAQ = 0.3;
/** ...unless the message names an app or payment topic outright: then the FAQ answers it. */
const TOPIC_WORDS = /\b(otp|kode verifikasi|aktivasi|kuota|kode billing|billing|unggah|login|kata sandi|akun|biaya|harga|tarif|mahal|murah)\b/;
/** A new broker or illegal-fee report is the complaint intent unless the model is sure of a topic. */
const STRONG_FAQ = 0.5;
/** ticket_status is about an earlier report: without one of these words (or a number) it is another topic. */
const TICKET_WORDS = /\b(tiket|laporan|laporkan|lapor|dilaporkan|aduan|adukan|keluhan|kasus|status|update|respon|balasan|ditanggapi|ditangani|tindak lanjut|kelanjutan)\b/;

function prepare(text: string, lexicon: Lexicon): { prefix: string; cleaned: string; tokens: string[] } {
  let prefix = typeof text === 'string' ? text.slice(0, MAX_CLASSIFY_CHARS) : '';
  prefix = prefix.replace(THANKS_EMOJI, SALUTATION.test(prefix) ? ' ' : ' terima kasih ').replace(WAVE_EMOJI, ' halo ');
  const cleaned = cleanText(prefix);
  return { prefix, cleaned, tokens: applyLexicon(tokenize(cleaned), lexicon) };
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
    const { prefix, cleaned, tokens } = prepare(text, lexicon);
    const language = detectLanguage(cleaned);
    const normalized = tokens.join(' ');
    const { complaint: cued, integrity, wrongData } = detectComplaintFlags(normalized, prefix);
    const priorityGroup = detectPriorityGroup(normalized);
    const ticketNumber = extractTicketNumber(cleaned);

    let intent = OUT_OF_SCOPE;
    let confidence = 0;
    if (ticketNumber !== undefined) {
      // "#12", "tiket 12", "T-31": only ticket references look like this.
      intent = TICKET_STATUS;
      confidence = 0.95;
    } else if (tokens.length > 0 && isSpam(normalized) && !integrity) {
      // Advertising ("izin promosi ... dm ya") mentions the office but asks nothing of it.
      confidence = 0.9;
    } else if (tokens.length > 0) {
      const ranked = scoresOf(tokens);
      const foreign = isForeignDomain(normalized);
      // The out_of_scope class learns many unrelated words and so attracts any unusual
      // message; a message that names passport business is ours, so take the best FAQ.
      const anchored = !foreign && isPassportAnchored(normalized);
      const reportless = !TICKET_WORDS.test(normalized);
      const usable = ranked.filter((s) => !(reportless && s.intent === TICKET_STATUS));
      const best = anchored ? usable.find((s) => s.intent !== OUT_OF_SCOPE) : usable[0];
      // No word the in-scope utterances ever used: nothing to go on, so not ours.
      const known = stems(tokens).some((s) => inScopeStems.has(s));
      // A complaint the model cannot place (or wrongly printed data, which no FAQ fixes) is the
      // complaint intent rather than a weak guess at a topic.
      const complaintWins =
        best !== undefined &&
        !foreign &&
        ((cued && best.probability < WEAK_FAQ && !TOPIC_WORDS.test(normalized)) ||
          (integrity && best.probability < STRONG_FAQ) || (wrongData && WRONG_DATA_TOPICS.has(best.intent)));
      if (complaintWins) {
        intent = COMPLAINT;
        confidence = Math.max(0.5, ranked.find((s) => s.intent === COMPLAINT)?.probability ?? 0);
      } else if (best !== undefined && known && !foreign && best.intent !== OUT_OF_SCOPE && best.probability >= (anchored ? ANCHORED_THRESHOLD : threshold)) {
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
