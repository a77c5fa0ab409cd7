/**
 * nnU-Net raw dataset importer (Isensee et al., Nature Methods 2021; the `nnUNet_raw/DatasetXXX_Name` layout
 * of nnU-Net v2 and the `TaskXXX_Name` layout of v1). `imagesTr/<case>_<XXXX><ending>` holds channel XXXX of a
 * training case, `labelsTr/<case><ending>` its reference label map, `imagesTs/` the test images;
 * `dataset.json` declares the channels (v2 `channel_names`, v1 `modality`), the labels (v2 name → value,
 * v1 value → name) and, in v2, `file_ending` (v1: `.nii.gz`). Training cases get truth = the labelsTr file and
 * split 'train'; imagesTs cases split 'test'. Region-based label declarations (v2 lists) are refused.
 */
import { basename, join } from 'node:path';
import { z } from 'zod';
import { MultiraterError } from '../errors.ts';
import { formatSchemaIssue, type Case, type Dataset } from './dataset.ts';
import type { DatasetLayout, LayoutOptions } from './layout.ts';
import { isFolder, listFiles, posixJoin, readJsonFile, requireFolder } from './source-tree.ts';

/** What multirater reads of an nnU-Net `dataset.json` (v1 or v2); other fields are ignored. */
export interface NnunetJson {
  /** The dataset's name. */
  name?: string;
  /** Free text about the dataset. */
  description?: string;
  /** v2: channel index ("0", "1", …) → channel name. */
  channel_names?: Record<string, string>;
  /** v1: channel index ("0", "1", …) → modality name. */
  modality?: Record<string, string>;
  /** v2: label name → value (a list of values declares a region, refused); v1: value → label name. */
  labels: Record<string, number | number[] | string>;
  /** v2: the image files' extension (`.nii.gz`, `.nrrd`, …); v1 files are `.nii.gz`. */
  file_ending?: string;
}

const nnunetJsonSchema: z.ZodType<NnunetJson> = z.object({
  name: z.string().optional(),
  description: z.string().optional(),
  channel_names: z.record(z.string().regex(/^\d+$/, 'channel keys are 0, 1, …'), z.string()).optional(),
  modality: z.record(z.string().regex(/^\d+$/, 'channel keys are 0, 1, …'), z.string()).optional(),
  labels: z.record(z.string(), z.union([z.number().int(), z.array(z.number().int()), z.string()])),
  file_ending: z.string().startsWith('.').optional(),
});

/** Label names by value ("1" → name) from either version's `labels`; background (0) left out. */
export function nnunetLabels(json: Pick<NnunetJson, 'labels' | 'channel_names'>, file: string): Record<string, string> {
  const out: Record<string, string> = {};
  const v2 = json.channel_names !== undefined;
  for (const [key, value] of Object.entries(json.labels)) {
    if (Array.isArray(value)) {
      throw new MultiraterError(
        'invalid_dataset',
        `${file}: labels.${key} is a region (${JSON.stringify(value)}); region-based labels are not supported`,
      );
    }
    const [name, num] = v2 ? [key, Number(value)] : [String(value), Number(key)];
    if (!Number.isInteger(num) || num < 0) {
      throw new MultiraterError(
        'invalid_dataset',
        `${file}: labels.${key}: expected ${v2 ? 'name → integer value' : 'integer value → name'}, found ${JSON.stringify(value)}`,
      );
    }
    if (num > 0) out[String(num)] = name;
  }
  return out;
}

function readNnunetJson(file: string): NnunetJson {
  const json = readJsonFile(file);
  const result = nnunetJsonSchema.safeParse(json);
  const problems = result.success ? [] : result.error.issues.map(formatSchemaIssue);
  // Checked apart from the schema so it is reported together with the field problems (zod skips refinements then).
  const raw = json !== null && typeof json === 'object' ? (json as Record<string, unknown>) : {};
  if (raw.channel_names === undefined && raw.modality === undefined)
    problems.push('(root): needs "channel_names" (nnU-Net v2) or "modality" (v1)');
  if (!result.success || problems.length > 0) {
    throw new MultiraterError('invalid_dataset', `${file}: ${problems.length} problem(s): ${problems.join('; ')}`);
  }
  return result.data;
}

/** Builds the Dataset from an nnU-Net raw dataset folder (holding dataset.json, imagesTr/, labelsTr/, imagesTs/). */
export function loadNnunet(src: string, options: LayoutOptions = {}): Dataset {
  requireFolder(src, 'nnU-Net raw dataset');
  const jsonFile = join(src, 'dataset.json');
  const json = readNnunetJson(jsonFile);
  const ending = json.file_ending ?? '.nii.gz';
  const channelNames = json.channel_names ?? json.modality ?? {};
  const channels = Object.keys(channelNames)
    .map(Number)
    .sort((a, b) => a - b);
  const labels = nnunetLabels(json, jsonFile);
  const channelFile = (dir: string, id: string, ch: number) =>
    posixJoin(dir, `${id}_${String(ch).padStart(4, '0')}${ending}`);
  const withImages = (dir: string, id: string, present: Set<string>): Pick<Case, 'image' | 'meta'> => {
    const files = channels.map((ch) => channelFile(dir, id, ch));
    for (const f of files) {
      if (!present.has(basename(f)))
        throw new MultiraterError('file_not_found', `${join(src, f)}: no such file (channel of case ${id})`);
    }
    return { image: files[0], meta: files.length > 1 ? { channels: files } : {} };
  };

  requireFolder(join(src, 'labelsTr'), 'nnU-Net labelsTr');
  const trImages = new Set(isFolder(join(src, 'imagesTr')) ? listFiles(join(src, 'imagesTr')) : []);
  const cases: Case[] = [];
  for (const file of listFiles(join(src, 'labelsTr')).filter((f) => f.endsWith(ending))) {
    const id = file.slice(0, -ending.length);
    const { image, meta } = withImages('imagesTr', id, trImages);
    cases.push({ id, image, raters: {}, truth: posixJoin('labelsTr', file), meta: { ...meta, split: 'train' } });
  }
  if (isFolder(join(src, 'imagesTs'))) {
    const tsImages = new Set(listFiles(join(src, 'imagesTs')));
    const channel0 = `_0000${ending}`;
    for (const file of [...tsImages].filter((f) => f.endsWith(channel0))) {
      const id = file.slice(0, -channel0.length);
      const { image, meta } = withImages('imagesTs', id, tsImages);
      cases.push({ id, image, raters: {}, meta: { ...meta, split: 'test' } });
    }
  }
  if (cases.length === 0)
    throw new MultiraterError('invalid_dataset', `${join(src, 'labelsTr')}: no label files ending in ${ending}`);
  return {
    name: options.name ?? json.name ?? basename(src),
    labels,
    raters: [],
    cases,
    ...(json.description ? { description: json.description } : {}),
    source: { layout: 'nnunet', version: json.channel_names ? 2 : 1, channelNames, fileEnding: ending },
  };
}

/** The `nnunet` layout (`dataset import --layout nnunet`): nnU-Net v1/v2 raw datasets, labelsTr as truth. */
export const nnunetLayout: DatasetLayout = {
  name: 'nnunet',
  description: 'nnU-Net raw: dataset.json, imagesTr/<case>_0000.nii.gz, labelsTr/<case>.nii.gz, imagesTs/',
  load: loadNnunet,
};
