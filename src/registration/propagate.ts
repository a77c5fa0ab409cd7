/**
 * Label propagation through the cardiac cycle (the seed study "label propagation by registration"): for every
 * cine series, the labelled ED frame (optionally the ES frame too, each frame taking the nearer labelled frame
 * around the cycle) is registered onto every other frame and its labels are warped there (one-hot linear then
 * argmax, or nearest); a labelled frame keeps its own labels (zero field). The output is a copy of the dataset with one case per cine frame and the propagated labels as
 * rater `propagated`, plus per frame the field's quality (folding fraction, RMS displacement) and, when the truth
 * of every frame is known (`meta.cineTruth`, the phantom), the Dice of the propagated labels against it.
 * Everything is checked before anything is written; the copy is built in a staging folder beside the output and
 * renamed into place, so bad input or a failure leaves nothing behind.
 */
import { loadRegistrationModel } from './learned-lazy.ts';
import { copyFileSync, existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { casePaths, datasetInputs } from '../datasets/index.ts';
import { resolveCasePath, saveDataset, type Case, type Dataset, type Split } from '../datasets/index.ts';
import { loadDataset } from '../datasets/index.ts';
import { MultiraterError } from '../errors.ts';
import { assertFolderOutsideInputs } from '../io/index.ts';
import { readLabelMap, readVolume } from '../io/index.ts';
import { writeNifti } from '../io/index.ts';
import { assertSameGrid } from '../volume/index.ts';
import { extractFrame } from '../volume/index.ts';
import { formatShape, type Volume } from '../volume/index.ts';
import { cineSubjects, type CineSubject } from './cine-subjects.ts';
import { PROPAGATED_RATER } from './datasets-lazy.ts';
import { zeroField, type DisplacementField } from './displacement-field.ts';
import { fieldQuality } from './field-quality.ts';
import { labelDice } from './label-dice.ts';
import { registerPair, type RegisterPairOptions } from './register-pair.ts';
import { warpLabels, type LabelInterpolation } from './warp-volume.ts';

/** Options of `propagateLabels` (`multirater propagate`): the registration (`RegisterPairOptions`), the labels and subjects. */
export interface PropagateOptions extends RegisterPairOptions {
  /** Label source: a rater id or 'truth'; default the dataset's first rater. */
  labels?: string;
  /** Also propagate the ES labels, each frame taking the nearer labelled frame (default false: ED only). */
  fromEs?: boolean;
  /** Label interpolation; default 'linear' (one-hot linear, then argmax). */
  interpolation?: LabelInterpolation;
  /** Propagate only the subjects of these splits (the other cases are copied as they are); default every subject. */
  splits?: Split[];
  /** Propagate only the first this many subjects (of `splits`); default all. */
  maxSubjects?: number;
  /**
   * An outside registration used instead of `method` (a peer program): the field registering `moving` onto
   * `fixed` for every frame pair of one subject, in one call. `name` goes into the dataset's description.
   */
  registerWith?: {
    /** The program's name, written into the output dataset's description. */
    name: string;
    /** Registers each pair in one call: one field per pair, in `pairs` order, on `fixed`'s grid (mm). */
    registerFrames(pairs: { fixed: Volume; moving: Volume }[]): Promise<DisplacementField[]>;
  };
  /** For 'learned', instead of `model`: the model folder, read once the output folder is checked. */
  modelDir?: string;
  /** ONNX Runtime threads for the model read from `modelDir`. */
  threads?: number;
  /** Called after each frame. */
  onFrame?: (frame: PropagatedFrame, done: number, total: number) => void;
}

/** What propagation did for one frame. */
export interface PropagatedFrame {
  /** The frame's case id in the copy: the existing case's, else `<subject>_F<frame>` (zero-padded). */
  caseId: string;
  /** The subject id (`CineSubject.id`). */
  subject: string;
  /** 0-based frame index on the cine's time axis. */
  frameIndex: number;
  /** The labelled frame the labels came from. */
  sourceFrame: number;
  /** Fraction of voxels (0–1) where the field folds (Jacobian determinant ≤ 0). */
  foldingFraction: number;
  /** RMS displacement, mm. */
  rmsDisplacementMm: number;
  /** Dice of the propagated labels against the frame's truth per label name (null: label absent in both), when known. */
  truthDice: Record<string, number | null> | null;
  /** Registration seconds (0 for a labelled frame; an outside registration's seconds shared equally by its pairs). */
  seconds: number;
}

/** What `propagateLabels` wrote. */
export interface PropagateResult {
  /** The dataset copy's folder, absolute. */
  outDir: string;
  /** Subjects (cine series) propagated. */
  subjects: number;
  /** Cases in the copy: one per frame of every propagated cine, plus every other case copied as it was. */
  cases: number;
  /** Per propagated frame, in subject then frame order. */
  frames: PropagatedFrame[];
}

interface Source {
  frameIndex: number;
  labels: Volume;
}

interface Plan {
  subject: CineSubject;
  sources: Source[];
}

/** The labelled ED (and ES) frames of `s` from `source`, read and checked. */
function planSubject(s: CineSubject, root: string, source: string, fromEs: boolean): Plan {
  const wanted = (frame: unknown) => frame === 'ED' || (fromEs && frame === 'ES');
  let chosen = s.frames.filter((f) => wanted(f.case.meta.frame));
  if (chosen.length === 0) chosen = s.frames.slice(0, 1);
  const sources = chosen.map((f) => {
    const path = source === 'truth' ? f.case.truth : f.case.raters[source];
    if (path === undefined)
      throw new MultiraterError(
        'invalid_dataset',
        `case ${f.case.id}: no ${source === 'truth' ? 'truth' : `rater "${source}"`} labels to propagate`,
      );
    let labels = readLabelMap(resolveCasePath(root, path), { maxDims: 4 });
    if (labels.shape.length === 4) labels = extractFrame(labels, f.frameIndex);
    return { frameIndex: f.frameIndex, labels };
  });
  return { subject: s, sources };
}

/** Cyclic frame distance on a cycle of `n` frames. */
function cycleDistance(a: number, b: number, n: number): number {
  const d = Math.abs(a - b) % n;
  return Math.min(d, n - d);
}

function dicePerLabel(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  names: Record<string, string>,
): Record<string, number | null> {
  return Object.fromEntries(Object.entries(names).map(([value, name]) => [name, labelDice(a, b, Number(value))]));
}

/** Copies a dataset-relative file into the staging folder (absolute paths are left where they are). */
function copyInto(root: string, stage: string, path: string): void {
  if (isAbsolute(path)) return;
  const to = join(stage, path);
  if (existsSync(to)) return;
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(join(root, path), to);
}

/** Propagates the labels of the dataset at `dataDir` to every cine frame and writes the copy to `outDir`. */
export async function propagateLabels(
  dataDir: string,
  outDir: string,
  options: PropagateOptions,
): Promise<PropagateResult> {
  const out = resolve(outDir);
  const loaded = loadDataset(dataDir);
  const modelDirs = [options.model?.dir, options.modelDir].filter((d) => d !== undefined);
  assertFolderOutsideInputs('options.outDir', outDir, [...datasetInputs(loaded), ...modelDirs]);
  if (existsSync(out) && readdirSync(out).length > 0)
    throw new MultiraterError('invalid_argument', `${out}: output folder exists and is not empty`);
  const { dataset, root } = loaded;
  const subjects = cineSubjects(loaded, options.splits).slice(0, options.maxSubjects ?? Infinity);
  const which = options.splits ? ` in split ${options.splits.join('/')}` : '';
  if (subjects.length === 0)
    throw new MultiraterError(
      'invalid_dataset',
      `${root}/dataset.json: no case${which} names a cine series (meta.cine)`,
    );
  if (dataset.raters.includes(PROPAGATED_RATER))
    throw new MultiraterError('invalid_dataset', `${root}/dataset.json: already has a rater "${PROPAGATED_RATER}"`);
  const source = options.labels ?? dataset.raters[0] ?? 'truth';
  if (source !== 'truth' && !dataset.raters.includes(source))
    throw new MultiraterError(
      'invalid_argument',
      `${root}/dataset.json: no rater "${source}" (raters: ${dataset.raters.join(', ') || 'none'})`,
    );
  if (options.method === 'learned' && modelDirs.length === 0 && !options.registerWith)
    throw new MultiraterError('invalid_argument', 'learned propagation needs a model (options.modelDir)');
  const plans = subjects.map((s) => planSubject(s, root, source, options.fromEs ?? false));
  const model =
    options.model ??
    (options.method === 'learned' && options.modelDir !== undefined
      ? await loadRegistrationModel(options.modelDir, options.threads)
      : undefined);

  const stage = `${out}.staging-${process.pid}`;
  try {
    rmSync(stage, { recursive: true, force: true });
    mkdirSync(stage, { recursive: true });
    const frames: PropagatedFrame[] = [];
    const cases: Case[] = [];
    const inCine = new Set<string>();
    const total = plans.length;
    for (const plan of plans) {
      const r = await propagateSubject(plan, loaded.root, stage, { ...options, model }, dataset.labels, (f) => {
        frames.push(f);
        options.onFrame?.(f, frames.length, total);
      });
      cases.push(...r);
      for (const f of plan.subject.frames) inCine.add(f.case.id);
    }
    for (const c of dataset.cases) {
      if (inCine.has(c.id)) continue;
      for (const p of casePaths(c)) copyInto(root, stage, p.path);
      cases.push(c);
    }
    const copy: Dataset = {
      ...dataset,
      raters: [...dataset.raters, PROPAGATED_RATER],
      cases,
      description: `${dataset.description ?? dataset.name}; labels propagated to every cine frame by ${options.registerWith?.name ?? options.method} registration (rater "${PROPAGATED_RATER}", from ${source})`,
    };
    saveDataset(stage, copy);
    rmSync(out, { recursive: true, force: true });
    renameSync(stage, out);
    return { outDir: out, subjects: plans.length, cases: cases.length, frames };
  } catch (e) {
    rmSync(stage, { recursive: true, force: true });
    throw e;
  } finally {
    if (model !== options.model) await model?.session.release();
  }
}

async function propagateSubject(
  plan: Plan,
  root: string,
  stage: string,
  o: PropagateOptions,
  labelNames: Record<string, string>,
  report: (f: PropagatedFrame) => void,
): Promise<Case[]> {
  const { subject, sources } = plan;
  const cine = readVolume(subject.cinePath);
  if (cine.shape.length !== 4)
    throw new MultiraterError(
      'dimension_mismatch',
      `${subject.cinePath}: cine must be 4D, got ${formatShape(cine.shape)}`,
    );
  const truth = subject.cineTruthPath ? readLabelMap(subject.cineTruthPath, { maxDims: 4 }) : null;
  const n = cine.shape[3];
  const frameImages = Array.from({ length: n }, (_, t) => extractFrame(cine, t));
  for (const s of sources)
    assertSameGrid(s.labels, `labels of frame ${s.frameIndex} (${subject.id})`, frameImages[0], subject.cinePath);
  const byFrame = new Map(subject.frames.map((f) => [f.frameIndex, f.case]));
  const template = subject.frames[0].case;
  const pad = String(n - 1).length;
  const cases: Case[] = [];
  const nearest = (t: number): Source =>
    sources.reduce((best, s) => (cycleDistance(s.frameIndex, t, n) < cycleDistance(best.frameIndex, t, n) ? s : best));
  const outside = o.registerWith ? await registerOutside(o.registerWith, frameImages, sources, nearest) : null;
  for (let t = 0; t < n; t++) {
    const src = nearest(t);
    const started = performance.now();
    const field =
      t === src.frameIndex
        ? zeroField(frameImages[t])
        : outside
          ? outside.fields[t]!
          : await registerPair(frameImages[t], frameImages[src.frameIndex], o);
    const seconds = t === src.frameIndex ? 0 : outside ? outside.secondsPerPair : (performance.now() - started) / 1000;
    const labels = warpLabels(src.labels, field, o.interpolation ?? 'linear', `labels of frame ${src.frameIndex}`);
    const existing = byFrame.get(t);
    const id = existing?.id ?? `${subject.id}_F${String(t).padStart(pad, '0')}`;
    const propagatedPath = `raters/${PROPAGATED_RATER}/${id}.nii.gz`;
    writeNifti(join(stage, propagatedPath), { ...labels, affine: frameImages[t].affine });
    const frameTruth = truth ? extractFrame(truth, t) : null;
    let c: Case;
    if (existing) {
      for (const p of casePaths(existing)) copyInto(root, stage, p.path);
      c = {
        ...existing,
        raters: { ...existing.raters, [PROPAGATED_RATER]: propagatedPath },
        meta: { ...existing.meta, propagatedFrom: src.frameIndex },
      };
    } else {
      const imagePath = `images/${id}.nii.gz`;
      writeNifti(join(stage, imagePath), frameImages[t]);
      const meta: Record<string, unknown> = { ...template.meta, frame: t, propagatedFrom: src.frameIndex };
      if ('frameIndex' in meta) meta.frameIndex = t;
      if ('timeIndex' in meta) meta.timeIndex = t;
      c = { id, image: imagePath, raters: { [PROPAGATED_RATER]: propagatedPath }, meta };
      if (frameTruth) {
        const truthPath = `truth/${id}.nii.gz`;
        writeNifti(join(stage, truthPath), frameTruth);
        c.truth = truthPath;
      }
    }
    cases.push(c);
    const q = fieldQuality(field);
    report({
      caseId: id,
      subject: subject.id,
      frameIndex: t,
      sourceFrame: src.frameIndex,
      foldingFraction: q.foldingFraction,
      rmsDisplacementMm: q.rmsDisplacementMm,
      truthDice: frameTruth ? dicePerLabel(labels.data, frameTruth.data, labelNames) : null,
      seconds,
    });
  }
  return cases;
}

/** The outside registration's fields of every unlabelled frame (labelled frames: null), in one call, and its seconds per pair. */
async function registerOutside(
  outside: NonNullable<PropagateOptions['registerWith']>,
  frameImages: Volume[],
  sources: Source[],
  nearest: (t: number) => Source,
): Promise<{ fields: (DisplacementField | null)[]; secondsPerPair: number }> {
  const targets = frameImages.map((_, t) => t).filter((t) => !sources.some((s) => s.frameIndex === t));
  const started = performance.now();
  const fields = await outside.registerFrames(
    targets.map((t) => ({ fixed: frameImages[t], moving: frameImages[nearest(t).frameIndex] })),
  );
  const secondsPerPair = targets.length > 0 ? (performance.now() - started) / 1000 / targets.length : 0;
  const byFrame: (DisplacementField | null)[] = frameImages.map(() => null);
  targets.forEach((t, i) => (byFrame[t] = fields[i]));
  return { fields: byFrame, secondsPerPair };
}
