/**
 * `runAudit`: find the bad labels of one rater in a dataset. Out-of-fold probabilities (k folds: a model trained on
 * the other folds predicts each case, so no case is scored by a model that saw its label), then per case the pixel
 * self-confidence, cleanlab's softmin score and our suspicious regions (label-scores.ts), cases ranked by their
 * largest suspicious region; with several raters, each rater's reliability and where one departs from the others
 * (rater-agreement.ts). Where the dataset records which cases are noisy for the rater (`meta.noisyIn`, as
 * `simulate headneck --noisy-ratios` writes), the ROC AUC of both case scores for "is noisy".
 *
 * OUT/folds/fold-K/{dataset.json,model/}: each fold's dataset view and model (training resumes from checkpoints);
 * OUT/probabilities/<case>.nii.gz: out-of-fold class probabilities (float32, classes on the 4th axis);
 * OUT/regions/<case>.nii.gz: suspicious voxels by kind (1 missing, 2 extra, 3 swapped);
 * OUT/departures/<case>.nii.gz: with other raters, where the rater departs from their majority (same codes);
 * OUT/audit.json and OUT/audit.csv, written last and atomically. Every input is checked before OUT is created
 * (audit-inputs.ts: every case's grids and the fold models' settings, before any training), and OUT may neither be
 * nor hold the dataset's folder or files.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { datasetInputs } from '../datasets/index.ts';
import { loadDataset, resolveCasePath, saveDataset, type Case, type Dataset } from '../datasets/index.ts';
import { MultiraterError } from '../errors.ts';
import { writeFileAtomic } from '../io/index.ts';
import { assertFolderOutsideInputs } from '../io/index.ts';
import { readLabelMap, readVolume } from '../io/index.ts';
import { writeNifti } from '../io/index.ts';
import { rocAuc } from '../stats/index.ts';
import { loadTrainedModel, predictProbabilities } from '../predict/index.ts';
import type { LossName } from '../losses/index.ts';
import { train, TRAIN_DEFAULTS, type TrainEvent, type TrainOptions } from '../train/index.ts';
import { createVolume, type Volume } from '../volume/index.ts';
import { checkAuditInputs } from './audit-inputs.ts';
import { assignFolds } from './folds.ts';
import {
  departureRegions,
  raterAgreement,
  type RatedCase,
  type RaterDeparture,
  type RaterReliability,
} from './rater-agreement.ts';
import {
  addThresholdSums,
  classThresholds,
  emptyThresholdSums,
  selfConfidence,
  softminScore,
  suspiciousRegions,
  type SuspiciousRegion,
} from './label-scores.ts';

/** The fold models' loss unless `AuditOptions.loss` says otherwise. */
export const DEFAULT_AUDIT_LOSS: LossName = 'ce';

/** What `runAudit` audits, where it writes, and how its fold models are trained. */
export interface AuditOptions {
  /** Dataset folder (with dataset.json). */
  data: string;
  /** The rater whose labels are audited. */
  rater: string;
  /** Output folder (see the file comment). */
  out: string;
  /**
   * The rater whose labels the fold models learn from; default the audited rater. Naming another rater (an expert)
   * finds what the audited rater gets wrong systematically: a model trained on a rater who nearly always skips the
   * apical slices learns to skip them too, so its predictions never contradict the omission, while a model trained
   * on the expert predicts the apex confidently and the omitted slices come out as missing regions.
   */
  reference?: string;
  /** Cross-validation folds; default 5. */
  folds?: number;
  /** Seed of the folds and of every fold's training; default 1. */
  seed?: number;
  /** Registered network; default `TRAIN_DEFAULTS.model` ('unet2d': slice-wise, also for 3D volumes). */
  model?: string;
  /** Training iterations per fold; default `TRAIN_DEFAULTS.iterations` (600). */
  iterations?: number;
  /** Samples per batch; default the trainer's. */
  batchSize?: number;
  /** Patch size in voxels; default the trainer's. */
  patchSize?: number[];
  /**
   * Loss of the fold models; default 'ce'. Confident learning reads the probabilities as calibrated; cross-entropy is
   * a proper scoring rule, while a Dice term pushes them towards 0 and 1, so a structure that a minority of the
   * training labels draw (a rough rater's extra voxels) comes out confidently foreground everywhere.
   */
  loss?: LossName;
  /** Raters for the reliability and departure part; default every rater of the dataset (when two or more). */
  raters?: string[];
  /** cleanlab softmin temperature; default 0.1. */
  temperature?: number;
  /** Suspicious regions smaller than this are dropped (voxels); default 10. */
  minRegionVoxels?: number;
  /** ONNX Runtime threads; default the physical cores. */
  threads?: number;
  /** Progress: fold starts, each fold's training events, cases scored. */
  onEvent?: (e: AuditEvent) => void;
}

/**
 * Progress events of `runAudit` (folds counted from 1): a fold starts, a fold model's training event, a case scored.
 */
export type AuditEvent =
  | {
      /** A fold starts (emitted for every fold, also one a resumed run skips). */
      type: 'fold';
      /** The fold, 1 … `folds`. */
      fold: number;
      /** Cross-validation folds in the audit. */
      folds: number;
      /** Audited cases the fold model trains on (those outside the fold). */
      trainCases: number;
      /** Audited cases in the fold, predicted by its model. */
      heldOut: number;
    }
  | {
      /** The fold model's trainer reported progress. */
      type: 'train';
      /** The fold being trained, 1-based. */
      fold: number;
      /** The trainer's own event, as `train` emits it. */
      event: TrainEvent;
    }
  | {
      /** A case's scores and regions are computed. */
      type: 'scored';
      /** Case id from dataset.json. */
      caseId: string;
      /** Cases scored so far, this one included. */
      done: number;
      /** Cases to score in all. */
      total: number;
    };

/** One audited case in `AuditResult.cases`: its scores, rank and suspicious regions. */
export interface AuditedCase {
  /** Position in the ranking, 1 = most suspicious (largest region first, then lower softmin, then case id). */
  rank: number;
  /** Case id from dataset.json. */
  caseId: string;
  /** Fold (1-based) whose model, trained without this case, predicted it. */
  fold: number;
  /** The case's `meta.split` in dataset.json; null when it has none. */
  split: string | null;
  /** Our score: the largest suspicious region's volume (mL); 0 when there is none. */
  largestRegion_mL: number;
  /** Total volume of the case's suspicious regions (those kept, at least `minRegionVoxels`), mL. */
  suspicious_mL: number;
  /** cleanlab's softmin of the pixel self-confidences (lower = worse). */
  softmin: number;
  /** Mean pixel self-confidence over every voxel of the case, 0–1. */
  meanSelfConfidence: number;
  /** Whether the dataset records this case as noisy for the rater; null when it records nothing. */
  knownNoisy: boolean | null;
  /** Suspicious regions (model evidence), largest first; empty when there is none. */
  regions: SuspiciousRegion[];
  /** OUT/regions/<case>.nii.gz: the regions' kinds per voxel (0 none, 1 missing, 2 extra, 3 swapped). */
  regionsFile: string;
  /**
   * Where the rater departs from a strict majority of the other raters (`AuditOptions.raters`) that labelled the
   * case, largest first; null when none did. Not part of the ranking, which is the model's evidence alone.
   */
  departureRegions: SuspiciousRegion[] | null;
  /**
   * OUT/departures/<case>.nii.gz with the departure regions' kinds (same codes); null when no other rater labelled the
   * case.
   */
  departuresFile: string | null;
}

/** What `runAudit` returns and writes to OUT/audit.json (and, one row per case, OUT/audit.csv). */
export interface AuditResult {
  /** Path of the audited dataset.json. */
  dataset: string;
  /** The audited rater. */
  rater: string;
  /** The rater the fold models learned from. */
  reference: string;
  /** Cross-validation folds used. */
  folds: number;
  /** Seed of the folds and base seed of the fold trainings (fold k trains with seed + k − 1). */
  seed: number;
  /** Registered network of the fold models. */
  model: string;
  /** Training iterations per fold. */
  iterations: number;
  /** Loss of the fold models. */
  loss: LossName;
  /** Confident-learning threshold per class (mean probability of the class over voxels labelled with it). */
  thresholds: number[];
  /** Softmin temperature used for `AuditedCase.softmin`. */
  temperature: number;
  /** Ranked, most suspicious first. */
  cases: AuditedCase[];
  /** ROC AUC of each case score for the dataset's known noisy cases; null when none are recorded. */
  knownNoise: {
    /** Cases the dataset records as noisy for the rater. */
    noisy: number;
    /** Cases the dataset records as clean for the rater. */
    clean: number;
    /** ROC AUC (0–1) of `largestRegion_mL`; null when no case is recorded clean. */
    aucOurs: number | null;
    /** ROC AUC (0–1) of −`softmin` (lower softmin = more suspicious); null when no case is recorded clean. */
    aucSoftmin: number | null;
  } | null;
  /**
   * Reliability per rater and departures, largest first (rater-agreement.ts); null with fewer than two agreement
   * raters.
   */
  raters: {
    /** One entry per agreement rater that labelled a case together with another. */
    reliability: RaterReliability[];
    /** One entry per (case, rater), largest departure below the rater's median Dice first. */
    departures: RaterDeparture[];
  } | null;
  /** Wall time of the audit, seconds (training included; less on a resumed run). */
  seconds: number;
}

interface Target {
  c: Case;
  image: string;
  label: string;
  fold: number;
}

/** Runs the audit; see the file comment. */
export async function runAudit(options: AuditOptions): Promise<AuditResult> {
  const started = performance.now();
  const loaded = loadDataset(options.data);
  const { dataset, root } = loaded;
  assertFolderOutsideInputs('options.out', options.out, datasetInputs(loaded));
  const datasetFile = join(root, 'dataset.json');
  if (!dataset.raters.includes(options.rater)) {
    throw new MultiraterError(
      'missing_label',
      `${datasetFile}: rater "${options.rater}" not found (raters: ${dataset.raters.join(', ') || 'none'})`,
    );
  }
  const reference = options.reference ?? options.rater;
  if (!dataset.raters.includes(reference)) {
    throw new MultiraterError(
      'missing_label',
      `${datasetFile}: reference rater "${reference}" not found (raters: ${dataset.raters.join(', ')})`,
    );
  }
  const folds = options.folds ?? 5;
  const seed = options.seed ?? 1;
  const labelled = dataset.cases.filter(
    (c) => c.image !== undefined && c.raters[options.rater] !== undefined && c.raters[reference] !== undefined,
  );
  const foldOf = assignFolds(
    labelled.map((c) => c.id),
    folds,
    seed,
  );
  const targets: Target[] = labelled.map((c) => ({
    c,
    image: resolveCasePath(root, c.image as string),
    label: resolveCasePath(root, c.raters[options.rater]),
    fold: foldOf.get(c.id) as number,
  }));
  const missing = targets.flatMap((t) => [t.image, t.label]).find((p) => !existsSync(p));
  if (missing) throw new MultiraterError('file_not_found', `${missing}: listed in ${datasetFile} but not found`);
  const agreementRaters = options.raters ?? (dataset.raters.length >= 2 ? dataset.raters : []);
  const unknown = agreementRaters.find((r) => !dataset.raters.includes(r));
  if (unknown)
    throw new MultiraterError(
      'missing_label',
      `${datasetFile}: rater "${unknown}" not found (raters: ${dataset.raters.join(', ')})`,
    );

  const model = options.model ?? TRAIN_DEFAULTS.model;
  const iterations = options.iterations ?? TRAIN_DEFAULTS.iterations;
  const loss = options.loss ?? DEFAULT_AUDIT_LOSS;
  const emit = options.onEvent ?? (() => undefined);
  const training = (fold: number): TrainOptions => ({
    data: join(options.out, 'folds', `fold-${fold + 1}`),
    labelSource: reference,
    out: join(options.out, 'folds', `fold-${fold + 1}`, 'model'),
    model,
    loss,
    iterations,
    batchSize: options.batchSize,
    patchSize: options.patchSize,
    seed: seed + fold,
    threads: options.threads,
    resume: true,
  });
  const othersOf = (c: Case): string[] =>
    agreementRaters.filter((r) => c.raters[r] !== undefined).map((r) => resolveCasePath(root, c.raters[r]));
  const targetIds = new Set(targets.map((t) => t.c.id));
  const agreementOnly = agreementRaters.length >= 2 ? dataset.cases.filter((c) => !targetIds.has(c.id)) : [];
  checkAuditInputs(
    [
      ...targets.map((t) => ({
        image: t.image,
        labels: [t.label, resolveCasePath(root, t.c.raters[reference]), ...othersOf(t.c)],
      })),
      ...agreementOnly.map((c) => ({ labels: othersOf(c) })),
    ],
    training(0),
    dataset.labels,
  );
  // What the audit's folds depend on: recorded in folds/settings.json (a resume must match) and in the result.
  const settings = { rater: options.rater, reference, folds, seed, model, iterations, loss };
  checkResumable(options.out, {
    ...settings,
    batchSize: options.batchSize ?? null,
    patchSize: options.patchSize ?? null,
  });
  for (let fold = 0; fold < folds; fold++) {
    const dir = join(options.out, 'folds', `fold-${fold + 1}`);
    const heldOut = targets.filter((t) => t.fold === fold);
    emit({ type: 'fold', fold: fold + 1, folds, trainCases: targets.length - heldOut.length, heldOut: heldOut.length });
    const pending = heldOut.filter((t) => !existsSync(probabilityFile(options.out, t.c.id)));
    if (pending.length === 0) continue;
    saveDataset(dir, foldView(dataset, root, targets, fold));
    const foldTraining = training(fold);
    await train(foldTraining, (event) => emit({ type: 'train', fold: fold + 1, event }));
    const trained = await loadTrainedModel(foldTraining.out, options.threads);
    try {
      for (const t of pending) {
        const image = readVolume(t.image, { maxDims: 3 });
        const probs = await predictProbabilities(trained, image);
        const classes = trained.config.classes;
        const shape = [image.shape[0], image.shape[1] ?? 1, image.shape[2] ?? 1, classes];
        writeNifti(
          probabilityFile(options.out, t.c.id),
          createVolume(shape, probs, { spacing: [...image.spacing.slice(0, 3), 1], affine: image.affine }),
        );
      }
    } finally {
      await trained.session.release();
    }
  }

  // Thresholds need every case's probabilities: one pass to sum, one to score.
  const classes = readVolume(probabilityFile(options.out, targets[0].c.id), { maxDims: 4 }).shape[3] ?? 1;
  const sums = emptyThresholdSums(classes);
  for (const t of targets)
    addThresholdSums(sums, readProbabilities(options.out, t.c.id), readLabelMap(t.label, { maxDims: 3 }).data);
  const thresholds = classThresholds(sums);
  const temperature = options.temperature ?? 0.1;
  // Every agreement rater's maps, read once: for the reliability part and for each case's departure regions.
  const rated = agreementRaters.length >= 2 ? ratedCases(dataset, root, agreementRaters) : null;
  const ratedMaps = new Map(rated?.map((c) => [c.id, c.raters]) ?? []);
  const scored: Omit<AuditedCase, 'rank'>[] = [];
  for (const [n, t] of targets.entries()) {
    const labels = readLabelMap(t.label, { maxDims: 3 });
    const probs = readProbabilities(options.out, t.c.id);
    const self = selfConfidence(probs, labels.data, classes);
    const { regions, map } = suspiciousRegions(labels, probs, thresholds, { minVoxels: options.minRegionVoxels ?? 10 });
    const regionsFile = join(options.out, 'regions', `${t.c.id}.nii.gz`);
    writeNifti(regionsFile, map);
    const others = agreementRaters.filter((r) => r !== options.rater && t.c.raters[r] !== undefined);
    let departures: SuspiciousRegion[] | null = null;
    let departuresFile: string | null = null;
    if (others.length > 0) {
      const maps = others.map(
        (r) => ratedMaps.get(t.c.id)?.get(r) ?? readLabelMap(resolveCasePath(root, t.c.raters[r]), { maxDims: 3 }),
      );
      const found = departureRegions(labels, maps, classes, { minVoxels: options.minRegionVoxels ?? 10 });
      departures = found.regions;
      departuresFile = join(options.out, 'departures', `${t.c.id}.nii.gz`);
      writeNifti(departuresFile, found.map);
    }
    const noisyIn = t.c.meta.noisyIn;
    scored.push({
      caseId: t.c.id,
      fold: t.fold + 1,
      split: t.c.meta.split ?? null,
      largestRegion_mL: regions[0]?.volume_mL ?? 0,
      suspicious_mL: regions.reduce((a, r) => a + r.volume_mL, 0),
      softmin: softminScore(self, temperature),
      meanSelfConfidence: self.reduce((a, b) => a + b, 0) / self.length,
      knownNoisy: Array.isArray(noisyIn) ? noisyIn.includes(options.rater) : null,
      regions,
      regionsFile,
      departureRegions: departures,
      departuresFile,
    });
    emit({ type: 'scored', caseId: t.c.id, done: n + 1, total: targets.length });
  }
  scored.sort(
    (a, b) => b.largestRegion_mL - a.largestRegion_mL || a.softmin - b.softmin || a.caseId.localeCompare(b.caseId),
  );
  const cases = scored.map((c, i) => ({ rank: i + 1, ...c }));
  const result: AuditResult = {
    dataset: datasetFile,
    ...settings,
    thresholds,
    temperature,
    cases,
    knownNoise: knownNoise(cases),
    raters: rated === null ? null : raterAgreement(rated, Object.keys(dataset.labels).map(Number)),
    seconds: (performance.now() - started) / 1000,
  };
  writeFileAtomic(join(options.out, 'audit.csv'), auditCsv(result));
  writeFileAtomic(join(options.out, 'audit.json'), JSON.stringify(result, null, 2) + '\n');
  return result;
}

/**
 * A rerun resumes the folds' checkpoints and keeps finished probabilities, which is only right under the same
 * settings: OUT/folds/settings.json records them, and other settings are refused before anything is written.
 */
function checkResumable(out: string, settings: Record<string, unknown>): void {
  const file = join(out, 'folds', 'settings.json');
  const text = JSON.stringify(settings, null, 2) + '\n';
  if (existsSync(file)) {
    const before = readFileSync(file, 'utf8');
    if (before !== text) {
      const old = JSON.parse(before) as Record<string, unknown>;
      const changed = Object.keys(settings).filter(
        (k) => JSON.stringify(old[k] ?? null) !== JSON.stringify(settings[k]),
      );
      throw new MultiraterError(
        'invalid_argument',
        `${file}: ${out} holds an audit with other settings (${changed.join(', ') || 'format'}); use another options.out or remove it`,
      );
    }
    return;
  }
  mkdirSync(join(out, 'folds'), { recursive: true });
  writeFileAtomic(file, text);
}

function probabilityFile(out: string, caseId: string): string {
  return join(out, 'probabilities', `${caseId}.nii.gz`);
}

function readProbabilities(out: string, caseId: string): Float32Array {
  const v = readVolume(probabilityFile(out, caseId), { maxDims: 4 });
  return v.data instanceof Float32Array ? v.data : Float32Array.from(v.data);
}

/** The dataset with absolute paths and `fold` held out as the test split, the other folds as training. */
function foldView(dataset: Dataset, root: string, targets: readonly Target[], fold: number): Dataset {
  const absolute = (p: string): string => resolveCasePath(root, p);
  return {
    ...dataset,
    name: `${dataset.name}-audit-fold-${fold + 1}`,
    cases: targets.map(({ c, fold: f }) => ({
      ...c,
      image: absolute(c.image as string),
      truth: c.truth === undefined ? undefined : absolute(c.truth),
      raters: Object.fromEntries(Object.entries(c.raters).map(([r, p]) => [r, absolute(p)])),
      meta: { ...c.meta, split: f === fold ? 'test' : 'train' },
    })),
  };
}

function knownNoise(cases: readonly AuditedCase[]): AuditResult['knownNoise'] {
  const known = cases.filter((c) => c.knownNoisy !== null);
  if (known.length === 0 || !known.some((c) => c.knownNoisy)) return null;
  const positive = known.map((c) => c.knownNoisy === true);
  return {
    noisy: positive.filter(Boolean).length,
    clean: positive.filter((p) => !p).length,
    aucOurs: rocAuc(
      known.map((c) => c.largestRegion_mL),
      positive,
    ),
    aucSoftmin: rocAuc(
      known.map((c) => -c.softmin),
      positive,
    ),
  };
}

function ratedCases(dataset: Dataset, root: string, raters: readonly string[]): RatedCase[] {
  return dataset.cases.map((c) => ({
    id: c.id,
    raters: new Map(
      raters
        .filter((r) => c.raters[r] !== undefined)
        .map((r) => [r, readLabelMap(resolveCasePath(root, c.raters[r]), { maxDims: 3 }) as Volume]),
    ),
  }));
}

/** One row per case, ranked: the case scores and its largest region. */
export function auditCsv(result: AuditResult): string {
  const header = [
    'rank',
    'caseId',
    'fold',
    'split',
    'largestRegion_mL',
    'suspicious_mL',
    'regions',
    'softmin',
    'meanSelfConfidence',
    'knownNoisy',
    'largestKind',
    'largestSlices',
    'departures',
    'departure_mL',
  ];
  const rows = result.cases.map((c) => [
    c.rank,
    c.caseId,
    c.fold,
    c.split ?? '',
    c.largestRegion_mL.toFixed(4),
    c.suspicious_mL.toFixed(4),
    c.regions.length,
    c.softmin.toFixed(6),
    c.meanSelfConfidence.toFixed(6),
    c.knownNoisy === null ? '' : String(c.knownNoisy),
    c.regions[0]?.kind ?? '',
    c.regions[0] ? `${c.regions[0].slices[0]}-${c.regions[0].slices[1]}` : '',
    c.departureRegions?.length ?? '',
    c.departureRegions === null ? '' : c.departureRegions.reduce((a, r) => a + r.volume_mL, 0).toFixed(4),
  ]);
  return (
    [header, ...rows]
      .map((r) => r.map((v) => (/[",\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v))).join(','))
      .join('\n') + '\n'
  );
}
