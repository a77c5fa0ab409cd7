/**
 * The JSON the viewer's server sends its page (`/api/catalog`, `/api/table`). Shared by the server and the page
 * bundle, so this file imports nothing.
 */

/** How a layer is drawn: the grey-scale background, a label map, or a computed scalar map. */
export type LayerKind =
  'image' | 'cine' | 'truth' | 'rater' | 'prediction' | 'fused' | 'disagreement' | 'staple' | 'cm-diagonal' | 'audit';

/** One volume the page can show for a case. */
export interface LayerJson {
  /** Unique within the case; the last segment of its URL before the extension. */
  key: string;
  /** What the layer holds, which decides how the page draws it. */
  kind: LayerKind;
  /** Shown in the overlay list and the cursor readout. */
  name: string;
  /** Path the page fetches, e.g. `/data/3/rater-0.nii`. */
  url: string;
}

/** A case as the page lists it. */
export interface CaseJson<L extends LayerJson = LayerJson> {
  /** Position in dataset.json's `cases`; the URL segment. */
  index: number;
  /** The case's id in dataset.json; the page's `?case=` names it. */
  id: string;
  /** meta.split (train, val or test); null when the case has none. */
  split: string | null;
  /** meta.group, the diagnostic group (ACDC's NOR, MINF, …); null when absent. */
  group: string | null;
  /** meta.vendor, the scanner vendor (M&Ms' A–D); null when absent. */
  vendor: string | null;
  /** ED / ES or the frame number, as in meta.frame. */
  frame: string | null;
  /** 0-based frame of the labels on the time axis of a 4D image or of the cine. */
  timeIndex: number;
  /** Frames of the cine series (meta.frames) when the case has one. */
  frames: number | null;
  /** Rater ids of the case whose files exist, in dataset order. */
  raters: string[];
  /**
   * In this order: image, cine, truth, raters, predictions, audit maps; with two raters or more fused, disagreement and
   * STAPLE; CM diagonals.
   */
  layers: L[];
  /** Key of the background layer: the image, else the cine, else the first layer. */
  back: string;
  /** Keys of the overlays shown when the page's URL does not say (`show=`): the first rater (else the truth) and the
   * disagreement map. */
  shown: string[];
}

/** An annotator-CM model's image-level matrices: cm[i][j] = P(annotator says labels[i] | truth labels[j]). */
export interface ModelJson {
  /** Annotator ids, as in the dataset. */
  raters: string[];
  /** Class names in matrix index order. */
  labels: string[];
  /** Per annotator id, its labels.length × labels.length matrix, indexed as above. */
  matrices: Record<string, number[][]>;
}

/** `/api/catalog`. */
export interface CatalogJson {
  /** Version of this JSON's shape; 1. */
  schemaVersion: 1;
  /** The dataset's name, from dataset.json. */
  name: string;
  /** Label names by value ("1": "RV"), from dataset.json. */
  labels: Record<string, string>;
  /** Every rater id of the dataset, in dataset.json's order (a case's own with files are in `CaseJson.raters`). */
  raters: string[];
  /** Index of the case to open first (`--case`), 0 by default. */
  initialCase: number;
  /** Every case of dataset.json, in its order; `initialCase` and `CaseDice.index` index this list. */
  cases: CaseJson[];
  /** The image-level matrices of the `--model` annotator-CM model; null without one. */
  model: ModelJson | null;
}

/** One row of the case table: each rater's Dice averaged over the labels either side has. */
export interface CaseDice {
  /** The case's `CaseJson.index`. */
  index: number;
  /** What the raters were compared with: the truth, or their majority vote when the case has none. */
  reference: 'truth' | 'majority' | null;
  /** Per rater id: mean Dice over the labels present in the rater or the reference (null when neither has any). */
  dice: Record<string, number | null>;
}

/** `/api/table`. */
export interface TableJson {
  /** Version of this JSON's shape; 1. */
  schemaVersion: 1;
  /**
   * One per case, in catalogue order. `reference` is null, and `dice` null per rater, when the case has no rater, or no
   * truth and a single rater; a case that could not be read has `reference: null` and empty `dice`.
   */
  rows: CaseDice[];
}
