/**
 * How a rater sees a label map: as nested regions drawn one after another. A region is a set of labels taken
 * together (the epicardium encloses MYO and LV), painted with one label when it grows and leaving another behind
 * when it shrinks (the LV cavity shrinking leaves myocardium). The order is the drawing order: outer first.
 */

export interface LabelRegion {
  /** Label values that together form the region. */
  labels: number[];
  /** Label given to voxels the region gains. */
  paint: number;
  /** Label given to voxels the region loses. */
  under: number;
}

/** ACDC cardiac layout: epicardium (MYO ∪ LV), then the LV cavity inside it, then the RV cavity. */
export const CARDIAC_REGIONS: readonly LabelRegion[] = [
  { labels: [2, 3], paint: 2, under: 0 },
  { labels: [3], paint: 3, under: 2 },
  { labels: [1], paint: 1, under: 0 },
];

/** One region per label, each on background: the layout of a binary or non-nested label map. */
export function separateRegions(labels: readonly number[]): LabelRegion[] {
  return labels.map((l) => ({ labels: [l], paint: l, under: 0 }));
}

/** 0/1 mask of the voxels whose label is in `region.labels`. */
export function regionMask(
  labels: Uint8Array,
  region: Pick<LabelRegion, 'labels'>,
  out: Uint8Array = new Uint8Array(labels.length),
): Uint8Array {
  const member = new Uint8Array(256);
  for (const l of region.labels) member[l] = 1;
  for (let v = 0; v < labels.length; v++) out[v] = member[labels[v]];
  return out;
}
