/**
 * Tiny fake copies of the public dataset layouts for the importer, checker and CLI tests: real folder and file
 * names, small NIfTI files (6×5×3 unless told) written by our writer, metadata files in the datasets' formats.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeNifti } from '../src/io/write-nifti.ts';
import { allocate, createVolume, voxelCount, type DType } from '../src/volume/volume.ts';

export const SHAPE = [6, 5, 3];

/** A fresh temporary folder. */
export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `multirater-${prefix}-`));
}

export interface FakeVolumeOptions {
  /** Extent per axis; default 6×5×3. */
  shape?: number[];
  /** Voxel size per axis in mm; default 1 on every axis. */
  spacing?: number[];
  dtype?: DType;
  /** Voxel value at linear index i; default i mod 4 (labels 0–3 all present). */
  value?: (i: number) => number;
}

/** Writes a small NIfTI at `path` (folders created). */
export function writeFakeVolume(path: string, options: FakeVolumeOptions = {}): void {
  const shape = options.shape ?? SHAPE;
  const data = allocate(options.dtype ?? 'uint8', voxelCount(shape));
  const value = options.value ?? ((i: number) => i % 4);
  for (let i = 0; i < data.length; i++) data[i] = value(i);
  mkdirSync(dirname(path), { recursive: true });
  writeNifti(path, createVolume(shape, data, { spacing: options.spacing ?? shape.map(() => 1) }));
}

function writeText(path: string, text: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

export interface AcdcPatient {
  id: string;
  folder: 'training' | 'testing';
  ed: number;
  es: number;
  group?: string;
  /** Write the _gt files; default true. */
  gt?: boolean;
}

/** ACDC: `<folder>/<id>/Info.cfg`, `<id>_4d.nii.gz`, `<id>_frameYY[_gt].nii.gz` for ED and ES. */
export function makeAcdcTree(root: string, patients: AcdcPatient[]): void {
  for (const p of patients) {
    const dir = join(root, p.folder, p.id);
    const lines = [
      `ED: ${p.ed}`,
      `ES: ${p.es}`,
      ...(p.group ? [`Group: ${p.group}`] : []),
      'Height: 184.0',
      `NbFrame: ${p.es + 2}`,
      'Weight: 95.0',
    ];
    writeText(join(dir, 'Info.cfg'), lines.join('\n') + '\n');
    writeFakeVolume(join(dir, `${p.id}_4d.nii.gz`), { shape: [...SHAPE, p.es + 2], dtype: 'int16' });
    for (const frame of [p.ed, p.es]) {
      const stem = `${p.id}_frame${String(frame).padStart(2, '0')}`;
      writeFakeVolume(join(dir, `${stem}.nii.gz`), { dtype: 'int16' });
      if (p.gt !== false) writeFakeVolume(join(dir, `${stem}_gt.nii.gz`));
    }
  }
}

export interface MnmsSubject {
  code: string;
  /** Top folder path below the root, e.g. `Training/Labeled`, `Validation`. */
  folder: string;
  vendor: string;
  vendorName: string;
  centre: number;
  ed: number;
  es: number;
  pathology: string;
  /** Write the _sa_gt file; default true. */
  gt?: boolean;
}

/** Frames in every fake M&Ms 4D series. */
export const MNMS_FRAMES = 4;

/** M&Ms: `<folder>/<code>/<code>_sa.nii.gz` (+ `_sa_gt`), 4D, and the information CSV with its real header. */
export function makeMnmsTree(root: string, subjects: MnmsSubject[]): void {
  const rows = [',External code,VendorName,Vendor,Centre,ED,ES,Age,Pathology,Sex,Height,Weight'];
  subjects.forEach((s, i) => {
    rows.push(
      `${i},${s.code},${s.vendorName},${s.vendor},${s.centre},${s.ed},${s.es},${40 + i},${s.pathology},M,175.0,80.5`,
    );
    const dir = join(root, s.folder, s.code);
    const shape = [...SHAPE, MNMS_FRAMES];
    writeFakeVolume(join(dir, `${s.code}_sa.nii.gz`), { shape, dtype: 'int16' });
    if (s.gt !== false) writeFakeVolume(join(dir, `${s.code}_sa_gt.nii.gz`), { shape });
  });
  writeText(join(root, '211230_M&Ms_Dataset_information_diagnosis_opendataset.csv'), rows.join('\n') + '\n');
}

export interface QubiqCase {
  folder: 'Training' | 'Validation';
  name: string;
  /** Raters per task: `[3, 2]` writes task01_seg01..03 and task02_seg01..02. */
  raters: number[];
}

/** QUBIQ: `<folder>/<name>/image.nii.gz` and `taskTT_segRR.nii.gz` binary masks. */
export function makeQubiqTree(root: string, cases: QubiqCase[]): void {
  for (const c of cases) {
    const dir = join(root, c.folder, c.name);
    writeFakeVolume(join(dir, 'image.nii.gz'), { dtype: 'float32' });
    c.raters.forEach((n, t) => {
      for (let r = 1; r <= n; r++) {
        writeFakeVolume(join(dir, `task${String(t + 1).padStart(2, '0')}_seg${String(r).padStart(2, '0')}.nii.gz`), {
          value: (i) => (i + r) % 2,
        });
      }
    });
  }
}

/** nnU-Net raw v2 (`channel_names`, labels name → value) or v1 (`modality`, labels value → name). */
export function makeNnunetTree(
  root: string,
  version: 1 | 2,
  options: { channels?: number; train?: string[]; test?: string[] } = {},
): void {
  const channels = options.channels ?? 1;
  const train = options.train ?? ['heart_001', 'heart_002'];
  const test = options.test ?? ['heart_101'];
  const channelNames = Object.fromEntries(
    [...Array(channels).keys()].map((c) => [String(c), c === 0 ? 'MRI' : `ch${c}`]),
  );
  const json =
    version === 2
      ? {
          name: 'Dataset027_Tiny',
          channel_names: channelNames,
          labels: { background: 0, RV: 1, MYO: 2, LV: 3 },
          numTraining: train.length,
          file_ending: '.nii.gz',
        }
      : {
          name: 'Task027_Tiny',
          modality: channelNames,
          labels: { '0': 'background', '1': 'RV', '2': 'MYO', '3': 'LV' },
          numTraining: train.length,
          training: [],
          test: [],
        };
  writeText(join(root, 'dataset.json'), JSON.stringify(json, null, 2));
  const images = (dir: string, id: string) => {
    for (let c = 0; c < channels; c++)
      writeFakeVolume(join(root, dir, `${id}_${String(c).padStart(4, '0')}.nii.gz`), { dtype: 'float32' });
  };
  for (const id of train) {
    images('imagesTr', id);
    writeFakeVolume(join(root, 'labelsTr', `${id}.nii.gz`));
  }
  for (const id of test) images('imagesTs', id);
}

/** Generic: `images/<name>.nii.gz`, `<rater>/<name>.nii.gz`, optional `truth/`. */
export function makeFoldersTree(
  root: string,
  options: { names: string[]; raters: Record<string, string[]>; truth?: string[]; labels?: Record<string, string> },
): void {
  for (const name of options.names) writeFakeVolume(join(root, 'images', `${name}.nii.gz`), { dtype: 'float32' });
  for (const [rater, names] of Object.entries(options.raters))
    for (const name of names) writeFakeVolume(join(root, rater, `${name}.nii.gz`));
  for (const name of options.truth ?? []) writeFakeVolume(join(root, 'truth', `${name}.nii.gz`));
  if (options.labels) writeText(join(root, 'labels.json'), JSON.stringify(options.labels));
}
