/**
 * The cardiac phantom as the nonexpert and propagation studies draw it: its settings (one training phantom, one
 * shifted-domain phantom per preset) and the `simulate` job that draws it.
 */
import { z } from 'zod';
import { makeJob, type Job } from '../job.ts';

export const cardiacPhantom = z.object({
  subjects: z.number().int().positive(),
  /** In-plane size (px). */
  size: z.number().int().positive(),
  vendors: z.array(z.string()),
  /** Cine frames. */
  frames: z.number().int().positive(),
});
/** A cardiac phantom of a study's preset. */
export type CardiacPhantom = z.infer<typeof cardiacPhantom>;

/** The `simulate` job drawing phantom `p` with `raters` and `seed`, tagged with the test set it serves. */
export function simulateCardiac(p: CardiacPhantom, raters: string[], seed: number, testSet: string): Job {
  const { subjects, size, vendors, frames } = p;
  return makeJob('simulate', { phantom: 'cardiac', subjects, size, vendors, frames, raters, seed }, {}, { testSet });
}
