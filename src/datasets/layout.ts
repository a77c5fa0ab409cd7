/**
 * What a dataset layout importer is: a named function that reads a source folder in a public dataset's own
 * layout and returns a `Dataset` whose paths are relative to that folder (with `/`). It only lists folders and
 * reads small metadata files (Info.cfg, CSV, JSON); voxels are read later, by the check `importDataset` runs. A
 * layout that cannot name the labels returns `labels: {}`, and the import names the values found.
 */
import type { Dataset } from './dataset.ts';

/** Names of the source layouts {@link importDataset} reads (`multirater dataset import --layout`). */
export type LayoutName = 'acdc' | 'mnms' | 'qubiq' | 'nnunet' | 'folders';

/** Options shared by the importers; each layout reads the ones it needs. */
export interface LayoutOptions {
  /** Dataset name; default: the layout's own (e.g. `ACDC`, the nnU-Net dataset.json `name`, the folder name). */
  name?: string;
  /** QUBIQ: task number whose raters become the dataset's (`task01_seg*` for 1); default 1. */
  task?: number;
  /** folders: label names by value (`{"1": "LV"}`); default `SRC/labels.json` when present, else the values found (`label1`, …). */
  labels?: Record<string, string>;
}

/** A source layout: how to build a {@link Dataset} from a folder in that layout. */
export interface DatasetLayout {
  /** The layout's name, as chosen by `--layout`. */
  name: LayoutName;
  /** One line for `--help`. */
  description: string;
  /** Builds the Dataset from `src`; paths relative to `src`. */
  load(src: string, options: LayoutOptions): Dataset;
}
