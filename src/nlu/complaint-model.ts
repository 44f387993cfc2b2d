/**
 * The complaint scorer: a logistic regression that reads a message's words (stems, word pairs,
 * character n-grams, as the intent model does) together with dense signals of dissatisfaction
 * (complaint-cues.ts: negative judgements, intensifiers, blame, persistence, shouting, emoji).
 * It is trained on the labelled examples of every intent (`intents/examples/*.tsv`) and the
 * complaint intent's utterances, so the same topic is seen both neutral and angry and the
 * flag is learnt apart from the topic. The precise cue rules (flags.ts) still decide on their
 * own where they fire; this model adds what no list of phrases anticipates.
 */
import { COMPLAINT_CUE_NAMES, complaintCues } from './complaint-cues.js';
import { createFeatureEncoder, extractFeatures, type FeatureKeys, type FeatureOptions } from './features.js';
import { softmaxModel, trainSoftmax, type SoftmaxOptions, type SoftmaxParameters } from './softmax.js';

export interface ComplaintTrainingExample {
  readonly raw: string;
  readonly tokens: readonly string[];
  readonly complaint: boolean;
}

export interface ComplaintModel {
  /** Probability (0..1) that the message expresses dissatisfaction. */
  probability(raw: string, tokens: readonly string[], stemmed?: readonly string[]): number;
}

/** Words weigh as much as the dense cues together; character n-grams less (typos, not tone). */
const COMPLAINT_FEATURES: FeatureOptions = { wordWeight: 1, charWeight: 0.5, minGram: 3, maxGram: 5 };
const CUE_WEIGHT = 1.5;
const COMPLAINT_SOFTMAX: SoftmaxOptions = { epochs: 8, learningRate: 0.4, l2: 2e-4, seed: 11, minCount: 2 };
const YES = 'complaint';
const NO = 'neutral';
const CUE_KEYS = COMPLAINT_CUE_NAMES.map((name) => `q:${name}`);

function featuresOf(raw: string, tokens: readonly string[]): Map<string, number> {
  const features = new Map(extractFeatures(tokens, COMPLAINT_FEATURES));
  const cues = complaintCues(raw, tokens);
  for (let i = 0; i < cues.length; i++) if (cues[i]! !== 0) features.set(CUE_KEYS[i]!, cues[i]! * CUE_WEIGHT);
  return features;
}

/** Trains the scorer; null when the examples hold only one label (nothing to learn from). */
export function trainComplaintParameters(examples: readonly ComplaintTrainingExample[]): SoftmaxParameters | null {
  const labels = new Set(examples.map((example) => example.complaint));
  if (labels.size < 2) return null;
  return trainSoftmax(
    examples.map((example) => ({ features: featuresOf(example.raw, example.tokens), label: example.complaint ? YES : NO })),
    COMPLAINT_SOFTMAX,
  ).parameters;
}

/** The scorer of trained (or restored) parameters; without any, it never fires and the rules decide alone. */
/** The n-gram lengths the scorer reads: a `FeatureKeys` shared with it must use these. */
export const COMPLAINT_GRAMS = { minGram: COMPLAINT_FEATURES.minGram, maxGram: COMPLAINT_FEATURES.maxGram } as const;

/**
 * `keys`: feature keys shared with the intent model (same n-gram lengths), so a message's keys
 * are found once for both.
 */
export function complaintModelFrom(parameters: SoftmaxParameters | null, keys?: FeatureKeys): ComplaintModel {
  if (parameters === null) return { probability: () => 0 };
  const model = softmaxModel(parameters);
  const yes = model.labels.indexOf(YES);
  if (yes < 0 || model.labels.length < 2) {
    // Nothing to learn from (a knowledge base without labelled examples): the rules decide alone.
    return { probability: () => 0 };
  }
  const encode = createFeatureEncoder(model.featureIndex, COMPLAINT_FEATURES, keys);
  const cueIds = CUE_KEYS.map((key) => model.featureIndex.get(key) ?? -1);
  let ids = new Int32Array(512);
  let values = new Float64Array(512);
  return {
    probability(raw, tokens, stemmed) {
      // The encoder gives the word and n-gram features as model ids (what featuresOf builds as a
      // map, without the map); the dense cues are appended after them.
      const encoded = encode(tokens, stemmed);
      const cues = complaintCues(raw, tokens);
      const size = encoded.count + cues.length;
      if (size > ids.length) {
        ids = new Int32Array(size * 2);
        values = new Float64Array(size * 2);
      }
      ids.set(encoded.ids.subarray(0, encoded.count));
      values.set(encoded.values.subarray(0, encoded.count));
      let n = encoded.count;
      for (let i = 0; i < cues.length; i++) {
        if (cues[i]! === 0) continue;
        ids[n] = cueIds[i]!;
        values[n] = cues[i]! * CUE_WEIGHT;
        n += 1;
      }
      return model.predictSparse(ids, values, n)[yes] ?? 0;
    },
  };
}
