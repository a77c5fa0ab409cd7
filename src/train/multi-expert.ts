/**
 * Multi-expert training data (the expert-adaptive segmentation study, seed 002): each training image annotated by
 * several experts gives one sample per expert — (image, expert index e, expert e's label map) — so one batch mixes
 * experts, and a model with conditional instance norm learns one γ, β row per expert on shared weights. The
 * expert index of a batch's sample is looked up from the case it was drawn from (`SampleRecord.caseIndex`).
 */
import type { Split } from '../datasets/index.ts';
import type { LoadedDataset } from '../datasets/index.ts';
import { MultiraterError } from '../errors.ts';
import type { TensorData } from '../nn/index.ts';
import { EXPERT_FEED } from './model-graphs.ts';
import type { Batch } from '../data/index.ts';
import type { TrainConfig } from './train-config.ts';
import { loadTrainingCases, type TrainingCase } from '../data/index.ts';

/** Training cases, one per (image, expert), and the expert slot of each. */
export interface ExpertCases {
  /** In case order, then expert order: each image once per trained expert, with that expert's label map. */
  cases: TrainingCase[];
  /** Expert slot of `cases[i]`. */
  expertOf: number[];
}

/** Options of `loadExpertCases`: the expert slots, which experts give samples, and which cases. */
export interface LoadExpertCasesOptions {
  /** The expert slots (rater ids); slot e = `experts[e]`. */
  experts: readonly string[];
  /** The experts whose label maps become samples (subset of `experts`). */
  trainExperts: readonly string[];
  /** Only cases of these splits; default every case. */
  splits?: readonly Split[];
  /** Only these case ids; default every case. */
  caseIds?: readonly string[];
}

/** Reads every selected case once per trained expert, in case order then expert order. */
export function loadExpertCases(loaded: LoadedDataset, options: LoadExpertCasesOptions): ExpertCases {
  const perExpert = options.trainExperts.map((rater) => {
    const slot = options.experts.indexOf(rater);
    if (slot < 0)
      throw new MultiraterError(
        'invalid_argument',
        `expert "${rater}" is not among the expert slots ${options.experts.join(', ')}`,
      );
    return {
      slot,
      cases: loadTrainingCases(loaded, { labelSource: rater, splits: options.splits, caseIds: options.caseIds }),
    };
  });
  const out: ExpertCases = { cases: [], expertOf: [] };
  const count = perExpert[0]?.cases.length ?? 0;
  for (let i = 0; i < count; i++) {
    for (const { slot, cases } of perExpert) {
      out.cases.push(cases[i]);
      out.expertOf.push(slot);
    }
  }
  return out;
}

/** The `expert` feed of `batch`: int64 [B], the slot of the case each sample was drawn from. */
export function expertFeed(batch: Batch, expertOf: readonly number[]): TensorData {
  return {
    dtype: 'int64',
    shape: [batch.samples.length],
    data: BigInt64Array.from(batch.samples, (s) => BigInt(expertOf[s.caseIndex])),
  };
}

/** The feeds a batch adds for `config`'s network: the expert index when it uses conditional instance norm. */
export function expertFeeds(
  config: Pick<TrainConfig, 'modelOptions'>,
  expertOf: readonly number[],
): (batch: Batch) => Record<string, TensorData> {
  if (config.modelOptions.norm !== 'cin') return () => ({});
  return (batch) => ({ [EXPERT_FEED]: expertFeed(batch, expertOf) });
}
