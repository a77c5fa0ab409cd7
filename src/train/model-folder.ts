/**
 * The model folder a training run writes (`config.json`, `model.onnx`, `train-log.jsonl`, `checkpoint/`). A run may
 * start in a new or empty folder; an existing model is continued only with `resume` and replaced only with `force`,
 * so no model is lost to a mistyped `--out`.
 */
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { MultiraterError } from '../errors.ts';
import { assertFolderOutput } from '../io/index.ts';

/** What a training run leaves in its folder; `force` removes exactly these. */
export const MODEL_FOLDER_ENTRIES = ['config.json', 'model.onnx', 'train-log.jsonl', 'checkpoint'] as const;

/** Options of `prepareModelFolder`: what to do with a model already in the folder (default: refuse). */
export interface ModelFolderOptions {
  /** Continue the run whose checkpoint is in the folder (or start fresh when it has none). */
  resume?: boolean;
  /** Replace the model in the folder: its run files are removed first. */
  force?: boolean;
}

/** Creates `dir` or checks it may be trained into (see the file comment); returns whether it holds a model. */
export function prepareModelFolder(dir: string, options: ModelFolderOptions = {}): { hadModel: boolean } {
  assertFolderOutput('options.out', dir);
  const present = existsSync(dir) ? MODEL_FOLDER_ENTRIES.filter((e) => readdirSync(dir).includes(e)) : [];
  if (present.length > 0 && !options.resume) {
    if (!options.force) {
      throw new MultiraterError(
        'output_conflict',
        `${dir}: already holds a model (${present.join(', ')}); pass options.resume to continue it, options.force to replace it, or choose a new options.out`,
      );
    }
    for (const entry of present) rmSync(join(dir, entry), { recursive: true, force: true });
  }
  mkdirSync(dir, { recursive: true });
  return { hadModel: present.length > 0 };
}
