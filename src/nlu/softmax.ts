/**
 * Multinomial logistic regression on sparse features, trained with Adagrad. Small enough to
 * train on every start-up (well under a second for ~1,000 utterances) and its softmax output
 * is a probability, so one threshold separates known intents from out-of-scope messages.
 * Features are interned to integer ids and weights kept in one flat array: string-keyed maps
 * in the inner loop made training several times slower.
 */
import type { FeatureVector } from './features.js';

export interface SoftmaxOptions {
  readonly epochs: number;
  readonly learningRate: number;
  /** L2 penalty per update; keeps rare n-grams from dominating. */
  readonly l2: number;
  readonly seed: number;
  /** Features in fewer training examples than this are dropped (default 1: keep all). */
  readonly minCount?: number;
}

export const DEFAULT_SOFTMAX_OPTIONS: SoftmaxOptions = { epochs: 10, learningRate: 0.5, l2: 1e-4, seed: 7, minCount: 2 };

export interface SoftmaxModel {
  readonly labels: readonly string[];
  /** Probability per label, same order as `labels`. */
  predict(features: FeatureVector): Float64Array;
  /** Feature key -> the integer id `predictSparse` takes. */
  readonly featureIndex: ReadonlyMap<string, number>;
  /**
   * `predict` for features already resolved to ids: `ids[i]` (-1 = unknown to the model, skipped)
   * with value `values[i]`, for i < n, in the order `predict` would iterate them. Same
   * arithmetic in the same order, hence the very same probabilities.
   */
  predictSparse(ids: Int32Array, values: Float64Array, n: number): Float64Array;
}

export interface TrainingExample {
  readonly features: FeatureVector;
  readonly label: string;
}

/** Deterministic PRNG (mulberry32) so the same knowledge base always gives the same model. */
export function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function softmaxInPlace(scores: Float64Array): Float64Array {
  let max = -Infinity;
  for (const score of scores) max = Math.max(max, score);
  let sum = 0;
  for (let i = 0; i < scores.length; i++) {
    const value = Math.exp((scores[i] ?? 0) - max);
    scores[i] = value;
    sum += value;
  }
  for (let i = 0; i < scores.length; i++) scores[i] = (scores[i] ?? 0) / sum;
  return scores;
}

/** Gradients smaller than this (the class's probability is within it of its target) update nothing. */
const SKIP_GRADIENT = 1e-3;

interface SparseExample {
  readonly ids: Int32Array;
  readonly values: Float64Array;
  readonly target: number;
}

export function trainSoftmax(
  examples: readonly TrainingExample[],
  options: SoftmaxOptions = DEFAULT_SOFTMAX_OPTIONS,
): SoftmaxModel & { readonly parameters: SoftmaxParameters } {
  const labels = [...new Set(examples.map((example) => example.label))].sort();
  const labelIndex = new Map(labels.map((label, i) => [label, i]));
  const k = labels.length;
  // Features seen in fewer than minCount examples are left out: a character n-gram of one
  // typo in one long review teaches nothing, and they were most of the weight table.
  const minCount = options.minCount ?? 1;
  const counts = new Map<string, number>();
  if (minCount > 1) for (const example of examples) for (const feature of example.features.keys()) counts.set(feature, (counts.get(feature) ?? 0) + 1);
  const featureIds = new Map<string, number>();
  const sparse: SparseExample[] = examples.map((example) => {
    const ids = new Int32Array(example.features.size);
    const values = new Float64Array(example.features.size);
    let i = 0;
    for (const [feature, value] of example.features) {
      let id = featureIds.get(feature);
      if (id === undefined) {
        if (minCount > 1 && (counts.get(feature) ?? 0) < minCount) continue;
        id = featureIds.size;
        featureIds.set(feature, id);
      }
      ids[i] = id;
      values[i] = value;
      i += 1;
    }
    return { ids: ids.subarray(0, i), values: values.subarray(0, i), target: labelIndex.get(example.label) ?? 0 };
  });

  const weights = new Float64Array(featureIds.size * k);
  const squares = new Float64Array(featureIds.size * k).fill(1e-8);
  const bias = new Float64Array(k);
  const biasSquares = new Float64Array(k).fill(1e-8);
  const scores = new Float64Array(k);
  const { learningRate, l2 } = options;

  const random = createRandom(options.seed);
  const order = sparse.map((_, i) => i);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      const swap = order[i]!;
      order[i] = order[j]!;
      order[j] = swap;
    }
    for (const index of order) {
      const example = sparse[index]!;
      const { ids, values } = example;
      scores.set(bias);
      for (let f = 0; f < ids.length; f++) {
        const base = ids[f]! * k;
        const value = values[f]!;
        for (let c = 0; c < k; c++) scores[c] = scores[c]! + weights[base + c]! * value;
      }
      softmaxInPlace(scores);
      scores[example.target] = scores[example.target]! - 1; // now the gradient of the loss
      for (let c = 0; c < k; c++) {
        const g = scores[c]!;
        // A class the model already rules out (or is sure of) has nothing to learn here:
        // skipping it makes an epoch several times cheaper once the model has converged a little.
        if (g > -SKIP_GRADIENT && g < SKIP_GRADIENT) continue;
        biasSquares[c] = biasSquares[c]! + g * g;
        bias[c] = bias[c]! - (learningRate * g) / Math.sqrt(biasSquares[c]!);
        for (let f = 0; f < ids.length; f++) {
          const at = ids[f]! * k + c;
          const w = weights[at]!;
          const gw = g * values[f]! + l2 * w;
          const sq = squares[at]! + gw * gw;
          squares[at] = sq;
          weights[at] = w - (learningRate * gw) / Math.sqrt(sq);
        }
      }
    }
  }

  return softmaxModel({ labels, features: [...featureIds.keys()], weights, bias });
}

/** What a trained model is: enough to save it and to rebuild it without training. */
export interface SoftmaxParameters {
  readonly labels: readonly string[];
  /** Feature keys in id order. */
  readonly features: readonly string[];
  /** features.length x labels.length weights, feature-major. */
  readonly weights: Float64Array;
  readonly bias: Float64Array;
}

/** The model of trained (or restored) parameters. */
export function softmaxModel(parameters: SoftmaxParameters): SoftmaxModel & { readonly parameters: SoftmaxParameters } {
  const { labels, weights, bias } = parameters;
  const k = labels.length;
  const featureIds = new Map(parameters.features.map((feature, id) => [feature, id]));
  return {
    labels,
    parameters,
    predict(features: FeatureVector): Float64Array {
      const out = Float64Array.from(bias);
      for (const [feature, value] of features) {
        const id = featureIds.get(feature);
        if (id === undefined) continue;
        const base = id * k;
        for (let c = 0; c < k; c++) out[c] = (out[c] ?? 0) + (weights[base + c] ?? 0) * value;
      }
      return softmaxInPlace(out);
    },
    featureIndex: featureIds,
    predictSparse(ids: Int32Array, values: Float64Array, n: number): Float64Array {
      const out = Float64Array.from(bias);
      for (let f = 0; f < n; f++) {
        const id = ids[f]!;
        if (id < 0) continue;
        const base = id * k;
        const value = values[f]!;
        for (let c = 0; c < k; c++) out[c] = out[c]! + weights[base + c]! * value;
      }
      return softmaxInPlace(out);
    },
  };
}
