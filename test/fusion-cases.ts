/** Reads `fixtures/fusion/cases.json` (ITK 5.2 reference outputs) and the volumes it names. */
import { readFileSync } from 'node:fs';
import { readNifti } from '../src/io/read-nifti.ts';
import type { Volume } from '../src/volume/volume.ts';
import { fixturePath } from './fixtures.ts';

export interface FusionFixtureCase {
  name: string;
  raters: string[];
  truth: string;
  labels: 'binary' | number[];
  itkStaple?: { probability: string; sensitivity: number[]; specificity: number[]; iterations: number };
  itkMultiLabelStaple?: { labels: string; iterations: number };
  itkVote: string;
}

export function fusionCases(): FusionFixtureCase[] {
  return JSON.parse(readFileSync(fixturePath('fusion', 'cases.json'), 'utf8')) as FusionFixtureCase[];
}

/** Reads a volume of the fusion fixtures by file name. */
export function fusionVolume(file: string): Volume {
  return readNifti(fixturePath('fusion', file)).volume;
}
