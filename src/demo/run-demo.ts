/**
 * The interim `npm start` job: says what multirater does, writes a small generated label map (a short-axis
 * heart-like phantom: blood pool 1, myocardium 2, background 0) and describes it as `multirater info` does.
 * To be replaced by the full demo of the five studies.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describeImage, type ImageDescription } from '../io/describe-image.ts';
import { writeNifti } from '../io/write-nifti.ts';
import { createVolume, type Volume } from '../volume/volume.ts';

export const ABOUT =
  'multirater learns medical image segmentation from imperfect annotations: it reads NIfTI/NRRD volumes and ' +
  'multi-rater datasets, simulates raters, fuses their labels (majority vote, STAPLE), trains networks on ONNX ' +
  'Runtime and reports overlap, surface and clinical metrics.';

export interface DemoOptions {
  /** Folder for the generated volume; default: a new temporary folder. */
  outDir?: string;
}

export interface DemoResult {
  about: string;
  /** Path of the generated label map (.nii.gz). */
  file: string;
  /** What `multirater info` reports about it. */
  description: ImageDescription;
}

/** Writes the demo phantom and describes it. */
export function runDemo(options: DemoOptions = {}): DemoResult {
  const dir = options.outDir ?? mkdtempSync(join(tmpdir(), 'multirater-demo-'));
  const file = join(dir, 'phantom_labels.nii.gz');
  writeNifti(file, demoPhantom());
  return { about: ABOUT, file, description: describeImage(file) };
}

/** 48×48×8 uint8 at 1.5×1.5×8 mm: a blood pool (radius 9 mm) inside a myocardial ring (to 15 mm), shrinking apically. */
export function demoPhantom(): Volume {
  const [nx, ny, nz] = [48, 48, 8];
  const spacing = [1.5, 1.5, 8];
  const data = new Uint8Array(nx * ny * nz);
  for (let k = 0; k < nz; k++) {
    const taper = 1 - (0.5 * k) / (nz - 1);
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const r = Math.hypot((i - 23.5) * spacing[0], (j - 23.5) * spacing[1]);
        data[i + nx * (j + ny * k)] = r < 9 * taper ? 1 : r < 15 * taper ? 2 : 0;
      }
    }
  }
  return createVolume([nx, ny, nz], data, { spacing });
}
