/** The studies `multirater study run NAME` knows, by name. Other studies add one line here. */
import { getRegistered } from '../../errors.ts';
import type { Study } from '../study.ts';
import { annotatorsStudy } from './annotators.ts';
import { expertAdaptationStudy } from './expert-adaptation.ts';
import { noisyRatioStudy } from './noisy-ratio.ts';
import { nonexpertStudy } from './nonexpert.ts';
import { propagationStudy } from './propagation.ts';

/** Every study by its name, in `study list` order. */
export const BUILTIN_STUDIES: ReadonlyMap<string, Study> = new Map(
  [nonexpertStudy, annotatorsStudy, propagationStudy, expertAdaptationStudy, noisyRatioStudy].map((s) => [s.name, s]),
);

/** The study `name`; unknown names are an error naming the known ones. */
export function getStudy(name: string): Study {
  return getRegistered(BUILTIN_STUDIES, 'study', name);
}
