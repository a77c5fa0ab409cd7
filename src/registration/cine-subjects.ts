/**
 * The subjects of a dataset as registration sees them: each distinct `meta.cine` series with its labelled frames
 * (the cases cut from it: ED, ES, …) and, when the phantom wrote one, the truth of every frame (`meta.cineTruth`).
 * A case's frame index is `meta.frameIndex` (simulated datasets) or `meta.timeIndex` (ACDC, M&Ms importers); a
 * case without `meta.cine` whose own files are 4D (M&Ms: `timeIndex` set) is its own cine series.
 * Nothing here loads `datasets/` at run time (types only), so that `registration/`'s index, which `register` on two
 * files loads, does not load the dataset schemas and importers (issue 25 §4); `loadCineSubjects`, which reads a
 * dataset, is in `datasets-lazy.ts`.
 */

/** A case path of dataset.json: relative to the dataset's root unless absolute (datasets' resolveCasePath rule). */
function casePath(root: string, path: string): string {
  return isAbsolute(path) ? path : join(root, path);
}
import { isAbsolute, join } from 'node:path';
import type { Case, LoadedDataset, Split } from '../datasets/index.ts';
import { MultiraterError } from '../errors.ts';

/** One labelled frame of a cine series. */
export interface CineFrameCase {
  /** The dataset case. */
  case: Case;
  /** 0-based frame index on the cine's time axis. */
  frameIndex: number;
}

/** One subject of a dataset: a cine series, its labelled frames and, when known, the truth of every frame. */
export interface CineSubject {
  /** `meta.subject`, else the cine path. */
  id: string;
  /** Absolute path of the 4D cine image. */
  cinePath: string;
  /** Absolute path of the 4D truth of every frame, when known. */
  cineTruthPath: string | null;
  /** The cases cut from this cine, ordered by frame index. */
  frames: CineFrameCase[];
  /** Split of the subject's cases (of the first, when they differ). */
  split: Split | undefined;
}

/** The frame index a case names, or null. */
export function caseFrameIndex(c: Case): number | null {
  const m = c.meta as Record<string, unknown>;
  const v = m.frameIndex ?? m.timeIndex;
  return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : null;
}

/** Subjects with a cine series, in order of first appearance; `splits` keeps only cases of those splits. */
export function cineSubjects(loaded: LoadedDataset, splits?: readonly Split[]): CineSubject[] {
  const bySeries = new Map<string, CineSubject>();
  for (const c of loaded.dataset.cases) {
    const m = c.meta as Record<string, unknown>;
    const key = c.meta.cine ?? (typeof m.timeIndex === 'number' ? c.image : undefined);
    if (key === undefined) continue;
    if (splits !== undefined && (c.meta.split === undefined || !splits.includes(c.meta.split))) continue;
    const frameIndex = caseFrameIndex(c);
    if (frameIndex === null) {
      throw new MultiraterError(
        'invalid_dataset',
        `case ${c.id}: meta.cine is set but neither meta.frameIndex nor meta.timeIndex gives its frame`,
      );
    }
    let s = bySeries.get(key);
    if (s === undefined) {
      const truth = m.cineTruth;
      s = {
        id: c.meta.subject ?? key,
        cinePath: casePath(loaded.root, key),
        cineTruthPath: typeof truth === 'string' ? casePath(loaded.root, truth) : null,
        frames: [],
        split: c.meta.split,
      };
      bySeries.set(key, s);
    }
    s.frames.push({ case: c, frameIndex });
  }
  const out = [...bySeries.values()];
  for (const s of out) s.frames.sort((a, b) => a.frameIndex - b.frameIndex);
  return out;
}
