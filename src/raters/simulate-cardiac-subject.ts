/**
 * One subject of `simulate cardiac` (`simulate-cardiac.ts`): its phantom, its 4D cine and truth, and for the ED
 * and ES frames the 3D image, the truth and every rater's annotation, written under the output folder (a
 * random-error rater's from its reference's and systematic rater's annotations of the case, drawn as theirs are
 * whether or not they are written: random-error-rater.ts). A pure
 * function of its task — every draw comes from forks of the dataset seed named by the subject and case — so the
 * subjects can be written in any order, or on other threads (`simulate-cardiac-worker.ts`), with the same bytes.
 */
import type { Case, Split } from '../datasets/index.ts';
import type { CardiacGroup } from '../phantom/index.ts';
import { cardiacPhantom } from '../phantom/index.ts';
import type { CardiacVendor } from '../phantom/index.ts';
import { Rng } from '../random/index.ts';
import { extractFrame, type Volume } from '../volume/index.ts';
import { applyRater, type RaterModel } from './apply-rater.ts';
import type { ConfusionCounts } from './confusion-matrix.ts';
import { DatasetWriter } from './dataset-writer.ts';
import { randomErrorRater, type RandomErrorRaterModel } from './random-error-rater.ts';

/** A random-error rater with the step models of the raters it is drawn from. */
export interface RandomErrorRaterTask extends RandomErrorRaterModel {
  /** Step model of `reference`, drawn for the case as that rater's annotation is. */
  referenceModel: RaterModel;
  /** Step model of `like`, the systematic rater whose Dice is matched, drawn as its annotation is. */
  likeModel: RaterModel;
}

/** Everything one subject needs (plain data, so it can be posted to a worker thread). */
export interface CardiacSubjectTask {
  /** Output folder of the dataset. */
  out: string;
  /** Subject id, e.g. subject001. */
  id: string;
  /** ACDC group of the subject's phantom. */
  group: CardiacGroup;
  /** Scanner vendor of the subject's images. */
  vendor: CardiacVendor;
  /** Split of both the subject's cases. */
  split: Split;
  /** Frames per cycle. */
  frames: number;
  /** In-plane matrix size (pixels); undefined for the phantom's default. */
  size: number | undefined;
  /** The dataset's seed. */
  seed: number;
  /** The raters in the order they are written. */
  models: (RaterModel | RandomErrorRaterTask)[];
}

/** The subject's cases (ED then ES) and its raters' confusion counts. */
export interface CardiacSubjectResult {
  /** The subject's cases, ED then ES, paths relative to `out`. */
  cases: Case[];
  /** Per rater: confusion counts of its ED and ES annotations against the truth. */
  counts: Record<string, ConfusionCounts>;
}

/** Writes one subject's files; see the file comment. */
export function simulateCardiacSubject(task: CardiacSubjectTask): CardiacSubjectResult {
  const { id, group, vendor, frames } = task;
  const root = new Rng(task.seed);
  const writer = new DatasetWriter(task.out, [0, 1, 2, 3]);
  const phantom = cardiacPhantom({
    group,
    vendor,
    frames,
    size: task.size,
    seed: root.fork(`subject:${id}`).nextUint32(),
  });
  const image4d = phantom.image!;
  const cine = writer.write(`cine/${id}.nii.gz`, image4d);
  const cineTruth = writer.write(`cine/${id}_truth.nii.gz`, phantom.labels);
  for (const [frame, index] of [
    ['ED', phantom.edFrame],
    ['ES', phantom.esFrame],
  ] as const) {
    const caseId = `${id}_${frame}`;
    const image = extractFrame(image4d, index);
    const truth = extractFrame(phantom.labels, index);
    const raters: Record<string, string> = {};
    const drawn = new Map<string, Volume<Uint8Array>>();
    const draw = (model: RaterModel): Volume<Uint8Array> => {
      const known = drawn.get(model.name);
      if (known !== undefined) return known;
      const annotation = applyRater(truth, image, model, root.fork(`rater:${model.name}:${caseId}`).nextUint32());
      drawn.set(model.name, annotation);
      return annotation;
    };
    for (const model of task.models) {
      const annotation =
        'kind' in model
          ? randomErrorRater(
              draw(model.referenceModel),
              draw(model.likeModel),
              root.fork(`rater:${model.name}:${caseId}`),
              {
                labels: model.labels,
                bandMm: model.bandMm,
                blobMm: model.blobMm,
              },
            ).labels
          : draw(model);
      raters[model.name] = writer.write(`raters/${model.name}/${caseId}.nii.gz`, annotation);
      writer.count(model.name, truth, annotation);
    }
    writer.cases.push({
      id: caseId,
      image: writer.write(`images/${caseId}.nii.gz`, image),
      truth: writer.write(`truth/${caseId}.nii.gz`, truth),
      raters,
      meta: {
        subject: id,
        frame,
        frameIndex: index,
        edFrame: phantom.edFrame,
        esFrame: phantom.esFrame,
        frames,
        group,
        vendor,
        split: task.split,
        cine,
        cineTruth,
        sliceThicknessMm: Math.round(phantom.sliceMm * 1000) / 1000,
      },
    });
  }
  return { cases: writer.cases, counts: writer.countsByRater() };
}
