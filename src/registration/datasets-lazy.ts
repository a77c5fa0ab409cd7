/**
 * The registration entry points that read a dataset, loading `datasets/` (its schemas, importers and their
 * dependencies) and `propagate.ts` on first call, so that importing `registration/` for `register` on two files
 * loads none of them (issue 25 §4: about a third of that process's start-up beyond Node's own).
 */
import type { LoadedDataset, Split } from '../datasets/index.ts';
import { MultiraterError } from '../errors.ts';
import { cineSubjects, type CineSubject } from './cine-subjects.ts';
import type * as Propagate from './propagate.ts';

/** The rater id `propagateLabels` writes the propagated labels under. */
export const PROPAGATED_RATER = 'propagated';

/** Propagates the labels of the dataset at `dataDir` to every cine frame and writes the copy to `outDir`; see `propagate.ts`. */
export async function propagateLabels(
  dataDir: string,
  outDir: string,
  options: Propagate.PropagateOptions,
): Promise<Propagate.PropagateResult> {
  return (await import('./propagate.ts')).propagateLabels(dataDir, outDir, options);
}

/** Loads `dir` and lists its cine subjects, failing with a one-line error when there are none. */
export async function loadCineSubjects(
  dir: string,
  splits?: readonly Split[],
): Promise<{
  /** The dataset as `loadDataset(dir)` read it. */
  loaded: LoadedDataset;
  /** Its subjects with a cine series (in `splits` only, when given), in order of first appearance; never empty. */
  subjects: CineSubject[];
}> {
  const { loadDataset } = await import('../datasets/index.ts');
  const loaded = loadDataset(dir);
  const subjects = cineSubjects(loaded, splits);
  if (subjects.length === 0) {
    const which = splits ? ` in split ${splits.join('/')}` : '';
    throw new MultiraterError(
      'invalid_dataset',
      `${loaded.root}/dataset.json: no case${which} names a cine series (meta.cine)`,
    );
  }
  return { loaded, subjects };
}
