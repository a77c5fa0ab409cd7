/**
 * A training run's resumable state on disk, under `MODELDIR/checkpoint/`:
 * - `iter-NNNNNN/`: the engine checkpoint (model.onnx with parameters and buffers, optimizer.onnx with the
 *   optimiser state) plus `trainer.json` (validation history, best so far, early-stopping count) and
 *   `train-log.jsonl` (the log up to that iteration);
 * - `best-NNNNNN.onnx`: the inference model of the best validation so far;
 * - `latest.json`: names the newest complete `iter-` folder. It is written (atomically) only after that folder is
 *   complete, so a crash at any point leaves the previous checkpoint in force; older folders are then removed.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { MultiraterError } from '../errors.ts';
import { writeFileAtomic } from '../io/index.ts';
import { readCheckpoint, writeCheckpoint, type CheckpointData } from '../nn/index.ts';
import type { TrainingSession } from '../nn/index.ts';
import type { TrainingLoopProgress } from './training-loop.ts';
import type { ValidationResult } from './validate.ts';

/** One validation, as logged and kept in the run state. */
export interface ValidationRecord extends ValidationResult {
  /** Iterations completed when it ran. */
  iteration: number;
}

/**
 * The trainer's own state besides weights and optimiser: the training loop's progress (whose `best.score` is what
 * selection maximises, −validation loss for `selectBy` 'loss' or mean Dice 0–1, and whose `best.file` is the inference
 * model's file name in checkpoint/, `bestFileName`) and the trainer's additions.
 */
export interface TrainerState extends TrainingLoopProgress {
  /** Every validation so far, in order. */
  validations: ValidationRecord[];
  /** Fingerprint of the settings that must match on resume (config.json without run-length fields). */
  settings: string;
}

/** What every trainer's state holds (the annotator trainer keeps its own besides). */
export interface RunStateCore {
  /** Iterations completed. */
  iteration: number;
  /** The entry of checkpoint/ (a file or a folder) holding the best weights so far. */
  best: {
    /** Its entry's name in checkpoint/. */
    file: string;
  } | null;
}

/** The folder in MODELDIR holding the resumable state (see the file comment). */
export const CHECKPOINT_DIR = 'checkpoint';
const LATEST = 'latest.json';
const TRAINER = 'trainer.json';
const LOG = 'train-log.jsonl';

function iterName(iteration: number): string {
  return `iter-${String(iteration).padStart(6, '0')}`;
}

/** The name (without extension) of the best weights after `iteration` iterations, as a file or a folder in checkpoint/. */
export function bestName(iteration: number): string {
  return `best-${String(iteration).padStart(6, '0')}`;
}

/** The best model's file name for a validation after `iteration` iterations. */
export function bestFileName(iteration: number): string {
  return `${bestName(iteration)}.onnx`;
}

/** Writes a complete checkpoint and points `latest.json` at it; removes older checkpoint folders and stale best files. */
export function saveRunState(
  modelDir: string,
  model: Uint8Array,
  data: CheckpointData,
  state: RunStateCore,
  log: string,
): void {
  const root = join(modelDir, CHECKPOINT_DIR);
  const name = iterName(state.iteration);
  const dir = join(root, name);
  rmSync(dir, { recursive: true, force: true });
  writeCheckpoint(dir, model, data);
  writeFileAtomic(join(dir, TRAINER), JSON.stringify(state, null, 2) + '\n');
  writeFileAtomic(join(dir, LOG), log);
  writeFileAtomic(join(root, LATEST), JSON.stringify({ checkpoint: name, iteration: state.iteration }) + '\n');
  for (const entry of readdirSync(root)) {
    const staleIter = entry.startsWith('iter-') && entry !== name;
    const staleBest = entry.startsWith('best-') && entry !== state.best?.file;
    if (staleIter || staleBest) rmSync(join(root, entry), { recursive: true, force: true });
  }
}

/** Writes the best model's inference export into checkpoint/ (before the state that names it). */
export function saveBestModel(modelDir: string, file: string, model: Uint8Array): void {
  mkdirSync(join(modelDir, CHECKPOINT_DIR), { recursive: true });
  writeFileAtomic(join(modelDir, CHECKPOINT_DIR, file), model);
}

/** Reads the best model's inference export. */
export function readBestModel(modelDir: string, file: string): Uint8Array {
  const path = join(modelDir, CHECKPOINT_DIR, file);
  if (!existsSync(path))
    throw new MultiraterError('invalid_checkpoint', `${path}: the best model named by the checkpoint is missing`);
  return readFileSync(path);
}

/** The latest complete checkpoint: weights, optimiser, trainer state and log; `null` when none exists. */
export function loadRunState<S extends RunStateCore = TrainerState>(
  modelDir: string,
): {
  /** Weights, optimiser state, step count and optimiser of the `iter-` folder. */
  data: CheckpointData;
  /** Its `trainer.json`; its iteration equals `data.step`. */
  state: S;
  /** Its `train-log.jsonl`: the run's log up to that iteration, one JSON object per line. */
  log: string;
} | null {
  const latest = join(modelDir, CHECKPOINT_DIR, LATEST);
  if (!existsSync(latest)) return null;
  let name: string;
  try {
    name = (JSON.parse(readFileSync(latest, 'utf8')) as { checkpoint: string }).checkpoint;
  } catch {
    throw new MultiraterError('invalid_checkpoint', `${latest}: expected JSON naming the latest checkpoint folder`);
  }
  const dir = join(modelDir, CHECKPOINT_DIR, name);
  const data = readCheckpoint(dir);
  const state = JSON.parse(readFileSync(join(dir, TRAINER), 'utf8')) as S;
  if (state.iteration !== data.step)
    throw new MultiraterError(
      'invalid_checkpoint',
      `${dir}: trainer state at iteration ${state.iteration}, weights at step ${data.step}`,
    );
  return { data, state, log: readFileSync(join(dir, LOG), 'utf8') };
}

/**
 * Continues a run from MODELDIR's latest checkpoint: restores `session`'s weights, optimiser state and step count
 * and returns the trainer state and log lines; null when there is no checkpoint. A checkpoint written under other
 * settings (`settings`, the fingerprint the state records) is refused.
 */
export function resumeRun<
  S extends RunStateCore & {
    /** Fingerprint of the settings the checkpoint was written under. */
    settings: string;
  },
>(
  modelDir: string,
  session: TrainingSession,
  settings: string,
): {
  /** The checkpoint's trainer state (`trainer.json`). */
  state: S;
  /** The run's log lines up to the checkpoint (JSON, one per step and per validation). */
  log: string[];
} | null {
  const saved = loadRunState<S>(modelDir);
  if (saved === null) return null;
  if (saved.state.settings !== settings) {
    throw new MultiraterError(
      'invalid_checkpoint',
      `${join(modelDir, CHECKPOINT_DIR)}: was written with different settings; train into a new folder or repeat the original options`,
    );
  }
  session.restore(saved.data.params, saved.data.optimizerState, saved.data.step);
  return { state: saved.state, log: saved.log.split('\n').filter((l) => l.length > 0) };
}
